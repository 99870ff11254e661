from celery import shared_task
from django.core.management import call_command

from laborbrand.accounts import codes, texting
from laborbrand.accounts.emails import send_notification
from laborbrand.accounts.texting import send_sms_message  # the task, defined beside its rules

__all__ = ["housekeeping", "release_held_sms", "send_notification_email", "send_sms_message"]


# No result is kept: nothing reads it, and sending would otherwise need the result store as well as the broker
# (with Redis down that raised a RuntimeError the page could not catch as "queue unreachable").
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, ignore_result=True)
def send_notification_email(notification_id: int) -> bool:
    return send_notification(notification_id)


@shared_task
def housekeeping() -> None:
    """Nightly: drop expired sessions, login-attempt records older than 90 days, one-time codes older than 30
    days (codes.purge) and the log of text messages older than 180 days (texting.purge)."""
    call_command("clearsessions")
    call_command("axes_reset_logs", age=90)
    codes.purge()
    texting.purge()


@shared_task(ignore_result=True)
def release_held_sms() -> int:
    """Every few minutes: send what the quiet hours held once the morning has come, and hand over again what
    stayed queued (the task queue was down). Returns how many messages were handed over."""
    return texting.release_held() + texting.requeue_stalled()
