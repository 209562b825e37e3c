#!/usr/bin/env bash
# Build-script benchmark on sys-ws (build scripts doing native work: cc-rs C and assembly, CMake, bindgen, protoc,
# a code generator) and rust-ws. Per repetition, interleaved: an uncached build; sccache 0.4 cold and warm after
# cargo clean in the same directory; cachefarm cold with an empty cache (also timed until the daemon has stored what
# it handed over) and warm in a fresh copy at another path, started once the cold build is stored.
# Medians, min–max and ratios against the uncached median of the same run. Then the warm build in another
# directory runs once more under strace, to count the build scripts and C/C++ compiler processes it starts.
# The cachefarm host keeps its data directory (linker measurements) across repetitions, as a developer's
# machine does; each cold build starts from an empty store and no lookup memos.
# Writes perf/results/<UTC stamp>-build-scripts.md.
# Usage: perf/run-build-script-bench.sh [--quick]     (--quick: 1 repetition; default 3, ≈ 14 min)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
reps="${REPS:-3}"
[ "${1:-}" = "--quick" ] && reps=1
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_INCREMENTAL=0 CARGO_TERM_QUIET=true
cachefarm="$root/artifacts/bin/cachefarm"
die() { echo "run-build-script-bench: $*" >&2; exit 1; }
[ -x "$cachefarm" ] || die "$cachefarm missing; run scripts/build.sh"
for tool in sccache strace cargo; do command -v "$tool" >/dev/null || die "$tool missing; run scripts/setup.sh"; done

work="$(mktemp -d /tmp/cachefarm-bsbench.XXXXXX)"
cleanup() {
  CACHEFARM_DATA_DIR="$work/cf-host" "$cachefarm" --stop-server >/dev/null 2>&1 || true
  SCCACHE_DIR="$work/scc" sccache --stop-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
results="${RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
source "$root/perf/lib/cargo-timing.sh"
fresh_cache() { rm -rf "$work/cf-host/local" "$work/cf-host/memo/manifests" "$work/cf-host/memo/inputs" "$work/cf-host/memo/files"; }

for rep in $(seq 1 "$reps"); do
  for ws in sys-ws rust-ws; do
    echo "== repetition $rep/$reps, $ws"
    copy_workload "$ws" "$work/a"
    add "$ws uncached" "$(timed_build "$work/a")"

    rm -rf "$work/scc"
    copy_workload "$ws" "$work/a"
    export SCCACHE_DIR="$work/scc"
    sccache --start-server >/dev/null
    add "$ws sccache_cold" "$(RUSTC_WRAPPER=sccache timed_build "$work/a")"
    (cd "$work/a" && cargo clean -q)
    add "$ws sccache_warm" "$(RUSTC_WRAPPER=sccache timed_build "$work/a")"
    sccache --stop-server >/dev/null 2>&1 || true
    unset SCCACHE_DIR

    export CACHEFARM_DATA_DIR="$work/cf-host" CACHEFARM_LISTEN=none
    "$cachefarm" --stop-server >/dev/null 2>&1 || true
    fresh_cache
    copy_workload "$ws" "$work/a"
    cold=$(RUSTC_WRAPPER="$cachefarm" timed_build "$work/a")
    add "$ws cachefarm_cold" "$cold"
    # The warm build stands for another machine's or a later build: it starts once this one is stored.
    add "$ws cachefarm_cold_stored" "$(awk -v c="$cold" -v d="$(stores_drained)" 'BEGIN { printf "%.2f", c + d }')"
    copy_workload "$ws" "$work/elsewhere/deeper/b"
    "$cachefarm" --zero-stats >/dev/null
    add "$ws cachefarm_other_dir" "$(RUSTC_WRAPPER="$cachefarm" timed_build "$work/elsewhere/deeper/b")"
    "$cachefarm" --show-stats >"$work/$ws-other-$rep.txt"
    if [ "$rep" -eq "$reps" ]; then
      # The same warm build once more, untimed, under strace: which programs does it start?
      copy_workload "$ws" "$work/traced/c"
      (cd "$work/traced/c" && RUSTC_WRAPPER="$cachefarm" strace -f -qq -e trace=execve -o "$work/$ws-exec.txt" cargo build -q)
    fi
    "$cachefarm" --stop-server >/dev/null
    unset CACHEFARM_DATA_DIR CACHEFARM_LISTEN
  done
done

# Successful execve calls, by program name.
started() { grep -E 'execve\(' "$1" | grep -E '= 0$' | sed -E 's/^[0-9]+ +execve\("([^"]*)".*/\1/' | xargs -rn1 basename | sort | uniq -c | sort -rn; }
count_matching() { started "$1" | awk -v re="$2" '$2 ~ re { n += $1 } END { print n + 0 }'; }
compilers='^(cc|c\+\+|gcc|g\+\+|cc1|cc1plus|as|clang.*|x86_64-linux-gnu-(gcc|g\+\+|as)(-[0-9]+)?|cmake|make|gmake|protoc|ar|ranlib)$'

report="$results/$stamp-build-scripts.md"
{
  echo "# Build-script benchmark, $stamp"
  echo
  echo "$(nproc) cores, $reps repetition(s), \`cargo build\` (dev profile), CARGO_INCREMENTAL=0 for every tool."
  echo "Seconds: median and min–max; ratio = median / uncached median of the same workload in this run."
  for ws in sys-ws rust-ws; do
    uncached=$(median <<<"${times[$ws uncached]}")
    echo
    echo "## $ws"
    echo
    echo "| build | median s | min–max s | ratio to uncached |"
    echo "|---|---:|---:|---:|"
    for row in "uncached:uncached clean build" "sccache_cold:sccache 0.4 cold (empty cache)" "sccache_warm:sccache 0.4 warm, same directory" \
        "cachefarm_cold:cachefarm cold, empty cache" "cachefarm_cold_stored:cachefarm cold, until the daemon has stored it" \
        "cachefarm_other_dir:cachefarm warm, another directory"; do
      name=${row%%:*}; label=${row#*:}
      m=$(median <<<"${times[$ws $name]}")
      printf '| %s | %s | %s | %s |\n' "$label" "$m" "$(range <<<"${times[$ws $name]}")" "$(awk -v a="$m" -v b="$uncached" 'BEGIN { printf "%.2f", a / b }')"
    done
    echo
    echo "Warm build in another directory, each repetition:"
    echo
    echo "| repetition | build-script hits | build-script misses | rustc hits | rustc misses |"
    echo "|---:|---:|---:|---:|---:|"
    for rep in $(seq 1 "$reps"); do
      stats="$work/$ws-other-$rep.txt"
      printf '| %s | %s | %s | %s | %s |\n' "$rep" "$(stat_of "$stats" "Cache hits (Build script)")" "$(stat_of "$stats" "Cache misses (Build script)")" \
        "$(stat_of "$stats" "Cache hits (Rust)")" "$(stat_of "$stats" "Cache misses (Rust)")"
    done
    echo
    echo "The same build under strace started $(count_matching "$work/$ws-exec.txt" '\.cachefarm-script$') build scripts and"
    echo "$(count_matching "$work/$ws-exec.txt" "$compilers") C/C++ compiler, assembler, archiver, CMake, make or protoc processes."
    echo
    echo '```'
    started "$work/$ws-exec.txt" | head -15
    echo '```'
    echo
    echo "### Stats of the warm build in another directory (last repetition)"
    echo
    echo '```'
    cat "$work/$ws-other-$reps.txt"
    echo '```'
  done
} >"$report"
cat "$report"
echo "written: $report"
