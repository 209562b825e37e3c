#!/usr/bin/env bash
# Wrapper CPU per hit and per miss: the CPU time of the cachefarm process alone (perf stat --no-inherit, so rustc
# and the daemon are not counted) on cargo's own rustc command lines for a few crates of rust-ws, from a tiny one
# (cfg-if) to one with megabytes of sources and outputs (regex-syntax), for this checkout's client and a baseline
# client built from an earlier commit, interleaved in the same run against the same daemon.
# A hit reruns the stored command line; a miss adds a --cfg of its own, so every miss looks up, compiles and stores.
# Writes perf/results/<UTC stamp>-wrapper-cpu.md.
# Usage: perf/run-wrapper-cpu.sh BASELINE_REV [RUNS]   (RUNS per client, crate and kind, default 40)
# CRATES="cfg_if serde_json" picks the crates (rustc's --crate-name), default "cfg_if serde_json regex_syntax".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
baseline_rev="${1:?usage: perf/run-wrapper-cpu.sh BASELINE_REV [RUNS]}"
runs="${2:-40}"
read -r -a crates <<<"${CRATES:-cfg_if serde_json regex_syntax}"
export PATH="$HOME/.cargo/bin:$PATH" CARGO_INCREMENTAL=0
die() { echo "run-wrapper-cpu: $*" >&2; exit 1; }
current="$root/artifacts/bin/cachefarm"
[ -x "$current" ] || die "$current missing; run scripts/build.sh"
for tool in perf cargo git dotnet; do command -v "$tool" >/dev/null || die "$tool missing; run scripts/setup.sh"; done

work="$(mktemp -d /tmp/cachefarm-wcpu.XXXXXX)"
export CACHEFARM_DATA_DIR="$work/cf" CACHEFARM_LISTEN=none CACHEFARM_DAEMON="$root/artifacts/bin/cachefarmd" CACHEFARM_LINKER=off
cleanup() {
  "$current" --stop-server >/dev/null 2>&1 || true
  git -C "$root" worktree remove --force "$work/src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
results="${RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

echo "== building the baseline client at $baseline_rev"
git -C "$root" worktree add --detach "$work/src" "$baseline_rev" >/dev/null 2>&1
dotnet publish "$work/src/src/Client" -c Release -o "$work/baseline" -nologo -clp:ErrorsOnly >/dev/null
# Both clients trace misses with this checkout's tracer, so only the client differs.
cp "$root/artifacts/bin/libcachefarm-trace.so" "$work/baseline/"
baseline="$work/baseline/cachefarm"

cp -r "$root/tests/workloads/rust-ws" "$work/ws"
chmod -R u+w "$work/ws"
(cd "$work/ws" && cargo build -v 2>&1) >"$work/cargo.log"
for crate in "${crates[@]}"; do
  sed -n "s/^ *Running \`\(.*rustc --crate-name $crate .*\)\`\$/\1/p" "$work/cargo.log" | head -1 >"$work/cmd.$crate"
  [ -s "$work/cmd.$crate" ] || die "no rustc command line for $crate in cargo's output"
done
"$current" --start-server >/dev/null
cd "$work/ws"
for crate in "${crates[@]}"; do
  # cargo prints the arguments shell-quoted.
  eval "cmd=($(<"$work/cmd.$crate"))"
  "$current" "${cmd[@]}" >/dev/null 2>&1
done

# Milliseconds of CPU (task-clock) of the wrapper process alone.
cpu_ms() { perf stat --no-inherit -x, -e task-clock -o "$work/stat" -- "$@" >/dev/null 2>&1 || die "failed: $*"; awk -F, '$3 == "task-clock" { print $1 }' "$work/stat"; }
declare -A samples
for i in $(seq 1 "$runs"); do
  for crate in "${crates[@]}"; do
    eval "cmd=($(<"$work/cmd.$crate"))"
    for client in baseline current; do
      bin=$baseline; [ "$client" = current ] && bin=$current
      samples[$client $crate hit]+=" $(cpu_ms "$bin" "${cmd[@]}")"
      samples[$client $crate miss]+=" $(cpu_ms "$bin" "${cmd[@]}" --cfg "cf_miss_${client}_$i")"
    done
  done
done
"$current" --show-stats >"$work/stats.txt"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
report="$results/$stamp-wrapper-cpu.md"
{
  echo "# Wrapper CPU per hit and per miss, $stamp"
  echo
  echo "$(nproc) cores. CPU time (task-clock) of the cachefarm process alone, rustc and the daemon excluded, on cargo's"
  echo "command lines for the crates below; $runs runs of each, baseline and current interleaved. Milliseconds, medians."
  echo "Baseline: \`$(git -C "$root" rev-parse --short "$baseline_rev")\`; current: \`$(git -C "$root" rev-parse --short HEAD)\`$(git -C "$root" diff --quiet HEAD -- src || echo ' with uncommitted changes')."
  echo
  echo "| crate | call | baseline ms | current ms | current / baseline |"
  echo "|---|---|---:|---:|---:|"
  for crate in "${crates[@]}"; do
    for kind in hit miss; do
      b=$(median <<<"${samples[baseline $crate $kind]}"); c=$(median <<<"${samples[current $crate $kind]}")
      printf '| %s | %s | %.2f | %.2f | %s |\n' "$crate" "$kind" "$b" "$c" "$(awk -v a="$c" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
    done
  done
  echo
  echo '```'
  grep -E '^(Compile requests|Cache hits|Cache misses) ' "$work/stats.txt"
  echo '```'
} >"$report"
cat "$report"
echo "written: $report"
