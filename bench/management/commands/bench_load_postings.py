"""Load many job postings for the search benchmark (docs/benchmarks.md, bench/run_search_bench.sh).

What the postings look like and how they are marked: bench/postings.py. `--clear` removes exactly what was
loaded and never a real employer or posting.
"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench.postings import MAX_EMPLOYERS, Loader, bench_employers, clear_bench_postings
from jobs.models import Employer, JobPosting


class Command(BaseCommand):
    help = (
        "Load job postings of marked benchmark employers for the search benchmark (PostgreSQL only unless "
        "--allow-sqlite); --clear removes them again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000, help="Postings to load (default 100000).")
        parser.add_argument(
            "--employers", type=int, default=300, help="Verified employers to create (default 300)."
        )
        parser.add_argument("--seed", type=int, default=6, help="Random seed, for a repeatable dataset.")
        parser.add_argument(
            "--clear", action="store_true", help="Delete the benchmark employers and postings, load nothing."
        )
        parser.add_argument(
            "--allow-sqlite",
            action="store_true",
            help="Run on a database other than PostgreSQL (tests; the benchmark's target is PostgreSQL).",
        )

    def handle(self, *args, count, employers, seed, clear, allow_sqlite, **options):
        if connection.vendor != "postgresql" and not allow_sqlite:
            raise CommandError(
                f"The benchmark's target is PostgreSQL, this database is {connection.vendor}: set "
                "DATABASE_URL to a PostgreSQL database, or pass --allow-sqlite."
            )
        if clear:
            self._clear()
            return
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if not 1 <= employers <= MAX_EMPLOYERS:
            raise CommandError(f"--employers must be between 1 and {MAX_EMPLOYERS}.")
        if bench_employers().exists():
            raise CommandError("Benchmark postings are loaded already: run with --clear first.")
        started = time.monotonic()
        with transaction.atomic():
            loader = Loader(random.Random(seed))  # noqa: S311  (a repeatable dataset, nothing secret)
            created = loader.create_employers(employers)
            loaded = loader.create_postings(created, count)
        if connection.vendor == "postgresql":
            # As autovacuum would leave the tables a little later on a live system: planner statistics, and
            # the visibility map that index-only scans need. (VACUUM cannot run inside a transaction, as in
            # a test; ANALYZE alone then.)
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                cursor.execute(f"{command} {Employer._meta.db_table}, {JobPosting._meta.db_table}")
        public = JobPosting.objects.public().filter(employer__in=created).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {loaded} postings ({public} public) of {len(created)} benchmark employers "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def _clear(self) -> None:
        removed, removed_employers = clear_bench_postings()
        self.stdout.write(
            self.style.SUCCESS(f"Removed {removed} benchmark postings and {removed_employers} employers.")
        )
