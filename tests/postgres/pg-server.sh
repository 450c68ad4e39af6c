#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the store tests.
#   pg-server.sh start DIR   -> initdb + start; writes DIR/url (postgresql://causa@127.0.0.1:PORT/postgres)
#                               (with CAUSA_PG_PASSWORD set, the server asks for that password)
#   pg-server.sh stop DIR    -> stop and delete
#   pg-server.sh halt DIR    -> stop, keep the data (a server going down under a client)
#   pg-server.sh resume DIR  -> start a halted server again on the same port
# Runs the server as the unprivileged 'postgres' user when invoked as root (initdb refuses root).
set -euo pipefail
cmd="$1"; dir="$2"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[[ -x "$bindir/initdb" ]] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)"; exit 1; }
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
    rm -rf "$dir"; mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    # CAUSA_PG_PASSWORD set: logins need that password (scram), to test password prompts.
    auth=(--auth=trust)
    if [[ -n "${CAUSA_PG_PASSWORD:-}" ]]; then
        printf '%s\n' "$CAUSA_PG_PASSWORD" >"$dir/pwfile"
        [[ $(id -u) -eq 0 ]] && chown postgres "$dir/pwfile"
        auth=(--auth=scram-sha-256 --pwfile="$dir/pwfile")
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U causa "${auth[@]}" -E UTF8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log"; exit 1; }
    rm -f "$dir/pwfile"
    for attempt in $(seq 1 20); do
        port=$((20000 + (RANDOM % 20000)))
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null; then
            echo "postgresql://causa@127.0.0.1:$port/postgres" >"$dir/url"
            [[ $(id -u) -eq 0 ]] && chmod a+r "$dir/url"
            echo "PostgreSQL test server on port $port"
            exit 0
        fi
    done
    cat "$dir/server.log"; exit 1 ;;
halt)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
resume)
    port=$(sed -E 's#.*:([0-9]+)/.*#\1#' "$dir/url")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null ;;
stop)
    if [[ -d "$dir/data" ]]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir" ;;
*) echo "usage: $0 start|stop|halt|resume DIR"; exit 2 ;;
esac
