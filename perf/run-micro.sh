#!/usr/bin/env bash
# Micro-benchmarks of the hot paths (BenchmarkDotNet, in process, short jobs) plus the hardware limit
# for SHA-256 on this machine (sha256sum over the same amount of data), reported as a ratio.
# Usage: perf/run-micro.sh [--filter PATTERN]   (default: every benchmark; ≈3–5 min)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
filter='*'
[ "${1:-}" = "--filter" ] && filter="$2"
results="${RESULTS_DIR:-$root/perf/results}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
work="$(mktemp -d /tmp/cachefarm-micro.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$results"

dotnet build "$root/perf/CacheFarm.Benchmarks" -c Release -nologo -clp:ErrorsOnly >/dev/null

# Hardware limit: sha256sum (OpenSSL/SHA-NI where available) on 256 MiB from the page cache.
head -c $((256 << 20)) /dev/urandom > "$work/data"
sha256sum "$work/data" >/dev/null
best_ns=""
for _ in 1 2 3; do
  start=$(date +%s%N); sha256sum "$work/data" >/dev/null; end=$(date +%s%N)
  ns=$((end - start)); [ -z "$best_ns" ] || [ "$ns" -lt "$best_ns" ] && best_ns=$ns
done
sha256sum_mibs=$(awk -v ns="$best_ns" 'BEGIN { printf "%.0f", 256 / (ns / 1e9) }')
# OpenSSL uses the CPU's SHA extensions where coreutils may not: the real ceiling of this machine.
openssl dgst -sha256 "$work/data" >/dev/null
start=$(date +%s%N); openssl dgst -sha256 "$work/data" >/dev/null; end=$(date +%s%N)
openssl_mibs=$(awk -v ns="$((end - start))" 'BEGIN { printf "%.0f", 256 / (ns / 1e9) }')

(cd "$work" && "$root/perf/CacheFarm.Benchmarks/bin/Release/net10.0/cachefarm-bench" \
  --filter "$filter" --job short --inProcess --exporters github >"$work/bdn.log" 2>&1) || { tail -40 "$work/bdn.log"; exit 1; }
report="$results/$stamp-micro.md"
{
  echo "# Micro-benchmarks — $stamp"
  echo
  echo "$(nproc) cores; BenchmarkDotNet short job, in process. Times are per operation."
  for md in "$work"/BenchmarkDotNet.Artifacts/results/*-report-github.md; do
    echo; echo "## $(basename "$md" -report-github.md | sed 's/^CacheFarm.Benchmarks.//')"; echo
    grep '^|' "$md" | sed -e 's/\*\*//g' -e "s/&#39;/'/g"
  done
} > "$report"

# SHA-256 in .NET (1 MiB fed whole) against sha256sum on the same machine, same run.
dotnet_mibs=$(awk -F'|' '/SHA-256, 1 MiB streamed/ && $3 ~ /1048576/ {
  mean=$4; gsub(/[ ,]/, "", mean); value=mean; gsub(/[^0-9.]/, "", value);
  scale = (mean ~ /ns$/) ? 1e-9 : (mean ~ /(us|μs|µs)$/) ? 1e-6 : (mean ~ /ms$/) ? 1e-3 : 1;
  printf "%.0f", 1 / (value * scale) }' "$report")
{
  echo
  echo "## SHA-256 against the hardware limit"
  echo
  echo "| hasher | MiB/s |"
  echo "|---|---:|"
  echo "| sha256sum (256 MiB, best of 3) | $sha256sum_mibs |"
  echo "| openssl dgst -sha256 (256 MiB) | $openssl_mibs |"
  echo "| IncrementalHash SHA-256 (1 MiB, this process) | ${dotnet_mibs:-n/a} |"
  if [ -n "${dotnet_mibs:-}" ]; then
    echo "| **ratio to sha256sum** | **$(awk -v a="$dotnet_mibs" -v b="$sha256sum_mibs" 'BEGIN { printf "%.2f", a / b }')** |"
    echo "| **ratio to openssl** | **$(awk -v a="$dotnet_mibs" -v b="$openssl_mibs" 'BEGIN { printf "%.2f", a / b }')** |"
  fi
} >> "$report"
cat "$report"
echo "written: $report"
