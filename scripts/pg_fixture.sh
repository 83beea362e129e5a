#!/usr/bin/env bash
# A throw-away PostgreSQL server on a free loopback port, for the tests:
#   pg_fixture.sh start STATE_DIR   initdb into a temporary directory, start the server,
#                                   write STATE_DIR/url (a libpq URI) and STATE_DIR/datadir
#   pg_fixture.sh stop STATE_DIR    stop it (fast) and remove its directory
#   pg_fixture.sh pause STATE_DIR / resume STATE_DIR   stop and restart it on the same port
# Debian's server binaries live in /usr/lib/postgresql/<major>/bin. The server refuses
# to run as root, so as root it runs as the `postgres` user the package creates.
set -euo pipefail

cmd="${1:?usage: pg_fixture.sh start|stop|pause|resume STATE_DIR}"
state="${2:?usage: pg_fixture.sh start|stop|pause|resume STATE_DIR}"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "pg_fixture: no PostgreSQL server installed (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ctl_start() {
  local data="$1" port="$2"
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 -s \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
    start
}

case "$cmd" in
  start)
    mkdir -p "$state"
    data="$(mktemp -d /tmp/autoglm-pg-XXXXXX)"
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$data"
    as_owner "$bin/initdb" -D "$data" -U autoglm -A trust -E UTF8 --no-sync >/dev/null
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    pg_ctl_start "$data" "$port"
    echo "$data" >"$state/datadir"
    echo "$port" >"$state/port"
    echo "postgresql://autoglm@127.0.0.1:$port/postgres" >"$state/url"
    echo "pg_fixture: PostgreSQL on 127.0.0.1:$port (data in $data)"
    ;;
  stop)
    [[ -f "$state/datadir" ]] || exit 0
    data="$(cat "$state/datadir")"
    as_owner "$bin/pg_ctl" -D "$data" -m immediate -s stop || true
    rm -rf "$data"
    rm -f "$state/datadir" "$state/port" "$state/url"
    ;;
  pause)
    as_owner "$bin/pg_ctl" -D "$(cat "$state/datadir")" -m fast -w -s stop
    ;;
  resume)
    pg_ctl_start "$(cat "$state/datadir")" "$(cat "$state/port")"
    ;;
  *)
    echo "pg_fixture: unknown command '$cmd'" >&2
    exit 2
    ;;
esac
