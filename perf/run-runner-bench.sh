#!/usr/bin/env bash
# Ephemeral CI runner benchmark on a copy of rust-ws (tests/workloads): a shared cachefarmd filled by one runner,
# reached across a shaped link (cachefarm-linkshaper: 1 ms each way, 1 Gbit/s), and per repetition, interleaved:
# an uncached build; a fresh runner (empty data directory, CACHEFARM_UPSTREAM through the link); the same runner
# daemon again for another checkout (warm local tier); a fresh runner reading over the shared daemon's bulk-read
# listener (CACHEFARM_UPSTREAM_BULK, through a second shaped link); a fresh runner whose upstream is down.
# Medians and ratios against the uncached builds of the same run. Writes perf/results/<UTC stamp>-runner.md.
# Usage: perf/run-runner-bench.sh [--quick]     (--quick: 1 repetition; default 3, ≈10 min)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool=run-runner-bench
reps="${REPS:-3}"
[ "${1:-}" = "--quick" ] && reps=1
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_INCREMENTAL=0 CARGO_TERM_QUIET=true
cachefarm="$root/artifacts/bin/cachefarm"
cachefarmd="$root/artifacts/bin/cachefarmd"
[ -x "$cachefarm" ] && [ -x "$cachefarmd" ] || { echo "$tool: artifacts/bin missing; run scripts/build.sh" >&2; exit 1; }

work="$(mktemp -d /tmp/cachefarm-runner.XXXXXX)"
pids=()
source "$root/perf/lib/loopback-servers.sh"
source "$root/perf/lib/cargo-timing.sh"
# as_runner DATA_DIR UPSTREAM COMMAND...: runs a command (a function too) as a runner whose daemon has that upstream.
as_runner() (
  export CACHEFARM_DATA_DIR="$1" CACHEFARM_LISTEN=none CACHEFARM_DAEMON="$cachefarmd" CACHEFARM_UPSTREAM="$2" RUSTC_WRAPPER="$cachefarm"
  shift 2
  "$@"
)
# as_bulk_runner DATA_DIR UPSTREAM COMMAND...: as as_runner, reading over the upstream's bulk listener.
as_bulk_runner() (
  export CACHEFARM_UPSTREAM_BULK="127.0.0.1:$bulk_link_port"
  as_runner "$@"
)
stop_runner() { env CACHEFARM_DATA_DIR="$1" "$cachefarm" --stop-server >/dev/null 2>&1 || true; }
cleanup() {
  for dir in "$work"/runner* "$work"/fill; do [ -d "$dir" ] && stop_runner "$dir"; done
  stop_pids "${pids[@]}"
  rm -rf "$work"
}
trap 'show_logs "$work"; cleanup' ERR
trap cleanup EXIT
results="${RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
# Every checkout keeps the repository's directory name, as CI runners' checkouts do (the working set the
# runners' daemons record and prefetch is named after it).
workspace() { copy_workload rust-ws "$1/rust-ws"; }
ws() { echo "$1/rust-ws"; }

echo "== building the link shaper"
dotnet build "$root/perf/CacheFarm.LinkShaper" -c Release -o "$work/shaper" -nologo -clp:ErrorsOnly >/dev/null
shared_port=$(free_port); link_port=$(free_port "$shared_port"); dead_port=$(free_port "$shared_port" "$link_port")
bulk_port=$(free_port "$shared_port" "$link_port" "$dead_port"); bulk_link_port=$(free_port "$shared_port" "$link_port" "$dead_port" "$bulk_port")
"$cachefarmd" --data-dir "$work/shared" --listen "127.0.0.1:$shared_port" --bulk-listen "127.0.0.1:$bulk_port" --no-socket --capacity 2G \
  >"$work/shared.log" 2>&1 &
pids+=($!)
wait_for_line "${pids[-1]}" "$work/shared.log" "cachefarmd ready" 60
dotnet "$work/shaper/cachefarm-linkshaper.dll" "$link_port" "127.0.0.1:$shared_port" 1 1000 >"$work/link.log" 2>&1 &
pids+=($!)
wait_for_line "${pids[-1]}" "$work/link.log" "linkshaper ready" 30
dotnet "$work/shaper/cachefarm-linkshaper.dll" "$bulk_link_port" "127.0.0.1:$bulk_port" 1 1000 >"$work/bulk-link.log" 2>&1 &
pids+=($!)
wait_for_line "${pids[-1]}" "$work/bulk-link.log" "linkshaper ready" 30
upstream="http://127.0.0.1:$link_port"

echo "== filling the shared daemon from one runner"
workspace "$work/fill-checkout"
as_runner "$work/fill" "$upstream" timed_build "$(ws "$work/fill-checkout")" >/dev/null
# A graceful stop drains the runner's write-behind queue into the shared daemon.
stop_runner "$work/fill"

for rep in $(seq 1 "$reps"); do
  echo "== repetition $rep/$reps"
  workspace "$work/a"
  add uncached "$(timed_build "$(ws "$work/a")")"

  rm -rf "$work/runner"
  workspace "$work/a"
  add fresh_runner "$(as_runner "$work/runner" "$upstream" timed_build "$(ws "$work/a")")"
  env CACHEFARM_DATA_DIR="$work/runner" "$cachefarm" --show-stats >"$work/fresh-stats.txt"
  env CACHEFARM_DATA_DIR="$work/runner" "$cachefarm" --zero-stats >/dev/null
  workspace "$work/b"
  add warm_local "$(as_runner "$work/runner" "$upstream" timed_build "$(ws "$work/b")")"
  env CACHEFARM_DATA_DIR="$work/runner" "$cachefarm" --show-stats >"$work/local-stats.txt"
  stop_runner "$work/runner"

  rm -rf "$work/runner-bulk"
  workspace "$work/a"
  add fresh_bulk "$(as_bulk_runner "$work/runner-bulk" "$upstream" timed_build "$(ws "$work/a")")"
  env CACHEFARM_DATA_DIR="$work/runner-bulk" "$cachefarm" --show-stats >"$work/bulk-stats.txt"
  stop_runner "$work/runner-bulk"

  rm -rf "$work/runner-dead"
  workspace "$work/a"
  add upstream_down "$(as_runner "$work/runner-dead" "http://127.0.0.1:$dead_port" timed_build "$(ws "$work/a")")"
  env CACHEFARM_DATA_DIR="$work/runner-dead" "$cachefarm" --show-stats >"$work/dead-stats.txt"
  stop_runner "$work/runner-dead"
done

uncached=$(median <<<"${times[uncached]}")
warm_local=$(median <<<"${times[warm_local]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() {
  local m; m=$(median <<<"${times[$1]}")
  printf '| %s | %s | %s | %s | %s |\n' "$2" "$m" "$(range <<<"${times[$1]}")" "$(ratio "$m" "$uncached")" "$3"
}
hits_of() { echo "$(stat_of "$1" "Cache hits") of $(stat_of "$1" "Compile requests") requests"; }
report="$results/$stamp-runner.md"
{
  echo "# Ephemeral runner benchmark — rust-ws, $stamp"
  echo
  echo "$(nproc) cores, $reps repetition(s), \`cargo build\` (dev profile), CARGO_INCREMENTAL=0. The shared daemon is"
  echo "reached through cachefarm-linkshaper (1 ms each way, 1 Gbit/s) on loopback, gRPC and bulk listener alike. Seconds: median and min–max;"
  echo "ratio = median / uncached median of this run."
  echo
  echo "| build | median s | min–max s | ratio to uncached | hits (last repetition) |"
  echo "|---|---:|---:|---:|---|"
  row uncached "uncached clean build" "—"
  row fresh_runner "fresh runner: empty data directory, upstream warm" "$(hits_of "$work/fresh-stats.txt")"
  row warm_local "same runner daemon, another checkout (warm local tier)" "$(hits_of "$work/local-stats.txt")"
  row fresh_bulk "fresh runner reading over the bulk listener, upstream warm" "$(hits_of "$work/bulk-stats.txt")"
  row upstream_down "fresh runner, upstream down" "$(hits_of "$work/dead-stats.txt")"
  echo
  echo "Fresh runner / warm local tier: $(ratio "$(median <<<"${times[fresh_runner]}")" "$warm_local") (gRPC reads),"
  echo "$(ratio "$(median <<<"${times[fresh_bulk]}")" "$warm_local") (bulk reads)."
  echo
  echo "## Stats of the last repetition"
  for f in fresh-stats local-stats bulk-stats dead-stats; do
    echo; echo "### $f"; echo; echo '```'; cat "$work/$f.txt"; echo '```'
  done
} >"$report"
cat "$report"
echo "written: $report"
