"""The monthly reports (targets/report.py, targets/views/reports.py): the list of snapshots, a month's report
for the city or a county with the previous month and the frozen targets, its workbook, taking a snapshot;
who may see what, and bad numbers answered 404, never 500."""

from __future__ import annotations

import copy
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from laborbrand import metrics
from laborbrand.metrics import Scope
from laborbrand.reference.models import County
from targets import report as reports
from targets import snapshots
from targets.models import Snapshot, SnapshotFigure, Target
from targets.progress import Status
from tests import factories

pytestmark = pytest.mark.django_db

CITY_ZONE = timezone.get_fixed_timezone(8 * 60)
OTHER_ROLES = ["worker", "employer", "institution_staff"]


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CITY_ZONE)


def freeze_february_and_march() -> dict:
    """February and March 2025 frozen: brands of 金寨县 (official_a's county; one brand named "=cmd") and
    霍山县 (official_b's) with news in both months (more in March), a city target for news set before March
    was frozen."""
    a, b = factories.make_county("341524"), factories.make_county("341525")
    brand_a = factories.CultivatingBrandFactory(name="金寨红嫂", county=a)
    formula = factories.CultivatingBrandFactory(name="=cmd", county=a)
    brand_b = factories.CultivatingBrandFactory(name="霍山茶艺", county=b)
    for brand, when in (
        (brand_a, at(2025, 2, 10)),
        (brand_a, at(2025, 3, 5)),
        (brand_a, at(2025, 3, 6)),
        (formula, at(2025, 3, 7)),
        (brand_b, at(2025, 3, 8)),
    ):
        factories.BrandNewsFactory(brand=brand, published=True, published_at=when)
    Target.objects.create(year=2025, metric="published_news", value=Decimal(40))
    february = snapshots.take_month(2025, 2)
    march = snapshots.take_month(2025, 3)
    return {"february": february, "march": march, "brand_a": brand_a, "formula": formula, "brand_b": brand_b}


@pytest.fixture(scope="class")
def frozen_months(shared_rows):
    """The two months, frozen once for the tests of TestFebruaryAndMarchFrozen (each snapshot takes
    seconds)."""
    yield from shared_rows(freeze_february_and_march)


@pytest.fixture
def months(db, frozen_months, official_a, official_b):
    """freeze_february_and_march's rows, with official_a and official_b; each test has its own copy of the
    objects, and what it changes in the database is rolled back after it."""
    return copy.deepcopy(frozen_months)


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def report_url(year=2025, month=3, **query):
    url = reverse("targets:report", args=[year, month])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def workbook(response):
    assert response.status_code == 200
    return load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


@pytest.mark.xdist_group("reports_frozen_months")  # one xdist worker (not yet honoured: pyproject.toml)
class TestFebruaryAndMarchFrozen:
    """The tests reading February's and March's snapshots (the `months` fixture): the months are frozen once
    for the class."""

    # The report itself

    def test_the_report_compares_the_month_with_the_previous_one_and_the_frozen_target(self, months):
        report = reports.Report(months["march"])
        assert report.previous == months["february"]
        line = next(line for line in report.lines(Scope.city()) if line.metric.key == "published_news")
        assert (line.month, line.previous, line.change, line.year_to_date) == (4, 1, 3, 5)
        assert line.target == Decimal(40)
        assert line.progress.status in {Status.BEHIND, Status.AT_RISK}
        # Changing the target afterwards changes nothing in March's report.
        Target.objects.filter(year=2025, metric="published_news").update(value=Decimal(1))
        again = reports.Report(Snapshot.objects.get(pk=months["march"].pk))
        assert next(x for x in again.lines(Scope.city()) if x.metric.key == "published_news").target == 40

    def test_a_county_report_counts_only_the_county(self, months, official_a):
        report = reports.Report(months["march"])
        line = next(
            x for x in report.lines(Scope.county(official_a.county)) if x.metric.key == "published_news"
        )
        assert (line.month, line.previous, line.year_to_date) == (3, 1, 4)

    def test_the_first_month_has_nothing_to_compare_with(self, months):
        report = reports.Report(months["february"])
        assert report.previous is None
        assert all(line.previous is None and line.change is None for line in report.lines(Scope.city()))

    def test_the_report_reads_three_queries_whatever_the_scopes(self, months, django_assert_num_queries):
        with django_assert_num_queries(3):  # the previous snapshot, and the figures of both
            report = reports.Report(months["march"])
        with django_assert_num_queries(0):
            for brand in ("brand_a", "brand_b", "formula"):
                report.lines(Scope.brand(months[brand]))
        # A count judged against a deadline (brands selected by 31 May) reads the year's deadlines.
        with django_assert_num_queries(1):
            report.lines(Scope.city())

    # The list

    @pytest.mark.parametrize(
        ("role", "status", "button"),
        [
            ("city_admin", 200, True),
            ("leading_member", 200, False),
            ("official_a", 200, False),
            *((role, 403, False) for role in OTHER_ROLES),
            ("anonymous", 302, False),
        ],
    )
    def test_the_list_of_reports(self, client, request, months, role, status, button):
        on_demand = snapshots.take_today(request.getfixturevalue("city_admin"))
        response = login(client, request, role).get(reverse("targets:reports") + "?year=2025")
        assert response.status_code == status
        if status == 302:
            assert "/login" in response["Location"] or "accounts" in response["Location"]
            return
        if status != 200:
            return
        text = response.content.decode()
        assert (reverse("targets:snapshot_take") in text) is button
        assert text.index(report_url(2025, 3)) < text.index(report_url(2025, 2))  # newest first
        assert reverse("targets:report_export", args=[2025, 3]) in text
        # The months over without a snapshot are listed too.
        assert report_url(2025, 4).split("?")[0] in text
        this_year = client.get(reverse("targets:reports")).content.decode()
        assert reverse("targets:snapshot", args=[on_demand.pk]) in this_year

    # The month's page

    @pytest.mark.parametrize(
        ("role", "query", "status", "heading"),
        [
            ("city_admin", {}, 200, "city"),
            ("city_admin", {"county": "b"}, 200, "霍山县"),
            ("leading_member", {}, 200, "city"),
            ("leading_member", {"county": "a"}, 200, "金寨县"),
            ("official_a", {}, 200, "金寨县"),
            ("official_a", {"county": "a"}, 200, "金寨县"),
            ("official_a", {"county": "b"}, 404, None),
            ("city_admin", {"county": "0"}, 404, None),
            ("city_admin", {"county": "99999999999999999999999"}, 404, None),
            ("city_admin", {"county": "x"}, 404, None),
            *((role, {}, 403, None) for role in OTHER_ROLES),
            ("anonymous", {}, 302, None),
        ],
    )
    def test_the_report_page(
        self, client, request, months, official_a, official_b, role, query, status, heading
    ):
        counties = {"a": official_a.county_id, "b": official_b.county_id}
        query = {key: counties.get(value, value) for key, value in query.items()}
        response = login(client, request, role).get(report_url(**query))
        assert response.status_code == status
        if status != 200:
            return
        text = response.content.decode()
        h1 = text[text.index("<h1") : text.index("</h1>")]
        if heading == "city":
            assert "金寨县" not in h1 and "霍山县" not in h1
            assert "report-counties" in text  # the counties compared
            assert "金寨红嫂" in text and "霍山茶艺" in text
        else:
            assert heading in h1
            assert "report-counties" not in text
            if heading == "金寨县":
                assert "金寨红嫂" in text and "霍山茶艺" not in text
        # Every metric, with its 统计口径, and the frozen target of news.
        for metric in metrics.defined():
            assert f'data-metric="{metric.key}"' in text
        assert text.count("metric-definition") >= len(metrics.defined())
        assert response.context["report"].snapshot == months["march"]

    def test_the_report_says_when_and_who_and_what_it_compares(self, client, city_admin, months):
        client.force_login(city_admin)
        response = client.get(report_url())
        line = next(x for x in response.context["lines"] if x.metric.key == "published_news")
        assert (line.month, line.previous, line.change, line.year_to_date, line.target) == (4, 1, 3, 5, 40)
        text = response.content.decode()
        assert "report-status" in text and "text-bg-" in text
        assert "2025" in text and "+3" in text

    def test_the_report_prints_on_a4(self, client, city_admin, months):
        client.force_login(city_admin)
        text = client.get(report_url()).content.decode()
        assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', text)
        # The page's buttons and forms are not printed; the definitions are printed as text.
        assert 'class="d-print-none d-flex' in text
        assert text.count("d-none d-print-block print-only") >= len(metrics.defined())
        css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
        for rule in ("size: A4", "margin: 15mm", "break-inside: avoid", ".print-only", "footer", "form"):
            assert rule in css

    # The workbook

    def test_the_city_workbook_has_the_city_every_county_and_the_brands(self, client, city_admin, months):
        client.force_login(city_admin)
        book = workbook(client.get(reverse("targets:report_export", args=[2025, 3])))
        counties = list(County.objects.order_by("code").values_list("name", flat=True))
        assert len(book.sheetnames) == 2 + len(counties)
        assert book.sheetnames[1:-1] == counties
        city = book.worksheets[0]
        rows = {row[0]: row for row in city.iter_rows(min_row=2, values_only=True)}
        news = str(metrics.get("published_news").name)
        kept = SnapshotFigure.objects.get(
            snapshot=months["march"], metric="published_news", county=None, brand=None
        )
        assert rows[news][2] == kept.month_value == 4
        assert rows[news][3] == 1 and rows[news][4] == 3 and rows[news][5] == kept.year_value == 5
        assert rows[news][6] == 40
        brands = book.worksheets[-1]
        names = {row[0] for row in brands.iter_rows(min_row=2, values_only=True)}
        assert {"金寨红嫂", "'=cmd", "霍山茶艺"} <= names
        # The brand named "=cmd" is text, not a formula.
        cell = next(c for row in brands.iter_rows(min_row=2) for c in row[:1] if c.value == "'=cmd")
        assert cell.data_type == "s"

    def test_an_officials_workbook_has_their_county_and_brands_only(self, client, official_a, months):
        client.force_login(official_a)
        book = workbook(client.get(reverse("targets:report_export", args=[2025, 3])))
        assert len(book.sheetnames) == 2
        assert book.sheetnames[0] == official_a.county.name
        names = {row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
        assert names == {"金寨红嫂", "'=cmd"}

    @pytest.mark.parametrize(("role", "status"), [*((role, 403) for role in OTHER_ROLES), ("anonymous", 302)])
    def test_the_workbook_is_for_readers_only(self, client, request, months, role, status):
        response = login(client, request, role).get(reverse("targets:report_export", args=[2025, 3]))
        assert response.status_code == status

    def test_a_workbook_of_a_month_without_snapshot_is_404(self, client, leading_member, months):
        client.force_login(leading_member)
        assert client.get(reverse("targets:report_export", args=[2025, 5])).status_code == 404
        assert client.get(reverse("targets:report_export", args=[2025, 3])).status_code == 200

    # A monthly snapshot's page

    def test_a_monthly_snapshots_page_is_its_report(self, client, city_admin, months, official_b):
        client.force_login(city_admin)
        response = client.get(
            reverse("targets:snapshot", args=[months["march"].pk]) + f"?county={official_b.county_id}"
        )
        assert response.status_code == 302
        assert response["Location"] == report_url(county=official_b.county_id)


# The list


@pytest.mark.parametrize("year", ["1999", "2101", "abc", "99999999999999999999"])
def test_the_list_ignores_a_bad_year(client, city_admin, year):
    client.force_login(city_admin)
    assert client.get(reverse("targets:reports") + f"?year={year}").status_code == 200


# The month's page


@pytest.mark.parametrize(
    ("year", "month"),
    [(1999, 3), (2101, 3), (2025, 0), (2025, 13), (99999, 1), (2025, 99999999999999999999)],
)
def test_bad_year_or_month_is_404(client, city_admin, year, month):
    client.force_login(city_admin)
    url = f"/targets/reports/{year}/{month}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/targets/reports/{year}/{month}.xlsx").status_code == 404


def test_a_month_not_over_is_404(client, city_admin):
    client.force_login(city_admin)
    today = timezone.localdate()
    assert client.get(report_url(today.year, today.month)).status_code == 404
    assert client.get(reverse("targets:report_export", args=[today.year, today.month])).status_code == 404


@pytest.mark.parametrize(
    ("role", "button"), [("city_admin", True), ("leading_member", False), ("official_a", False)]
)
def test_a_month_over_without_snapshot_says_so(client, request, role, button):
    response = login(client, request, role).get(report_url(2025, 6))
    assert response.status_code == 200
    text = response.content.decode()
    assert "report-missing" in text
    assert (reverse("targets:snapshot_take") in text) is button
    assert client.get(reverse("targets:report_export", args=[2025, 6])).status_code == 404


def test_an_official_asking_another_countys_missing_month_gets_404(client, official_a, official_b):
    client.force_login(official_a)
    assert client.get(report_url(2025, 6, county=official_b.county_id)).status_code == 404


# Taking a snapshot


def test_a_city_admin_takes_a_snapshot_of_today(client, city_admin):
    client.force_login(city_admin)
    response = client.post(reverse("targets:snapshot_take"))
    snapshot = Snapshot.objects.get()
    assert (snapshot.kind, snapshot.as_of, snapshot.taken_by) == (
        "on_demand",
        timezone.localdate(),
        city_admin,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("targets:snapshot", args=[snapshot.pk])
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert city_admin.username in page.content.decode() or city_admin.get_full_name() in page.content.decode()


def test_a_city_admin_freezes_a_missed_month(client, city_admin):
    client.force_login(city_admin)
    response = client.post(reverse("targets:snapshot_take"), {"year": "2025", "month": "6"})
    assert response.status_code == 302
    assert response["Location"] == report_url(2025, 6)
    snapshot = Snapshot.objects.monthly().get()
    assert (snapshot.as_of, snapshot.taken_by) == (datetime.date(2025, 6, 30), city_admin)
    client.post(reverse("targets:snapshot_take"), {"year": "2025", "month": "6"})
    assert Snapshot.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"year": "2025", "month": "13"},
        {"year": "1999", "month": "1"},
        {"year": "x", "month": "1"},
        {"month": "1"},
    ],
)
def test_freezing_a_bad_month_is_404(client, city_admin, data):
    client.force_login(city_admin)
    assert client.post(reverse("targets:snapshot_take"), data).status_code == 404
    assert not Snapshot.objects.exists()


def test_freezing_a_month_not_over_is_404(client, city_admin):
    client.force_login(city_admin)
    today = timezone.localdate()
    response = client.post(reverse("targets:snapshot_take"), {"year": today.year, "month": today.month})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leading_member", 403),
        ("official_a", 403),
        *((role, 403) for role in OTHER_ROLES),
        ("anonymous", 302),
    ],
)
def test_only_a_city_admin_takes_a_snapshot(client, request, role, status):
    response = login(client, request, role).post(reverse("targets:snapshot_take"))
    assert response.status_code == status
    assert not Snapshot.objects.exists()


def test_taking_a_snapshot_is_a_post(client, city_admin):
    client.force_login(city_admin)
    assert client.get(reverse("targets:snapshot_take")).status_code == 405
    assert not Snapshot.objects.exists()


# An on-demand snapshot's page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("city_admin", 200),
        ("leading_member", 200),
        ("official_a", 200),
        *((role, 403) for role in OTHER_ROLES),
        ("anonymous", 302),
    ],
)
def test_the_snapshot_page(client, request, city_admin, role, status):
    snapshot = snapshots.take_today(city_admin)
    response = login(client, request, role).get(reverse("targets:snapshot", args=[snapshot.pk]))
    assert response.status_code == status


@pytest.mark.parametrize("pk", ["0", "99999", "99999999999999999999999"])
def test_a_snapshot_that_is_not_there_is_404(client, city_admin, pk):
    client.force_login(city_admin)
    assert client.get(f"/targets/snapshots/{pk}/").status_code == 404


def test_the_dashboards_figures_have_no_page(client, city_admin):
    current = snapshots.refresh(timezone.localdate().year)
    client.force_login(city_admin)
    assert client.get(reverse("targets:snapshot", args=[current.pk])).status_code == 404
