"""Benchmark of the programme dashboards at city scale (issue 14, "Speed at city scale").

With `--build`, builds the matching benchmark's city (bench/city.py: seeking workers with certificates, brand
training and applications, open postings), spreads it over this year's months (bench/dashboard.py) and stops.
Without, it measures whatever the database holds:
  1. times `targets.snapshots.refresh(year)` — every metric for the city, each county and each brand, which
     Celery beat reruns every DASHBOARD_FIGURES_MINUTES — and prints where the time goes, metric by metric;
  2. times `take_month` of the last month that is over (in a transaction rolled back afterwards);
  3. fetches the city dashboard (`targets:city`) as a city admin and a county dashboard (`targets:county`) as
     a city admin and as that county's official through the test client: median of --repeat warm fetches,
     and the queries of a fetch;
  4. adds --extra-brands brands (more scopes, in a transaction rolled back afterwards), refreshes, and counts
     the same pages' queries again: they must not grow.
Step 3 and 4 need the demo's accounts (seed_demo) and the dashboard views; while `targets:city` does not
resolve they are skipped, saying so. bench/run_dashboard_bench.sh runs it on PostgreSQL (docs/benchmarks.md,
"Dashboards at city scale").
"""

from __future__ import annotations

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bench.city import CityBuilder
from bench.dashboard import (
    add_brands,
    count_queries,
    dashboard_paths,
    measure_page,
    per_metric_seconds,
    spread_over_year,
)
from bench.marks import bench_admin
from bench.postings import bench_employers
from bench.runs import machine
from laborbrand.accounts.models import User
from targets.models import Snapshot
from targets.snapshots import counted_scopes, refresh, take_month


class Rollback(Exception):
    """Leaves a transaction.atomic() block undone."""


class Command(BaseCommand):
    help = "Time the dashboards' figures and pages at city scale; --build builds the city."

    def add_arguments(self, parser):
        parser.add_argument("--build", action="store_true", help="Build the city (and measure nothing).")
        parser.add_argument("--workers", type=int, default=100_000, help="Workers to build (default 100000).")
        parser.add_argument("--postings", type=int, default=10_000, help="Postings to build (default 10000).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for a repeatable dataset.")
        parser.add_argument("--repeat", type=int, default=5, help="Timed fetches per page (default 5).")
        parser.add_argument("--extra-brands", type=int, default=24, help="Brands added for step 4.")
        parser.add_argument("--target-ms", type=float, default=500.0, help="Largest page median allowed.")
        parser.add_argument("--target-refresh", type=float, default=60.0, help="Seconds refresh may take.")
        parser.add_argument("--check", action="store_true", help="Fail when a target is missed.")
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
        if options["repeat"] < 1 or options["extra_brands"] < 1:
            raise CommandError("--repeat and --extra-brands must be at least 1.")
        if options["build"]:
            self.build(options["workers"], options["postings"], options["seed"])
            return
        self.missed: list[str] = []
        year = timezone.localdate().year
        self.figures(year, options["target_refresh"])
        self.pages(year, options["repeat"], options["extra_brands"], options["target_ms"])
        self.stdout.write(machine())
        if options["check"] and self.missed:
            raise CommandError("Target missed: " + "; ".join(self.missed))
        if options["check"]:
            self.stdout.write(self.style.SUCCESS("PASS: every figure and page within its target"))

    def build(self, workers: int, postings: int, seed: int) -> None:
        if workers < 1 or postings < 1:
            raise CommandError("--workers and --postings must be at least 1.")
        if bench_admin() is not None or bench_employers().exists():
            raise CommandError("Benchmark data is loaded already: drop the database or run without --build.")
        started = time.perf_counter()
        builder = CityBuilder(random.Random(seed))  # noqa: S311  (repeatable, not secret)
        builder.build_reference(postings)
        builder.build_workers(workers)
        moved = spread_over_year()
        self.stdout.write(
            f"built {workers} workers and {postings} postings, spread over this year "
            f"({', '.join(f'{n} {what}' for what, n in moved.items())}) "
            f"in {time.perf_counter() - started:.1f} s"
        )

    def figures(self, year: int, target_refresh: float) -> None:
        scopes = counted_scopes()
        brands = sum(1 for scope in scopes if scope.brand_id is not None)
        started = time.perf_counter()
        snapshot = refresh(year)
        seconds = time.perf_counter() - started
        rows = snapshot.figures.count()
        self.stdout.write(
            f"refresh({year}): {seconds:.2f} s for {rows} figures (the city, {len(scopes) - brands - 1} "
            f"counties, {brands} brands)"
        )
        if seconds > target_refresh:
            self.missed.append(f"refresh {seconds:.1f} s > {target_refresh:.0f} s")
        self.stdout.write("  per metric (the year's and the month's figure, every scope):")
        timings = per_metric_seconds(year, snapshot.as_of)
        for key, spent in sorted(timings.items(), key=lambda item: -item[1]):
            self.stdout.write(f"    {key:<30} {spent:7.2f} s")

        today = timezone.localdate()
        last = today.replace(day=1) - datetime.timedelta(days=1)
        try:
            with transaction.atomic():
                # The month may be frozen already (seed_demo takes the demo year's): time a fresh one.
                Snapshot.objects.filter(kind=Snapshot.Kind.MONTHLY, year=last.year, month=last.month).delete()
                started = time.perf_counter()
                take_month(last.year, last.month)
                seconds = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"take_month({last.year}, {last.month}): {seconds:.2f} s (rolled back)")

    def pages(self, year: int, repeat: int, extra_brands: int, target_ms: float) -> None:
        admin = User.objects.filter(username="city_admin", role=User.Role.CITY_ADMIN).first()
        official = User.objects.filter(username="official_a", role=User.Role.COUNTY_OFFICIAL).first()
        if official is None:
            official = User.objects.filter(role=User.Role.COUNTY_OFFICIAL, is_active=True).first()
        county = official.county if official else None
        paths = dashboard_paths(year, county) if county else None
        if county and paths is None:
            self.stdout.write(
                self.style.WARNING(
                    "SKIPPED the pages: reverse('targets:city') does not resolve — the dashboard views are "
                    "not in this build of the project."
                )
            )
            return
        if admin is None or official is None:
            raise CommandError("The pages are fetched as city_admin and official_a: run seed_demo first.")
        visits = [("city", admin, paths["city"]), ("county", admin, paths["county"])]
        visits.append(("county", official, paths["county"]))
        self.stdout.write(f"dashboards: median of {repeat} warm fetches through the test client")
        self.stdout.write(f"  {'page':<8} {'as':<12} {'median ms':>9} {'queries':>7}  path")
        timings = []
        for name, who, path in visits:
            timing = measure_page(name, who, path, repeat)
            timings.append(timing)
            if timing.status != 200:
                self.missed.append(f"{name} as {who.username}: HTTP {timing.status}")
                self.stdout.write(f"  {name:<8} {who.username:<12} HTTP {timing.status}  {path}")
                continue
            self.stdout.write(
                f"  {name:<8} {who.username:<12} {timing.median_ms:9.1f} {timing.queries:7d}  {path}"
            )
            if timing.median_ms > target_ms:
                missed = f"{timing.median_ms:.0f} ms > {target_ms:.0f} ms"
                self.missed.append(f"{name} as {who.username}: {missed}")

        try:
            with transaction.atomic():
                add_brands(extra_brands)
                refresh(year)
                more = [count_queries(who, path) for _name, who, path in visits]
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"  queries with {extra_brands} more brands (rolled back):")
        for (name, who, _path), timing, queries in zip(visits, timings, more, strict=True):
            verdict = "same" if queries == timing.queries else f"GREW from {timing.queries}"
            self.stdout.write(f"  {name:<8} {who.username:<12} {queries:>17d}  {verdict}")
            if queries != timing.queries:
                self.missed.append(f"{name} as {who.username}: {timing.queries} → {queries} queries")
