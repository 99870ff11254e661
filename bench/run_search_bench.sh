#!/usr/bin/env bash
# The job-search benchmark (issue 6; method and figures in docs/benchmarks.md).
#
# Creates a fresh PostgreSQL database, loads 100,000 postings (bench_load_postings), starts gunicorn with 2
# workers and DEBUG=False on 127.0.0.1:8099, and runs wrk with 20 connections against a filtered search,
# its page 3, the unfiltered search, keyword searches of one and two words (and a keyword search's page 3)
# and the bare baseline (bench/baseline.py: 50 rows of the same table through a minimal template). Prints
# requests/s and p50/p99 latency for each and exits non-zero when any search page misses the target:
# >= 60 requests/s, p99 < 500 ms and at least 0.6 of the baseline's requests/s in the same run.
#
# Settings (environment):
#   PYTHON      default .venv/bin/python, else python3
#   PGHOST, PGPORT, PGUSER   127.0.0.1, 5432, postgres
#   BENCH_DB    laborbrand_bench — dropped and recreated; left in place afterwards for profiling
#   COUNT       100000 postings
#   DURATION, WARMUP         30s and 5s of wrk per page
#   PORT        8099
#   WAIT_QUIET  120: seconds to wait before each page for other processes to leave the CPUs idle (a shared
#               machine); a warning says when they did not
#   REUSE_DB    set: keep the database of an earlier run (migrate it, load nothing), to measure a change fast
# wrk's full output and the pages fetched are kept in a temporary directory, printed at the end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BENCH_DB=${BENCH_DB:-laborbrand_bench}
COUNT=${COUNT:-100000}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
WAIT_QUIET=${WAIT_QUIET:-120}
PORT=${PORT:-8099}
BASE=http://127.0.0.1:$PORT
MIN_RPS=60
MAX_P99_MS=500
MIN_BASELINE_SHARE=0.6

for tool in wrk psql createdb dropdb curl; do
    command -v "$tool" >/dev/null || {
        echo "$tool is missing (apt-get install -y wrk postgresql-client curl)" >&2
        exit 2
    }
done

OUT=$(mktemp -d -t laborbrand-bench.XXXXXX)
log() { printf '\n== %s\n' "$*"; }

# The production configuration (DEBUG off, secrets given, persistent connections), but
# plain HTTP on the loopback, the embedded cache, and the settings that add the baseline view.
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"
export DJANGO_SETTINGS_MODULE=bench.settings
export DEBUG=False
SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
FIELD_ENCRYPTION_SALT=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(16))')
PII_HASH_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY FIELD_ENCRYPTION_SALT PII_HASH_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=False
# Persistent connections, as in .env.example, kept for the whole run so that each worker's database
# backend (whose CPU time is measured) lives as long as the benchmark.
export CONN_MAX_AGE=600
export REDIS_URL=
export STATIC_ROOT=$OUT/static
export LOG_LEVEL=WARNING

"$PYTHON" manage.py collectstatic --noinput -v0
if [[ -n "${REUSE_DB:-}" ]]; then
    log "reusing database $BENCH_DB (REUSE_DB set)"
    "$PYTHON" manage.py migrate -v0
    # As after loading: a migration that rewrote rows (a backfill) leaves the visibility map empty, and the
    # counts' index-only scans would read the table instead.
    psql -d "$BENCH_DB" -XAtq -c "VACUUM ANALYZE jobs_employer, jobs_jobposting"
else
    log "fresh database $BENCH_DB on $PGHOST:$PGPORT"
    dropdb --if-exists "$BENCH_DB"
    createdb "$BENCH_DB"
    "$PYTHON" manage.py migrate -v0
    log "loading $COUNT postings"
    "$PYTHON" manage.py bench_load_postings --count "$COUNT"
fi

sql() { psql -d "$BENCH_DB" -XAtq -c "$1"; }
# The filter: the occupation with the most public postings, in the city's own province, paying 5,000 or more,
# highest salary first — a broad filter, so the count and the sort have many rows to go through.
OCCUPATION=$(sql "SELECT occupation_id FROM jobs_jobposting WHERE status = 'open' AND open_until >= current_date
                  GROUP BY occupation_id ORDER BY count(*) DESC, occupation_id LIMIT 1")
PROVINCE=$(sql "SELECT p.code FROM reference_city c JOIN reference_province p ON p.id = c.province_id
                ORDER BY c.code LIMIT 1")
FILTERED="/jobs/?occupation=$OCCUPATION&loc=province:$PROVINCE&salary_min=5000&sort=salary"
# Keyword searches as people type them: a two-character job word, two words (a job and a place, a job in two
# words), a benefit found in most descriptions, and page 3 of the first.
keyword() { "$PYTHON" -c 'import sys, urllib.parse; print("/jobs/?q=" + urllib.parse.quote_plus(sys.argv[1]))' "$1"; }
declare -A URLS=(
    [search-filtered]="$FILTERED"
    [search-filtered-page3]="$FILTERED&page=3"
    [search-unfiltered]="/jobs/"
    [keyword-1word]="$(keyword 焊工)"
    [keyword-1word-page3]="$(keyword 焊工)&page=3"
    [keyword-2words]="$(keyword '焊工 苏州')"
    [keyword-2words-job]="$(keyword '数控 车工')"
    [keyword-frequent]="$(keyword 五险)"
    [bare-baseline]="/bare/"
)
ORDER=(search-filtered search-filtered-page3 search-unfiltered keyword-1word keyword-1word-page3 keyword-2words
    keyword-2words-job keyword-frequent bare-baseline)
SEARCH_PAGES=("${ORDER[@]:0:${#ORDER[@]}-1}")

log "starting gunicorn (2 workers) on $BASE"
"$PYTHON" -m gunicorn laborbrand.wsgi --workers 2 --bind "127.0.0.1:$PORT" \
    --pid "$OUT/gunicorn.pid" --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
stop() {
    kill "$GUNICORN" 2>/dev/null && wait "$GUNICORN" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 30); do
    curl -fsS -o /dev/null "$BASE/bare/" 2>/dev/null && break
    sleep 1
done

for name in "${ORDER[@]}"; do
    url=$BASE${URLS[$name]}
    status=$(curl -sS -o "$OUT/$name.html" -w "%{http_code}" "$url" || true)
    if [[ $status != 200 ]]; then
        echo "$url answered $status (gunicorn log: $OUT/gunicorn.log)" >&2
        exit 1
    fi
done
for name in "${SEARCH_PAGES[@]}"; do
    grep -q 'id="posting-' "$OUT/$name.html" || {
        echo "$name shows no postings: it matches too little to measure" >&2
        exit 1
    }
done

# CPU time of the gunicorn workers and of their database backends, in clock ticks (bench/lib.sh: ticks).
worker_ticks() { ticks $(pgrep -P "$GUNICORN"); }
# The PostgreSQL backends serving the benchmark database (one per gunicorn worker: persistent connections).
db_ticks() { ticks $(pgrep -f "^postgres: .* $BENCH_DB "); }

log "measuring: wrk -t2 -c20 -d$DURATION --latency (after a $WARMUP warm-up each)"
printf '%-22s %7s %8s %8s %6s %8s %8s  %s\n' page "req/s" "p50 ms" "p99 ms" errors "app CPU" "db CPU" url | tee "$OUT/summary.txt"
declare -A RPS P99 BUSY
for name in "${ORDER[@]}"; do
    url=$BASE${URLS[$name]}
    wait_quiet "$name"
    BUSY[$name]=$busy
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
    printf '%-22s %7s %8s %8s %6s %8s %8s  %s\n' "$name" "$rps" "$p50" "$p99" "$errors" "$app_ms" "$db_ms" \
        "${URLS[$name]}" |
        tee -a "$OUT/summary.txt"
done

log "CPU busy just before each measurement (gunicorn idle): $(for n in "${ORDER[@]}"; do printf '%s %s%%  ' "$n" "${BUSY[$n]}"; done)"
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
log "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(psql -d "$BENCH_DB" -XAtq -c 'SHOW server_version')"
echo "wrk output and pages: $OUT"

verdict=0
for name in "${SEARCH_PAGES[@]}"; do
    ratio=$(awk -v a="${RPS[$name]}" -v b="${RPS[bare-baseline]}" 'BEGIN {printf "%.2f", a / b}')
    if awk -v r="${RPS[$name]}" -v p="${P99[$name]}" -v share="$ratio" -v min="$MIN_RPS" -v max="$MAX_P99_MS" \
        -v min_share="$MIN_BASELINE_SHARE" 'BEGIN {exit !(r >= min && p < max && share >= min_share)}'; then
        echo "PASS $name: ${RPS[$name]} req/s >= $MIN_RPS, p99 ${P99[$name]} ms < $MAX_P99_MS ms," \
            "$ratio of the baseline >= $MIN_BASELINE_SHARE"
    else
        echo "FAIL $name: ${RPS[$name]} req/s (need >= $MIN_RPS), p99 ${P99[$name]} ms (need < $MAX_P99_MS)," \
            "$ratio of the baseline (need >= $MIN_BASELINE_SHARE)"
        verdict=1
    fi
done
exit $verdict
