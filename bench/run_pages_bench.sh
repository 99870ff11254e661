#!/usr/bin/env bash
# The city-scale page benchmark (issue 12; method and figures in docs/benchmarks.md, "Pages at city scale").
#
# Builds a PostgreSQL database with the demo (seed_demo) plus the matching benchmark's city kept in place
# (bench_matching --keep: 100,000 seeking workers, 10,000 open postings, about 55,000 assessments and
# certificates, brand trainees, applications and one published match run), or reuses the one an earlier run
# built (REUSE_DB). Then:
#   1. `manage.py bench_pages --check` signs in as each demo account and times each role's main pages through
#      Django's test client (median of 5 after a warm-up) and counts their queries. Target: every median
#      under 150 ms.
#   2. gunicorn with 2 workers and DEBUG=False on 127.0.0.1:$PORT, and wrk -t2 -c20 against the public pages:
#      home, the job search, a job's page and the page of the brand with the most members. Target: each
#      >= 60 requests/s with a p99 under 500 ms.
# Prints the figures and exits non-zero when any page misses its target.
#
# Settings (environment):
#   PYTHON      default .venv/bin/python, else python3
#   PGHOST, PGPORT, PGUSER   127.0.0.1, 5432, postgres
#   BENCH_DB    laborbrand_pagebench — dropped and rebuilt unless REUSE_DB is set; left in place afterwards
#   REUSE_DB    set: keep the database an earlier run built (migrate it, vacuum it, load nothing); about
#               two minutes saved, and the way to measure a change
#   WORKERS, POSTINGS        100000, 10000: the matching benchmark's city
#   REPEAT      5 timed fetches per page in step 1
#   DURATION, WARMUP         20s and 5s of wrk per public page
#   PORT        8098
#   WAIT_QUIET  120: seconds to wait before each measurement for other processes to leave the CPUs idle (a
#               shared machine); a warning says when they did not
# wrk's output, the build's log and gunicorn's log are kept in a temporary directory, printed at the end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BENCH_DB=${BENCH_DB:-laborbrand_pagebench}
case $BENCH_DB in laborbrand_bench | laborbrand_matchbench)
    echo "$BENCH_DB is another benchmark's database; choose another BENCH_DB" >&2
    exit 2
    ;;
esac
WORKERS=${WORKERS:-100000}
POSTINGS=${POSTINGS:-10000}
REPEAT=${REPEAT:-5}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
PORT=${PORT:-8098}
BASE=http://127.0.0.1:$PORT
MIN_RPS=60
MAX_P99_MS=500

for tool in wrk psql createdb dropdb curl; do
    command -v "$tool" >/dev/null || {
        echo "$tool is missing (apt-get install -y wrk postgresql-client curl)" >&2
        exit 2
    }
done

OUT=$(mktemp -d -t laborbrand-pagebench.XXXXXX)
log() { printf '\n== %s\n' "$*"; }

# The production configuration (DEBUG off, persistent connections, the settings of .env.example) with plain
# HTTP on the loopback, the embedded cache and Celery in-process (the pages measured send no tasks), and the
# benchmarks' settings (bench/settings.py), which add the bench_pages command. The keys are fixed, not
# generated: the demo's personal data is encrypted with them, and a reused database must still decrypt.
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"
export DJANGO_SETTINGS_MODULE=bench.settings
export DEBUG=False
export SECRET_KEY=bench-only-secret-key-never-used-by-the-portal-0123456789-0123456789
export FIELD_ENCRYPTION_SALT=bench-only-salt
export PII_HASH_KEY=bench-only-pii-hash-key-0123456789-0123456789
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=False
export CONN_MAX_AGE=600
export REDIS_URL=
export STATIC_ROOT=$OUT/static
export LOG_LEVEL=WARNING

"$PYTHON" manage.py collectstatic --noinput -v0
sql() { psql -d "$BENCH_DB" -XAtq -c "$1"; }
if [[ -n "${REUSE_DB:-}" ]] && [[ $(sql "SELECT 1 FROM accounts_user WHERE username = 'city_admin'" 2>/dev/null) == 1 ]]; then
    log "reusing database $BENCH_DB (REUSE_DB set)"
    "$PYTHON" manage.py migrate -v0
else
    log "fresh database $BENCH_DB on $PGHOST:$PGPORT: the demo, then $WORKERS workers × $POSTINGS postings"
    dropdb --if-exists "$BENCH_DB"
    createdb "$BENCH_DB"
    "$PYTHON" manage.py migrate -v0
    "$PYTHON" manage.py seed_demo >"$OUT/build.log"
    # One match run, in this process, so that workers and employers have recommendations to show.
    "$PYTHON" manage.py bench_matching --workers "$WORKERS" --postings "$POSTINGS" --keep >>"$OUT/build.log"
    tail -n 4 "$OUT/build.log"
fi
# What autovacuum would have done by now (it is off on the benchmark machine): visibility maps for
# index-only scans, and planner statistics.
sql "VACUUM ANALYZE"
log "the data: $(sql "SELECT format('%s users, %s assessments, %s valid certificates, %s enrolments, %s postings, %s applications',
    (SELECT count(*) FROM accounts_user), (SELECT count(*) FROM training_assessment),
    (SELECT count(*) FROM training_certificate WHERE status = 'valid'), (SELECT count(*) FROM training_enrollment),
    (SELECT count(*) FROM jobs_jobposting), (SELECT count(*) FROM jobs_application))")"

verdict=0

log "each role's main pages: median of $REPEAT through the test client (load average $(cut -d' ' -f1-3 /proc/loadavg))"
wait_quiet "the pages"
echo "CPU busy before measuring: ${busy}%"
"$PYTHON" manage.py bench_pages --repeat "$REPEAT" --check || verdict=1

declare -A URLS
ORDER=()
while read -r name path; do
    URLS[$name]=$path
    ORDER+=("$name")
done < <("$PYTHON" manage.py bench_pages --public-urls)

log "starting gunicorn (2 workers) on $BASE"
"$PYTHON" -m gunicorn laborbrand.wsgi --workers 2 --bind "127.0.0.1:$PORT" \
    --pid "$OUT/gunicorn.pid" --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
stop() {
    kill "$GUNICORN" 2>/dev/null && wait "$GUNICORN" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 30); do
    curl -fsS -o /dev/null "$BASE/" 2>/dev/null && break
    sleep 1
done
for name in "${ORDER[@]}"; do
    status=$(curl -sS -o "$OUT/$name.html" -w "%{http_code}" "$BASE${URLS[$name]}" || true)
    if [[ $status != 200 ]]; then
        echo "$BASE${URLS[$name]} answered $status (gunicorn log: $OUT/gunicorn.log)" >&2
        exit 1
    fi
done

worker_ticks() { ticks $(pgrep -P "$GUNICORN"); }
# The PostgreSQL backends serving the benchmark database (one per gunicorn worker: persistent connections).
db_ticks() { ticks $(pgrep -f "^postgres: .* $BENCH_DB "); }

log "public pages: wrk -t2 -c20 -d$DURATION --latency (after a $WARMUP warm-up each)"
printf '%-10s %7s %8s %8s %6s %8s %8s %5s  %s\n' page "req/s" "p50 ms" "p99 ms" errors "app CPU" "db CPU" busy url |
    tee "$OUT/summary.txt"
declare -A RPS P99
for name in "${ORDER[@]}"; do
    url=$BASE${URLS[$name]}
    wait_quiet "$name"
    wrk -t2 -c20 -d"$WARMUP" "$url" >/dev/null
    app_before=$(worker_ticks) db_before=$(db_ticks)
    wrk -t2 -c20 -d"$DURATION" --latency "$url" >"$OUT/$name.wrk"
    app_after=$(worker_ticks) db_after=$(db_ticks)
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$OUT/$name.wrk")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$OUT/$name.wrk")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$OUT/$name.wrk")")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$OUT/$name.wrk")
    socket=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$OUT/$name.wrk")
    errors=$((${non2xx:-0} + ${socket:-0}))
    requests=$(awk '/requests in/ {print $1}' "$OUT/$name.wrk")
    # CPU time per request answered, in the gunicorn workers and in their database backends: what the page
    # costs, whatever else runs on the machine.
    app_ms=$(per_request_ms $((app_after - app_before)) "$requests")
    db_ms=$(per_request_ms $((db_after - db_before)) "$requests")
    RPS[$name]=$rps
    P99[$name]=$p99
    printf '%-10s %7s %8s %8s %6s %8s %8s %4s%%  %s\n' "$name" "$rps" "$p50" "$p99" "$errors" "$app_ms" "$db_ms" \
        "$busy" "${URLS[$name]}" | tee -a "$OUT/summary.txt"
    if ((errors > 0)); then
        echo "FAIL $name: $errors errors" >&2
        verdict=1
    fi
done

log "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(sql 'SHOW server_version'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "logs, wrk output and pages: $OUT"
for name in "${ORDER[@]}"; do
    if awk -v r="${RPS[$name]}" -v p="${P99[$name]}" -v min="$MIN_RPS" -v max="$MAX_P99_MS" \
        'BEGIN {exit !(r >= min && p < max)}'; then
        echo "PASS $name: ${RPS[$name]} req/s >= $MIN_RPS, p99 ${P99[$name]} ms < $MAX_P99_MS ms"
    else
        echo "FAIL $name: ${RPS[$name]} req/s (need >= $MIN_RPS), p99 ${P99[$name]} ms (need < $MAX_P99_MS)"
        verdict=1
    fi
done
exit $verdict
