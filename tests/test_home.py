"""The home page: a job search box, the newest open jobs, and the city's name in every page's title."""

import datetime
import re
import time

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jobs.models import Application
from laborbrand import views as home_views
from laborbrand.metrics import Figure, Period, Scope, figure
from laborbrand.settings import redis_cache
from tests import factories
from tests.year_to_date import (  # noqa: F401
    FIRST_MINUTES,
    LAST_MINUTES,
    NEW_YEAR,
    definition_shown,
    new_year_morning,
    period_shown,
)

pytestmark = pytest.mark.django_db

HOME = reverse("home")
NOW = timezone.now()


def html(client, url=HOME, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def latest_titles(content: str) -> list[str]:
    section = content.split('id="latest-jobs"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="/jobs/\d+/">([^<]+)</a>', section)


def test_the_search_box_sends_the_words_to_the_job_search(client):
    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert f'<form method="get" action="{reverse("jobs:search")}" role="search"' in content
    assert re.search(r'<input type="search" [^>]*id="home-search" name="q" maxlength="50"', content)
    assert '<label class="form-label fw-semibold" for="home-search">Find a job</label>' in content


def test_the_search_box_leads_to_the_results(client, db):
    factories.JobPostingFactory(title="电焊工", description="苏州工业园区。")
    factories.JobPostingFactory(title="厨师", description="六安市。")

    response = client.get(reverse("jobs:search"), {"q": "焊工 苏州"})

    assert [posting.title for posting in response.context["page_obj"]] == ["电焊工"]


def test_the_latest_open_jobs_are_listed_newest_first_and_only_public_ones(client, db):
    employer = factories.VerifiedEmployerFactory(name="合力机械有限公司")
    for hours in range(8):
        factories.JobPostingFactory(
            employer=employer, title=f"岗位{hours}", published_at=NOW - datetime.timedelta(hours=hours)
        )
    hidden = [
        factories.JobPostingFactory(title="草稿岗位", draft=True),
        factories.JobPostingFactory(title="关闭岗位", closed=True),
        factories.JobPostingFactory(title="过期岗位", lapsed=True),
        factories.JobPostingFactory(title="下架岗位", taken_down=True),
        factories.JobPostingFactory(title="未认证企业岗位", employer=factories.EmployerFactory()),
    ]

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert latest_titles(content) == [f"岗位{hours}" for hours in range(6)]
    assert "合力机械有限公司" in content
    assert "¥6,000–8,000/month" in content
    assert "安徽省 六安市 金寨县" in content
    for posting in hidden:
        assert posting.title not in content


def test_no_open_job_says_so(client, db):
    factories.JobPostingFactory(title="草稿岗位", draft=True)

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert latest_titles(content) == []
    assert "No job is open right now." in content


def test_the_latest_jobs_cost_one_query_however_many_there_are(client, db):
    def home_queries() -> int:
        with CaptureQueriesContext(connection) as context:
            html(client)
        return len(context)

    empty = home_queries()
    for _ in range(10):
        factories.JobPostingFactory()

    assert home_queries() == empty


@pytest.mark.parametrize("role", [None, "worker", "employer", "city_admin"])
def test_every_role_sees_the_search_and_the_latest_jobs(client, request, role):
    factories.JobPostingFactory(title="焊工")
    if role:
        client.force_login(request.getfixturevalue(role))

    content = html(client)

    assert 'id="home-search"' in content
    assert latest_titles(content) == ["焊工"]


@pytest.mark.parametrize("url", [HOME, reverse("jobs:search"), reverse("login"), reverse("privacy")])
def test_the_title_and_brand_carry_the_citys_name(client, url):
    content = html(client, url, HTTP_ACCEPT_LANGUAGE="en")

    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert "六安市 labour-brand portal" in title
    brand = re.search(r'<a class="navbar-brand[^"]*"[^>]*>(.*?)</a>', content, re.S).group(1)
    assert "六安市" in brand


def test_the_citys_name_is_a_setting(client, settings):
    settings.SITE_CITY_NAME = "安庆市"

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert "<title>" in content
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert "安庆市 labour-brand portal" in title
    assert "六安市 labour-brand portal" not in content


# --- The public counters: the registry's city figures for the year to date ----------------------------------

COUNTERS = home_views.HOME_METRICS


def counter_shown(content: str, key: str) -> str:
    return content.split(f'data-figure="{key}">', 1)[1].split("<", 1)[0]


def records_at(moment):
    """A completed enrolment in a brand programme, a certificate issued and a hire, all at `moment`."""
    factories.EnrollmentFactory(
        program__brand=factories.CultivatingBrandFactory(), completed=True, completed_at=moment
    )
    day = timezone.localtime(moment).date()
    factories.CertificateFactory(assessment=factories.AssessmentFactory(assessed_on=day), issued_on=day)
    factories.ApplicationFactory(status=Application.Status.HIRED, status_changed=moment)


def test_the_counters_are_the_registrys_city_figures_for_the_year_to_date(client, db):
    records_at(timezone.now())
    factories.ApplicationFactory(status=Application.Status.SUBMITTED)  # not a placement

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    period = Period.year_to_date()
    for key in COUNTERS:
        assert counter_shown(content, key) == str(figure(key, Scope.city(), period).value) == "1", key
        assert definition_shown(key) in content
    assert period_shown(period.start.year) in content
    assert '<dl class="row' in content


@pytest.mark.parametrize(("moment", "counted"), [(FIRST_MINUTES, "1"), (LAST_MINUTES, "0")])
@pytest.mark.usefixtures("new_year_morning")
def test_the_counters_year_starts_at_midnight_city_time(client, db, moment, counted):
    """At 00:10 on 1 January, city time (still 31 December in UTC): the new year's first minutes count, the
    old year's last do not."""
    records_at(moment)

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    new_year = Period(datetime.date(NEW_YEAR, 1, 1), datetime.date(NEW_YEAR, 1, 1))
    for key in COUNTERS:
        assert counter_shown(content, key) == str(figure(key, Scope.city(), new_year).value) == counted, key
    assert period_shown(NEW_YEAR) in content


def test_the_counters_have_thousands_separators_and_no_personal_data(client, db, monkeypatch):
    hire = factories.ApplicationFactory(status=Application.Status.HIRED)
    monkeypatch.setattr(home_views, "registry_figure", lambda key, scope, period: Figure(1234567))

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    for key in COUNTERS:
        assert counter_shown(content, key) == "1,234,567"
    for personal in (hire.worker.real_name, hire.worker.phone, hire.worker.id_number):
        assert personal not in content


class Clock:
    def __init__(self):
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


@pytest.mark.parametrize(("after", "placements"), [(0, "1"), (299, "1"), (301, "2")])
def test_the_counters_are_kept_for_the_set_time_and_the_page_says_so(
    client, db, settings, monkeypatch, after, placements
):
    clock = Clock()
    monkeypatch.setattr(locmem, "time", clock)
    monkeypatch.setattr(cache_base, "time", clock)
    settings.HOME_FIGURES_SECONDS = 300
    factories.ApplicationFactory(status=Application.Status.HIRED)
    assert counter_shown(html(client), "placements") == "1"
    factories.ApplicationFactory(status=Application.Status.HIRED)
    clock.offset = after

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert counter_shown(content, "placements") == placements
    assert "updated every 5 minutes" in content


def test_without_a_cache_time_the_page_says_the_counters_are_live(client, db):
    assert "Counted live from the portal" in html(client, HTTP_ACCEPT_LANGUAGE="en")


def test_with_the_cache_down_the_counters_are_counted_live(client, db, settings):
    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:6390/0")}  # nothing listens there
    settings.HOME_FIGURES_SECONDS = 300
    factories.ApplicationFactory(status=Application.Status.HIRED)

    assert counter_shown(html(client), "placements") == "1"


def test_when_the_figures_cannot_be_counted_the_page_leaves_them_out(client, db, monkeypatch):
    def failing(key, scope, period):
        raise DatabaseError("the database is unreachable")

    monkeypatch.setattr(home_views, "registry_figure", failing)

    content = html(client, HTTP_ACCEPT_LANGUAGE="en")

    assert 'aria-labelledby="home-figures"' not in content
    assert "Latest jobs" in content
