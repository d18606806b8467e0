#!/usr/bin/env bash
# One entry point for building and testing Handoff from a clean checkout.
#   ./build.sh test     install what the tests need, start the test PostgreSQL, build, run every test project, print
#                       a summary line; stops the test PostgreSQL again if this run started it (HANDOFF_KEEP_POSTGRES=1
#                       leaves it running)
#   ./build.sh build    build everything (Release)
#   ./build.sh bench    run the policy and routing benchmarks, the load driver and the offer-to-accept latency (a real
#                       server and Debian's Chromium; writes nothing; copy figures to docs/benchmarks.md)
#   ./build.sh eval     the learned gate's evaluation on CLINC150 and Bitext (handoff eval; ../shared/datasets)
#   ./build.sh bench-cluster  the several-nodes benchmarks on the test PostgreSQL (figures: docs/benchmarks.md)
#   ./build.sh prereqs  install only the system packages the tests use
#   ./build.sh postgres start the throwaway test PostgreSQL (scripts/postgres.sh start) and print its connection string
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# System packages the tests use: Debian's Chromium for the dashboard's browser tests (Playwright drives
# /usr/bin/chromium; it never downloads a browser of its own). chromium-driver is the matching WebDriver, for
# anyone who drives the same browser with other tools. postgresql is the server scripts/postgres.sh runs a throwaway
# cluster of for the PostgreSQL tests (installed here, with the rest, so that the script finds it and apt runs once).
# python3-aiosmtpd is the real SMTP server the e-mail channel's tests send to (run with /usr/bin/python3, Debian's own);
# python3-pytest runs the Python SDK's tests (clients/python). The TypeScript SDK's packages come from its lock file
# (npm ci, in clients/typescript/test.sh).
APT_PACKAGES=(chromium chromium-driver postgresql python3-aiosmtpd python3-pytest)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Installs whatever is missing, as root (CI) or through passwordless sudo. Quiet when it works; when it cannot, it
# says so and goes on, so that the tests that need the package fail naming it instead of the script dying here.
install_prerequisites() {
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)." >&2; exit 1; }
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  local sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "build.sh: missing system packages (${missing[*]}); install them as root: apt-get install ${missing[*]}" >&2
      return 0
    fi
  fi
  echo "build.sh: installing ${missing[*]}" >&2
  local log
  log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq "${missing[@]}"; } </dev/null >"$log" 2>&1; then
    echo "build.sh: could not install ${missing[*]}; the tests that need them will fail. apt-get said:" >&2
    tail -n 20 "$log" >&2
  fi
  rm -f "$log"
}

# Starts the throwaway PostgreSQL (scripts/postgres.sh) and exports what the tests need to reach it:
# HANDOFF_TEST_POSTGRES, its connection string, and HANDOFF_PG_SCRIPT, the script (for tests that restart the server).
# When it cannot start, it says so and goes on: the PostgreSQL tests then fail naming HANDOFF_TEST_POSTGRES.
# A server this run started is stopped again when the script exits (HANDOFF_KEEP_POSTGRES=1 keeps it); one that was
# already running is left as it was.
start_postgres() {
  export HANDOFF_PG_SCRIPT="$PWD/scripts/postgres.sh"
  local connection
  if [[ ${HANDOFF_KEEP_POSTGRES:-0} != 1 ]] && ! "$HANDOFF_PG_SCRIPT" status </dev/null 2>/dev/null; then
    trap stop_postgres EXIT
  fi
  if connection=$("$HANDOFF_PG_SCRIPT" start </dev/null) && [[ -n $connection ]]; then
    export HANDOFF_TEST_POSTGRES="$connection"
  else
    unset HANDOFF_TEST_POSTGRES
    echo "build.sh: WARNING: could not start the test PostgreSQL (scripts/postgres.sh start, see above);" \
      "the PostgreSQL tests will fail for want of HANDOFF_TEST_POSTGRES" >&2
  fi
}

stop_postgres() { "$HANDOFF_PG_SCRIPT" stop </dev/null >/dev/null 2>&1 || true; }

# Adds up one counter ("succeeded:", "failed:", "skipped:") over every test project's summary.
sum_of() { grep -oP "^\\s*$1:\\s*\\K\\d+" "$2" | awk '{ s += $1 } END { print s + 0 }'; }

run_tests() {
  install_prerequisites
  start_postgres
  local log results
  # A build that fails still ends with the summary line CI reads, after the compiler's errors.
  if ! dotnet build Handoff.slnx -c Release -warnaserror -clp:ErrorsOnly -nologo; then
    echo "tests: 0 passed, 1 failed, 0 skipped"
    return 1
  fi
  log=$(mktemp)
  results="artifacts/test-results"
  rm -rf "$results" && mkdir -p "$results"
  # Every test project but the cluster proof runs side by side; the cluster proof (three servers and 10,000 cases
  # on one PostgreSQL) runs alone afterwards, so that its load does not starve the browser tests' timeouts.
  local parallel="artifacts/parallel-tests.slnf" project projects=()
  for project in tests/*/*.csproj; do
    [[ $project == tests/Handoff.Cluster.Tests/* ]] || projects+=("\"$project\"")
  done
  printf '{"solution":{"path":"../Handoff.slnx","projects":[%s]}}\n' "$(IFS=,; echo "${projects[*]}")" >"$parallel"
  set +e
  dotnet test --solution "$parallel" -c Release --no-build --results-directory "$results" -- --report-xunit-trx 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  dotnet test --project tests/Handoff.Cluster.Tests -c Release --no-build --results-directory "$results" -- --report-xunit-trx 2>&1 | tee -a "$log"
  local cluster=${PIPESTATUS[0]}
  ((status == 0)) && status=$cluster
  # The TypeScript and Python SDKs' suites, against the server just built, side by side (each starts its own server
  # and mostly waits on it); each ends with its own summary line, shown here one suite after the other.
  local sdk sdk_status sdk_logs
  sdk_logs=$(mktemp -d)
  for sdk in typescript python; do
    (HANDOFF_DLL="$PWD/src/Handoff.Cli/bin/Release/net10.0/handoff.dll" bash "clients/$sdk/test.sh" </dev/null \
      >"$sdk_logs/$sdk.log" 2>&1; echo $? >"$sdk_logs/$sdk.status") &
  done
  wait
  for sdk in typescript python; do
    cat "$sdk_logs/$sdk.log"
    sdk_status=$(cat "$sdk_logs/$sdk.status")
    ((status == 0)) && status=$sdk_status
    # Its summary line, renamed to the counters Microsoft.Testing.Platform prints, so that one sum counts all.
    grep -E '^tests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$sdk_logs/$sdk.log" | tail -1 |
      sed -E 's/^tests: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/  succeeded: \1\n  failed: \2\n  skipped: \3/' >>"$log"
    if ! grep -qE '^tests: [0-9]+ passed' "$sdk_logs/$sdk.log"; then
      printf '  failed: 1\n' >>"$log"   # the suite never got to its summary
    fi
  done
  rm -rf "$sdk_logs"
  set -e
  # Sum the per-project summaries that Microsoft.Testing.Platform prints (and the SDK suites' above).
  local passed failed skipped
  passed=$(sum_of succeeded "$log")
  failed=$(sum_of failed "$log")
  skipped=$(sum_of skipped "$log")
  rm -f "$log"
  if [[ $status -ne 0 && ${failed:-0} -eq 0 ]]; then failed=1; fi
  echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  return "$status"
}

case "${1:-test}" in
  test) run_tests ;;
  prereqs) install_prerequisites ;;
  postgres) exec "$PWD/scripts/postgres.sh" start ;;
  build) dotnet build Handoff.slnx -c Release ;;
  bench)
    dotnet run -c Release --project bench/Handoff.Benchmarks -- --filter '*' --job short
    dotnet run -c Release --project bench/Handoff.LoadDriver
    dotnet run -c Release --project bench/Handoff.OfferLatency
    ;;
  bench-cluster)
    # Claim-and-decide on 1 and 3 nodes, wake-up latency, and the bare SKIP LOCKED ceiling, on the test PostgreSQL.
    dotnet build Handoff.slnx -c Release -nologo -clp:ErrorsOnly
    HANDOFF_TEST_POSTGRES=$("$PWD/scripts/postgres.sh" start </dev/null) \
      dotnet run -c Release --no-build --project bench/Handoff.LoadDriver -- --scenario cluster --with-sqlite
    ;;
  eval)
    # The learned gate on CLINC150 and Bitext (../shared/datasets, or HANDOFF_DATASETS): 20 shuffled runs each
    # through a fresh server; reports, JSON and charts in eval-out/ (figures: docs/benchmarks.md, docs/learning.md).
    datasets=${HANDOFF_DATASETS:-../shared/datasets}
    [[ -d $datasets/clinc150 ]] || { echo "build.sh eval: no data sets in $datasets (set HANDOFF_DATASETS)" >&2; exit 1; }
    mkdir -p eval-out
    dotnet build src/Handoff.Cli -c Release -nologo -clp:ErrorsOnly
    handoff=(dotnet src/Handoff.Cli/bin/Release/net10.0/handoff.dll)
    "${handoff[@]}" eval prepare clinc150 --source "$datasets/clinc150" --out eval-out/clinc150.jsonl
    "${handoff[@]}" eval run --data eval-out/clinc150.jsonl --must-escalate eval/clinc150-must-escalate.txt \
      --max-error 0.02 --runs "${HANDOFF_EVAL_RUNS:-20}" --json eval-out/clinc150.json --chart eval-out/clinc150.png
    if [[ -d $datasets/bitext ]]; then
      "${handoff[@]}" eval prepare bitext --source "$datasets/bitext" --out eval-out/bitext.jsonl
      "${handoff[@]}" eval run --data eval-out/bitext.jsonl --must-escalate eval/bitext-must-escalate.txt \
        --max-error 0.02 --min-decisions 300 --runs "${HANDOFF_EVAL_RUNS:-20}" --json eval-out/bitext.json --chart eval-out/bitext.png
    fi
    ;;
  *) echo "usage: $0 [test|build|bench|bench-cluster|eval|prereqs|postgres]" >&2; exit 2 ;;
esac
