#!/usr/bin/env bash
# The nightly-matching benchmark (issue 7; method and figures in docs/benchmarks.md, "Nightly matching").
#
# Creates a fresh PostgreSQL database, migrates it, starts one Celery worker (prefork, one process per core)
# on a queue of its own, and runs `manage.py bench_matching --queue --sweep --check`: builds 100,000 seeking
# workers and 10,000 open postings, matches at 10,000, 50,000 and 100,000 workers through the worker, prints
# the figures of each run and the sweep table, and exits non-zero when the full-size run misses the target
# (20 s, 2 GiB per process). Stops the worker at the end.
#
# Settings (environment):
#   PYTHON      default .venv/bin/python, else python3
#   PGHOST, PGPORT, PGUSER   127.0.0.1, 5432, postgres
#   BENCH_DB    laborbrand_matchbench — dropped and recreated (never laborbrand_bench, the search benchmark's)
#   REDIS_URL   redis://127.0.0.1:6379/0 — the broker and result store
#   QUEUE       laborbrand-matchbench — the Celery queue (CELERY_TASK_DEFAULT_QUEUE of worker and dispatcher)
#   CONCURRENCY the worker's pool processes; default the number of cores
#   WORKERS, POSTINGS        100000, 10000
#   RUNS        1: runs at each size, to see the spread
#   WAIT_QUIET  120: seconds to wait for other processes to leave the CPUs idle first (a shared machine)
#   ARGS        more options for bench_matching (e.g. "--keep")
#   EXTRA_SQL   a file of SQL run after migrating, e.g. an index change to measure before its migration
#               exists (docs/benchmarks.md, "The changes made", for how the indexes were chosen)
# The worker's log is kept in a temporary directory, printed at the end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BENCH_DB=${BENCH_DB:-laborbrand_matchbench}
if [[ $BENCH_DB == laborbrand_bench ]]; then
    echo "laborbrand_bench is the search benchmark's database; choose another BENCH_DB" >&2
    exit 2
fi
QUEUE=${QUEUE:-laborbrand-matchbench}
CONCURRENCY=${CONCURRENCY:-$(nproc)}
WORKERS=${WORKERS:-100000}
POSTINGS=${POSTINGS:-10000}
RUNS=${RUNS:-1}
WAIT_QUIET=${WAIT_QUIET:-120}

for tool in psql createdb dropdb redis-cli; do
    command -v "$tool" >/dev/null || {
        echo "$tool is missing (apt-get install -y postgresql-client redis-tools)" >&2
        exit 2
    }
done

OUT=$(mktemp -d -t laborbrand-matchbench.XXXXXX)
log() { printf '\n== %s\n' "$*"; }

# The production configuration as far as the run is concerned: DEBUG off, the Redis broker and result store,
# a queue of its own (for the worker and for the dispatcher, which sends the chunks there).
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"
export DJANGO_SETTINGS_MODULE=laborbrand.settings
export DEBUG=False
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
FIELD_ENCRYPTION_SALT=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(16))')
PII_HASH_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY FIELD_ENCRYPTION_SALT PII_HASH_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export CELERY_TASK_DEFAULT_QUEUE=$QUEUE
export LOG_LEVEL=WARNING
redis-cli -u "$REDIS_URL" ping >/dev/null || {
    echo "Redis does not answer at $REDIS_URL" >&2
    exit 2
}

log "fresh database $BENCH_DB on $PGHOST:$PGPORT"
dropdb --if-exists "$BENCH_DB"
createdb "$BENCH_DB"
"$PYTHON" manage.py migrate -v0
if [[ -n "${EXTRA_SQL:-}" ]]; then
    log "applying $EXTRA_SQL"
    psql -d "$BENCH_DB" -Xq -v ON_ERROR_STOP=1 -f "$EXTRA_SQL"
fi

log "starting a Celery worker: prefork, $CONCURRENCY processes, queue $QUEUE"
"$PYTHON" -m celery -A laborbrand worker --pool=prefork --concurrency="$CONCURRENCY" -Q "$QUEUE" \
    -n "matchbench-$$@%h" --without-mingle --without-gossip -l warning >"$OUT/worker.log" 2>&1 &
WORKER=$!
stop() {
    # Warm shutdown: the worker finishes its task and its pool processes exit with it.
    kill -TERM "$WORKER" 2>/dev/null && wait "$WORKER" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 60); do
    "$PYTHON" -m celery -A laborbrand inspect ping -d "matchbench-$$@$(hostname)" -t 1 >/dev/null 2>&1 && break
    kill -0 "$WORKER" 2>/dev/null || {
        cat "$OUT/worker.log" >&2
        exit 1
    }
    sleep 1
done

# Anything else running on the machine takes CPU from the worker and PostgreSQL: wait up to WAIT_QUIET s for
# the CPUs to be idle (bench/lib.sh), and say so when they were not.
wait_quiet "the runs"
log "CPU busy before measuring: ${busy}%"

log "bench_matching --workers $WORKERS --postings $POSTINGS --queue --sweep --runs $RUNS --check"
# bench_matching is one of the benchmarks' commands, whose app bench/settings.py adds (the worker keeps the
# production settings).
# shellcheck disable=SC2086  # ARGS is a list of options
DJANGO_SETTINGS_MODULE=bench.settings "$PYTHON" manage.py bench_matching --workers "$WORKERS" --postings "$POSTINGS" \
    --queue --sweep --runs "$RUNS" --check ${ARGS:-}
echo "worker log: $OUT/worker.log"
