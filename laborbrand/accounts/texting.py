"""Text messages: queued after the transaction commits, sent by a Celery task with retries, held through the
quiet hours and kept within the city's daily budget. A message that cannot be sent is logged and marked
failed; the page that caused it never fails (docs/decisions.md, "Issue 15: SMS gateway").

Codes are urgent: sent at once, day or night, and never stopped by the budget (codes.py caps them per phone
and per address), though what they cost counts towards it. Notifications and alerts wait for the morning and
stop at the budget. A message's parameters (a code's digits) are cleared once it is sent, failed or refused
by the budget: nothing needs them again.
"""

from __future__ import annotations

import datetime
import logging
from contextvars import ContextVar

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from laborbrand import sms
from laborbrand.accounts.models import SmsMessage, User

logger = logging.getLogger(__name__)

# A task retries a provider that did not answer this many times (60 s, 120 s, 240 s apart) before giving up.
MAX_RETRIES = 3
# A message still queued this long after it was created was never handed over (the task queue was down) or
# its retry was lost: release_held hands it over again. A code is given up instead (it has expired), and so
# is any message queued for more than a day.
STALLED_MINUTES = 15
GIVE_UP_HOURS = 24
# SmsMessage rows (the log) are deleted this long after they were created (the nightly housekeeping).
RETENTION_DAYS = 180

Status = SmsMessage.Status


def quiet_hours_end(moment: datetime.datetime) -> datetime.datetime | None:
    """When the quiet hours (SMS_QUIET_HOURS, city time, e.g. (22, 8): from 22:00 to 08:00) that hold `moment`
    end, or None outside them."""
    start, end = settings.SMS_QUIET_HOURS
    local = timezone.localtime(moment)
    overnight = start > end
    quiet = (local.hour >= start or local.hour < end) if overnight else start <= local.hour < end
    if not quiet:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if overnight and local.hour >= start:
        morning += datetime.timedelta(days=1)
    return morning


def city_day_start(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def spent_today_fen(moment: datetime.datetime | None = None) -> int:
    """What today's messages cost: those sent today (codes too) and those on their way."""
    start = city_day_start(moment or timezone.now())
    count = SmsMessage.objects.filter(
        Q(status=Status.SENT, sent_at__gte=start) | Q(status=Status.QUEUED)
    ).count()
    return count * settings.SMS_PRICE_FEN


def within_budget(moment: datetime.datetime | None = None) -> bool:
    """Whether one more message fits in the day's budget (SMS_DAILY_BUDGET_FEN)."""
    return spent_today_fen(moment) + settings.SMS_PRICE_FEN <= settings.SMS_DAILY_BUDGET_FEN


# Set by services.notifications_unmailed (seed_demo): nothing is texted to its invented people.
silenced: ContextVar[bool] = ContextVar("sms_silenced", default=False)


def send_sms(
    *,
    phone: str,
    template: str,
    params: dict[str, str],
    recipient: User | None = None,
    kind: str = "",
    urgent: bool = False,
) -> SmsMessage:
    """Queue one message to `phone`; it is handed to the task queue once the transaction commits. Urgent
    (codes): now. Otherwise held through the quiet hours, and not sent at all beyond the day's budget (the
    notification is still in the site). Inside notifications_unmailed nothing is saved or sent."""
    now = timezone.now()
    message = SmsMessage(
        recipient=recipient, phone=phone, template=template, params=params, kind=kind, created=now
    )
    if silenced.get():
        return message
    if not urgent:
        morning = quiet_hours_end(now)
        if morning is not None:
            message.status = Status.HELD
            message.not_before = morning
        elif not within_budget(now):
            message.status = Status.OVER_BUDGET
            message.params = {}
            logger.warning("SMS %s not sent: the daily budget is spent", template)
    message.save()
    if message.status == Status.QUEUED:
        transaction.on_commit(lambda: queue(message.pk))
    return message


def queue(message_id: int) -> None:
    """Hand a message to the task queue; with the queue unreachable it stays queued, is logged, and
    `requeue_stalled` hands it over again later."""
    try:
        send_sms_message.delay(message_id)
    except (KombuError, RedisError, OSError):
        logger.warning("SMS %s not handed over: the task queue is unreachable", message_id)


class Retry(Exception):
    """The provider could not be reached: the task tries again later."""


def _scrubbed(text: str, message: SmsMessage) -> str:
    """An error's text without the number or a parameter (a code's digits), for the log and the row."""
    for secret in [message.phone, *(str(value) for value in message.params.values())]:
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text[:300]


def deliver(message_id: int, *, last_try: bool) -> str:
    """Send one queued message once; returns its status. A transient failure (SmsError not permanent) raises
    Retry, unless this is the last try, when the message is marked failed instead; a permanent one, or any
    other error of the backend (a configuration error, a bug), marks it failed at once and is logged. The
    attempt and the error are recorded either way."""
    retry = False
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Status.QUEUED:
            return message.status if message else ""
        message.attempts += 1
        try:
            message.provider_id = sms.send(sms.Sms(message.phone, message.template, dict(message.params)))
        except sms.SmsError as exc:
            message.error = _scrubbed(str(exc), message)
            if exc.permanent or last_try:
                message.status = Status.FAILED
                logger.warning("SMS %s failed: %s", message.pk, message.error)
            else:
                retry = True
        except Exception as exc:  # never fail the page (eager tasks run inside it) nor lose the message
            message.error = _scrubbed(f"{type(exc).__name__}: {exc}", message)
            message.status = Status.FAILED
            logger.error("SMS %s failed: %s", message.pk, message.error)
        else:
            message.status = Status.SENT
            message.sent_at = timezone.now()
            message.error = ""
        if retry:
            message.save(update_fields=["attempts", "error"])
        else:
            message.params = {}  # sent or failed: a code never outlives its sending, nothing needs the rest
            message.save()
    if retry:
        raise Retry(message.error)
    return message.status


# The task lives beside the rules it runs, under the name of accounts/tasks.py (which re-exports it), so that
# queueing needs no import of the tasks module (that would be an import cycle: tasks.py imports this one).
@shared_task(
    name="laborbrand.accounts.tasks.send_sms_message", bind=True, ignore_result=True, max_retries=MAX_RETRIES
)
def send_sms_message(self, message_id: int) -> str:
    """Send one queued text message; a provider that does not answer is tried again (60 s, 120 s, 240 s),
    then the message is marked failed; any other failure marks it failed at once (deliver). Never raises to
    the caller (in-process on the embedded default, where there is no waiting: one try)."""
    last_try = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        return deliver(message_id, last_try=last_try)
    except Retry as exc:
        raise self.retry(countdown=60 * 2**self.request.retries) from exc


def release_held(moment: datetime.datetime | None = None) -> int:
    """Queue the messages held through the quiet hours whose morning has come, oldest first, while the day's
    budget lasts; the rest are marked over budget (their notifications are in the site). Returns how many
    were queued."""
    now = moment or timezone.now()
    released = 0
    due = SmsMessage.objects.filter(status=Status.HELD, not_before__lte=now).order_by("pk")
    for message_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().get(pk=message_id)
            if message.status != Status.HELD:
                continue
            if within_budget(now):
                message.status = Status.QUEUED
                message.not_before = now  # queued from now (requeue_stalled counts its waiting from here)
                transaction.on_commit(lambda pk=message.pk: queue(pk))
                released += 1
            else:
                message.status = Status.OVER_BUDGET
                message.params = {}
            message.save(update_fields=["status", "params", "not_before"])
    return released


def requeue_stalled(moment: datetime.datetime | None = None) -> int:
    """Hand over again the messages left queued for STALLED_MINUTES (the task queue was unreachable, or a
    retry was lost); `deliver` locks the row and sends a message once however often it is handed over. In
    the quiet hours a notification is held till the morning instead. A code (expired by then), or any message
    queued for more than GIVE_UP_HOURS, is marked failed: it is too late. Returns how many were handed
    over."""
    now = moment or timezone.now()
    handed = 0
    # Queued since it was created, or since it was released (held through the quiet hours).
    cutoff = now - datetime.timedelta(minutes=STALLED_MINUTES)
    stalled = SmsMessage.objects.filter(
        Q(not_before__isnull=True, created__lte=cutoff) | Q(not_before__lte=cutoff), status=Status.QUEUED
    ).order_by("pk")
    for message_id in stalled.values_list("pk", flat=True):
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().get(pk=message_id)
            if message.status != Status.QUEUED:
                continue
            since = message.not_before or message.created
            if message.template == "code" or since <= now - datetime.timedelta(hours=GIVE_UP_HOURS):
                message.status = Status.FAILED
                message.params = {}
                message.error = "Not handed to the provider in time."
                logger.warning("SMS %s given up: queued since %s", message.pk, since)
            elif (morning := quiet_hours_end(now)) is not None:
                message.status = Status.HELD
                message.not_before = morning
            else:
                transaction.on_commit(lambda pk=message.pk: queue(pk))
                handed += 1
            message.save(update_fields=["status", "params", "error", "not_before"])
    return handed


def purge(*, older_than_days: int = RETENTION_DAYS) -> int:
    """Nightly: delete the log of messages created more than `older_than_days` ago."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    return SmsMessage.objects.filter(created__lt=cutoff).delete()[0]
