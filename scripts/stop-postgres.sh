#!/usr/bin/env bash
# Stops the throwaway PostgreSQL cluster that start-postgres.sh started in DIR:
#   bash scripts/stop-postgres.sh DIR
set -euo pipefail
dir="$1"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
run=()
if [ "$(id -u)" -eq 0 ]; then
    run=(runuser -u postgres --)
fi
"${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
