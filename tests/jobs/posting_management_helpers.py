"""Helpers for the employer's posting page tests (tests/jobs/test_posting_management_*.py): the statuses and
dates, URLs, messages, signing in (in English), a posting's stored fields and the form's POST data."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from jobs.models import JobPosting
from tests import factories

Status = JobPosting.Status
TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=30)


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def snapshot(posting):
    posting.refresh_from_db()
    return {field.name: getattr(posting, field.name) for field in JobPosting._meta.concrete_fields}


def posting_data(**overrides):
    data = {
        "title": "数控车床操作工",
        "occupation": factories.make_occupations(1)[0].pk,
        "min_level": factories.make_level(4).pk,
        "brand": "",
        "headcount": "12",
        "salary_min": "6000",
        "salary_max": "8500",
        "province": factories.make_province().pk,
        "city_name": "六安市",
        "county": factories.make_county().pk,
        "housing": "on",
        "meals": "",
        "social_insurance": "on",
        "description": "负责数控车床操作。\n两班倒。",
        "open_until": NEXT_MONTH.isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value not in ("", None)}
