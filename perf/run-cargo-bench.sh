#!/usr/bin/env bash
# Cargo benchmark on a copy of the rust-ws workload (tests/workloads): an uncached build against sccache (Debian's,
# local disk) and cachefarm (embedded local daemon, and a shared daemon over TCP backed by Redis and S3),
# plus an incremental touch-and-rebuild per linker. Every figure is a median over the repetitions and a
# ratio against the uncached build of the same run. Writes perf/results/<UTC stamp>-cargo.md.
# Usage: perf/run-cargo-bench.sh [--quick]     (--quick: 1 repetition, ≈5 min; default 3, ≈15 min)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
workloads="$root/tests/workloads"
reps="${REPS:-3}"
[ "${1:-}" = "--quick" ] && reps=1
export PATH="$HOME/.cargo/bin:$PATH"
# CI builds without incremental compilation; every tool gets the same environment.
export CARGO_INCREMENTAL=0 CARGO_TERM_QUIET=true
cachefarm="$root/artifacts/bin/cachefarm"
[ -x "$cachefarm" ] || { echo "run-cargo-bench: $cachefarm missing; run scripts/build.sh" >&2; exit 1; }
command -v sccache >/dev/null || { echo "run-cargo-bench: sccache missing; run scripts/setup.sh" >&2; exit 1; }
[ -d "$workloads/rust-ws" ] || { echo "run-cargo-bench: $workloads/rust-ws missing" >&2; exit 1; }
s3rver="$root/tools/node_modules/.bin/s3rver"
[ -x "$s3rver" ] || { echo "run-cargo-bench: s3rver missing; run scripts/setup.sh" >&2; exit 1; }

work="$(mktemp -d /tmp/cachefarm-cargo.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  SCCACHE_DIR="$work/scc" sccache --stop-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
results="${RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
workspace() { copy_workload rust-ws "$1"; }
source "$root/perf/lib/cargo-timing.sh"

for rep in $(seq 1 "$reps"); do
  echo "== repetition $rep/$reps"
  workspace "$work/a"
  add uncached "$(timed_build "$work/a")"

  # sccache 0.4: cold in an empty cache, then warm after cargo clean in the same directory.
  rm -rf "$work/scc"
  workspace "$work/a"
  export SCCACHE_DIR="$work/scc"
  sccache --start-server >/dev/null
  add sccache_cold "$(RUSTC_WRAPPER=sccache timed_build "$work/a")"
  (cd "$work/a" && cargo clean -q)
  sccache --zero-stats >/dev/null
  add sccache_warm "$(RUSTC_WRAPPER=sccache timed_build "$work/a")"
  sccache --show-stats >"$work/sccache-stats.txt"
  sccache --stop-server >/dev/null 2>&1 || true
  unset SCCACHE_DIR

  # cachefarm with the embedded daemon: cold, warm in the same directory, warm in another directory.
  export CACHEFARM_DATA_DIR="$work/cf" CACHEFARM_LISTEN=none
  rm -rf "$CACHEFARM_DATA_DIR"
  workspace "$work/a"
  add cachefarm_cold "$(RUSTC_WRAPPER="$cachefarm" timed_build "$work/a")"
  (cd "$work/a" && cargo clean -q)
  "$cachefarm" --zero-stats >/dev/null
  add cachefarm_warm "$(RUSTC_WRAPPER="$cachefarm" timed_build "$work/a")"
  "$cachefarm" --show-stats >"$work/cachefarm-same.txt"
  workspace "$work/b"
  "$cachefarm" --zero-stats >/dev/null
  add cachefarm_other_dir "$(RUSTC_WRAPPER="$cachefarm" timed_build "$work/b")"
  "$cachefarm" --show-stats >"$work/cachefarm-other.txt"
  "$cachefarm" --stop-server >/dev/null
  # An empty cache on a host cachefarm already knows. That host keeps its data directory across
  # repetitions, as a developer's machine does; only the daemon's store and the client's lookup memos go.
  # Setting it up includes the shadow links auto makes until it has measured every linker (a fresh data
  # directory above starts that over): throwaway cold builds finish it first (at most 8, counted).
  export CACHEFARM_DATA_DIR="$work/cf-host"
  settle=0
  while [ "$settle" -lt 8 ] && "$cachefarm" linker | grep -q "still measuring"; do
    rm -rf "$CACHEFARM_DATA_DIR/local" "$CACHEFARM_DATA_DIR/memo/manifests" "$CACHEFARM_DATA_DIR/memo/inputs"
    workspace "$work/a"
    RUSTC_WRAPPER="$cachefarm" timed_build "$work/a" >/dev/null
    "$cachefarm" --stop-server >/dev/null
    settle=$((settle + 1))
  done
  settles="${settles:-}${settles:+, }$settle"
  # A second uncached build just before it keeps the baseline close in time.
  workspace "$work/a"
  add uncached "$(timed_build "$work/a")"
  rm -rf "$CACHEFARM_DATA_DIR/local" "$CACHEFARM_DATA_DIR/memo/manifests" "$CACHEFARM_DATA_DIR/memo/inputs"
  workspace "$work/a"
  add cachefarm_cold_known "$(RUSTC_WRAPPER="$cachefarm" timed_build "$work/a")"
  "$cachefarm" --show-stats >"$work/cachefarm-cold.txt"
  "$cachefarm" --stop-server >/dev/null
  unset CACHEFARM_DATA_DIR CACHEFARM_LISTEN

  # A shared daemon over TCP whose local tier is empty while Redis and S3 are warm.
  redis_port=$(free_port); s3_port=$(free_port); d1_port=$(free_port); d2_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
  pids+=($!)
  mkdir -p "$work/s3"
  "$s3rver" -d "$work/s3" -p "$s3_port" --configure-bucket cache --silent >"$work/s3.log" 2>&1 &
  pids+=($!)
  export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
  remote=(--redis "redis://127.0.0.1:$redis_port" --s3-bucket cache --s3-endpoint "http://127.0.0.1:$s3_port" --s3-region us-east-1 --no-socket)
  sleep 1
  "$root/artifacts/bin/cachefarmd" --data-dir "$work/d1" --listen "127.0.0.1:$d1_port" "${remote[@]}" >"$work/d1.log" 2>&1 &
  d1=$!; pids+=("$d1")
  until grep -q "cachefarmd ready" "$work/d1.log"; do sleep 0.2; done
  workspace "$work/c"
  CACHEFARM_ENDPOINT="http://127.0.0.1:$d1_port" RUSTC_WRAPPER="$cachefarm" timed_build "$work/c" >/dev/null
  # Graceful stop drains the write-behind queue into Redis and S3.
  kill -TERM "$d1"; wait "$d1" 2>/dev/null || true
  "$root/artifacts/bin/cachefarmd" --data-dir "$work/d2" --listen "127.0.0.1:$d2_port" "${remote[@]}" >"$work/d2.log" 2>&1 &
  d2=$!; pids+=("$d2")
  until grep -q "cachefarmd ready" "$work/d2.log"; do sleep 0.2; done
  workspace "$work/d"
  add remote_warm "$(CACHEFARM_ENDPOINT="http://127.0.0.1:$d2_port" RUSTC_WRAPPER="$cachefarm" timed_build "$work/d")"
  CACHEFARM_ENDPOINT="http://127.0.0.1:$d2_port" "$cachefarm" --show-stats >"$work/cachefarm-remote.txt"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  rm -rf "$work/s3" "$work/d1" "$work/d2"
  unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

  # Incremental touch-and-rebuild of a core library, uncached, per linker rustc can be told to use.
  workspace "$work/e"
  for linker in default lld mold bfd; do
    case "$linker" in
      default) flags="" ;;
      lld) flags="-C link-arg=-fuse-ld=lld" ;;
      mold) flags="-C link-arg=-fuse-ld=mold" ;;
      # Without rustc's bundled lld, cc links with its default: GNU ld (bfd).
      bfd) flags="-C linker-features=-lld" ;;
    esac
    RUSTFLAGS="$flags" timed_build "$work/e" >/dev/null
    touch "$work/e/core/src/lib.rs"
    add "incremental_$linker" "$(RUSTFLAGS="$flags" timed_build "$work/e")"
  done
done

uncached=$(median <<<"${times[uncached]}")
row() {
  local name=$1 label=$2 hits=$3
  local m; m=$(median <<<"${times[$name]}")
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$m" "$(range <<<"${times[$name]}")" \
    "$(awk -v a="$m" -v b="$uncached" 'BEGIN { printf "%.2f", a / b }')" "$hits"
}
misses_of() { echo "$(stat_of "$1" "Cache misses") misses of $(stat_of "$1" "Compile requests") requests"; }
hits_of() { echo "$(stat_of "$1" "Cache hits") of $(stat_of "$1" "Compile requests") requests"; }
report="$results/$stamp-cargo.md"
{
  echo "# Cargo benchmark — rust-ws, $stamp"
  echo
  echo "$(nproc) cores, $reps repetition(s), \`cargo build\` (dev profile), CARGO_INCREMENTAL=0 for every tool."
  echo "Seconds: median and min–max; ratio = median / uncached median of this run (two uncached builds per"
  echo "repetition, one at the start and one just before the empty-cache build). The set-up host keeps its"
  echo "data directory across repetitions; throwaway cold builds finished its linker measurements before the"
  echo "empty-cache build (per repetition: $settles)."
  echo
  echo "| build | median s | min–max s | ratio to uncached | rustc hits (last repetition) |"
  echo "|---|---:|---:|---:|---|"
  row uncached "uncached clean build" "—"
  row sccache_cold "sccache 0.4 cold (empty cache)" "—"
  row sccache_warm "sccache 0.4 warm, same directory" "$(hits_of "$work/sccache-stats.txt")"
  row cachefarm_cold "cachefarm cold, first build on this host (empty data directory)" "—"
  row cachefarm_cold_known "cachefarm cold, empty cache (host already set up)" "$(misses_of "$work/cachefarm-cold.txt")"
  row cachefarm_warm "cachefarm warm, same directory" "$(hits_of "$work/cachefarm-same.txt")"
  row cachefarm_other_dir "cachefarm warm, another directory" "$(hits_of "$work/cachefarm-other.txt")"
  row remote_warm "cachefarm remote: TCP daemon, empty local tier, Redis+S3 warm" "$(hits_of "$work/cachefarm-remote.txt")"
  echo
  echo "## Incremental: touch core/src/lib.rs and rebuild (uncached), per linker"
  echo
  echo "| linker | median s | min–max s |"
  echo "|---|---:|---:|"
  for linker in default lld mold bfd; do
    echo "| $linker | $(median <<<"${times[incremental_$linker]}") | $(range <<<"${times[incremental_$linker]}") |"
  done
  echo
  echo "## Stats of the last repetition"
  for f in sccache-stats cachefarm-cold cachefarm-same cachefarm-other cachefarm-remote; do
    echo; echo "### $f"; echo; echo '```'; cat "$work/$f.txt"; echo '```'
  done
} >"$report"
cat "$report"
echo "written: $report"
