"""Helpers for the programme page tests (tests/training/test_program_views_*.py): the statuses, today, URLs,
messages and signing in (in English)."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from training.models import Enrollment, TrainingProgram

Status = TrainingProgram.Status
EStatus = Enrollment.Status
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def last_message_level(response):
    """The level of the message this request added (earlier unread ones are still stored before it)."""
    return messages_of(response)[-1][0]


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
