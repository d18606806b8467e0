#!/usr/bin/env bash
# Runs the Python SDK's whole test suite against a real Handoff server, which tests/conftest.py starts and stops.
# HANDOFF_DLL names the server's CLI (default: src/Handoff.Cli/bin/Release/net10.0/handoff.dll of this repo).
# Extra arguments go to pytest. The last line is always: tests: N passed, M failed, K skipped
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
report="$(mktemp -d)"
trap 'rm -rf "$report"' EXIT

cd "$here" || exit 2
/usr/bin/python3 -m pytest -q -p no:cacheprovider --junitxml="$report/junit.xml" "$@" </dev/null
code=$?

/usr/bin/python3 - "$report/junit.xml" "$code" <<'PY'
import sys
import xml.etree.ElementTree as ET

path, code = sys.argv[1], int(sys.argv[2])
passed = failed = skipped = 0
try:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    for suite in suites:
        tests, failures, errors, skips = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
        failed += failures + errors
        skipped += skips
        passed += tests - failures - errors - skips
except (OSError, ET.ParseError):
    pass
if code != 0 and failed == 0:
    failed = 1  # pytest stopped before reporting a failure (a collection error, an interrupted run, no tests)
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(0 if code == 0 and failed == 0 else (code or 1))
PY
