"""laborbrand/metrics.py: periods, scopes, rates and the registry every figure comes from."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from laborbrand import metrics
from laborbrand.metrics import Figure, Metric, Period, Scope

D = datetime.date


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period.year(2026), D(2026, 1, 1), D(2026, 12, 31)),
        (Period.month(2026, 2), D(2026, 2, 1), D(2026, 2, 28)),
        (Period.month(2028, 2), D(2028, 2, 1), D(2028, 2, 29)),
        (Period.month(2026, 12), D(2026, 12, 1), D(2026, 12, 31)),
        (Period.last_days(1, D(2026, 3, 1)), D(2026, 3, 1), D(2026, 3, 1)),
        (Period.last_days(365, D(2026, 12, 31)), D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_periods(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(D(2026, 2, 1), D(2026, 1, 31))


def test_period_bounds_are_the_sites_days():
    first, after = Period.month(2026, 1).bounds()
    zone = timezone.get_current_timezone()
    assert first == datetime.datetime(2026, 1, 1, tzinfo=zone)
    assert after == datetime.datetime(2026, 2, 1, tzinfo=zone)
    # 31 December 23:59 in the city is inside the year; 1 January 00:00 of the next is not.
    year_first, year_after = Period.year(2026).bounds()
    assert year_first <= datetime.datetime(2026, 12, 31, 23, 59, tzinfo=zone) < year_after
    assert not datetime.datetime(2027, 1, 1, tzinfo=zone) < year_after


@pytest.mark.parametrize(
    ("scope", "kind"),
    [(Scope.city(), "city"), (Scope.county(7), "county"), (Scope.brand(3), "brand")],
)
def test_scopes(scope, kind):
    assert scope.kind == kind


def test_a_scope_is_not_a_county_and_a_brand():
    with pytest.raises(ValueError):
        Scope(county_id=1, brand_id=2)


@pytest.mark.parametrize(
    ("numerator", "denominator", "value"),
    [
        (0, 0, None),
        (0, 5, Decimal("0.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (5, 5, Decimal("100.0")),
    ],
)
def test_percent(numerator, denominator, value):
    assert metrics.percent(numerator, denominator) == value


class FakeQuerySet:
    """Just enough of a queryset for Metric.count: rows, and distinct values of a field."""

    def __init__(self, rows):
        self.rows = rows

    def count(self):
        return len(self.rows)

    def order_by(self):
        return self

    def values(self, field):
        return FakeQuerySet([row[field] for row in self.rows])

    def distinct(self):
        return FakeQuerySet(list(dict.fromkeys(self.rows)))


ROWS = [{"worker": 1}, {"worker": 1}, {"worker": 2}]


@pytest.mark.parametrize(
    ("distinct", "base", "figure"),
    [
        (None, None, Figure(3)),
        ("worker", None, Figure(2)),
        (None, ROWS * 2, Figure(Decimal("50.0"), 3, 6)),
        (None, [], Figure(None, 3, 0)),
    ],
)
def test_a_metric_counts_its_records(distinct, base, figure):
    metric = Metric(
        key="test",
        name="test",
        unit=metrics.COUNT if base is None else metrics.PERCENT,
        definition="",
        records=lambda scope, period: FakeQuerySet(ROWS),
        base=None if base is None else (lambda scope, period: FakeQuerySet(base)),
        distinct=distinct,
    )
    assert metric.figure(Scope.city(), Period.year(2026)) == figure


def test_a_metric_is_defined_once(monkeypatch):
    monkeypatch.setattr(metrics, "_registry", {})
    metric = Metric("x", "x", metrics.COUNT, "", records=lambda scope, period: FakeQuerySet([]))
    metrics.register(metric)
    with pytest.raises(ValueError):
        metrics.register(metric)
    assert metrics.get("x") is metric
    assert metrics.defined() == [metric]
