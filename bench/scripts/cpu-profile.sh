#!/bin/bash
# An on-CPU profile of a running .NET process with Linux perf: which threads, which parts of Handoff and which frames
# used the CPU. Unlike dotnet-trace's thread-time profiles it counts only time on a core (a thread blocked in a wait
# costs nothing here).
#
# The process must have been started with JIT symbol maps and without double-mapped code, or perf cannot name
# managed frames:
#   export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
#   dotnet bench/Handoff.LoadDriver/bin/Release/net10.0/Handoff.LoadDriver.dll --handoff-only --seconds 30 --warmup 20 &
#   bench/scripts/cpu-profile.sh PID [SECONDS] [FREQUENCY]      # then read the summary it prints
# (the claim-decide bench's nodes inherit the variables: export them before starting the driver). The map makes the
# JIT a little slower, so compare shares within one profile, not throughput with and without it.
set -euo pipefail
pid=${1:?usage: cpu-profile.sh PID [SECONDS] [FREQUENCY]}
seconds=${2:-8}
frequency=${3:-499}
out=$(mktemp -d /tmp/cpu-profile.XXXXXX)
[[ -f /tmp/perf-$pid.map ]] || echo "warning: /tmp/perf-$pid.map is missing; start the process with DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0" >&2
perf record -F "$frequency" -g -p "$pid" -o "$out/perf.data" -- sleep "$seconds" > "$out/record.log" 2>&1
perf script -i "$out/perf.data" -F comm,tid,ip,sym,dso > "$out/stacks.txt" 2> /dev/null
python3 "$(dirname "$0")/cpu_profile.py" "$out/stacks.txt"
echo "(samples in $out)"
