#!/usr/bin/env bash
# Builds the solution and publishes cachefarmd and the NativeAOT cachefarm client into artifacts/bin.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet build CacheFarm.sln -c Release -nologo -clp:ErrorsOnly
# ReadyToRun: the daemon starts on precompiled code instead of JIT-compiling it in the build it serves.
dotnet publish src/Daemon -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o artifacts/bin -nologo -clp:ErrorsOnly
dotnet publish src/Client -c Release -o artifacts/bin -nologo -clp:ErrorsOnly
echo "build: artifacts/bin/cachefarm and artifacts/bin/cachefarmd are ready"
