"""Benchmark of the nightly match run (issue 7): a synthetic city, a full run, the figures.

Builds, in the configured database, 100,000 seeking workers and 10,000 open postings (by default) over 60
occupations in 20 categories and 30 locations, runs one full match — in this process, or with `--queue`
through the Celery workers as the nightly schedule does — and prints the pairs scored, the seconds of each
phase, pairs/s, recommendation rows written/s and the peak memory of the processes that did the work.
`--sweep` also runs at a tenth and half the workers, to show how the time grows. docs/benchmarks.md
("Nightly matching") has the method and the figures; bench/run_matching_bench.sh runs it on PostgreSQL with a
Celery worker.

Every row it creates is marked (bench/marks.py), so `--clear` removes exactly the benchmark data and nothing
else; the city is built by bench/city.py and each run measured by bench/runs.py.

Its runs are real runs: each becomes the latest, and publishing it prunes the recommendations of runs older
than the two latest, whoever started them. So it belongs in a database of its own, as the script gives it.
"""

from __future__ import annotations

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.city import CityBuilder
from bench.marks import bench_admin, clear
from bench.postings import bench_employers
from bench.runs import machine, measure, prune_step, sweep_table

SWEEP = (0.1, 0.5, 1.0)


class Command(BaseCommand):
    help = (
        "Build a synthetic city (seeking workers, open postings), run a full match and print its figures; "
        "--clear removes the benchmark data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=100_000, help="Seeking workers (default 100000).")
        parser.add_argument("--postings", type=int, default=10_000, help="Open postings (default 10000).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for a repeatable dataset.")
        parser.add_argument("--clear", action="store_true", help="Delete the benchmark data, run nothing.")
        parser.add_argument(
            "--sweep", action="store_true", help="Also run at a tenth and half of --workers (same postings)."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Dispatch the chunks to the Celery workers (CELERY_TASK_DEFAULT_QUEUE) and wait.",
        )
        parser.add_argument("--runs", type=int, default=1, help="Runs at each size, to see the spread.")
        parser.add_argument("--keep", action="store_true", help="Keep the benchmark data afterwards.")
        parser.add_argument(
            "--reuse", action="store_true", help="Run on benchmark data kept by an earlier --keep."
        )
        parser.add_argument("--timeout", type=float, default=1800, help="Seconds to wait for a run.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail unless the runs at the largest size met the targets (their median time): "
            "--target-seconds and --target-memory.",
        )
        parser.add_argument("--target-seconds", type=float, default=20.0)
        parser.add_argument("--target-memory", type=int, default=2048, help="MiB, per process.")
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Run on a database other than PostgreSQL (tests; the benchmark's target is PostgreSQL).",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and not options["allow_sqlite"]:
            raise CommandError(
                f"The benchmark's target is PostgreSQL, this database is {connection.vendor}: set "
                "DATABASE_URL to a PostgreSQL database, or pass --allow-sqlite."
            )
        if options["clear"]:
            self.stdout.write(self.style.SUCCESS(clear()))
            return
        if options["workers"] < 1 or options["postings"] < 1 or options["runs"] < 1:
            raise CommandError("--workers, --postings and --runs must be at least 1.")
        if options["reuse"] and options["sweep"]:
            raise CommandError("--reuse runs on the data as it is; --sweep builds it in steps.")
        loaded = bench_admin() is not None or bench_employers().exists()
        if loaded and not options["reuse"]:
            raise CommandError("Benchmark data is loaded already: run with --clear first (or --reuse).")
        if options["reuse"] and not loaded:
            raise CommandError("No benchmark data to reuse: run with --keep first.")

        sizes = sorted({max(1, round(options["workers"] * share)) for share in SWEEP})
        if not options["sweep"]:
            sizes = [options["workers"]]
        results = []
        try:
            if options["reuse"]:
                admin = bench_admin()
            else:
                started = time.perf_counter()
                builder = CityBuilder(random.Random(options["seed"]))  # noqa: S311  (repeatable, not secret)
                builder.build_reference(options["postings"])
                admin = builder.admin
                self.stdout.write(
                    f"built {options['postings']} open postings, reference rows in "
                    f"{time.perf_counter() - started:.1f} s"
                )
            for size in sizes:
                if not options["reuse"]:
                    started = time.perf_counter()
                    builder.build_workers(size - builder.workers)
                    self.stdout.write(
                        f"built workers up to {builder.workers} in {time.perf_counter() - started:.1f} s"
                    )
                for _ in range(options["runs"]):
                    result = measure(admin, queue=options["queue"], timeout=options["timeout"])
                    results.append(result)
                    self.stdout.write(result.report())
            self.stdout.write(sweep_table(results))
            if not options["keep"]:
                self.stdout.write(prune_step(results[-1].run))
        finally:
            if not options["keep"]:
                self.stdout.write(clear())
        self.stdout.write(machine())
        if options["check"]:
            self._check(results, options["target_seconds"], options["target_memory"])

    def _check(self, results, target_seconds: float, target_memory: int) -> None:
        """The target on the runs at the largest size: their median wall time (with --runs, a run slowed by
        other work on a shared machine does not decide alone) and the largest peak of any process."""
        largest = [r for r in results if r.run.workers == max(x.run.workers for x in results)]
        wall = statistics.median(r.wall for r in largest)
        memory = max((mib for r in largest for _name, mib in r.peaks), default=None)
        missed = []
        if wall > target_seconds:
            missed.append(f"{wall:.1f} s > {target_seconds:.0f} s")
        if memory is not None and memory > target_memory:
            missed.append(f"peak {memory:.0f} MiB > {target_memory} MiB")
        runs = f"median of {len(largest)} runs" if len(largest) > 1 else "one run"
        if missed:
            raise CommandError(f"Target missed ({runs}): " + "; ".join(missed))
        self.stdout.write(
            self.style.SUCCESS(
                f"PASS ({runs}): {largest[0].run.workers:,} workers in {wall:.1f} s <= "
                f"{target_seconds:.0f} s, peak {memory if memory is None else round(memory)} MiB <= "
                f"{target_memory} MiB"
            )
        )


# --- Measuring ----------------------------------------------------------------------------------------------
