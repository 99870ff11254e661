"""Moments in the city's time (Asia/Shanghai, UTC+8) and a clock set to the first minutes of a new year, for
the pages' one period rule: the calendar year to date in city time (laborbrand.metrics.Period.year_to_date).

At 00:10 on 1 January in the city it is still 31 December in UTC, so a page that took a UTC date for today
would count the old year: the tests that set this clock catch that."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from laborbrand.metrics import get

NEW_YEAR = 2027


def city_moment(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


# Counted this year: five minutes into 1 January, city time. Not counted: five minutes before it.
FIRST_MINUTES = city_moment(NEW_YEAR, 1, 1, 0, 5)
LAST_MINUTES = city_moment(NEW_YEAR - 1, 12, 31, 23, 55)
NOW = city_moment(NEW_YEAR, 1, 1, 0, 10)


@pytest.fixture
def new_year_morning(monkeypatch):
    """The portal's clock at 00:10 on 1 January (city time): today is 1 January, the year to date one day."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    assert timezone.localdate() == datetime.date(NEW_YEAR, 1, 1)
    assert NOW.astimezone(datetime.UTC).date() == datetime.date(NEW_YEAR - 1, 12, 31)
    return NOW


def definition_shown(key: str) -> str:
    """A metric's definition (统计口径) as an English page shows it (escaped)."""
    with translation.override("en"):
        return escape(str(get(key).definition))


def period_shown(year: int) -> str:
    """How an English page names the year to date."""
    return f"1 January {year} to date"
