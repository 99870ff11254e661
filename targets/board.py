"""The figures of a snapshot, laid out for a scope: one line per metric with its target and progress. The
dashboards, the metric pages and the report read snapshots only through here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from laborbrand import metrics
from laborbrand.metrics import Scope
from targets.models import Snapshot, SnapshotFigure
from targets.plan import Plan
from targets.progress import Progress, judge

ScopeKey = tuple[int | None, int | None]  # (county_id, brand_id); (None, None) is the city


def scope_key(scope: Scope) -> ScopeKey:
    return (scope.county_id, scope.brand_id)


def figures_of(snapshot: Snapshot | None) -> dict[ScopeKey, dict[str, SnapshotFigure]]:
    """Every figure of a snapshot by scope and metric key (one query)."""
    table: dict[ScopeKey, dict[str, SnapshotFigure]] = defaultdict(dict)
    if snapshot is not None:
        for figure in SnapshotFigure.objects.filter(snapshot=snapshot).order_by():
            table[(figure.county_id, figure.brand_id)][figure.metric] = figure
    return table


@dataclass(frozen=True)
class Line:
    metric: metrics.Metric
    figure: SnapshotFigure | None
    target: Decimal | None
    progress: Progress

    @property
    def value(self):
        return self.figure.year_value if self.figure else None


def lines(
    table: dict[ScopeKey, dict[str, SnapshotFigure]], scope: Scope, plan: Plan, snapshot: Snapshot | None
) -> list[Line]:
    """One line per metric, in the registry's order, for the scope: the year's figure so far against the
    plan's target (the targets as they stand now, not as they were when the figures were counted)."""
    figures = table.get(scope_key(scope), {})
    result = []
    for metric in metrics.defined():
        figure = figures.get(metric.key)
        target = plan.get(metric.key, scope)
        progress = judge(
            metric,
            figure.year_value if figure else None,
            target,
            year=plan.year,
            as_of=snapshot.as_of if snapshot else None,
        )
        result.append(Line(metric, figure, target, progress))
    return result


def monthly_figures(year: int, metric_key: str) -> dict[ScopeKey, dict[int, SnapshotFigure]]:
    """The metric's figures in the year's monthly snapshots, by scope and month (one query)."""
    table: dict[ScopeKey, dict[int, SnapshotFigure]] = defaultdict(dict)
    figures = SnapshotFigure.objects.filter(
        snapshot__in=Snapshot.objects.monthly().filter(year=year), metric=metric_key
    ).select_related("snapshot")
    for figure in figures.order_by():
        table[(figure.county_id, figure.brand_id)][figure.snapshot.month] = figure
    return table


@dataclass(frozen=True)
class Row:
    """A county's or a brand's line of a dashboard table: one Line per metric, by key."""

    scope: Scope
    name: str
    lines: dict[str, Line]
    county_name: str = ""


def rows(
    table: dict[ScopeKey, dict[str, SnapshotFigure]],
    scopes: list[tuple[Scope, str, str]],
    plan: Plan,
    snapshot: Snapshot | None,
) -> list[Row]:
    """One Row per (scope, name, county name), in the order given."""
    return [
        Row(scope, name, {line.metric.key: line for line in lines(table, scope, plan, snapshot)}, county_name)
        for scope, name, county_name in scopes
    ]


NAME = "name"
COUNTY = "county"


def sorted_rows(found: list[Row], column: str, descending: bool) -> list[Row]:
    """The rows by a column: `name`, `county` (a brand's) or a metric key, by its year's figure. Rows
    without a figure go last whichever the order; ties keep the order given (by code or name)."""
    if column == NAME:
        return sorted(found, key=lambda row: row.name, reverse=descending)
    if column == COUNTY:
        return sorted(found, key=lambda row: row.county_name, reverse=descending)
    present = [row for row in found if row.lines[column].value is not None]
    missing = [row for row in found if row.lines[column].value is None]
    return sorted(present, key=lambda row: row.lines[column].value, reverse=descending) + missing
