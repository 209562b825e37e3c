#!/usr/bin/env bash
# The main job: set up, build everything, then build the bundled example workspace with cargo through
# cachefarm (RUSTC_WRAPPER) on the embedded local daemon — twice, the second time from a clean target
# dir so it is served from the cache — and print the stats.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"

work="$(mktemp -d /tmp/cachefarm-demo.XXXXXX)"
export CACHEFARM_DATA_DIR="$work/cache"
export CACHEFARM_LISTEN=none
export RUSTC_WRAPPER="$root/artifacts/bin/cachefarm"
trap '"$RUSTC_WRAPPER" --stop-server >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

cp -r "$root/examples/hello-ws" "$work/ws"
cd "$work/ws"
echo "== cold build (empty cache)"
time cargo build -q
cargo clean -q
"$RUSTC_WRAPPER" --zero-stats >/dev/null
echo "== warm build (clean target dir, served from the cache)"
time cargo build -q
./target/debug/hello
echo
"$RUSTC_WRAPPER" --show-stats
