"""The import's slow steps as Celery tasks, each one call into work.py or undo.py (which guard against a
second delivery and record a failure on the batch). Acknowledged when done, so a step whose worker dies is
delivered again; its transaction was rolled back, and the batch is still at the step."""

from __future__ import annotations

from celery import shared_task

from laborbrand.imports import undo, work

# A commit of IMPORT_MAX_ROWS rows may take minutes: longer than the project's default task limits.
LIMITS = {"soft_time_limit": 30 * 60, "time_limit": 31 * 60, "acks_late": True, "ignore_result": True}


@shared_task(**LIMITS)
def validate_batch(batch_id: int) -> None:
    work.run_guarded("validate", batch_id, work.batch_validate)


@shared_task(**LIMITS)
def commit_batch(batch_id: int) -> None:
    work.run_guarded("commit", batch_id, work.batch_commit)


@shared_task(**LIMITS)
def undo_batch(batch_id: int) -> None:
    work.run_guarded("undo", batch_id, undo.batch_undo)


@shared_task(ignore_result=True)
def prune_imports() -> dict[str, int]:
    """Nightly (CELERY_BEAT_SCHEDULE): stalled batches back a step, old files and unimported batches gone."""
    return work.batches_prune()
