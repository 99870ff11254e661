# Shell helpers of the benchmark scripts in bench/ (sourced, not run).

# wrk's latency figures come as 812.00us, 23.45ms or 1.02s: in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /s$/) n *= 1000
        printf "%.1f", n
    }'
}

# How busy the machine's CPUs are over 3 s, in percent of all cores (every process counts).
cpu_busy() {
    local a b
    read -ra a < <(head -1 /proc/stat)
    sleep 3
    read -ra b < <(head -1 /proc/stat)
    awk -v a="${a[*]:1}" -v b="${b[*]:1}" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= n; i++) total += y[i] - x[i]
        idle = (y[4] - x[4]) + (y[5] - x[5])
        printf "%.0f", 100 * (total - idle) / total
    }'
}

# Wait up to WAIT_QUIET seconds for the CPUs to fall idle (a shared machine); leaves the last reading in
# $busy and warns when they stayed busy. $1 names what is about to be measured.
wait_quiet() {
    local end=$((SECONDS + ${WAIT_QUIET:-120}))
    busy=$(cpu_busy)
    while ((busy > 10 && SECONDS < end)); do
        busy=$(cpu_busy)
    done
    if ((busy > 10)); then
        echo "WARNING: the CPUs were ${busy}% busy before measuring $1: other processes are running," \
            "its figures will be low." >&2
    fi
}

# CPU time (utime + stime, in clock ticks) the given processes have used so far.
ticks() {
    local total=0 pid
    for pid in "$@"; do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

# Milliseconds of CPU per request: ticks used ($1) over requests answered ($2).
per_request_ms() {
    awk -v t="$1" -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN {printf "%.1f", n ? 1000 * t / hz / n : 0}'
}

# The set-up every PostgreSQL benchmark shares: $PYTHON (the project's venv, else python3), the PG* variables,
# $BENCH_DB (default $1; refused when it names another benchmark's database), the client tools, log(), sql()
# and the portal's production configuration with the benchmarks' settings (bench/settings.py). The keys are
# fixed, not generated: a reused database must still decrypt its personal data.
BENCH_DATABASES=(laborbrand_bench laborbrand_matchbench laborbrand_pagebench laborbrand_dashbench
    laborbrand_alertbench laborbrand_importbench)
bench_setup() {
    local own=$1 other
    if [[ -z "${PYTHON:-}" ]]; then
        if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
    fi
    export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
    BENCH_DB=${BENCH_DB:-$own}
    for other in "${BENCH_DATABASES[@]}"; do
        if [[ $BENCH_DB == "$other" && $other != "$own" ]]; then
            echo "$BENCH_DB is another benchmark's database; choose another BENCH_DB" >&2
            exit 2
        fi
    done
    for tool in psql createdb dropdb; do
        command -v "$tool" >/dev/null || {
            echo "$tool is missing (apt-get install -y postgresql-client)" >&2
            exit 2
        }
    done
    export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"
    export DJANGO_SETTINGS_MODULE=bench.settings
    export DEBUG=False
    export SECRET_KEY=bench-only-secret-key-never-used-by-the-portal-0123456789-0123456789
    export FIELD_ENCRYPTION_SALT=bench-only-salt
    export PII_HASH_KEY=bench-only-pii-hash-key-0123456789-0123456789
    export ALLOWED_HOSTS=127.0.0.1,localhost,testserver
    export LOG_LEVEL=WARNING
}

log() { printf '\n== %s\n' "$*"; }
sql() { psql -d "$BENCH_DB" -XAtq -c "$1"; }
