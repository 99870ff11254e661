from celery import shared_task
from django.core.management import call_command

from laborbrand.accounts import texting
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


@shared_task(bind=True, ignore_result=True, max_retries=texting.MAX_RETRIES)
def send_sms_message(self, message_id: int) -> str:
    """Send one queued text message; a provider that does not answer is tried again (60 s, 120 s, 240 s),
    then the message is marked failed. Never raises to the caller (in-process on the embedded default)."""
    last_try = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        return texting.deliver(message_id, last_try=last_try)
    except texting.Retry as exc:
        raise self.retry(countdown=60 * 2**self.request.retries) from exc


@shared_task(ignore_result=True)
def release_held_sms() -> int:
    """Every few minutes: send what the quiet hours held, once the morning has come."""
    return texting.release_held()
