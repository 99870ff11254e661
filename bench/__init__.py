"""The benchmarks (docs/benchmarks.md): their commands (bench_load_postings, bench_matching, bench_pages) and
the loaders behind them, and the settings and URLs that add a bare baseline view to the portal. Installed by
bench/settings.py (the scripts in bench/) and by the tests' settings, never by the portal itself; above every
domain app, so it may import them all."""
