#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 on a free port and prints its URL, e.g.
#   export POS_TEST_PG_URL="$(bash scripts/start-postgres.sh)"
# Needs the Debian postgresql package. As root it runs the server as the postgres user. The
# cluster lives in POS_PG_DIR or a new temp dir (printed on stderr); stop it with
# `bash scripts/stop-postgres.sh DIR`. scripts/with-postgres.sh does both around a command.
set -euo pipefail
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bindir" ]; then
    echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dir="${POS_PG_DIR:-$(mktemp -d /tmp/pos-pg-XXXXXX)}"
run=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    run=(runuser -u postgres --)
fi
"${run[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
"${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
echo "PostgreSQL cluster in $dir (stop: bash scripts/stop-postgres.sh $dir)" >&2
echo "postgresql://postgres@127.0.0.1:$port/postgres"
