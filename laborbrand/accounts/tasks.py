from celery import shared_task
from django.core.management import call_command

from laborbrand.accounts.emails import send_notification


# No result is kept: nothing reads it, and sending would otherwise need the result store as well as the broker
# (with Redis down that raised a RuntimeError the page could not catch as "queue unreachable").
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, ignore_result=True)
def send_notification_email(notification_id: int) -> bool:
    return send_notification(notification_id)


@shared_task
def housekeeping() -> None:
    """Nightly: drop expired sessions and login-attempt records older than 90 days."""
    call_command("clearsessions")
    call_command("axes_reset_logs", age=90)
