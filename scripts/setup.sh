#!/usr/bin/env bash
# Installs what CacheFarm's build, main job and tests need on a fresh machine (idempotent):
# Debian packages, the s3rver test server (npm, project-local), and the crates the Rust workloads use.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

need_apt=()
for pkg in redis-server mold lld clang ccache sccache hyperfine binutils chromium; do
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

shared="${CACHEFARM_SHARED:-$root/../shared}"
if [ -f "$shared/workloads/install-crates.sh" ]; then
  bash "$shared/workloads/install-crates.sh"
fi

for tool in dotnet cargo rustc node; do
  command -v "$tool" >/dev/null || { echo "setup: $tool is missing (see README: .NET 10 SDK, Rust, Node 20)" >&2; exit 1; }
done
