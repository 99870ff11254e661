"""Match runs on Celery, and the one way to start one there: `match_run_launch()`.

Launching starts a run (runs.py: the lock and the plan) and dispatches it: its chunks go to the Celery workers
as one chord whose callback publishes the run; without a broker (CELERY_TASK_ALWAYS_EAGER) the chord runs
here, chunk after chunk. The page's "run now" (services.py), the nightly beat task (`match_nightly`) and
`manage.py match_run --queue` all start runs this way. A run that could not be handed over, or failed here,
is recorded as failed by `match_run_launch()` and nowhere else; on a worker, a chunk or the publishing step
that fails for good records it (`MatchTask.on_failure`).

The tasks keep the names they had in jobs/tasks.py, which the beat schedule and queued messages use;
laborbrand/celery.py has Celery discover this module.
"""

from __future__ import annotations

import inspect
import logging

from celery import Task, chord, shared_task
from celery.exceptions import Retry
from django.db import DatabaseError, InterfaceError, OperationalError

from jobs.matching import runs
from jobs.matching.models import MatchRun
from laborbrand.accounts.models import User

logger = logging.getLogger(__name__)

# A lost database connection (PostgreSQL restarting) is worth retrying; anything else fails the run.
RETRY_ON = (OperationalError, InterfaceError)


class MatchTask(Task):
    """A chunk or the publishing step: safe to run twice (see runs.py), acknowledged only when done so a
    chunk whose worker dies is delivered again, and failing the whole run once retries are spent."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = RETRY_ON
    retry_backoff = 2
    max_retries = 3
    soft_time_limit = 10 * 60
    time_limit = 11 * 60

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # By name: the publishing step is a chord callback, called with the chunks' results first.
        run_id = inspect.signature(self.run).bind(*args, **kwargs).arguments["run_id"]
        try:
            runs.match_run_fail(run_id, f"{type(exc).__name__}: {exc}")
        except DatabaseError:  # the database is what failed; the next start marks the run stale
            logger.exception("could not record match run %s as failed", run_id)


@shared_task(base=MatchTask, name="jobs.tasks.match_chunk")
def match_chunk(run_id: int, number: int) -> bool:
    return runs.match_chunk_process(run_id, number)


@shared_task(base=MatchTask, name="jobs.tasks.match_publish")
def match_publish(_results, run_id: int) -> int:
    return runs.match_run_publish(run_id).pk


class MatchRunFailed(Exception):
    """A started run failed while it was handed to the workers or, without a broker, while it ran here. It is
    recorded as failed; `run` is the run, the error the cause."""

    def __init__(self, run: MatchRun, message: str):
        super().__init__(message)
        self.run = run


class QueueUnreachable(MatchRunFailed):
    """A run could not be handed to the Celery workers (whatever the broker or result store raised)."""


def dispatch(run: MatchRun) -> None:
    """Send a started run's chunks to the workers as one chord whose callback publishes the run. Without a
    broker the chord runs here, chunk after chunk, without retries, and a chunk's error is raised."""
    numbers = list(run.chunks.values_list("number", flat=True))
    if not numbers:
        runs.match_run_publish(run.pk)
        return
    try:
        chord(match_chunk.si(run.pk, number) for number in numbers)(match_publish.s(run.pk))
    except Retry as retry:
        # Eager (no broker): a chunk asked to be retried, but there is no worker to retry it on.
        raise (retry.exc if isinstance(retry.exc, BaseException) else retry) from None


def match_run_launch(*, trigger: str, user: User | None = None) -> MatchRun:
    """Start a run and dispatch it; the run as it stands then (completed, without a broker). Raises
    MatchRunBusy when a run is active, and nothing starts. A run that could not be handed over
    (QueueUnreachable) or, without a broker, failed here (MatchRunFailed) is recorded as failed, once."""
    run = runs.match_run_start(trigger=trigger, user=user)
    try:
        dispatch(run)
    except BaseException as error:
        # Eagerly, a chunk failed; else the broker or the result store is unreachable (Redis down gives a
        # RuntimeError from the result store once its reconnection retries are spent): release the lock.
        runs.match_run_fail(run.pk, f"{type(error).__name__}: {error}")
        if not isinstance(error, Exception):
            raise
        if match_chunk.app.conf.task_always_eager:
            raise MatchRunFailed(run, f"run #{run.pk} failed: {error}") from error
        raise QueueUnreachable(run, f"run #{run.pk} could not be handed to the workers: {error}") from error
    run.refresh_from_db()
    return run


@shared_task(ignore_result=True, name="jobs.tasks.match_nightly")
def match_nightly() -> int | None:
    """Beat's entry: launch a run, or log why not (another run is still going)."""
    try:
        run = match_run_launch(trigger=MatchRun.Trigger.SCHEDULE)
    except runs.MatchRunBusy as busy:
        logger.warning("nightly match run not started: %s", busy)
        return None
    return run.pk
