#!/usr/bin/env bash
# Measures cachefarmd's remote tiers with cachefarm-loadgen (blob-read-1m, 1 MiB blobs), on private
# servers on free loopback ports, stopped by pid whatever happens:
#   1. redis-tier reads: local tier empty and backfill off, so every read crosses Redis, SHA-256
#      verification and gRPC; the same run reads the same blobs straight from Redis (ratio);
#   2. backfilled reads: the same daemon setup with backfill on, after one warm-up pass, against a
#      plain local-only daemon holding the same corpus;
#   3. Redis stopped: local-tier hits of a daemon with a Redis tier, Redis up, then Redis killed
#      (p99 ratio, errors).
# Results: perf/results/<UTC stamp>-tiers-*.{md,json}. Knobs: CONCURRENCY (8), WARMUP (5),
# DURATION (10), ROUNDS (3), CACHEFARMD (artifacts/bin/cachefarmd), RESULTS_DIR (perf/results).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cachefarmd="${CACHEFARMD:-$repo/artifacts/bin/cachefarmd}"
results="${RESULTS_DIR:-$repo/perf/results}"
concurrency="${CONCURRENCY:-8}"
warmup="${WARMUP:-5}"
duration="${DURATION:-10}"
rounds="${ROUNDS:-3}"

tool=run-tier-bench
# shellcheck source=perf/lib/loopback-servers.sh
source "$repo/perf/lib/loopback-servers.sh"
command -v redis-server >/dev/null || die "redis-server not found (apt-get install redis-server)"
[[ -x "$cachefarmd" ]] || die "$cachefarmd not found; publish it: dotnet publish src/Daemon -c Release -o artifacts/bin"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/cachefarm-tiers.XXXXXX")"
pids=()

# shellcheck disable=SC2317  # invoked through trap
cleanup() {
  local status=$?
  stop_pids "${pids[@]}"
  [[ $status -eq 0 ]] || show_logs "$scratch"
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_redis() {
  redis-server --port "$redis_port" --save '' --appendonly no --bind 127.0.0.1 --daemonize no \
    --dir "$scratch" >"$scratch/redis-server.log" 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  wait_for_line "$redis_pid" "$scratch/redis-server.log" "Ready to accept connections" 15
}

# start_daemon NAME ARGS... — sets daemon_pid and daemon_port
start_daemon() {
  local name=$1; shift
  daemon_port="$(free_port "$redis_port")"
  mkdir -p "$scratch/$name"
  "$cachefarmd" --data-dir "$scratch/$name" --listen "127.0.0.1:$daemon_port" --no-socket --capacity 2G "$@" \
    >"$scratch/$name.log" 2>&1 &
  daemon_pid=$!
  pids+=("$daemon_pid")
  wait_for_line "$daemon_pid" "$scratch/$name.log" "cachefarmd ready" 60
}

stop_daemon() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  die "daemon $1 did not stop within 20 s"
}

echo "building cachefarm-loadgen…" >&2
dotnet build "$repo/perf/CacheFarm.LoadGen" -c Release -nologo -v quiet >&2
loadgen="$repo/perf/CacheFarm.LoadGen/bin/Release/net10.0/cachefarm-loadgen"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
measure=(--scenario blob-read-1m --concurrency "$concurrency" --warmup "$warmup" --duration "$duration" --rounds "$rounds")

redis_port="$(free_port 0)"
start_redis
redis=(--target "redis=127.0.0.1:$redis_port" --redis-pid "$redis_pid")

echo "seeding Redis through a daemon's write-behind…" >&2
start_daemon seed --redis "127.0.0.1:$redis_port"
"$loadgen" --target "cachefarmd=http://127.0.0.1:$daemon_port" --scenario blob-read-1m --warmup 1 --duration 1 >/dev/null
stop_daemon "$daemon_pid"   # a graceful stop drains the write-behind queue
keys="$(redis-cli -p "$redis_port" --scan --pattern 'cachefarm:loadgen:b:*' | wc -l)"
[[ "$keys" -ge 64 ]] || die "only $keys blobs reached Redis"

echo "1. reads served from the Redis tier (local tier empty, backfill off)…" >&2
start_daemon redis-tier --redis "127.0.0.1:$redis_port" --backfill false
"$loadgen" --target "cachefarmd=http://127.0.0.1:$daemon_port" --daemon-pid "$daemon_pid" "${redis[@]}" "${measure[@]}" \
  --json "$results/$stamp-tiers-redis-tier.json" --markdown "$results/$stamp-tiers-redis-tier.md"
CACHEFARM_ENDPOINT="http://127.0.0.1:$daemon_port" "$repo/artifacts/bin/cachefarm" --show-stats | sed -n '/^Tier/,/^Cache size/p' \
  >"$results/$stamp-tiers-redis-tier-stats.txt" || true
stop_daemon "$daemon_pid"

echo "2. backfilled reads vs a local-only daemon…" >&2
start_daemon backfilled --redis "127.0.0.1:$redis_port"
backfilled_port=$daemon_port; backfilled_pid=$daemon_pid
"$loadgen" --target "cachefarmd=http://127.0.0.1:$backfilled_port" --scenario blob-read-1m --warmup 1 --duration 2 >/dev/null
sleep 2
"$loadgen" --target "cachefarmd=http://127.0.0.1:$backfilled_port" --daemon-pid "$backfilled_pid" "${redis[@]}" "${measure[@]}" \
  --json "$results/$stamp-tiers-backfilled.json" --markdown "$results/$stamp-tiers-backfilled.md"
start_daemon local-only
"$loadgen" --target "cachefarmd=http://127.0.0.1:$daemon_port" --daemon-pid "$daemon_pid" "${redis[@]}" "${measure[@]}" \
  --json "$results/$stamp-tiers-local-only.json" --markdown "$results/$stamp-tiers-local-only.md"
stop_daemon "$daemon_pid"

echo "3. local-tier hits with Redis up, then with Redis killed…" >&2
"$loadgen" --target "cachefarmd=http://127.0.0.1:$backfilled_port" --daemon-pid "$backfilled_pid" "${measure[@]}" \
  --json "$results/$stamp-tiers-redis-up.json" --markdown "$results/$stamp-tiers-redis-up.md"
kill -9 "$redis_pid"
"$loadgen" --target "cachefarmd=http://127.0.0.1:$backfilled_port" --daemon-pid "$backfilled_pid" "${measure[@]}" \
  --json "$results/$stamp-tiers-redis-down.json" --markdown "$results/$stamp-tiers-redis-down.md"
CACHEFARM_ENDPOINT="http://127.0.0.1:$backfilled_port" "$repo/artifacts/bin/cachefarm" --show-stats | sed -n '/^Tier/,/^Cache size/p' \
  >"$results/$stamp-tiers-redis-down-stats.txt" || true
echo "results: $results/$stamp-tiers-*" >&2
