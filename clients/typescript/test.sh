#!/usr/bin/env bash
# Installs from the lock, builds, and runs every test of the TypeScript SDK against a real Handoff server (started by
# dist-test/support/run-tests.js). Runs from any directory; the last line is "tests: N passed, M failed, K skipped".
# HANDOFF_DLL names the server to run (default: <repo>/src/Handoff.Cli/bin/Release/net10.0/handoff.dll).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! npm ci --no-audit --no-fund --loglevel=error </dev/null >"$log" 2>&1; then
  cat "$log"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

if ! { npm run --silent build && npm run --silent build:test; } </dev/null >"$log" 2>&1; then
  cat "$log"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

node dist-test/support/run-tests.js </dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# node --test's spec reporter closes with "ℹ pass N", "ℹ fail N", "ℹ skipped N" (and todo, cancelled).
count() { grep -E "^(ℹ|#) $1 [0-9]+$" "$log" | tail -1 | grep -oE '[0-9]+$' || echo 0; }
passed=$(count pass)
failed=$(count fail)
skipped=$(count skipped)
cancelled=$(count cancelled)
todo=$(count todo)
failed=$((failed + cancelled))
skipped=$((skipped + todo))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner failed outside any test (the server did not start, a file did not load)
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
