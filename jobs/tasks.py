"""Celery tasks of the jobs app's board: thin wrappers around the plain functions in jobs/services.py, so the
same work runs by hand, in tests and in-process without a broker. The matching's tasks are in
jobs/matching/tasks.py."""

from __future__ import annotations

from celery import shared_task

from jobs.services import postings_expire


@shared_task
def expire_postings() -> int:
    return postings_expire()


@shared_task(ignore_result=True)
def send_job_alerts() -> int:
    """Daily at 08:05 city time (after the SMS quiet hours): the saved searches' new postings
    (jobs/alerts.py). Returns the notifications made."""
    from jobs.alerts import send_job_alerts as run

    return run().notified
