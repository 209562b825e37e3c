#!/usr/bin/env bash
# Hit latency for a small crate: cargo's own rustc command line for cfg-if (from rust-ws), run through the
# wrapper by hand, start to exit (outputs written, output replayed), cachefarm with its local daemon against
# sccache 0.4 with its server, in the same run. Writes perf/results/<UTC stamp>-hit.md.
# Usage: perf/run-hit-latency.sh [--quick]   (--quick: 60 runs each; default 300)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
workloads="$root/tests/workloads"
runs=300
[ "${1:-}" = "--quick" ] && runs=60
export PATH="$HOME/.cargo/bin:$PATH" CARGO_INCREMENTAL=0
cachefarm="$root/artifacts/bin/cachefarm"
die() { echo "run-hit-latency: $*" >&2; exit 1; }
[ -x "$cachefarm" ] || die "$cachefarm missing; run scripts/build.sh"
for tool in hyperfine sccache node cargo; do command -v "$tool" >/dev/null || die "$tool missing; run scripts/setup.sh"; done
[ -d "$workloads/rust-ws" ] || die "$workloads/rust-ws missing"

work="$(mktemp -d /tmp/cachefarm-hit.XXXXXX)"
export CACHEFARM_DATA_DIR="$work/cf" CACHEFARM_LISTEN=none SCCACHE_DIR="$work/scc"
cleanup() {
  "$cachefarm" --stop-server >/dev/null 2>&1 || true
  sccache --stop-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
results="${RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

cp -r "$workloads/rust-ws" "$work/ws"
chmod -R u+w "$work/ws"
# cargo -v prints each rustc command line exactly as it runs it.
(cd "$work/ws" && cargo build -v 2>&1) | sed -n 's/^ *Running `\(.*rustc --crate-name cfg_if .*\)`$/\1/p' | head -1 >"$work/cmd"
[ -s "$work/cmd" ] || die "no rustc command line for cfg-if in cargo's output"
cmd="$(cat "$work/cmd")"
"$cachefarm" --start-server >/dev/null
sccache --start-server >/dev/null
cd "$work/ws"
# The warm-up runs store the entry (the first is a miss for both tools); every measured run is a hit.
hyperfine -N --style none --warmup 10 --runs "$runs" --export-json "$work/hit.json" \
  -n cachefarm "$cachefarm $cmd" -n sccache "sccache $cmd" >/dev/null
"$cachefarm" --show-stats >"$work/cachefarm-stats.txt"
sccache --show-stats >"$work/sccache-stats.txt"

report="$results/$stamp-hit.md"
{
  echo "# Hit latency — cfg-if from rust-ws, $stamp"
  echo
  echo "$(nproc) cores. \`hyperfine -N\`, $runs runs each after 10 warm-up runs: wrapper start to exit on a"
  echo "hit, run in the workspace on cargo's own command line. Milliseconds; ratio = cachefarm / sccache."
  echo
  node -e '
    const r = require(process.argv[1]).results;
    const ms = s => (s * 1000).toFixed(2);
    const by = Object.fromEntries(r.map(x => [x.command, x]));
    console.log("| tool | median | mean | min | max |");
    console.log("|---|---:|---:|---:|---:|");
    for (const x of r) console.log(`| ${x.command} | ${ms(x.median)} | ${ms(x.mean)} | ${ms(x.min)} | ${ms(x.max)} |`);
    console.log();
    console.log(`median ratio cachefarm / sccache: **${(by.cachefarm.median / by.sccache.median).toFixed(2)}**`);
  ' "$work/hit.json"
  echo
  echo "## Hits counted by each tool"
  echo
  echo '```'
  grep -E '^(Compile requests|Cache hits|Cache misses) ' "$work/cachefarm-stats.txt" | sed 's/^/cachefarm  /'
  grep -E '^(Compile requests|Cache hits|Cache misses) ' "$work/sccache-stats.txt" | sed 's/^/sccache    /'
  echo '```'
} >"$report"
cat "$report"
echo "written: $report"
