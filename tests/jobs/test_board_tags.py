"""The job board's template filters."""

import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone, translation

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


OLD_SALARY = (
    "{% load i18n humanize %}{% if posting.salary_min == posting.salary_max %}"
    "{% blocktranslate with amount=posting.salary_min|intcomma %}¥{{ amount }}/month{% endblocktranslate %}"
    "{% else %}{% blocktranslate with low=posting.salary_min|intcomma high=posting.salary_max|intcomma %}"
    "¥{{ low }}–{{ high }}/month{% endblocktranslate %}{% endif %}"
)
OLD_OPENINGS = (
    "{% load i18n %}{% blocktranslate count counter=posting.headcount %}{{ counter }} opening{% plural %}"
    "{{ counter }} openings{% endblocktranslate %}"
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("low", "high", "headcount"), [(6000, 8000, 1), (5000, 5000, 5), (1000, 200000, 10000), (12500, 13000, 2)]
)
def test_the_cards_salary_and_openings_read_as_the_templates_did(language, low, high, headcount):
    posting = SimpleNamespace(salary_min=low, salary_max=high, headcount=headcount)
    engine = engines["django"]
    with translation.override(language):
        expected = (
            engine.from_string(OLD_SALARY).render({"posting": posting}),
            engine.from_string(OLD_OPENINGS).render({"posting": posting}),
        )
        rendered = engine.from_string(
            "{% load jobs_board %}{{ posting|salary_range }}|{{ n|openings }}"
        ).render({"posting": posting, "n": headcount})

    assert rendered == "|".join(expected)
    if language == "en":
        assert expected[0] == (f"¥{low:,}/month" if low == high else f"¥{low:,}–{high:,}/month")
