.PHONY: bench-search bench-matching bench-pages bench-dashboard bench-alerts bench-import

# The job-search benchmark at 100,000 postings (docs/benchmarks.md). Needs PostgreSQL on 127.0.0.1 and wrk.
bench-search:
	bench/run_search_bench.sh

# The nightly-matching benchmark: 100,000 seeking workers × 10,000 open postings through a Celery worker with
# a process per core (docs/benchmarks.md). Needs PostgreSQL on 127.0.0.1 and Redis.
bench-matching:
	bench/run_matching_bench.sh

# The city-scale page benchmark: each role's main pages (median of 5, queries) and wrk against the public pages,
# on the demo plus the matching benchmark's city (docs/benchmarks.md). Needs PostgreSQL on 127.0.0.1 and wrk.
bench-pages:
	bench/run_pages_bench.sh

# The city-scale dashboard benchmark: refresh of every metric (per metric), take_month, the city and a county
# dashboard (median of 5, queries, and queries with more brands) on the demo plus the matching benchmark's city
# spread over the year (docs/benchmarks.md). Needs PostgreSQL on 127.0.0.1. REUSE_DB=1 reuses its database.
bench-dashboard:
	bench/run_dashboard_bench.sh

# The job-alert benchmark: 50,000 saved searches against 10,000 open postings, the daily alert run (target under
# 60 s; docs/benchmarks.md). Needs PostgreSQL on 127.0.0.1. REUSE_DB=1 reuses its database.
bench-alerts:
	bench/run_alerts_bench.sh

# The practitioner import benchmark: a county's list of 10,000 practitioners as .xlsx, read, validated and
# committed in one transaction (target within 60 s, memory bounded; docs/benchmarks.md). Needs PostgreSQL on
# 127.0.0.1. REUSE_DB=1 reuses its database.
bench-import:
	bench/run_import_bench.sh
