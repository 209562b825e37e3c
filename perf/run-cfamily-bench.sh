#!/usr/bin/env bash
# C/C++ benchmark on googletest (Debian's googletest sources, a CMake C++ project, with its own and gmock's tests):
# an uncached build, then for cachefarm, ccache 4.7 and sccache 0.4 (each as the CMake compiler launcher): cold with
# an empty cache, then warm in the same build directory after `make clean` and warm in a fresh checkout at another path,
# both repeated 3 times, interleaved across the tools (medians and ranges). Every build runs the test suite (ctest),
# which must pass. ccache gets base_dir set to the scratch directory, as its manual advises for hits across checkouts;
# sccache 0.4 has no such setting. Then the hit latency, wrapper start to exit: the same 12 C++ compile commands of
# the first warm checkout, each run once untimed and then 5 times through each tool, medians, with each tool's hit
# and miss counts over those timed calls.
# Writes perf/results/<UTC stamp>-cfamily.md.     Usage: perf/run-cfamily-bench.sh  (≈ 40 min on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cachefarm="$root/artifacts/bin/cachefarm"
die() { echo "run-cfamily-bench: $*" >&2; exit 1; }
[ -x "$cachefarm" ] || die "$cachefarm missing; run scripts/build.sh"
[ -f /usr/src/googletest/CMakeLists.txt ] || die "googletest sources missing; run scripts/setup.sh"
for tool in cmake ctest ccache sccache python3; do command -v "$tool" >/dev/null || die "$tool missing; run scripts/setup.sh"; done
jobs="$(nproc)"
work="$(mktemp -d /tmp/cachefarm-ccbench.XXXXXX)"
cleanup() {
  CACHEFARM_DATA_DIR="$work/cf" "$cachefarm" --stop-server >/dev/null 2>&1 || true
  SCCACHE_DIR="$work/scc" sccache --stop-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
results="${RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
source "$root/perf/lib/cargo-timing.sh"

# checkout DIR: a fresh copy of the sources at DIR/src and an empty DIR/build.
checkout() { rm -rf "$1"; mkdir -p "$1/build"; cp -r /usr/src/googletest "$1/src"; }
# configure DIR [LAUNCHER]
configure() {
  local launcher=()
  [ -n "${2:-}" ] && launcher=("-DCMAKE_C_COMPILER_LAUNCHER=$2" "-DCMAKE_CXX_COMPILER_LAUNCHER=$2")
  cmake -S "$1/src" -B "$1/build" -Dgtest_build_tests=ON -Dgmock_build_tests=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "${launcher[@]}" >"$work/configure.log" 2>&1 \
    || { cat "$work/configure.log" >&2; exit 1; }
}
# timed DIR: seconds of the build; the tests must pass afterwards.
timed() {
  local start end
  start=$(date +%s%N)
  cmake --build "$1/build" -j "$jobs" >"$work/build.log" 2>&1 || { tail -50 "$work/build.log" >&2; exit 1; }
  end=$(date +%s%N)
  (cd "$1/build" && ctest -j "$jobs" >"$work/ctest.log" 2>&1) || { tail -50 "$work/ctest.log" >&2; die "tests failed after a build in $1"; }
  awk -v ns="$((end - start))" 'BEGIN { printf "%.2f", ns / 1e9 }'
}
declare -A stats

echo "== uncached"
checkout "$work/plain"; configure "$work/plain"
add uncached "$(timed "$work/plain")"

declare -A launchers=([cachefarm]="$cachefarm" [ccache]="$(command -v ccache)" [sccache]="$(command -v sccache)")
tools=(cachefarm ccache sccache)
warm_reps=3

cold() { # NAME
  local name=$1 cold stored=0
  echo "== $name cold"
  checkout "$work/$name-a"; configure "$work/$name-a" "${launchers[$name]}"
  cold=$(timed "$work/$name-a")
  add "$name cold" "$cold"
  # cachefarm's daemon stores a build's compiles after it; the warm builds stand for later builds and start once it has.
  [ "$name" = cachefarm ] && stored=$(stores_drained)
  add "$name cold_stored" "$(awk -v c="$cold" -v d="$stored" 'BEGIN { printf "%.2f", c + d }')"
}
warm() { # NAME REPETITION
  local name=$1 rep=$2
  echo "== $name warm $rep"
  cmake --build "$work/$name-a/build" --target clean >/dev/null
  add "$name warm" "$(timed "$work/$name-a")"
  checkout "$work/elsewhere/$name/$rep"; configure "$work/elsewhere/$name/$rep" "${launchers[$name]}"
  add "$name elsewhere" "$(timed "$work/elsewhere/$name/$rep")"
}

export CACHEFARM_DATA_DIR="$work/cf" CACHEFARM_LISTEN=none
"$cachefarm" --start-server >/dev/null
export CCACHE_DIR="$work/ccache" CCACHE_BASEDIR="$work" CCACHE_MAXSIZE=5G
ccache -z >/dev/null
export SCCACHE_DIR="$work/scc"
sccache --start-server >/dev/null
for tool in "${tools[@]}"; do cold "$tool"; done
# Each repetition starts with another tool, so none always runs first.
for rep in $(seq 1 $warm_reps); do
  for i in 0 1 2; do warm "${tools[$(((rep - 1 + i) % 3))]}" "$rep"; done
done
stats[cachefarm]="$("$cachefarm" --show-stats)"
stats[ccache]="$(ccache -s)"
stats[sccache]="$(sccache --show-stats)"

# Hit latency: 12 C++ compiles of each tool's warm checkout, 5 runs each, interleaved by command.
python3 - "$work" >"$work/commands.txt" <<'PY'
import json, shlex, sys
work = sys.argv[1]
for tool in ("cachefarm", "ccache", "sccache"):
    entries = json.load(open(f"{work}/elsewhere/{tool}/1/build/compile_commands.json"))
    cxx = [e for e in entries if e["file"].endswith(".cc")][:12]
    for e in cxx:
        words = shlex.split(e["command"])
        # The command as the compiler sees it: a launcher CMake put in front is the tool under test, added again below.
        if words[0].rsplit("/", 1)[-1] in ("cachefarm", "ccache", "sccache"):
            words = words[1:]
        print(tool, shlex.quote(e["directory"]), shlex.join(words))
PY
declare -A latency
# Run 0 is untimed: compile_commands.json leaves out the depfile flags the build used, so its commands are new
# to every tool once; runs 1-5 should be hits, and each tool's own counters say whether they were.
zero_stats() { "$cachefarm" --zero-stats >/dev/null; ccache -z >/dev/null; sccache --zero-stats >/dev/null; }
for run in 0 1 2 3 4 5; do
  if [ "$run" -eq 1 ]; then
    stores_drained >/dev/null
    zero_stats
  fi
  while read -r tool dir command; do
    launcher="${launchers[$tool]}"
    dir=$(eval echo "$dir")
    start=$(date +%s%N)
    (cd "$dir" && eval "$launcher $command") >/dev/null 2>&1 || die "$tool: a warm compile failed: $command"
    end=$(date +%s%N)
    [ "$run" -gt 0 ] && latency[$tool]="${latency[$tool]:-} $(awk -v ns="$((end - start))" 'BEGIN { printf "%.2f", ns / 1e6 }')"
  done <"$work/commands.txt"
done
declare -A latency_outcomes
latency_outcomes[cachefarm]="$(stat_of <("$cachefarm" --show-stats) "Cache hits (C/C++)") hits, $(stat_of <("$cachefarm" --show-stats) "Cache misses (C/C++)") misses"
latency_outcomes[ccache]="$(ccache --print-stats | awk '$1 ~ /^(direct|preprocessed)_cache_hit$/ { h += $2 } $1 == "cache_miss" { m = $2 } END { printf "%d hits, %d misses", h, m }')"
latency_outcomes[sccache]="$(stat_of <(sccache --show-stats) "Cache hits") hits, $(stat_of <(sccache --show-stats) "Cache misses") misses"
"$cachefarm" --stop-server >/dev/null 2>&1 || true
sccache --stop-server >/dev/null 2>&1 || true

report="$results/$stamp-cfamily.md"
uncached=$(median <<<"${times[uncached]}")
{
  echo "# C/C++ benchmark: googletest with its tests, $stamp"
  echo
  echo "$(nproc) cores, \`cmake --build -j $jobs\` of googletest and googlemock with their tests (default build type);"
  echo "ctest passed after every build. Uncached and cold: one build each. Warm: $warm_reps repetitions interleaved across"
  echo "the tools, median (range). Ratio = build time / the uncached build's."
  echo
  echo "| build | cachefarm | ccache 4.7 (base_dir set) | sccache 0.4 |"
  echo "|---|---:|---:|---:|"
  echo "| uncached | $uncached s | | |"
  for kind in "cold:cold, empty cache" "cold_stored:cold, until the cache has stored it" "warm:warm, same build dir after clean" "elsewhere:warm, fresh checkout at another path"; do
    k=${kind%%:*}; label=${kind#*:}
    row="| $label"
    for tool in cachefarm ccache sccache; do
      t=$(median <<<"${times[$tool $k]}")
      spread=""; [ "$(wc -w <<<"${times[$tool $k]}")" -gt 1 ] && spread=" ($(range <<<"${times[$tool $k]}") s)"
      row="$row | $t s ($(awk -v a="$t" -v b="$uncached" 'BEGIN { printf "%.2f", a / b }')×)$spread"
    done
    echo "$row |"
  done
  echo
  echo "Hit latency, wrapper start to exit, 12 C++ compiles × 5 runs of each tool's warm checkout (ms):"
  echo
  echo "| tool | median | min–max | the 60 timed calls, by the tool's own counters |"
  echo "|---|---:|---:|---|"
  for tool in cachefarm ccache sccache; do
    echo "| $tool | $(median <<<"${latency[$tool]}") | $(range <<<"${latency[$tool]}") | ${latency_outcomes[$tool]} |"
  done
  for tool in cachefarm ccache sccache; do
    echo
    echo "### $tool stats at the end of its builds"
    echo
    echo '```'
    echo "${stats[$tool]}"
    echo '```'
  done
} >"$report"
cat "$report"
echo "written: $report"
