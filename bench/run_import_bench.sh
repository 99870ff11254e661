#!/usr/bin/env bash
# The practitioner import benchmark (issue 16; method and figures in docs/benchmarks.md, "Practitioner import").
#
# Builds a PostgreSQL database with a brand of 金寨县, its official and the registered workers a county's
# list of ROWS practitioners names (bench_import --build), or reuses the one an earlier run built (REUSE_DB).
# Then `manage.py bench_import --check` builds the .xlsx with openpyxl and, RUNS times from the same start,
# times reading + validating it (the preview) and reading + committing it (the import, one transaction), and
# prints the seconds, rows per action, queries and peak memory. Target: validate + commit within 60 s. Exits
# non-zero when it is missed.
#
# Settings (environment):
#   PYTHON      default .venv/bin/python, else python3
#   PGHOST, PGPORT, PGUSER   127.0.0.1, 5432, postgres
#   BENCH_DB    laborbrand_importbench — dropped and rebuilt unless REUSE_DB is set; left in place afterwards
#   REUSE_DB    set: keep the database an earlier run built (migrate it, vacuum it, load nothing)
#   ROWS        10000
#   RUNS        1 import
#   WAIT_QUIET  120: seconds to wait before measuring for other processes to leave the CPUs idle
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

bench_setup laborbrand_importbench
ROWS=${ROWS:-10000}
RUNS=${RUNS:-1}
# Celery in-process, persistent connections.
export CONN_MAX_AGE=600
export REDIS_URL=

if [[ -n "${REUSE_DB:-}" ]] && [[ $(sql "SELECT 1 FROM brands_brand WHERE slug = 'bench-import-brand'" 2>/dev/null) == 1 ]]; then
    log "reusing database $BENCH_DB (REUSE_DB set)"
    "$PYTHON" manage.py migrate -v0
else
    log "fresh database $BENCH_DB on $PGHOST:$PGPORT: a brand and the workers of a $ROWS-row list"
    dropdb --if-exists "$BENCH_DB"
    createdb "$BENCH_DB"
    "$PYTHON" manage.py migrate -v0
    "$PYTHON" manage.py bench_import --build --rows "$ROWS"
fi
# What autovacuum would have done by now (it is off on the benchmark machine).
sql "VACUUM ANALYZE"

wait_quiet "the practitioner import"
echo "CPU busy before measuring: ${busy}%"
verdict=0
"$PYTHON" manage.py bench_import --rows "$ROWS" --runs "$RUNS" --check || verdict=1
exit $verdict
