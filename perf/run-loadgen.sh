#!/usr/bin/env bash
# Runs the cachefarmd-vs-redis comparison on this machine: starts a private redis-server and a
# private cachefarmd (gRPC plus its bulk-read listener) on free loopback ports, runs cachefarm-loadgen
# against three targets (cachefarmd over gRPC, cachefarmd reading over the bulk listener as runners
# do, redis), writes the results to perf/results/ and stops both servers whatever happens (trap on EXIT).
#
#   perf/run-loadgen.sh            foundation comparison (blob-read-1m, 8 users, 5 s warm-up,
#                                  10 s measured, 3 alternating rounds) + every other scenario quickly
#                                  + upstream reads: blob-read-1m through a runner daemon whose upstream
#                                  is the first one (bulk reads, backfill off, so every read crosses)
#   perf/run-loadgen.sh --quick    everything in quick mode (a smoke test, ~1 minute)
#
# Knobs (environment): CONCURRENCY (8), WARMUP (5), DURATION (10), ROUNDS (3),
# QUICK_WARMUP (2), QUICK_DURATION (3), QUICK_ROUNDS (1), CAPACITY (6G: three targets write about
# 2.5 GiB, and a blob evicted before it is read back is a read error),
# CACHEFARMD (artifacts/bin/cachefarmd), RESULTS_DIR (perf/results).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cachefarmd="${CACHEFARMD:-$repo/artifacts/bin/cachefarmd}"
results="${RESULTS_DIR:-$repo/perf/results}"
concurrency="${CONCURRENCY:-8}"
warmup="${WARMUP:-5}"
duration="${DURATION:-10}"
rounds="${ROUNDS:-3}"
quick_warmup="${QUICK_WARMUP:-2}"
quick_duration="${QUICK_DURATION:-3}"
quick_rounds="${QUICK_ROUNDS:-1}"
capacity="${CAPACITY:-6G}"
quick_only=false

case "${1:-}" in
  --quick) quick_only=true ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

tool=run-loadgen
# shellcheck source=perf/lib/loopback-servers.sh
source "$repo/perf/lib/loopback-servers.sh"

command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
[[ -x "$cachefarmd" ]] || die "$cachefarmd not found; publish it with: cd $repo && dotnet publish src/Daemon -c Release -o artifacts/bin"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/cachefarm-loadgen.XXXXXX")"
redis_pid=""
daemon_pid=""
runner_pid=""
loadgen_pid=""

# Stops what this script started (by pid, never by name) and removes the scratch directory.
# shellcheck disable=SC2317  # invoked through trap
cleanup() {
  local status=$?
  if [[ -n "$loadgen_pid" ]]; then
    # SIGTERM lets the load generator finish its clean-up (it deletes the blobs it wrote to redis).
    kill -TERM "$loadgen_pid" 2>/dev/null || true
    wait "$loadgen_pid" 2>/dev/null || true
  fi
  # shellcheck disable=SC2086  # empty pids vanish
  stop_pids $runner_pid $daemon_pid $redis_pid
  if [[ $status -ne 0 && $status -ne 130 && $status -ne 143 ]]; then
    show_logs "$scratch"
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs the load generator in the background and waits, so that a signal to this script is handled
# at once (bash runs traps only between foreground commands) and forwarded by cleanup.
run_loadgen() {
  "$loadgen" "$@" &
  loadgen_pid=$!
  local code=0
  wait "$loadgen_pid" || code=$?
  loadgen_pid=""
  return "$code"
}

echo "building cachefarm-loadgen…" >&2
dotnet build "$repo/perf/CacheFarm.LoadGen" -c Release -nologo -v quiet >&2
loadgen="$repo/perf/CacheFarm.LoadGen/bin/Release/net10.0/cachefarm-loadgen"

redis_port="$(free_port)"
redis-server --port "$redis_port" --save '' --appendonly no --bind 127.0.0.1 --daemonize no \
  --dir "$scratch" >"$scratch/redis-server.log" 2>&1 &
redis_pid=$!
wait_for_line "$redis_pid" "$scratch/redis-server.log" "Ready to accept connections" 15

daemon_port="$(free_port "$redis_port")"
bulk_port="$(free_port "$redis_port" "$daemon_port")"
mkdir -p "$scratch/data"
"$cachefarmd" --data-dir "$scratch/data" --listen "127.0.0.1:$daemon_port" --bulk-listen "127.0.0.1:$bulk_port" --no-socket --capacity "$capacity" \
  >"$scratch/cachefarmd.log" 2>&1 &
daemon_pid=$!
wait_for_line "$daemon_pid" "$scratch/cachefarmd.log" "cachefarmd ready" 60
echo "redis-server pid $redis_pid on 127.0.0.1:$redis_port, cachefarmd pid $daemon_pid on 127.0.0.1:$daemon_port (bulk $bulk_port)" >&2

mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
targets=(--target "cachefarmd=http://127.0.0.1:$daemon_port" --target "cachefarmd-bulk=http://127.0.0.1:$daemon_port,127.0.0.1:$bulk_port"
  --target "redis=127.0.0.1:$redis_port"
  --daemon-pid "$daemon_pid" --redis-pid "$redis_pid" --concurrency "$concurrency")
status=0

if [[ $quick_only == false ]]; then
  echo "foundation comparison: blob-read-1m, $concurrency users, ${warmup}+${duration} s, $rounds rounds" >&2
  run_loadgen "${targets[@]}" --scenario blob-read-1m --warmup "$warmup" --duration "$duration" --rounds "$rounds" \
    --json "$results/$stamp-foundation.json" --markdown "$results/$stamp-foundation.md" || status=$?
  quick_scenarios="blob-write-1m,mix-90-10,entry-hit,find-missing,blob-large"
else
  quick_scenarios="all"
fi

echo "quick mode: $quick_scenarios, ${quick_warmup}+${quick_duration} s, $quick_rounds round(s)" >&2
run_loadgen "${targets[@]}" --scenario "$quick_scenarios" --warmup "$quick_warmup" --duration "$quick_duration" \
  --rounds "$quick_rounds" --large-iterations 1 \
  --json "$results/$stamp-quick.json" --markdown "$results/$stamp-quick.md" || status=$?

if [[ $quick_only == false ]]; then
  runner_port="$(free_port "$redis_port" "$daemon_port" "$bulk_port")"
  mkdir -p "$scratch/runner"
  "$cachefarmd" --data-dir "$scratch/runner" --listen "127.0.0.1:$runner_port" --no-socket --capacity 512M \
    --upstream "http://127.0.0.1:$daemon_port" --upstream-bulk "127.0.0.1:$bulk_port" --backfill false \
    >"$scratch/cachefarmd-runner.log" 2>&1 &
  runner_pid=$!
  wait_for_line "$runner_pid" "$scratch/cachefarmd-runner.log" "cachefarmd ready" 60
  # The blobs are already upstream (the foundation wrote them), so the runner's FindMissing finds them there and
  # nothing is written: every read goes runner -> upstream over the bulk listener. Server CPU is the runner's.
  echo "upstream reads: blob-read-1m through a runner daemon (pid $runner_pid), $concurrency users, ${warmup}+${duration} s, $rounds rounds" >&2
  run_loadgen --target "cachefarmd=http://127.0.0.1:$runner_port" --daemon-pid "$runner_pid" \
    --target "redis=127.0.0.1:$redis_port" --redis-pid "$redis_pid" --concurrency "$concurrency" \
    --scenario blob-read-1m --warmup "$warmup" --duration "$duration" --rounds "$rounds" \
    --json "$results/$stamp-upstream.json" --markdown "$results/$stamp-upstream.md" || status=$?
fi

echo "results: $results/$stamp-*.{md,json}" >&2
exit "$status"
