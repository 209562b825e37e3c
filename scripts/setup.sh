#!/usr/bin/env bash
# Installs what CacheFarm's build, main job and tests need on a fresh machine (idempotent):
# Debian packages (tools, peers and the crate sources the Rust workloads build against) and the s3rver
# test server (npm, project-local).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

# Tools the tests run, peers the benchmarks compare with, and the build-script workload's native tools.
# The librust-*-dev packages are the crate sources tests/workloads build against offline
# (/usr/share/cargo/registry).
need_apt=()
for pkg in redis-server mold lld clang ccache sccache hyperfine binutils chromium strace linux-perf \
    cmake libclang-dev protobuf-compiler googletest \
    librust-serde-json-dev librust-serde-derive-dev librust-regex-dev librust-clap-dev \
    librust-tokio-dev librust-rayon-dev librust-anyhow-dev librust-toml-dev librust-chrono-dev \
    librust-thiserror-dev librust-itertools-dev librust-walkdir-dev librust-sha2-dev \
    librust-rand-dev librust-log-dev librust-env-logger-dev librust-bytes-dev \
    librust-syn-dev librust-quote-dev librust-proc-macro2-dev \
    librust-ring-dev librust-blake3-dev librust-psm-dev librust-cc-dev librust-cmake-dev \
    librust-bindgen-dev librust-prost-dev librust-prost-build-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$root/tools/node_modules/.bin/s3rver" ]; then
  echo "setup: installing s3rver into tools/"
  (cd "$root/tools" && npm ci --silent --no-audit --no-fund)
fi

for tool in dotnet cargo rustc node; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is missing (see README: .NET 10 SDK, Rust, Node 20)" >&2; exit 1; }
done
