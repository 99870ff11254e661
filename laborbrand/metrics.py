"""The figures the city is judged by: one definition per metric, counted from the records for a scope (the
city, a county, a brand) and a period (a calendar year, a month, any range of days).

Each metric is defined once, by the app that keeps its records, in that app's `metrics.py` (discovered from
the reference app's `ready()`, as panels are). A metric names the records it counts — a
queryset for the scope and the period — so the figure and the list of records behind it (the drill-down)
cannot disagree: a count is the number of those records (or of distinct values of one field), a rate is the
records counted over its base records. Pages, exports and snapshots take their figures from here.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

COUNT = "count"
PERCENT = "percent"


@dataclass(frozen=True)
class Period:
    """The days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(
            datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
        )

    @classmethod
    def year_to_date(cls, today: datetime.date | None = None) -> Period:
        """The pages' one period: the calendar year to today, in the city's days (1 January to today)."""
        today = today or timezone.localdate()
        return cls(datetime.date(today.year, 1, 1), today)

    @classmethod
    def last_days(cls, days: int, today: datetime.date | None = None) -> Period:
        """The `days` days up to and including today."""
        today = today or timezone.localdate()
        return cls(today - datetime.timedelta(days=days - 1), today)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes in the site's time zone: [first moment, moment after the last)."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after


@dataclass(frozen=True)
class Scope:
    """Whose records: the whole city (neither set), one county, or one brand."""

    county_id: int | None = None
    brand_id: int | None = None

    def __post_init__(self):
        if self.county_id is not None and self.brand_id is not None:
            raise ValueError("a scope is a county or a brand, not both")

    @classmethod
    def city(cls) -> Scope:
        return cls()

    @classmethod
    def county(cls, county) -> Scope:
        return cls(county_id=getattr(county, "pk", county))

    @classmethod
    def brand(cls, brand) -> Scope:
        return cls(brand_id=getattr(brand, "pk", brand))

    @property
    def kind(self) -> str:
        if self.brand_id is not None:
            return "brand"
        return "county" if self.county_id is not None else "city"


@dataclass(frozen=True)
class Figure:
    """A metric's figure: `value` is the count, or the rate in per cent (one decimal); None when a rate has
    no base records to count over. A rate keeps its two counts."""

    value: int | Decimal | None
    numerator: int | None = None
    denominator: int | None = None


def year_to_date_label(period: Period) -> str:
    """How a page names the year to date: "1 January 2026 to date" (2026年1月1日至今)."""
    return _("1 January %(year)d to date") % {"year": period.start.year}


def percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


Records = Callable[[Scope, Period], QuerySet]


@dataclass(frozen=True)
class Metric:
    """One question and its one answer.

    `records(scope, period)` are the records the figure counts (a rate's numerator); `base(scope, period)`
    a rate's denominator. `distinct`: count distinct values of this field (a worker counted once however many
    records they have) instead of rows. `definition` is the 统计口径 shown beside the figure."""

    key: str
    name: str
    unit: str
    definition: str
    records: Records
    base: Records | None = None
    distinct: str | None = None
    order: int = 50

    def count(self, queryset: QuerySet) -> int:
        if self.distinct:
            return queryset.order_by().values(self.distinct).distinct().count()
        return queryset.count()

    def figure(self, scope: Scope, period: Period) -> Figure:
        counted = self.count(self.records(scope, period))
        if self.base is None:
            return Figure(counted)
        base = self.count(self.base(scope, period))
        return Figure(percent(counted, base), counted, base)


_registry: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in _registry:
        raise ValueError(f"metric {metric.key!r} is defined twice")
    _registry[metric.key] = metric
    return metric


def get(key: str) -> Metric:
    return _registry[key]


def defined() -> list[Metric]:
    """Every metric, in the order pages list them."""
    return sorted(_registry.values(), key=lambda metric: (metric.order, metric.key))


def figure(key: str, scope: Scope, period: Period) -> Figure:
    return _registry[key].figure(scope, period)


def autodiscover() -> None:
    autodiscover_modules("metrics")
