# Sourced by the perf scripts that start private servers: free loopback ports, bounded readiness waits,
# and stopping by pid (never by name). The sourcing script sets $tool (its name, for messages).
# shellcheck shell=bash

: "${tool:?set tool to the name of the sourcing script}"

die() { echo "$tool: $*" >&2; exit 1; }

# A loopback port nobody is listening on (bash's /dev/tcp connect fails), other than the ones given.
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if [[ " $* " != *" $port "* ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "no free loopback port found"
}

# wait_for_line PID LOG PATTERN SECONDS: until the log shows the line; dies when the process does or time runs out.
wait_for_line() {
  local pid=$1 log=$2 pattern=$3 seconds=$4
  for _ in $(seq 1 $((seconds * 5))); do
    grep -q "$pattern" "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || die "$(basename "$log" .log) exited before it was ready"
    sleep 0.2
  done
  die "$(basename "$log" .log) not ready after ${seconds} s"
}

# stop_pids PID...: SIGTERM to all, 10 s each to stop (cachefarmd checkpoints on SIGTERM), then SIGKILL.
stop_pids() {
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# show_logs DIR: the last lines of every log in DIR, for a run that failed.
show_logs() {
  local log
  for log in "$1"/*.log; do
    [[ -f "$log" ]] && { echo "--- last lines of $(basename "$log")" >&2; tail -n 20 "$log" >&2; }
  done
  return 0
}
