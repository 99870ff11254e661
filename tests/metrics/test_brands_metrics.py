"""Brands' metrics (brands/metrics.py) against known records: published brand news and brands selected by
the selection deadline, for the city, a county and a brand, with the boundaries of years, months and the
deadline in the city's time; the records listed are exactly the ones counted. And the brand page's
"published news" figure (brands/figures.py) taken from the registry."""

import dataclasses
import datetime
from zoneinfo import ZoneInfo

import pytest

from brands import figures, services
from brands import metrics as brand_metrics
from brands.models import Brand, BrandEvent, BrandNews
from laborbrand import metrics
from laborbrand.metrics import Period, Scope
from laborbrand.reference.models import ProgrammeYear
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date
CITY = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
Status = Brand.Status


def city_time(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CITY)


def scope_of(kind: str, name: str, records: dict) -> Scope:
    """The scope named by a table row: ("city", ""), ("county", "A"|"B"), ("brand", <brand's label>)."""
    if kind == "city":
        return Scope.city()
    if kind == "county":
        return Scope.county(records["counties"][name])
    return Scope.brand(records["brands"][name])


def assert_counts_exactly(key: str, scope: Scope, period: Period, expected: set[str], label) -> None:
    """The records listed are the expected ones, and the figure is their number."""
    metric = metrics.get(key)
    listed = metric.records(scope, period)
    assert {label(record) for record in listed} == expected
    assert metric.figure(scope, period) == metrics.Figure(len(expected))
    assert metric.count(listed) == len(expected)


# --- Published brand news --------------------------------------------------------------------------------


@pytest.fixture
def news():
    """Brands a1, a2 of county A (金寨县) and b of county B (霍山县), with news published at the edges of
    years and months (some given in UTC, where the city's day differs), a draft and a withdrawn item."""
    counties = {"A": factories.make_county("341524"), "B": factories.make_county("341525")}
    brands = {
        "a1": factories.CultivatingBrandFactory(county=counties["A"]),
        "a2": factories.RecognisedBrandFactory(county=counties["A"]),
        "b": factories.CultivatingBrandFactory(county=counties["B"]),
    }
    published = BrandNews.Status.PUBLISHED
    rows = [
        # title, brand, status, published_at
        ("2025-last", "a1", published, datetime.datetime(2025, 12, 31, 15, 59, 59, tzinfo=UTC)),  # 23:59:59
        ("2026-first", "a1", published, city_time(2026, 1, 1)),
        ("jan-last", "a1", published, city_time(2026, 1, 31, 23, 59, 59)),
        ("feb-first", "a2", published, city_time(2026, 2, 1)),
        ("june", "b", published, city_time(2026, 6, 15, 12)),
        ("2026-last", "a2", published, city_time(2026, 12, 31, 23, 59, 59)),
        # 31 December 2026 in UTC, but 1 January 2027 00:00 in the city.
        ("2027-first", "a1", published, datetime.datetime(2026, 12, 31, 16, tzinfo=UTC)),
        ("draft", "a1", BrandNews.Status.DRAFT, None),
        # Published in March, then withdrawn: it keeps its publication time but is no longer published.
        ("withdrawn", "a1", BrandNews.Status.DRAFT, city_time(2026, 3, 1, 9)),
    ]
    for title, brand, status, published_at in rows:
        factories.BrandNewsFactory(title=title, brand=brands[brand], status=status, published_at=published_at)
    return {"counties": counties, "brands": brands}


@pytest.mark.parametrize(
    ("kind", "name", "period", "expected"),
    [
        ("city", "", Period.year(2026), {"2026-first", "jan-last", "feb-first", "june", "2026-last"}),
        ("county", "A", Period.year(2026), {"2026-first", "jan-last", "feb-first", "2026-last"}),
        ("county", "B", Period.year(2026), {"june"}),
        ("brand", "a1", Period.year(2026), {"2026-first", "jan-last"}),
        ("brand", "a2", Period.year(2026), {"feb-first", "2026-last"}),
        ("brand", "b", Period.year(2026), {"june"}),
        ("city", "", Period.year(2025), {"2025-last"}),
        ("county", "B", Period.year(2025), set()),
        ("city", "", Period.year(2027), {"2027-first"}),
        ("brand", "a2", Period.year(2027), set()),
        ("city", "", Period.month(2026, 1), {"2026-first", "jan-last"}),
        ("county", "B", Period.month(2026, 1), set()),
        ("city", "", Period.month(2026, 2), {"feb-first"}),
        ("city", "", Period.month(2026, 3), set()),  # only the withdrawn item
        ("city", "", Period.month(2026, 12), {"2026-last"}),
        ("city", "", Period(D(2026, 1, 31), D(2026, 2, 1)), {"jan-last", "feb-first"}),
        ("city", "", Period(D(2026, 1, 1), D(2026, 1, 1)), {"2026-first"}),
        ("county", "A", Period(D(2025, 12, 31), D(2027, 1, 1)), {"2025-last", "2026-first", "jan-last",
                                                                 "feb-first", "2026-last", "2027-first"}),
    ],
)  # fmt: skip
def test_published_news(news, kind, name, period, expected):
    scope = scope_of(kind, name, news)
    assert_counts_exactly("published_news", scope, period, expected, lambda item: item.title)


# --- Brands selected by the deadline -----------------------------------------------------------------------


@pytest.fixture
def selections(city_admin):
    """Brands of county A and B with their lifecycle events: selections (submitted → cultivating) on each side
    of the 31 May deadline and of the year, later steps, and brands never selected."""
    counties = {"A": factories.make_county("341524"), "B": factories.make_county("341525")}
    specs = [
        # label, county, status now, [(new status, time)]
        ("deadline-day", "A", Status.CULTIVATING, [(Status.CULTIVATING, city_time(2026, 5, 31, 23, 59, 59))]),
        # 1 June 00:00 in the city is still 31 May in UTC.
        (
            "day-after",
            "A",
            Status.CULTIVATING,
            [(Status.CULTIVATING, datetime.datetime(2026, 5, 31, 16, tzinfo=UTC))],
        ),
        (
            "new-year-retired",
            "A",
            Status.RETIRED,
            [(Status.CULTIVATING, city_time(2026, 1, 1)), (Status.RETIRED, city_time(2026, 4, 1))],
        ),
        (
            "march",
            "B",
            Status.CULTIVATING,
            [(Status.SUBMITTED, city_time(2026, 2, 20)), (Status.CULTIVATING, city_time(2026, 3, 10))],
        ),
        # Selected on 2025's deadline day, recognised in 2026: recognition is not a selection.
        (
            "2025-recognised",
            "B",
            Status.RECOGNISED,
            [
                (Status.CULTIVATING, city_time(2025, 5, 31, 23, 59, 59)),
                (Status.RECOGNISED, city_time(2026, 4, 1)),
            ],
        ),
        # After 2025's deadline and before 2026's year: in no year's count.
        ("late-2025", "B", Status.CULTIVATING, [(Status.CULTIVATING, city_time(2025, 12, 31, 23, 59, 59))]),
        ("submitted", "B", Status.SUBMITTED, [(Status.SUBMITTED, city_time(2026, 2, 1))]),
        (
            "rejected",
            "B",
            Status.REJECTED,
            [(Status.SUBMITTED, city_time(2026, 2, 1)), (Status.REJECTED, city_time(2026, 2, 2))],
        ),
    ]
    brands = {}
    for label, county, status, events in specs:
        brand = factories.BrandFactory(name=label, county=counties[county], status=status)
        old = Status.DRAFT
        for new, created in events:
            BrandEvent.objects.create(
                brand=brand, old_status=old, new_status=new, actor=city_admin, created=created
            )
            old = new
        brands[label] = brand
    return {"counties": counties, "brands": brands}


@pytest.mark.parametrize(
    ("kind", "name", "period", "expected"),
    [
        ("city", "", Period.year(2026), {"deadline-day", "new-year-retired", "march"}),
        ("county", "A", Period.year(2026), {"deadline-day", "new-year-retired"}),
        ("county", "B", Period.year(2026), {"march"}),
        ("brand", "deadline-day", Period.year(2026), {"deadline-day"}),
        ("brand", "day-after", Period.year(2026), set()),
        ("brand", "2025-recognised", Period.year(2026), set()),
        ("brand", "submitted", Period.year(2026), set()),
        ("brand", "rejected", Period.year(2026), set()),
        ("city", "", Period.year(2025), {"2025-recognised"}),
        ("county", "A", Period.year(2025), set()),
        ("brand", "2025-recognised", Period.year(2025), {"2025-recognised"}),
        ("city", "", Period.month(2026, 1), {"new-year-retired"}),
        ("city", "", Period.month(2026, 5), {"deadline-day"}),
        ("city", "", Period.month(2026, 6), set()),  # after the deadline nothing counts
        ("county", "A", Period(D(2026, 6, 1), D(2026, 12, 31)), set()),
        ("city", "", Period(D(2026, 1, 1), D(2026, 5, 30)), {"new-year-retired", "march"}),
        ("brand", "late-2025", Period.year(2025), set()),
        ("brand", "late-2025", Period.year(2026), set()),
        ("city", "", Period.month(2025, 12), set()),
        ("city", "", Period(D(2025, 12, 31), D(2026, 1, 1)), {"new-year-retired"}),
        ("city", "", Period(D(2025, 6, 1), D(2026, 12, 31)), {"deadline-day", "new-year-retired", "march"}),
        ("city", "", Period(D(2025, 5, 31), D(2026, 12, 31)), {"2025-recognised", "deadline-day",
                                                               "new-year-retired", "march"}),
    ],
)  # fmt: skip
def test_brands_selected(selections, kind, name, period, expected):
    scope = scope_of(kind, name, selections)
    assert_counts_exactly("brands_selected", scope, period, expected, lambda brand: brand.name)


def test_brands_selected_follows_the_years_own_deadline(selections):
    ProgrammeYear.objects.create(year=2026, selection_deadline=D(2026, 6, 30), filing_deadline=D(2026, 6, 30))

    scope = Scope.county(selections["counties"]["A"])
    expected = {"deadline-day", "day-after", "new-year-retired"}
    assert_counts_exactly("brands_selected", scope, Period.year(2026), expected, lambda brand: brand.name)


def test_a_brand_the_city_accepts_is_selected_that_day(city_admin, settings):
    # Today may be after this year's deadline; move it to the year's end so today's acceptance counts.
    settings.BRAND_SELECTION_DEADLINE = (12, 31)
    brand = factories.SubmittedBrandFactory(name="accepted")
    factories.SubmittedBrandFactory(name="still submitted", county=brand.county)

    services.brand_accept(brand=brand, actor=city_admin)

    period = Period.last_days(1)
    for scope in (Scope.city(), Scope.county(brand.county), Scope.brand(brand)):
        assert_counts_exactly("brands_selected", scope, period, {"accepted"}, lambda brand: brand.name)


@pytest.mark.parametrize(
    ("period", "windows"),
    [
        (Period.year(2026), [Period(D(2026, 1, 1), D(2026, 5, 31))]),
        (Period.month(2026, 5), [Period(D(2026, 5, 1), D(2026, 5, 31))]),
        (Period.month(2026, 6), []),
        (Period(D(2025, 5, 31), D(2026, 6, 1)), [Period(D(2025, 5, 31), D(2025, 5, 31)),
                                                Period(D(2026, 1, 1), D(2026, 5, 31))]),
    ],
)  # fmt: skip
def test_selection_windows_end_at_each_years_deadline(period, windows):
    assert brand_metrics.selection_windows(period) == windows


# --- Both ---------------------------------------------------------------------------------------------------


# brands_selected reads the year's deadline first (its programme year's row).
@pytest.mark.parametrize(("key", "queries"), [("published_news", 1), ("brands_selected", 2)])
def test_a_figure_is_one_query_for_every_scope(selections, key, queries, django_assert_num_queries):
    brand = selections["brands"]["march"]
    for scope in (Scope.city(), Scope.county(brand.county), Scope.brand(brand)):
        with django_assert_num_queries(queries):
            metrics.figure(key, scope, Period.year(2026))


def test_brands_metrics_are_registered_as_counts():
    registered = {metric.key: metric for metric in metrics.defined()}
    for key in ("published_news", "brands_selected"):
        assert registered[key].unit == metrics.COUNT
        assert registered[key].base is None
        assert str(registered[key].definition)


# --- The brand's "published news" figure (recognition criteria) ---------------------------------------------


def test_brand_figure_counts_all_the_brands_published_news_through_the_registry(official_a, monkeypatch):
    brand = factories.CultivatingBrandFactory(county=official_a.county)
    other = factories.CultivatingBrandFactory(county=official_a.county)
    factories.BrandNewsFactory.create_batch(2, brand=brand, published=True)
    # Dated long before the brand was created, as the demo dates its news: still the brand's published news.
    factories.BrandNewsFactory(brand=brand, published=True, published_at=city_time(2001, 1, 1))
    factories.BrandNewsFactory(brand=brand)  # a draft
    factories.BrandNewsFactory(brand=other, published=True)

    assert figures.brand_figure(brand, figures.Metric.PUBLISHED_NEWS) == 3
    assert figures.brand_figure(brand, figures.Metric.PUBLISHED_NEWS) == brand.news.published().count()

    # The figure is the registry's: change the metric's records and the brand's figure follows.
    nothing = dataclasses.replace(
        metrics.get("published_news"), records=lambda scope, period: BrandNews.objects.none()
    )
    monkeypatch.setitem(metrics._registry, "published_news", nothing)
    assert figures.brand_figure(brand, figures.Metric.PUBLISHED_NEWS) == 0
