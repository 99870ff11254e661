#!/usr/bin/env bash
# The job-alert benchmark (issue 15; method and figures in docs/benchmarks.md, "Job alerts").
#
# Builds a PostgreSQL database with 10,000 open postings (500 of them published since the searches were saved)
# and 50,000 saved searches of 10,000 workers (bench_alerts --build), or reuses the one an earlier run built
# (REUSE_DB). Then `manage.py bench_alerts --check` runs the beat task's work (jobs.alerts.send_job_alerts)
# RUNS times from the same start and prints the seconds, queries, due and distinct searches, notifications,
# e-mails and texts queued and peak memory. Target: each run under 60 s. Exits non-zero when it is missed.
#
# Settings (environment):
#   PYTHON      default .venv/bin/python, else python3
#   PGHOST, PGPORT, PGUSER   127.0.0.1, 5432, postgres
#   BENCH_DB    laborbrand_alertbench — dropped and rebuilt unless REUSE_DB is set; left in place afterwards
#   REUSE_DB    set: keep the database an earlier run built (migrate it, vacuum it, load nothing)
#   POSTINGS, SEARCHES, NEW  10000, 50000, 500
#   RUNS        3 alert runs
#   WAIT_QUIET  120: seconds to wait before measuring for other processes to leave the CPUs idle
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

bench_setup laborbrand_alertbench
POSTINGS=${POSTINGS:-10000}
SEARCHES=${SEARCHES:-50000}
NEW=${NEW:-500}
RUNS=${RUNS:-3}
# Celery in-process (the texts and e-mails are counted, not sent), persistent connections.
export CONN_MAX_AGE=600
export REDIS_URL=

if [[ -n "${REUSE_DB:-}" ]] && [[ $(sql "SELECT 1 FROM jobs_savedsearch LIMIT 1" 2>/dev/null) == 1 ]]; then
    log "reusing database $BENCH_DB (REUSE_DB set)"
    "$PYTHON" manage.py migrate -v0
else
    log "fresh database $BENCH_DB on $PGHOST:$PGPORT: $POSTINGS open postings, $SEARCHES saved searches"
    dropdb --if-exists "$BENCH_DB"
    createdb "$BENCH_DB"
    "$PYTHON" manage.py migrate -v0
    "$PYTHON" manage.py bench_alerts --build --postings "$POSTINGS" --searches "$SEARCHES" --new "$NEW"
fi
# What autovacuum would have done by now (it is off on the benchmark machine).
sql "VACUUM ANALYZE"

wait_quiet "the job alerts"
echo "CPU busy before measuring: ${busy}%"
verdict=0
"$PYTHON" manage.py bench_alerts --runs "$RUNS" --check || verdict=1
exit $verdict
