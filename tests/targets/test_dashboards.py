"""The dashboards and the metric pages (targets/views/dashboards.py): who sees which, the figures from the
newest snapshot in a constant number of queries, the status in words, sorting, the year switch, the charts'
data tables, and honest pages when the figures are old or still being computed."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from kombu.exceptions import KombuError

from laborbrand import metrics
from targets import snapshots, tasks
from targets.models import Snapshot, SnapshotFigure
from targets.progress import Status
from tests import factories

pytestmark = pytest.mark.django_db

CITY_TIME = zoneinfo.ZoneInfo("Asia/Shanghai")
A, B, C = "341524", "341525", "341522"  # 金寨县 (official_a), 霍山县 (official_b), 霍邱县
ROLES = ["city_admin", "leading_member", "official_a", "worker", "employer", "institution_staff", "anonymous"]


def this_year() -> int:
    return timezone.localdate().year


def news(county_code: str, count: int, *, brand=None, published_at=None):
    """A cultivating brand of the county (or `brand`) with `count` published news items."""
    brand = brand or factories.CultivatingBrandFactory(county=factories.make_county(county_code))
    for _ in range(count):
        extra = {"published_at": published_at} if published_at else {}
        factories.BrandNewsFactory(brand=brand, published=True, **extra)
    return brand


@pytest.fixture
def figures(official_a, official_b):
    """Published news: 3 in county A (brands a1 with 2, a2 with 1), 1 in B, none in C; counted now."""
    a1 = news(A, 2)
    a2 = news(A, 1)
    b = news(B, 1)
    snapshot = snapshots.refresh(this_year())
    return {"a1": a1, "a2": a2, "b": b, "snapshot": snapshot}


def login(client, request, role: str):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def get(client, url, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


# --- Who sees what ----------------------------------------------------------------------------------------

HOME = {
    "city_admin": ("city", None),
    "leading_member": ("city", None),
    "official_a": ("county", A),
    "worker": 403,
    "employer": 403,
    "institution_staff": 403,
    "anonymous": "login",
}


@pytest.mark.parametrize("role", ROLES)
def test_home_sends_each_reader_to_their_dashboard(client, request, role):
    login(client, request, role)
    response = get(client, reverse("targets:home"))
    expected = HOME[role]
    if expected == 403:
        assert response.status_code == 403
    elif expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif expected[0] == "city":
        assert response.url == reverse("targets:city", args=[this_year()])
    else:
        county = factories.make_county(expected[1])
        assert response.url == reverse("targets:county", args=[this_year(), county.pk])


def _expect(response, expected):
    if expected == "login":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


ACCESS = {
    # page: {role: status}
    "city": {"city_admin": 200, "leading_member": 200, "official_a": 404},
    "county_own": {"city_admin": 200, "leading_member": 200, "official_a": 200},
    "county_other": {"city_admin": 200, "leading_member": 200, "official_a": 404},
    "metric_city": {"city_admin": 200, "leading_member": 200, "official_a": 200},  # an official: own county
    "metric_own": {"city_admin": 200, "leading_member": 200, "official_a": 200},
    "metric_other": {"city_admin": 200, "leading_member": 200, "official_a": 404},
}


def page_url(page: str) -> str:
    year = this_year()
    a, b = factories.make_county(A), factories.make_county(B)
    return {
        "city": reverse("targets:city", args=[year]),
        "county_own": reverse("targets:county", args=[year, a.pk]),
        "county_other": reverse("targets:county", args=[year, b.pk]),
        "metric_city": reverse("targets:metric", args=[year, "published_news"]),
        "metric_own": reverse("targets:metric", args=[year, "published_news"]) + f"?county={a.pk}",
        "metric_other": reverse("targets:metric", args=[year, "published_news"]) + f"?county={b.pk}",
    }[page]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(ACCESS))
def test_each_role_on_each_page(client, request, figures, role, page):
    login(client, request, role)
    expected = ACCESS[page].get(role, "login" if role == "anonymous" else 403)
    _expect(client.get(page_url(page), HTTP_ACCEPT_LANGUAGE="en"), expected)


def test_an_official_reads_their_own_county_on_a_metric_page_without_asking(client, official_a, figures):
    client.force_login(official_a)
    response = get(client, reverse("targets:metric", args=[this_year(), "published_news"]))
    assert response.context["county"] == official_a.county
    assert "county_rows" not in response.context  # no other county's bars


@pytest.mark.parametrize(
    ("key", "query", "status"),
    [
        ("no_such_metric", "", 404),
        ("published_news", "?county=abc", 404),
        ("published_news", "?county=0", 404),
        ("published_news", "?county=99999999999999999999", 404),
        ("published_news", "?county=", 404),
    ],
)
def test_metric_page_refuses_what_is_not_there(client, city_admin, figures, key, query, status):
    client.force_login(city_admin)
    response = client.get(reverse("targets:metric", args=[this_year(), key]) + query)
    assert response.status_code == status


@pytest.mark.parametrize("user", ["city_admin", "leading_member", "official_a"])
def test_readers_have_a_targets_link_and_panel(client, request, user):
    client.force_login(request.getfixturevalue(user))
    page = get(client, reverse("accounts:workbench")).content.decode()
    dashboard = get(client, reverse("targets:home")).url
    assert page.count(f'href="{dashboard}"') == 2  # the menu and the panel
    assert "Programme targets" in page


@pytest.mark.parametrize("user", ["worker", "employer", "institution_staff"])
def test_other_roles_have_no_targets_link(client, request, user):
    client.force_login(request.getfixturevalue(user))
    page = get(client, reverse("accounts:workbench")).content.decode()
    assert 'href="/targets/' not in page


# --- What the dashboards show -----------------------------------------------------------------------------


def test_city_dashboard_shows_every_metric_with_figure_target_status_and_definition(
    client, city_admin, figures
):
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]))
    page = response.content.decode()
    lines = response.context["lines"]
    assert [line.metric.key for line in lines] == [metric.key for metric in metrics.defined()]
    for metric in metrics.defined():
        assert reverse("targets:metric", args=[this_year(), metric.key]) in page
        with translation.override("en"):
            assert escape(str(metric.definition)) in page
    news_line = next(line for line in lines if line.metric.key == "published_news")
    assert news_line.value == 4
    assert "How it is counted (统计口径)" in page
    assert "Figures as of" in page and "the lists behind each figure are live" in page
    # the status in words, with an icon beside the colour
    with translation.override("en"):
        for line in lines:
            assert str(line.progress.status.label) in page
    assert 'class="badge text-bg-' in page and 'aria-hidden="true">' in page


def test_a_rate_shows_its_two_counts(client, city_admin, figures):
    snapshot = figures["snapshot"]
    SnapshotFigure.objects.filter(snapshot=snapshot, metric="pass_rate", county=None, brand=None).delete()
    SnapshotFigure.objects.create(
        snapshot=snapshot,
        metric="pass_rate",
        year_value=Decimal("96.2"),
        year_numerator=481,
        year_denominator=500,
    )
    client.force_login(city_admin)
    page = get(client, reverse("targets:city", args=[this_year()])).content.decode()
    assert "96.2 %" in page and "(481 / 500)" in page


@pytest.mark.parametrize(
    ("value", "target", "status"),
    [
        # a rate: at or above its target on track; within 5 points behind; further at risk
        (Decimal("96.0"), Decimal("95.0"), Status.ON_TRACK),
        (Decimal("91.0"), Decimal("95.0"), Status.BEHIND),
        (Decimal("80.0"), Decimal("95.0"), Status.AT_RISK),
    ],
)
def test_status_words_on_the_dashboard(client, city_admin, figures, value, target, status):
    from targets.models import Target

    Target.objects.create(year=this_year(), metric="pass_rate", value=target)
    snapshot = figures["snapshot"]
    SnapshotFigure.objects.filter(snapshot=snapshot, metric="pass_rate", county=None, brand=None).delete()
    SnapshotFigure.objects.create(
        snapshot=snapshot, metric="pass_rate", year_value=value, year_numerator=1, year_denominator=1
    )
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]))
    line = next(line for line in response.context["lines"] if line.metric.key == "pass_rate")
    assert line.progress.status == status
    with translation.override("en"):
        assert str(status.label) in response.content.decode()


def test_county_dashboard_shows_the_county_and_its_brands_only(client, official_a, figures):
    client.force_login(official_a)
    response = get(client, reverse("targets:county", args=[this_year(), official_a.county_id]))
    news_line = next(line for line in response.context["lines"] if line.metric.key == "published_news")
    assert news_line.value == 3
    assert {row.name for row in response.context["brand_rows"]} == {figures["a1"].name, figures["a2"].name}
    assert "county_rows" not in response.context
    assert figures["b"].name not in response.content.decode()


def test_city_dashboard_lists_every_county_and_brand(client, city_admin, figures):
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]))
    county_values = {row.name: row.lines["published_news"].value for row in response.context["county_rows"]}
    assert county_values[factories.make_county(A).name] == 3
    assert county_values[factories.make_county(B).name] == 1
    assert county_values[factories.make_county(C).name] == 0
    brand_values = {row.name: row.lines["published_news"].value for row in response.context["brand_rows"]}
    assert brand_values == {figures["a1"].name: 2, figures["a2"].name: 1, figures["b"].name: 1}
    page = response.content.decode()
    assert reverse("targets:county", args=[this_year(), factories.make_county(A).pk]) in page


# --- Sorting ----------------------------------------------------------------------------------------------


def test_county_table_sorts_by_a_metric_either_way(client, city_admin, figures):
    client.force_login(city_admin)
    url = reverse("targets:city", args=[this_year()])
    a, b, c = (factories.make_county(code).name for code in (A, B, C))

    def order(**params):
        response = get(client, url, **params)
        names = [row.name for row in response.context["county_rows"]]
        return [name for name in names if name in (a, b, c)], response.content.decode()

    descending, page = order(sort="published_news", order="desc")
    assert descending == [a, b, c]
    assert 'aria-sort="descending"' in page
    ascending, page = order(sort="published_news", order="asc")
    assert ascending == [c, b, a]
    assert 'aria-sort="ascending"' in page
    # the sorted column's header offers the other order; the others their default
    assert "sort=published_news&amp;order=desc#counties" in page
    assert "sort=trainee_times&amp;order=desc#counties" in page
    assert "sort=name&amp;order=asc#counties" in page


@pytest.mark.parametrize("params", [{}, {"sort": "bogus"}, {"sort": "published_news", "order": "sideways"}])
def test_county_table_without_a_known_sort_keeps_the_county_order(client, city_admin, figures, params):
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]), **params)
    rows = response.context["county_rows"]
    if params.get("sort") == "published_news":  # an unknown order is ascending
        values = [row.lines["published_news"].value for row in rows]
        assert values == sorted(values)
    else:
        codes = [row.scope.county_id for row in rows]
        assert codes == [county.pk for county in type(figures["a1"].county).objects.order_by("code")]
        assert "aria-sort" not in response.content.decode()


def test_brand_table_sorts_on_its_own(client, city_admin, figures):
    client.force_login(city_admin)
    response = get(
        client,
        reverse("targets:city", args=[this_year()]),
        sort="name",
        order="desc",
        brand_sort="published_news",
        brand_order="desc",
    )
    brands = [row.name for row in response.context["brand_rows"]]
    assert brands[0] == figures["a1"].name
    assert set(brands[1:]) == {figures["a2"].name, figures["b"].name}
    page = response.content.decode()
    # a brand header keeps the county table's sort
    assert "sort=name&amp;order=desc&amp;brand_sort=county&amp;brand_order=asc#brands" in page


# --- The year switch --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/targets/1999/", "/targets/2101/", "/targets/abc/", "/targets/-1/"])
def test_years_out_of_range_are_missing_pages(client, city_admin, path):
    client.force_login(city_admin)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("year", [1999, 2101])
def test_years_out_of_range_are_missing_on_every_page(client, city_admin, year):
    client.force_login(city_admin)
    county = factories.make_county(A)
    for url in (
        reverse("targets:county", args=[year, county.pk]),
        reverse("targets:metric", args=[year, "published_news"]),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("value", ["1999", "2101", "abc", "", "２０２５"])
def test_year_switch_refuses_a_bad_year(client, city_admin, value):
    client.force_login(city_admin)
    assert client.get(reverse("targets:city", args=[this_year()]), {"year": value}).status_code == 404


def test_year_switch_goes_to_the_same_page_of_the_year(client, city_admin, official_a):
    client.force_login(city_admin)
    year = this_year()
    county = official_a.county
    assert client.get(reverse("targets:city", args=[year]), {"year": 2025}).url == reverse(
        "targets:city", args=[2025]
    )
    assert client.get(reverse("targets:county", args=[year, county.pk]), {"year": 2024}).url == reverse(
        "targets:county", args=[2024, county.pk]
    )
    response = client.get(
        reverse("targets:metric", args=[year, "pass_rate"]), {"year": 2024, "county": county.pk}
    )
    assert response.url == reverse("targets:metric", args=[2024, "pass_rate"]) + f"?county={county.pk}"


def test_year_switch_lists_years_with_figures_and_links_neighbours(client, city_admin, figures):
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]))
    page = response.content.decode()
    assert response.context["years"][0] == this_year()
    assert '<label class="form-label" for="year-switch">Year</label>' in page
    assert f'?year={this_year() - 1}"' in page
    assert response.context["next_year"] is None


def test_a_year_not_begun_says_so(client, city_admin):
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year() + 1]))
    assert response.status_code == 200
    assert "has not begun" in response.content.decode()
    assert not Snapshot.objects.exists()


# --- Freshness, and the queue down ------------------------------------------------------------------------


def test_no_figures_yet_are_computed_on_the_first_view(client, city_admin, official_a):
    news(A, 2)
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]))
    assert Snapshot.objects.filter(kind=Snapshot.Kind.CURRENT, year=this_year()).count() == 1
    assert next(line for line in response.context["lines"] if line.metric.key == "published_news").value == 2


def test_stale_figures_are_recomputed(client, city_admin, figures):
    Snapshot.objects.filter(pk=figures["snapshot"].pk).update(
        taken_at=timezone.now() - datetime.timedelta(hours=2)
    )
    news(A, 1)
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]))
    assert response.context["figures"].snapshot.pk != figures["snapshot"].pk
    assert next(line for line in response.context["lines"] if line.metric.key == "published_news").value == 5
    assert not response.context["figures"].refreshing


@pytest.fixture
def queue_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise KombuError("the broker is unreachable")

    monkeypatch.setattr(tasks.refresh_figures, "delay", refuse)


@pytest.mark.parametrize("page", ["city", "county_own", "metric_city"])
def test_queue_down_without_figures_says_they_are_being_computed(client, city_admin, queue_down, page):
    client.force_login(city_admin)
    response = get(client, page_url(page))
    assert response.status_code == 200
    assert "are being computed" in response.content.decode()
    assert not Snapshot.objects.exists()


def test_queue_down_keeps_the_old_figures_and_says_how_old(client, city_admin, figures, queue_down):
    Snapshot.objects.filter(pk=figures["snapshot"].pk).update(
        taken_at=timezone.now() - datetime.timedelta(hours=2)
    )
    client.force_login(city_admin)
    response = get(client, reverse("targets:city", args=[this_year()]))
    page = response.content.decode()
    assert response.context["figures"].snapshot.pk == figures["snapshot"].pk
    assert response.context["figures"].refreshing
    assert "Figures as of" in page and "New ones are being computed" in page


# --- Constant queries -------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", ["city", "county_own", "metric_city"])
def test_queries_do_not_grow_with_records_counties_and_brands(client, city_admin, page):
    year = this_year()
    news(A, 1)
    snapshots.refresh(year)
    client.force_login(city_admin)
    url = page_url(page)
    _queries(client, url)  # the session and caches warmed
    small = _queries(client, url)

    for code in (A, A, B, C):
        news(code, 3)
    snapshots.refresh(year)
    assert _queries(client, url) == small


# --- The metric page: charts and their tables -------------------------------------------------------------


@pytest.fixture
def last_year_months(official_a, official_b):
    """News of last year: 1 in county A in February, 2 in B in April, 1 in A in November; monthly snapshots
    of March and May only (the rest are gaps); then the year's figures."""
    year = this_year() - 1
    brand_a = factories.CultivatingBrandFactory(county=official_a.county)
    brand_b = factories.CultivatingBrandFactory(county=official_b.county)
    news(A, 1, brand=brand_a, published_at=datetime.datetime(year, 2, 10, 9, tzinfo=CITY_TIME))
    news(B, 2, brand=brand_b, published_at=datetime.datetime(year, 4, 10, 9, tzinfo=CITY_TIME))
    news(A, 1, brand=brand_a, published_at=datetime.datetime(year, 11, 10, 9, tzinfo=CITY_TIME))
    snapshots.take_month(year, 3)
    snapshots.take_month(year, 5)
    latest = snapshots.refresh(year)
    return {"year": year, "latest": latest}


def test_metric_page_month_table_shows_the_monthly_snapshots_and_gaps(client, city_admin, last_year_months):
    year = last_year_months["year"]
    client.force_login(city_admin)
    response = get(client, reverse("targets:metric", args=[year, "published_news"]))
    rows = response.context["month_rows"]
    assert [row.month for row in rows] == list(range(1, 13))
    assert {row.month: row.value for row in rows if row.figure} == {3: 1, 5: 3, 12: 4}
    # the table's figures are the snapshots'
    for row in rows:
        if row.figure is not None:
            kind = Snapshot.Kind.CURRENT if row.month == 12 else Snapshot.Kind.MONTHLY
            stored = SnapshotFigure.objects.get(
                snapshot__kind=kind,
                snapshot__year=year,
                snapshot__as_of=row.as_of,
                metric="published_news",
                county=None,
                brand=None,
            )
            assert row.value == stored.year_value
    page = response.content.decode()
    assert page.count("No snapshot was taken for this month") == 9
    # the chart: a dot per figure, the two months joined by a line are March and May only after a gap
    chart = response.context["line_chart"]
    assert len(chart.marks) == 3 and chart.segments == []
    assert 'role="img"' in page and 'aria-labelledby="chart-months-title chart-months-desc"' in page
    assert 'viewBox="0 0 480 260"' in page and 'width="100%"' in page
    assert "style=" not in page.split('id="by-month-heading"')[1]
    assert "<caption>" in page and '<th scope="col">Month</th>' in page


def test_metric_page_county_bars_and_table_equal_the_snapshot(client, city_admin, last_year_months):
    year = last_year_months["year"]
    client.force_login(city_admin)
    response = get(client, reverse("targets:metric", args=[year, "published_news"]))
    rows = response.context["county_rows"]
    stored = {
        figure.county_id: figure.year_value
        for figure in SnapshotFigure.objects.filter(
            snapshot=last_year_months["latest"], metric="published_news", county__isnull=False
        )
    }
    assert {row.county.pk: row.value for row in rows} == stored
    bars = response.context["bar_chart"].bars
    assert [(bar.label, bar.value) for bar in bars] == [(row.county.name, row.value) for row in rows]
    page = response.content.decode()
    assert 'aria-labelledby="chart-counties-title chart-counties-desc"' in page
    assert "<text" in page


def test_metric_page_of_a_rate_draws_its_flat_target(client, city_admin, last_year_months):
    client.force_login(city_admin)
    response = get(client, reverse("targets:metric", args=[last_year_months["year"], "pass_rate"]))
    chart = response.context["line_chart"]
    assert chart.maximum == 100
    start, end = chart.target.split(" L ")
    assert start.split(",")[1] == end.split(",")[1]  # flat


def test_metric_page_of_a_county_has_no_county_bars(client, official_a, last_year_months):
    client.force_login(official_a)
    response = get(
        client,
        reverse("targets:metric", args=[last_year_months["year"], "published_news"]),
        county=official_a.county_id,
    )
    assert {row.month: row.value for row in response.context["month_rows"] if row.figure} == {
        3: 1,
        5: 1,
        12: 2,
    }
    assert "bar_chart" not in response.context


# --- Each figure links to the records it counts -----------------------------------------------------------


def test_each_figure_links_to_its_records_with_the_same_scope(client, city_admin, figures):
    year = this_year()
    records = reverse("targets:records", args=[year, "published_news"])
    a = factories.make_county(A)
    client.force_login(city_admin)
    page = get(client, reverse("targets:city", args=[year])).content.decode()
    assert f'href="{records}"' in page  # the city's figure
    assert f'href="{records}?county={a.pk}"' in page  # a county's
    assert f'href="{records}?brand={figures["a1"].pk}"' in page  # a brand's
    county_page = get(client, reverse("targets:county", args=[year, a.pk])).content.decode()
    assert f'href="{records}?county={a.pk}"' in county_page
    assert f'href="{records}"' not in county_page
    metric_page = get(client, reverse("targets:metric", args=[year, "published_news"])).content.decode()
    assert f'href="{records}?county={a.pk}"' in metric_page
