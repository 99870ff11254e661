"""Run the job matching by hand: `manage.py match_run` scores in this process, chunk after chunk;
`--queue` launches the run for the Celery workers instead (as the nightly schedule does) and waits."""

import time

from django.core.management.base import BaseCommand, CommandError

from jobs.matching import runs
from jobs.matching.models import MatchRun
from jobs.matching.tasks import QueueUnreachable, match_run_launch


class Command(BaseCommand):
    help = "Score every seeking worker against the open postings and publish the recommendations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", action="store_true", help="Dispatch the chunks to Celery workers and wait for them."
        )
        parser.add_argument("--timeout", type=float, default=3600, help="Seconds to wait with --queue.")

    def handle(self, *args, queue, timeout, **options):
        try:
            if queue:
                run = self._wait(match_run_launch(trigger=MatchRun.Trigger.COMMAND), timeout)
            else:
                run = runs.match_run(trigger=MatchRun.Trigger.COMMAND)
        except runs.MatchRunBusy as busy:
            raise CommandError(str(busy)) from None
        except QueueUnreachable as unreachable:  # the run was recorded as failed
            raise CommandError(str(unreachable)) from None
        if run.status != MatchRun.Status.COMPLETED:
            raise CommandError(f"run #{run.pk} {run.status}: {run.error}")
        self.stdout.write(
            f"run #{run.pk} completed in {run.duration.total_seconds():.1f} s: {run.workers} workers, "
            f"{run.postings} postings, {run.pairs} pairs scored, {run.recommendations} recommendations; "
            f"seconds per phase (summed over chunks) {run.seconds}"
        )

    def _wait(self, run: MatchRun, timeout: float) -> MatchRun:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status != MatchRun.Status.RUNNING:
                return run
            time.sleep(0.2)
        raise CommandError(f"run #{run.pk} still running after {timeout:.0f} s ({run.progress} % of chunks)")
