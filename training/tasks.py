from celery import shared_task

from training.services import institutions_expire


@shared_task
def expire_institutions() -> int:
    return institutions_expire()
