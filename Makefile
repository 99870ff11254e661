.PHONY: bench-search

# The job-search benchmark at 100,000 postings (docs/benchmarks.md). Needs PostgreSQL on 127.0.0.1 and wrk.
bench-search:
	bench/run_search_bench.sh
