"""A month's report: for a scope, each metric's figure for the month and for the year to date, the previous
month's figure and the change, against the target frozen in the snapshot. Read from snapshots only (through
targets/board.py), so the report of a month says today what it said when the month was frozen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from brands.models import Brand
from laborbrand import metrics
from laborbrand.metrics import Scope
from laborbrand.reference.models import County
from targets.board import ScopeKey, figures_of, scope_key
from targets.models import Snapshot, SnapshotFigure
from targets.progress import Progress, judge


@dataclass(frozen=True)
class ReportLine:
    metric: metrics.Metric
    figure: SnapshotFigure | None
    # The month's figure (up to the snapshot's day), the previous month's, and the difference (points for a
    # rate); the year to date; the target frozen in the snapshot and the progress of the year to date.
    month: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    year_to_date: Decimal | None
    target: Decimal | None
    progress: Progress

    @property
    def is_rate(self) -> bool:
        return self.metric.unit == metrics.PERCENT


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def previous_snapshot(snapshot: Snapshot) -> Snapshot | None:
    """The monthly snapshot of the month before the snapshot's month (for January, last December's)."""
    year, month = previous_month(snapshot.year, snapshot.month)
    return Snapshot.objects.monthly().filter(year=year, month=month).first()


def _change(value, previous) -> Decimal | None:
    if value is None or previous is None:
        return None
    return Decimal(value) - Decimal(previous)


class Report:
    """A snapshot's figures laid out for reading, with the previous month's beside them (two queries)."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self.previous = previous_snapshot(snapshot)
        self._figures = figures_of(snapshot)
        self._previous_figures = figures_of(self.previous)
        self.metrics = metrics.defined()

    @property
    def year(self) -> int:
        return self.snapshot.year

    @property
    def month(self) -> int:
        return self.snapshot.month

    @property
    def as_of(self) -> datetime.date:
        return self.snapshot.as_of

    def has(self, scope: Scope) -> bool:
        """The snapshot counted this scope (a brand that joined the programme later was not)."""
        return scope_key(scope) in self._figures

    def lines(self, scope: Scope) -> list[ReportLine]:
        key: ScopeKey = scope_key(scope)
        figures = self._figures.get(key, {})
        previous = self._previous_figures.get(key, {})
        result = []
        for metric in self.metrics:
            figure = figures.get(metric.key)
            before = previous.get(metric.key)
            month = figure.month_value if figure else None
            before_value = before.month_value if before else None
            target = figure.target if figure else None
            year_to_date = figure.year_value if figure else None
            progress = judge(metric, year_to_date, target, year=self.year, as_of=self.as_of)
            result.append(
                ReportLine(
                    metric=metric,
                    figure=figure,
                    month=month,
                    previous=before_value,
                    change=_change(month, before_value),
                    year_to_date=year_to_date,
                    target=target,
                    progress=progress,
                )
            )
        return result

    def table(self, scopes: list[tuple[object, Scope]]) -> list[tuple[metrics.Metric, list[ReportLine]]]:
        """One row per metric, one line per scope (the counties compared side by side)."""
        per_scope = [self.lines(scope) for _label, scope in scopes]
        return [(metric, [lines[i] for lines in per_scope]) for i, metric in enumerate(self.metrics)]


def counties_of(counties: QuerySet[County]) -> list[tuple[County, Scope]]:
    return [(county, Scope.county(county)) for county in counties.order_by("code")]


def brands_of(report: Report, brands: QuerySet[Brand]) -> list[tuple[Brand, Scope]]:
    """The brands the snapshot counted, among those given."""
    chosen = brands.select_related("county").order_by("county__code", "name")
    return [(brand, Scope.brand(brand)) for brand in chosen if report.has(Scope.brand(brand))]


# The spreadsheet of a report: the same columns for every scope, and the brand's name and county first on
# the brands' sheet.


def sheet_headers() -> list[str]:
    return [
        _("Metric"),
        _("Unit"),
        _("This month"),
        _("Previous month"),
        pgettext("difference from the previous month", "Change"),
        _("Year to date"),
        _("Target"),
        _("Status"),
    ]


def _unit(metric: metrics.Metric) -> str:
    return "%" if metric.unit == metrics.PERCENT else _("count")


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def sheet_row(line: ReportLine) -> list:
    return [
        str(line.metric.name),
        _unit(line.metric),
        _number(line.month),
        _number(line.previous),
        _number(line.change),
        _number(line.year_to_date),
        _number(line.target),
        str(line.progress.status.label),
    ]


def workbook_sheets(
    report: Report, *, city: bool, counties: QuerySet[County], brands: QuerySet[Brand]
) -> list[tuple[str, list[str], list[list]]]:
    """The report's sheets: the city (for those who see it), one per county, one for the brands."""
    headers = sheet_headers()
    sheets = []
    if city:
        sheets.append((_("City"), headers, [sheet_row(line) for line in report.lines(Scope.city())]))
    for county, scope in counties_of(counties):
        sheets.append((county.name, headers, [sheet_row(line) for line in report.lines(scope)]))
    brand_rows = []
    for brand, scope in brands_of(report, brands):
        for line in report.lines(scope):
            brand_rows.append([brand.name, brand.county.name, *sheet_row(line)])
    sheets.append((_("Brands"), [_("Brand"), _("County/district"), *headers], brand_rows))
    return sheets
