"""Benchmark of the job alerts (issue 15): 50,000 saved searches against 10,000 open postings.

`--build` loads, in the configured database, open postings (as bench_load_postings writes them, a share of
them published since the searches were saved) and workers with saved searches (bench/alerts.py: a mix of
keywords, places, occupations, salary and benefit filters, a share of them identical). A run then undoes any
earlier run (every daily search and half the weekly ones due again), runs the beat task's work
(jobs.alerts.send_job_alerts) and prints the seconds, the queries, the due and distinct searches, the
notifications made, the e-mails and texts handed to the queue, and the process's peak memory. The e-mails
and texts are counted, not sent: the Celery workers send them afterwards, apart from the run.
`--check` fails unless the run met --target-seconds. docs/benchmarks.md ("Job alerts") has the method and
the figures; bench/run_alerts_bench.sh runs it on PostgreSQL.
"""

from __future__ import annotations

import time
from pathlib import Path
from unittest import mock

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import alerts as data
from bench.runs import machine, peak_mib, reset_peak
from jobs.alerts import send_job_alerts
from laborbrand.accounts import tasks
from laborbrand.accounts.models import SmsMessage


class Command(BaseCommand):
    help = "Build saved searches and open postings (--build), run the job alerts and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--build", action="store_true", help="Load the data (refused when loaded).")
        parser.add_argument("--postings", type=int, default=10_000, help="Open postings (default 10000).")
        parser.add_argument("--searches", type=int, default=50_000, help="Saved searches (default 50000).")
        parser.add_argument(
            "--new", type=int, default=500, help="Postings published since the searches were saved (500)."
        )
        parser.add_argument("--seed", type=int, default=15, help="Random seed, for a repeatable dataset.")
        parser.add_argument("--runs", type=int, default=1, help="Alert runs, each from the same start.")
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
        if options["build"]:
            if data.bench_workers().exists():
                raise CommandError(
                    "The benchmark's saved searches are loaded already: run with --clear first."
                )
            if min(options["postings"], options["searches"]) < 1 or options["new"] < 0:
                raise CommandError("--postings and --searches must be at least 1, --new at least 0.")
            started = time.monotonic()
            data.build(
                postings=options["postings"],
                searches=options["searches"],
                new=options["new"],
                seed=options["seed"],
                out=self.stdout.write,
            )
            self.stdout.write(f"built in {time.monotonic() - started:.0f} s")
            return
        saved_at = data.saved_moment()
        if saved_at is None:
            raise CommandError("No benchmark data: run with --build first.")
        missed = []
        for number in range(1, options["runs"] + 1):
            data.reset(saved_at)
            seconds = self._run(number)
            if seconds > options["target_seconds"]:
                missed.append(f"run {number}: {seconds:.1f} s > {options['target_seconds']:.0f} s")
        self.stdout.write(machine())
        if options["check"]:
            if missed:
                raise CommandError("Target missed: " + "; ".join(missed))
            self.stdout.write(f"PASS: every run under {options['target_seconds']:.0f} s")

    def _run(self, number: int) -> float:
        handed = {"emails": 0, "texts": 0}

        def count(kind):
            def delay(*args, **kwargs):
                handed[kind] += 1

            return delay

        proc = Path("/proc/self")
        reset_peak(proc)
        before = peak_mib(proc)
        with (
            mock.patch.object(tasks.send_notification_email, "delay", count("emails")),
            mock.patch.object(tasks.send_sms_message, "delay", count("texts")),
            CaptureQueriesContext(connection) as queries,
        ):
            started = time.monotonic()
            result = send_job_alerts()
            seconds = time.monotonic() - started
        held = SmsMessage.objects.filter(status=SmsMessage.Status.HELD).count()
        figures = [
            f"run {number}: {seconds:.1f} s, {len(queries)} queries ({result.queries} reading the searches, "
            "finding the postings and moving the watermarks; the rest notifying)",
            f"{result.due:,} due saved searches, {result.distinct:,} distinct searches",
            f"{result.notified:,} notifications for {result.postings:,} new postings counted",
            f"{handed['emails']:,} e-mails and {handed['texts']:,} texts queued "
            f"({held:,} held for the morning)",
            f"peak memory {peak_mib(proc) or 0:.0f} MiB (before the run {before or 0:.0f} MiB)",
        ]
        self.stdout.write("; ".join(figures))
        return seconds
