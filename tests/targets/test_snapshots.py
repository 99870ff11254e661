"""targets/snapshots.py and targets/tasks.py: a snapshot holds exactly the registry's figures for every metric
and scope; a month is frozen once (however often and however many workers at once ask), never before it is
over, and never changes afterwards; the dashboards' figures are replaced, the kept snapshots never."""

from __future__ import annotations

import datetime
import threading
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from laborbrand import metrics
from laborbrand.metrics import Period, Scope
from laborbrand.reference.models import County
from targets import snapshots, tasks
from targets.models import Snapshot, SnapshotFigure, Target
from targets.plan import targets_for
from tests import factories
from tests.metrics.test_jobs_metrics import hires, world  # noqa: F401 — fixtures: 2025's hires

pytestmark = pytest.mark.django_db

D = datetime.date
CITY_ZONE = timezone.get_fixed_timezone(8 * 60)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=CITY_ZONE)


@pytest.fixture
def news(world):  # noqa: F811
    """Published news of the county A brand in January and March 2025, of the county B brand in March."""
    for brand, when in (
        (world.brand, at(2025, 1, 31, 23, 59)),
        (world.brand, at(2025, 3, 1, 0, 0)),
        (world.other_brand, at(2025, 3, 15, 12)),
    ):
        factories.BrandNewsFactory(brand=brand, published=True, published_at=when)


def all_scopes(world) -> list[Scope]:  # noqa: F811
    counties = [Scope.county(pk) for pk in County.objects.order_by("code").values_list("pk", flat=True)]
    return [Scope.city(), *counties, Scope.brand(world.brand), Scope.brand(world.other_brand)]


def stored(snapshot: Snapshot) -> list[tuple]:
    return list(
        SnapshotFigure.objects.filter(snapshot=snapshot)
        .order_by("metric", "county_id", "brand_id")
        .values_list(
            "metric",
            "county_id",
            "brand_id",
            "year_value",
            "year_numerator",
            "year_denominator",
            "month_value",
            "month_numerator",
            "month_denominator",
            "target",
        )
    )


# Computing


@pytest.mark.parametrize("as_of", [D(2025, 1, 31), D(2025, 3, 10), D(2025, 6, 30), D(2025, 12, 31)])
def test_compute_gives_the_registrys_figure_of_every_metric_for_every_scope(world, hires, news, as_of):  # noqa: F811
    figures = snapshots.compute(2025, as_of)
    scopes = all_scopes(world)
    defined = metrics.defined()
    by_key = {(f.metric, f.county_id, f.brand_id): f for f in figures}
    # Every metric for the city, every county and every brand in the programme (not the draft brand).
    assert len(figures) == len(by_key) == len(scopes) * len(defined)
    assert not any(f.brand_id == world.draft_brand.pk for f in figures)
    plan = targets_for(2025)
    year, month = Period(D(2025, 1, 1), as_of), Period(as_of.replace(day=1), as_of)
    wrong = []
    for scope in scopes:
        for metric in defined:
            figure = by_key[(metric.key, scope.county_id, scope.brand_id)]
            in_year = metrics.figure(metric.key, scope, year)
            in_month = metrics.figure(metric.key, scope, month)
            got = (
                (figure.year_value, figure.year_numerator, figure.year_denominator),
                (figure.month_value, figure.month_numerator, figure.month_denominator),
                figure.target,
            )
            expected = (
                (in_year.value, in_year.numerator, in_year.denominator),
                (in_month.value, in_month.numerator, in_month.denominator),
                plan.get(metric.key, scope),
            )
            if got != expected:
                wrong.append((metric.key, scope, got, expected))
    assert not wrong
    # Something was counted: the check is not of zeros only.
    assert any(f.year_value for f in figures)


def test_compute_refuses_a_day_of_another_year(db):
    with pytest.raises(ValueError):
        snapshots.compute(2025, D(2026, 1, 1))


def test_compute_costs_the_same_queries_however_many_records(world, hires, news):  # noqa: F811
    with CaptureQueriesContext(connection) as few:
        snapshots.compute(2025, D(2025, 3, 31))
    factories.BrandNewsFactory.create_batch(5, brand=world.brand, published=True, published_at=at(2025, 3, 2))
    for _ in range(3):
        factories.ApplicationFactory(status="hired", status_changed=at(2025, 3, 3), created=at(2025, 3, 1))
    with CaptureQueriesContext(connection) as more:
        snapshots.compute(2025, D(2025, 3, 31))
    assert len(more) == len(few)


def test_january_counts_the_month_once_as_the_year(world, hires):  # noqa: F811
    with CaptureQueriesContext(connection) as january:
        snapshots.compute(2025, D(2025, 1, 31))
    with CaptureQueriesContext(connection) as february:
        snapshots.compute(2025, D(2025, 2, 28))
    assert len(january) < len(february)


# Taking a month


def test_taking_a_month_twice_gives_the_one_snapshot(world, hires, news):  # noqa: F811
    first = snapshots.take_month(2025, 3)
    rows = stored(first)
    second = snapshots.take_month(2025, 3)
    assert second.pk == first.pk
    assert stored(second) == rows
    assert Snapshot.objects.monthly().count() == 1
    assert (first.kind, first.year, first.month, first.as_of) == ("monthly", 2025, 3, D(2025, 3, 31))
    assert first.taken_by is None


def test_a_month_not_over_is_not_frozen(db):
    today = timezone.localdate()
    next_month = (today.replace(day=28) + timedelta(days=5)).replace(day=1)
    for year, month in ((today.year, today.month), (next_month.year, next_month.month)):
        with pytest.raises(ValueError):
            snapshots.take_month(year, month)
    assert not Snapshot.objects.exists()


def test_the_month_before_is_over_on_its_next_day(db):
    assert snapshots.is_over(2025, 1, today=D(2025, 2, 1))
    assert not snapshots.is_over(2025, 1, today=D(2025, 1, 31))


def test_the_previous_month_is_the_one_just_ended(db):
    assert snapshots.take_previous_month(D(2026, 1, 1)).as_of == D(2025, 12, 31)


@pytest.mark.parametrize("kind", ["monthly", "on_demand"])
def test_a_kept_snapshot_and_its_figures_are_never_changed_nor_deleted(city_admin, kind):
    snapshot = snapshots.take_month(2025, 5) if kind == "monthly" else snapshots.take_today(city_admin)
    figure = snapshot.figures.first()
    rows = stored(snapshot)
    refusals = [
        lambda: snapshot.save(),
        lambda: snapshot.delete(),
        lambda: figure.save(),
        lambda: figure.delete(),
        lambda: Snapshot.objects.filter(pk=snapshot.pk).update(as_of=D(2025, 1, 1)),
        lambda: Snapshot.objects.filter(pk=snapshot.pk).delete(),
        lambda: Snapshot.objects.all().delete(),
        lambda: SnapshotFigure.objects.filter(snapshot=snapshot).update(year_value=1),
        lambda: SnapshotFigure.objects.filter(pk=figure.pk).delete(),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError):
            refuse()
    assert Snapshot.objects.get(pk=snapshot.pk).as_of == snapshot.as_of
    assert stored(snapshot) == rows


def test_later_records_and_targets_do_not_change_a_taken_snapshot(world, news, city_admin):  # noqa: F811
    snapshot = snapshots.take_month(2025, 3)
    rows = stored(snapshot)
    factories.BrandNewsFactory(brand=world.brand, published=True, published_at=at(2025, 3, 20))
    Target.objects.create(year=2025, metric="published_news", value=Decimal(99))
    Target.objects.create(year=2025, metric="pass_rate", value=Decimal(50))
    assert stored(Snapshot.objects.get(pk=snapshot.pk)) == rows
    # The change would have shown in a new count: the snapshot kept the old one.
    city = {(f.metric, f.county_id, f.brand_id): f for f in snapshots.compute(2025, D(2025, 3, 31))}
    kept = SnapshotFigure.objects.get(snapshot=snapshot, metric="published_news", county=None, brand=None)
    assert kept.month_value == 2 and city[("published_news", None, None)].month_value == 3
    assert kept.target != Decimal(99) and city[("published_news", None, None)].target == Decimal(99)


def test_taking_today_keeps_who_took_it(city_admin):
    snapshot = snapshots.take_today(city_admin)
    today = timezone.localdate()
    assert (snapshot.kind, snapshot.as_of, snapshot.taken_by) == ("on_demand", today, city_admin)
    assert snapshot.figures.exists()
    # A second one of the same day is another record, not a replacement.
    assert snapshots.take_today(city_admin).pk != snapshot.pk


# Refreshing the dashboards' figures


def test_refresh_replaces_only_the_previous_current_snapshot(city_admin):
    monthly = snapshots.take_month(2025, 1)
    on_demand = snapshots.take_today(city_admin)
    other_year = snapshots.refresh(2025)
    first = snapshots.refresh(timezone.localdate().year)
    second = snapshots.refresh(timezone.localdate().year)
    current = Snapshot.objects.filter(kind=Snapshot.Kind.CURRENT)
    assert set(current.values_list("pk", flat=True)) == {other_year.pk, second.pk}
    assert not SnapshotFigure.objects.filter(snapshot_id=first.pk).exists()
    assert Snapshot.objects.kept().count() == 2
    assert {monthly.pk, on_demand.pk} <= set(Snapshot.objects.values_list("pk", flat=True))
    assert snapshots.latest(timezone.localdate().year).pk in {second.pk, on_demand.pk}


def test_a_year_not_begun_has_no_figures(db):
    assert snapshots.refresh(timezone.localdate().year + 1) is None


# The tasks and the schedule


def test_the_beat_freezes_the_month_on_the_first_and_refreshes_every_few_minutes():
    schedule = settings.CELERY_BEAT_SCHEDULE
    monthly = [entry for entry in schedule.values() if entry["task"] == "targets.tasks.take_monthly_snapshot"]
    refresh = [entry for entry in schedule.values() if entry["task"] == "targets.tasks.refresh_figures"]
    assert len(monthly) == len(refresh) == 1
    assert isinstance(monthly[0]["schedule"], crontab)
    assert monthly[0]["schedule"].day_of_month == {1}
    assert refresh[0]["schedule"] == timedelta(minutes=settings.DASHBOARD_FIGURES_MINUTES)


def test_the_monthly_task_run_twice_takes_one_snapshot(db):
    first = tasks.take_monthly_snapshot.delay().get()
    second = tasks.take_monthly_snapshot.delay().get()
    assert first == second
    assert Snapshot.objects.monthly().count() == 1
    snapshot = Snapshot.objects.get()
    assert snapshot.as_of == timezone.localdate().replace(day=1) - timedelta(days=1)


def test_the_refresh_task_keeps_one_current_snapshot(db):
    tasks.refresh_figures.delay().get()
    tasks.refresh_figures.delay().get()
    assert Snapshot.objects.filter(kind=Snapshot.Kind.CURRENT).count() == 1


# The command that fills missing months


@pytest.fixture
def nothing_counted(monkeypatch):
    """The months' figures are not the point here: counting none keeps the twelve months quick."""
    monkeypatch.setattr(snapshots, "compute", lambda year, as_of, months=True: [])


def test_the_command_takes_the_missing_months_once(db, nothing_counted):
    snapshots.take_month(2025, 4)
    call_command("take_snapshots", year=2025, stdout=(out := _Out()))
    assert "11 monthly" in out.text
    assert sorted(Snapshot.objects.monthly().values_list("month", flat=True)) == list(range(1, 13))
    call_command("take_snapshots", year=2025, stdout=(again := _Out()))
    assert "0 monthly" in again.text
    assert Snapshot.objects.monthly().count() == 12


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_the_command_refuses_a_year_out_of_range(db, year):
    with pytest.raises(CommandError):
        call_command("take_snapshots", year=int(year), stdout=_Out())


def test_the_command_takes_only_months_that_are_over(db, nothing_counted):
    today = timezone.localdate()
    call_command("take_snapshots", stdout=_Out())
    assert sorted(Snapshot.objects.monthly().values_list("month", flat=True)) == list(range(1, today.month))


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text, *args, **kwargs):
        self.text += text

    def flush(self):
        pass


# Two workers at once (PostgreSQL)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_freezing_the_same_month_at_once_make_one_snapshot(committed_db):
    barrier = threading.Barrier(2)
    original = snapshots.compute

    def meeting(*args, **kwargs):
        # Both have found no snapshot of the month before either stores one.
        figures = original(*args, **kwargs)
        barrier.wait(timeout=10)
        return figures

    taken, errors = [], []

    def run():
        try:
            taken.append(snapshots.take_month(2025, 7).pk)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    with mock.patch.object(snapshots, "compute", meeting):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors
    assert len(taken) == 2 and taken[0] == taken[1]
    assert Snapshot.objects.monthly().count() == 1
    assert SnapshotFigure.objects.filter(snapshot_id=taken[0]).count() == len(
        snapshots.counted_scopes()
    ) * len(metrics.defined())


# The newest figures and their age


def test_the_newest_figures_are_those_of_the_latest_day(city_admin, nothing_counted):
    year = timezone.localdate().year
    assert snapshots.latest(year) is None
    month = snapshots.take_month(year - 1, 12)
    assert snapshots.latest(year - 1) == month
    first = snapshots.take_today(city_admin)
    current = snapshots.refresh(year)
    # Same day: the one taken last.
    assert snapshots.latest(year) == current
    assert first.as_of == current.as_of


def test_figures_are_stale_after_the_minutes_the_dashboards_promise(db, nothing_counted, settings):
    settings.DASHBOARD_FIGURES_MINUTES = 10
    assert snapshots.is_stale(None)
    snapshot = snapshots.refresh(timezone.localdate().year)
    assert not snapshots.is_stale(snapshot)
    with mock.patch.object(timezone, "now", return_value=snapshot.taken_at + timedelta(minutes=11)):
        assert snapshots.is_stale(snapshot)


def test_a_months_snapshot_just_taken_is_stale_for_a_year_still_running(db, nothing_counted):
    """Last month's snapshot, taken a second ago, counts up to last month's end: the dashboards recount."""
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    month = snapshots.take_month(last_month.year, last_month.month)
    assert snapshots.is_stale(month) == (last_month.year == timezone.localdate().year)
    # A past year's last month ends with the year: nothing more to count.
    december = snapshots.take_month(last_month.year - 1, 12)
    assert not snapshots.is_stale(december)


@pytest.mark.parametrize(
    ("year", "today", "as_of"),
    [
        (2025, D(2026, 3, 1), D(2025, 12, 31)),
        (2026, D(2026, 3, 1), D(2026, 3, 1)),
        (2027, D(2026, 3, 1), None),
    ],
)
def test_a_year_is_counted_up_to_today_or_its_last_day(year, today, as_of):
    assert snapshots.year_as_of(year, today) == as_of


# Asking for fresh figures


def test_many_pages_asking_at_once_queue_one_refresh(db):
    with mock.patch.object(tasks.refresh_figures, "delay") as delay:
        tasks.request_refresh(2026)
        tasks.request_refresh(2026)
        tasks.request_refresh(2025)
    assert [call.args for call in delay.call_args_list] == [(2026,), (2025,)]


def test_a_dead_queue_leaves_the_figures_as_they_are(db, caplog):
    from kombu.exceptions import OperationalError

    with mock.patch.object(tasks.refresh_figures, "delay", side_effect=OperationalError("down")):
        tasks.request_refresh(2026)
    assert "not refreshed" in caplog.text


def test_a_dead_cache_still_asks_the_queue(db):
    from redis.exceptions import ConnectionError as RedisConnectionError

    with (
        mock.patch.object(tasks.cache, "add", side_effect=RedisConnectionError("down")),
        mock.patch.object(tasks.refresh_figures, "delay") as delay,
    ):
        tasks.request_refresh(2026)
    delay.assert_called_once_with(2026)


def test_the_dashboards_figures_count_the_year_only(db):
    """Only the reports read a month's figures, and they read kept snapshots: a refresh leaves them out."""
    factories.BrandNewsFactory(published=True, published_at=timezone.now())
    current = snapshots.refresh(timezone.localdate().year)
    city = current.figures.get(metric="published_news", county=None, brand=None)
    # In January the month is the year so far, counted once for both.
    month_value = 1 if timezone.localdate().month == 1 else None
    assert (city.year_value, city.month_value) == (1, month_value)
