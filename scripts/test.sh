#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need, builds and publishes the binaries the tests
# run, then every test project in turn. Ends with "N passed, N failed" (and skipped, if any).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$root"
"$root/scripts/setup.sh" || { echo "0 passed, 1 failed"; exit 1; }
"$root/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0; skipped=0; status=0
log="$(mktemp)"
for project in tests/CacheFarm.*.Tests/*.csproj; do
  echo "== $project"
  dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  summary="$(grep -E '(Passed|Failed)!  - Failed:' "$log" | tail -n 1)"
  if [ -z "$summary" ]; then
    echo "test.sh: no test summary from $project" >&2
    failed=$((failed + 1)); status=1; continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
rm -f "$log"
[ "$skipped" -eq 0 ] || { echo "test.sh: $skipped tests were skipped; a test that cannot run must fail" >&2; status=1; }
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit $status
