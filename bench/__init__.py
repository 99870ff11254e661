"""The search benchmark (docs/benchmarks.md): settings and URLs that add a bare baseline view to the portal.
Used only by bench/run_search_bench.sh, never by the portal itself."""
