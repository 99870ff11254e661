"""Benchmark of the practitioner import (issue 16): a county's list of 10,000 rows, read from its .xlsx,
validated, then committed.

`--build` creates, in the configured database, the brand, its official and the registered workers the sheet
names (bench/practitioners.py). Each run then puts the register back as before an import, builds the sheet
with openpyxl (not timed), and times what the import's pages do with an upload: `sheet_rows(open_sheet())` +
`PractitionerImporter.validate` (the preview), then reading the sheet again + `.commit` (the confirmed import,
one transaction). It prints the seconds of each (and this process's CPU seconds, steadier on a shared
machine), the rows per action, the queries and the process's peak memory (VmHWM, reset before each step;
ru_maxrss where /proc is missing). `--check` fails unless validate + commit met --target-seconds.
docs/benchmarks.md ("Practitioner import") has the method and the figures; bench/run_import_bench.sh runs
it on PostgreSQL (`make bench-import`).
"""

from __future__ import annotations

import io
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import practitioners as data
from bench.runs import machine, peak_mib, reset_peak
from brands.imports import PractitionerImporter
from laborbrand.imports.engine import open_sheet, sheet_rows

MAX_ROWS = 50_000  # the engine's limit for one sheet (issue 16)


@contextmanager
def counting_queries():
    """The number of statements run inside (a counter, not CaptureQueriesContext: 10,000s of SQL strings
    would weigh on the memory measured)."""
    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


class Command(BaseCommand):
    help = "Build the benchmark's brand and workers (--build), then time validating and committing a sheet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--build", action="store_true", help="Create the brand and workers (refused when loaded)."
        )
        parser.add_argument("--rows", type=int, default=10_000, help="Rows of the sheet (default 10000).")
        parser.add_argument("--seed", type=int, default=16, help="Random seed, for a repeatable sheet.")
        parser.add_argument("--runs", type=int, default=1, help="Imports, each from the same start.")
        parser.add_argument("--clear", action="store_true", help="Delete the benchmark data, run nothing.")
        parser.add_argument("--check", action="store_true", help="Fail unless every run met the target.")
        parser.add_argument("--target-seconds", type=float, default=60.0)
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
            self.stdout.write(data.clear())
            return
        rows, seed = options["rows"], options["seed"]
        if not 1 <= rows <= MAX_ROWS:
            raise CommandError(f"--rows must be between 1 and {MAX_ROWS}.")
        if options["build"]:
            if data.bench_brand() is not None:
                raise CommandError("The benchmark's brand is loaded already: run with --clear first.")
            self.stdout.write(data.build(rows=rows, seed=seed))
            return
        brand, official = data.bench_brand(), data.bench_official()
        if brand is None or official is None:
            raise CommandError("No benchmark data: run with --build first.")
        missed = []
        for number in range(1, options["runs"] + 1):
            data.reset(rows=rows, seed=seed)
            content = data.sheet(rows=rows, seed=seed)
            seconds = self._run(number, content, official, brand)
            if seconds > options["target_seconds"]:
                missed.append(f"run {number}: {seconds:.1f} s > {options['target_seconds']:.0f} s")
        self.stdout.write(machine())
        if options["check"]:
            if missed:
                raise CommandError("Target missed: " + "; ".join(missed))
            self.stdout.write(f"PASS: validate + commit under {options['target_seconds']:.0f} s in every run")

    def _rows(self, content: bytes):
        _workbook, worksheet = open_sheet(io.BytesIO(content))
        return sheet_rows(
            worksheet.iter_rows(values_only=True), PractitionerImporter.columns, max_rows=MAX_ROWS
        )

    def _run(self, number: int, content: bytes, official, brand) -> float:
        proc = Path("/proc/self")
        reset_peak(proc)
        before = peak_mib(proc) or 0

        with counting_queries() as queries:
            started, cpu = time.monotonic(), time.process_time()
            preview = Counter(
                result.action
                for result in PractitionerImporter(user=official, target=brand).validate(self._rows(content))
            )
            validated, check_cpu = time.monotonic() - started, time.process_time() - cpu
        check_peak = peak_mib(proc) or 0
        checks = queries[0]

        reset_peak(proc)
        with counting_queries() as queries:
            started, cpu = time.monotonic(), time.process_time()
            results = PractitionerImporter(user=official, target=brand).commit(self._rows(content))
            committed, commit_cpu = time.monotonic() - started, time.process_time() - cpu
        commit_peak = peak_mib(proc) or 0
        written = Counter(type(obj).__name__ for result in results for obj, _created in result.written)

        actions = ", ".join(f"{count:,} {action}" for action, count in sorted(preview.items()))
        objects = ", ".join(f"{n:,} {name}" for name, n in sorted(written.items()))
        size = len(content) / 1024
        lines = (
            f"run {number}: {sum(preview.values()):,} rows ({size:.0f} KiB .xlsx): {actions}",
            f"  validate  {validated:6.1f} s (CPU {check_cpu:.1f} s)  {checks:,} queries  peak memory "
            f"{check_peak:.0f} MiB",
            f"  commit    {committed:6.1f} s (CPU {commit_cpu:.1f} s)  {queries[0]:,} queries  peak memory "
            f"{commit_peak:.0f} MiB",
            f"  written   {objects}",
            f"  validate + commit {validated + committed:.1f} s; memory before the run {before:.0f} MiB",
        )
        self.stdout.write("\n".join(lines))
        return validated + committed
