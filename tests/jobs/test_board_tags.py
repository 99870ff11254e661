"""The job board's template filters."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.utils import timezone

from jobs.templatetags.jobs_board import isodate

UTC = datetime.UTC
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.date(2026, 3, 9), "2026-03-09"),
        (datetime.datetime(2026, 3, 9, 15, 59, tzinfo=UTC), "2026-03-09"),
        (datetime.datetime(2026, 3, 9, 16, 0, tzinfo=UTC), "2026-03-10"),  # midnight in Shanghai
        (datetime.datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI), "2026-03-10"),
        (None, ""),
    ],
)
def test_isodate_gives_the_local_date_as_the_date_filter_does(value, expected):
    with timezone.override(SHANGHAI):
        as_date_filter = engines["django"].from_string('{{ value|date:"Y-m-d" }}').render({"value": value})

        assert isodate(value) == expected == as_date_filter
