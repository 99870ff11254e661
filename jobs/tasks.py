"""Celery tasks of the jobs app: thin wrappers around the plain functions in jobs/services.py and
jobs/matchrun.py, so the same work runs by hand, in tests and in-process without a broker."""

from __future__ import annotations

import inspect
import logging

from celery import Task, chord, shared_task
from celery.exceptions import Retry
from django.db import DatabaseError, InterfaceError, OperationalError
from kombu.exceptions import OperationalError as KombuOperationalError

from jobs import matchrun
from jobs.models import MatchRun
from jobs.services import postings_expire

logger = logging.getLogger(__name__)

# A lost database connection (PostgreSQL restarting) is worth retrying; anything else fails the run.
RETRY_ON = (OperationalError, InterfaceError)


@shared_task
def expire_postings() -> int:
    return postings_expire()


class MatchTask(Task):
    """A chunk or the publishing step: safe to run twice (see jobs/matchrun.py), acknowledged only when done
    so a chunk whose worker dies is delivered again, and failing the whole run once retries are spent."""

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
            matchrun.match_run_fail(run_id, f"{type(exc).__name__}: {exc}")
        except DatabaseError:  # the database is what failed; the next start marks the run stale
            logger.exception("could not record match run %s as failed", run_id)


@shared_task(base=MatchTask)
def match_chunk(run_id: int, number: int) -> bool:
    return matchrun.match_chunk_process(run_id, number)


@shared_task(base=MatchTask)
def match_publish(_results, run_id: int) -> int:
    return matchrun.match_run_publish(run_id).pk


class QueueUnreachable(KombuOperationalError):
    """A run could not be handed to the Celery workers (whatever the broker or result store raised)."""


def match_dispatch(run: MatchRun) -> None:
    """Send a started run's chunks to the workers as one chord whose callback publishes the run. Without a
    broker (CELERY_TASK_ALWAYS_EAGER) the chord runs here, chunk after chunk, without retries. A run that
    could not be handed over, or failed here, is recorded as failed before the error is raised."""
    numbers = list(run.chunks.values_list("number", flat=True))
    if not numbers:
        matchrun.match_run_publish(run.pk)
        return
    try:
        chord(match_chunk.si(run.pk, number) for number in numbers)(match_publish.s(run.pk))
    except Retry as retry:
        # Eager (no broker): a chunk asked to be retried, but there is no worker to retry it on.
        error = retry.exc if isinstance(retry.exc, BaseException) else retry
        matchrun.match_run_fail(run.pk, f"{type(error).__name__}: {error}")
        raise error from None
    except BaseException as error:
        # Eagerly, a chunk failed; else the broker or the result store is unreachable (Redis down gives a
        # RuntimeError from the result store once its reconnection retries are spent): release the lock.
        matchrun.match_run_fail(run.pk, f"{type(error).__name__}: {error}")
        if match_chunk.app.conf.task_always_eager or not isinstance(error, Exception):
            raise
        raise QueueUnreachable(f"run #{run.pk} could not be handed to the workers: {error}") from error


@shared_task(ignore_result=True)
def match_nightly() -> int | None:
    """Beat's entry: start a run and dispatch it, or log why not (another run is still going)."""
    try:
        run = matchrun.match_run_start(trigger=MatchRun.Trigger.SCHEDULE)
    except matchrun.MatchRunBusy as busy:
        logger.warning("nightly match run not started: %s", busy)
        return None
    try:
        match_dispatch(run)
    except Exception as error:
        matchrun.match_run_fail(run.pk, f"{type(error).__name__}: {error}")
        raise
    return run.pk
