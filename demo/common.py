"""Helpers the parts of the demo share: a local time on a given day, a credit code with its check
character, and dating the notifications a service step sent (the demo's records happened over the past
months, not all at once)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.utils import timezone
from stdnum.cn import uscc

from laborbrand.accounts.models import Notification


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def last_notification() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def read_at(when: datetime.datetime) -> datetime.datetime | None:
    """Notifications older than three days have been read, as their recipients would have."""
    return when + timedelta(hours=2) if when < timezone.now() - timedelta(days=3) else None


def dated(when: datetime.datetime, service, **kwargs):
    """Run a service step and date the notifications it sent at `when`."""
    last = last_notification()
    result = service(**kwargs)
    Notification.objects.filter(pk__gt=last).update(created=when, read_at=read_at(when))
    return result
