"""Text messages: queued after the transaction commits, sent by a Celery task with retries, held through the
quiet hours and kept within the city's daily budget. A message that cannot be sent is logged and marked
failed; the page that caused it never fails (docs/decisions.md, "SMS").

Codes are urgent: sent at once, day or night, and outside the budget (codes.py caps them per phone and per
address). Notifications and alerts wait for the morning and stop at the budget.
"""

from __future__ import annotations

import datetime
import logging

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


def quiet_hours_end(moment: datetime.datetime) -> datetime.datetime | None:
    """When the quiet hours (SMS_QUIET_HOURS, city time) that hold `moment` end, or None outside them."""
    start, end = settings.SMS_QUIET_HOURS
    local = timezone.localtime(moment)
    if start <= local.hour or local.hour < end:
        morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
        if local.hour >= start:
            morning += datetime.timedelta(days=1)
        return morning
    return None


def city_day_start(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def spent_today_fen(moment: datetime.datetime | None = None) -> int:
    """What today's messages cost: those sent today and those on their way."""
    start = city_day_start(moment or timezone.now())
    count = SmsMessage.objects.filter(
        Q(status=SmsMessage.Status.SENT, sent_at__gte=start) | Q(status=SmsMessage.Status.QUEUED)
    ).count()
    return count * settings.SMS_PRICE_FEN


def within_budget(moment: datetime.datetime | None = None) -> bool:
    return spent_today_fen(moment) + settings.SMS_PRICE_FEN <= settings.SMS_DAILY_BUDGET_FEN


def send_sms(
    *,
    phone: str,
    template: str,
    params: dict[str, str],
    recipient: User | None = None,
    kind: str = "",
    urgent: bool = False,
) -> SmsMessage:
    """Queue one message to `phone`. Urgent (codes): now. Otherwise held through the quiet hours, and not sent
    at all beyond the day's budget (the notification is still in the site)."""
    now = timezone.now()
    message = SmsMessage(
        recipient=recipient, phone=phone, template=template, params=params, kind=kind, created=now
    )
    if not urgent:
        morning = quiet_hours_end(now)
        if morning is not None:
            message.status = SmsMessage.Status.HELD
            message.not_before = morning
        elif not within_budget(now):
            message.status = SmsMessage.Status.OVER_BUDGET
            logger.warning("SMS %s not sent: the daily budget is spent", template)
    message.save()
    if message.status == SmsMessage.Status.QUEUED:
        transaction.on_commit(lambda: queue(message.pk))
    return message


def queue(message_id: int) -> None:
    """Hand a message to the task queue; with the queue unreachable it stays queued and is logged."""
    from laborbrand.accounts.tasks import send_sms_message

    try:
        send_sms_message.delay(message_id)
    except (KombuError, RedisError, OSError):
        logger.warning("SMS %s not handed over: the task queue is unreachable", message_id)


class Retry(Exception):
    """The provider could not be reached: the task tries again later."""


def deliver(message_id: int, *, last_try: bool) -> str:
    """Send one queued message once; returns its status. Raises Retry for a transient failure unless this is
    the last try, when the message is marked failed instead."""
    with transaction.atomic():
        message = SmsMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != SmsMessage.Status.QUEUED:
            return message.status if message else ""
        message.attempts += 1
        try:
            message.provider_id = sms.send(sms.Sms(message.phone, message.template, dict(message.params)))
        except sms.SmsError as exc:
            message.error = str(exc)[:300]
            if exc.permanent or last_try:
                message.status = SmsMessage.Status.FAILED
                logger.warning("SMS %s failed: %s", message.pk, exc)
            else:
                message.save(update_fields=["attempts", "error"])
                raise Retry from exc
        else:
            message.status = SmsMessage.Status.SENT
            message.sent_at = timezone.now()
            message.error = ""
        if message.template == "code" or message.status == SmsMessage.Status.SENT:
            message.params = {}  # a code never outlives its sending; nothing needs the rest again
        message.save()
        return message.status


def release_held(moment: datetime.datetime | None = None) -> int:
    """Queue the messages held through the quiet hours whose morning has come, within the day's budget."""
    now = moment or timezone.now()
    released = 0
    due = SmsMessage.objects.filter(status=SmsMessage.Status.HELD, not_before__lte=now).order_by("pk")
    for message_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            message = SmsMessage.objects.select_for_update().get(pk=message_id)
            if message.status != SmsMessage.Status.HELD:
                continue
            if within_budget(now):
                message.status = SmsMessage.Status.QUEUED
                transaction.on_commit(lambda pk=message.pk: queue(pk))
                released += 1
            else:
                message.status = SmsMessage.Status.OVER_BUDGET
            message.save(update_fields=["status"])
    return released
