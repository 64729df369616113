#!/usr/bin/env bash
# Runs a command with POS_TEST_PG_URL pointing at a throwaway PostgreSQL cluster, and stops and
# removes the cluster when the command ends, whether it passed, failed or was interrupted:
#   bash scripts/with-postgres.sh .venv/bin/pytest
# Without PostgreSQL installed the command still runs (the PostgreSQL tests skip and say why).
# Exits with the command's status.
set -uo pipefail
here="$(dirname "$0")"
dir="$(mktemp -d /tmp/pos-pg-XXXXXX)"
stop() {
    if [ -f "$dir/data/postmaster.pid" ]; then
        bash "$here/stop-postgres.sh" "$dir" || echo "warning: PostgreSQL in $dir did not stop" >&2
    fi
    rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if url="$(POS_PG_DIR="$dir" bash "$here/start-postgres.sh")"; then
    export POS_TEST_PG_URL="$url"
else
    echo "PostgreSQL did not start: the PostgreSQL runs of the tests are skipped" >&2
    export POS_TEST_PG_URL=""
fi
"$@"
