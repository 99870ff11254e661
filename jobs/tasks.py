"""Celery tasks of the jobs app's board: thin wrappers around the plain functions in jobs/services.py, so the
same work runs by hand, in tests and in-process without a broker. The matching's tasks are in
jobs/matching/tasks.py."""

from __future__ import annotations

from celery import shared_task

from jobs.services import postings_expire


@shared_task
def expire_postings() -> int:
    return postings_expire()
