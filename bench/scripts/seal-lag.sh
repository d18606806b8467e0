#!/bin/bash
# Samples the audit sealing lag of every cluster-bench database on the test PostgreSQL while a bench runs: every
# 50 ms, per database, the age of the oldest unsealed audit entry and how many wait. Stop it with Ctrl-C (or kill),
# then take percentiles of the first number per database.
#   bench/scripts/seal-lag.sh [SERVER] > lag.txt &   # SERVER defaults to host=127.0.0.1 port=55432 user=handoff
set -u
server=${1:-"host=127.0.0.1 port=55432 user=handoff"}
while true; do
  for db in $(psql "$server dbname=handoff" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'bench_%'" 2>/dev/null); do
    psql "$server dbname=$db" -Atc "SELECT extract(epoch FROM now() - min(at)::timestamptz), count(*) FROM audit WHERE seq IS NULL" 2>/dev/null | sed "s/^/$db|/"
  done
  sleep 0.05
done
