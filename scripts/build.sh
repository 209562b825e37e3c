#!/usr/bin/env bash
# Builds the solution and publishes cachefarmd and the NativeAOT cachefarm client into artifacts/bin.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet build CacheFarm.sln -c Release -nologo -clp:ErrorsOnly
# ReadyToRun: the daemon starts on precompiled code instead of JIT-compiling it in the build it serves.
dotnet publish src/Daemon -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o artifacts/bin -nologo -clp:ErrorsOnly
dotnet publish src/Client -c Release -o artifacts/bin -nologo -clp:ErrorsOnly
# The process tracer is loaded into arbitrary native programs (build scripts, compilers), so it is C.
cc -shared -fPIC -O2 -Wall -Wextra -Werror -o artifacts/bin/libcachefarm-trace.so src/Tracer/cachefarm-trace.c -ldl
echo "build: artifacts/bin/cachefarm, artifacts/bin/cachefarmd and artifacts/bin/libcachefarm-trace.so are ready"
