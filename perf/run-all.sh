#!/usr/bin/env bash
# Every performance measurement in one go, each reported as ratios against its peer in the same run:
# the load generator (cachefarmd vs redis-server), the tier benchmark (Redis tier vs Redis), the cargo
# benchmark and the build-script benchmark (cachefarm vs uncached and sccache), hit latency (cachefarm vs sccache) and the micro-benchmarks. Results land in perf/results/.
# Usage: perf/run-all.sh [--quick]   (--quick: under 10 minutes on 2 cores; the full run takes about an hour)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--quick" ]; then
  "$here/run-loadgen.sh" --quick
  "$here/run-micro.sh" --filter '*Hashing*'
  "$here/run-cargo-bench.sh" --quick
  "$here/run-hit-latency.sh" --quick
else
  "$here/run-loadgen.sh"
  "$here/run-tier-bench.sh"
  "$here/run-micro.sh"
  "$here/run-cargo-bench.sh"
  "$here/run-build-script-bench.sh"
  "$here/run-hit-latency.sh"
fi
