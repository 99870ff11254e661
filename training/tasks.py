"""The training app's nightly tasks (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from training.services.institutions import institutions_expire


@shared_task
def expire_institutions() -> int:
    return institutions_expire()
