#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and for local work: one cluster in a scratch directory, listening on
# 127.0.0.1 only, trust authentication, a superuser role and a database both named "handoff".
#
#   scripts/postgres.sh [start]   install PostgreSQL if missing, create the cluster if missing, start it if stopped,
#                                 create the role and database if missing; prints the connection string (the only
#                                 thing on stdout), so: export HANDOFF_TEST_POSTGRES=$(scripts/postgres.sh start)
#   scripts/postgres.sh status    exit 0 when it is running, 1 when it is not (prints nothing)
#   scripts/postgres.sh stop      stop it (fine if it is not running)
#   scripts/postgres.sh restart   stop and start it again with the same options (for tests of surviving a restart)
#   scripts/postgres.sh destroy   stop it and delete its data directory
#   scripts/postgres.sh psql ...  psql on it as handoff/handoff; extra arguments go to psql
#
# HANDOFF_PG_DIR (default /tmp/handoff-pg) is the data directory, HANDOFF_PG_PORT (default 55432) the port. As root
# (or with passwordless sudo) the server runs as the postgres OS user, which owns the directory; otherwise it runs as
# the current user. Everything but the connection string goes to stderr, and nothing reads stdin.
set -euo pipefail

DIR=${HANDOFF_PG_DIR:-/tmp/handoff-pg}
DIR=${DIR%/}
PORT=${HANDOFF_PG_PORT:-55432}
HOST=127.0.0.1
CONNECTION_STRING="Host=$HOST;Port=$PORT;Username=handoff;Database=handoff"

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

[[ -n $DIR && $DIR != / ]] || die "HANDOFF_PG_DIR must name a directory of its own, not '${HANDOFF_PG_DIR:-}'"
[[ $PORT =~ ^[0-9]+$ ]] || die "HANDOFF_PG_PORT must be a port number, not '$PORT'"

# How to run a command as root, if we can: nothing as root, sudo -n with passwordless sudo, otherwise unset.
AS_ROOT=()
CAN_ROOT=0
if ((EUID == 0)); then
  CAN_ROOT=1
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null </dev/null; then
  CAN_ROOT=1
  AS_ROOT=(sudo -n)
fi

# The user the server runs as: postgres when we can become it, otherwise ourselves.
if ((CAN_ROOT)) && id postgres >/dev/null 2>&1; then
  PG_USER=postgres
else
  PG_USER=$(id -un)
fi

# Runs a command as PG_USER, from / (postgres may not be allowed into the caller's working directory), without the
# lock's descriptor (a server started with it would hold the lock for as long as it runs).
as_pg() {
  if [[ $PG_USER == "$(id -un)" ]]; then
    (cd / && "$@") 9>&-
  elif ((EUID == 0)); then
    (cd / && runuser -u "$PG_USER" -- "$@") 9>&-
  else
    (cd / && sudo -n -u "$PG_USER" -- "$@") 9>&-
  fi
}

# The server binaries of the highest installed version (Debian's layout), or whatever initdb is on PATH.
find_bin() {
  local d
  d=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' -printf '%h\n' 2>/dev/null |
    sort -V | tail -n 1)
  if [[ -n $d ]]; then echo "$d"; return 0; fi
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then dirname "$(command -v pg_ctl)"; return 0; fi
  return 1
}

install_postgres() {
  if ((!CAN_ROOT)); then
    die "PostgreSQL is not installed, and installing it needs root or passwordless sudo:" \
      "run 'apt-get install postgresql' as root"
  fi
  command -v apt-get >/dev/null ||
    die "PostgreSQL is not installed and there is no apt-get here; install PostgreSQL yourself"
  say "installing postgresql (apt-get)"
  local log
  log=$(mktemp)
  if ! { "${AS_ROOT[@]}" apt-get update -qq && "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq postgresql; } </dev/null >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    die "could not install postgresql (apt-get said the above)"
  fi
  rm -f "$log"
}

# Sets BIN, installing PostgreSQL first when there is none.
BIN=
need_bin() {
  [[ -n $BIN ]] && return 0
  if ! BIN=$(find_bin); then
    install_postgres
    BIN=$(find_bin) || die "postgresql is installed but no pg_ctl was found under /usr/lib/postgresql/*/bin"
    # Re-decide the user now that the package has created the postgres account.
    if ((CAN_ROOT)) && id postgres >/dev/null 2>&1; then PG_USER=postgres; fi
  fi
}

# One start, stop or restart at a time (several test processes may ask at once).
lock() {
  local file="$DIR.lock"
  if { exec 9>>"$file"; } 2>/dev/null; then
    chmod 666 "$file" 2>/dev/null || true
    if command -v flock >/dev/null; then flock -w 120 9 || say "could not lock $file; going on without it"; fi
  fi
}

server_options() { echo "-c listen_addresses=$HOST -p $PORT -k $DIR -c max_connections=300 -c fsync=on"; }

running() { as_pg "$BIN/pg_ctl" status -D "$DIR" >/dev/null 2>&1; }

# The port the running server was started on (line 4 of postmaster.pid).
running_port() { as_pg sed -n 4p "$DIR/postmaster.pid" 2>/dev/null || true; }

show_log() {
  say "the server log ($DIR/log) ends:"
  as_pg tail -n 20 "$DIR/log" >&2 2>/dev/null || true
}

init_cluster() {
  if [[ -d $DIR ]]; then
    local owner
    owner=$(stat -c %U "$DIR")
    [[ $owner == "$PG_USER" ]] ||
      die "$DIR belongs to $owner but the server would run as $PG_USER;" \
        "set HANDOFF_PG_DIR elsewhere (or run 'scripts/postgres.sh destroy' as $owner or root)"
    if as_pg test -e "$DIR/PG_VERSION"; then return 0; fi
    [[ -z $(as_pg ls -A "$DIR") ]] ||
      die "$DIR exists and is not a PostgreSQL data directory; remove it or set HANDOFF_PG_DIR"
  else
    mkdir -p "$DIR"
    if [[ $PG_USER != "$(id -un)" ]]; then "${AS_ROOT[@]}" chown "$PG_USER:" "$DIR"; fi
  fi
  as_pg chmod 700 "$DIR"
  as_pg test -w "$DIR" ||
    die "$PG_USER cannot write to $DIR (can it reach every directory above it?); set HANDOFF_PG_DIR elsewhere"
  say "creating a cluster in $DIR (as $PG_USER)"
  local log
  log=$(mktemp)
  if ! as_pg "$BIN/initdb" -D "$DIR" --auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
      </dev/null >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "initdb failed in $DIR"
  fi
  rm -f "$log"
}

start_server() {
  if running; then
    local port
    port=$(running_port)
    if [[ -n $port && $port != "$PORT" ]]; then
      say "running on port $port; restarting on $PORT"
      restart_server
    fi
    return 0
  fi
  say "starting PostgreSQL on $HOST:$PORT"
  if ! as_pg "$BIN/pg_ctl" start -D "$DIR" -l "$DIR/log" -w -t 60 -o "$(server_options)" </dev/null >&2; then
    show_log
    die "could not start PostgreSQL in $DIR on port $PORT"
  fi
}

restart_server() {
  if ! as_pg "$BIN/pg_ctl" restart -D "$DIR" -l "$DIR/log" -m fast -w -t 60 -o "$(server_options)" \
      </dev/null >&2; then
    show_log
    die "could not restart PostgreSQL in $DIR on port $PORT"
  fi
}

stop_server() {
  [[ -d $DIR ]] || return 0
  running || return 0
  say "stopping PostgreSQL on $HOST:$PORT"
  if ! as_pg "$BIN/pg_ctl" stop -D "$DIR" -m fast -w -t 60 </dev/null >&2 && running; then
    die "could not stop PostgreSQL in $DIR"
  fi
}

admin_psql() {
  PGCONNECT_TIMEOUT=10 "$BIN/psql" -X -q -w -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres -d postgres \
    "$@" </dev/null
}

ensure_role_and_database() {
  local i
  for i in $(seq 1 30); do
    "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -t 2 </dev/null && break
    ((i == 30)) && die "PostgreSQL on $HOST:$PORT does not accept connections"
    sleep 1
  done
  if [[ $(admin_psql -tA -c "select 1 from pg_roles where rolname = 'handoff'") != 1 ]]; then
    say "creating role handoff"
    admin_psql -c "create role handoff login superuser" >&2
  fi
  if [[ $(admin_psql -tA -c "select 1 from pg_database where datname = 'handoff'") != 1 ]]; then
    say "creating database handoff"
    admin_psql -c "create database handoff owner handoff" >&2
  fi
}

cmd_start() {
  need_bin
  lock
  init_cluster
  start_server
  ensure_role_and_database
  echo "$CONNECTION_STRING"
}

cmd_status() {
  BIN=$(find_bin) || return 1
  [[ -d $DIR ]] && running
}

cmd_stop() {
  need_bin
  lock
  stop_server
}

cmd_restart() {
  need_bin
  lock
  if [[ ! -d $DIR ]] || ! running; then
    # Nothing to restart: start from scratch (creating what is missing).
    init_cluster
    start_server
    ensure_role_and_database
    return 0
  fi
  say "restarting PostgreSQL on $HOST:$PORT"
  restart_server
}

cmd_destroy() {
  need_bin
  lock
  if [[ -d $DIR ]]; then
    if [[ -n $(as_pg ls -A "$DIR" 2>/dev/null) ]] && ! as_pg test -e "$DIR/PG_VERSION"; then
      die "$DIR is not a PostgreSQL data directory; not deleting it"
    fi
    stop_server
    say "deleting $DIR"
    rm -rf "$DIR" 2>/dev/null || "${AS_ROOT[@]}" rm -rf "$DIR"
  fi
}

cmd_psql() {
  need_bin
  exec "$BIN/psql" -h "$HOST" -p "$PORT" -U handoff -d handoff "$@"
}

command=${1:-start}
(($#)) && shift
case "$command" in
  start) cmd_start ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  restart) cmd_restart ;;
  destroy) cmd_destroy ;;
  psql) cmd_psql "$@" ;;
  *) echo "usage: $0 [start|status|stop|restart|destroy|psql [psql arguments]]" >&2; exit 2 ;;
esac
