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
