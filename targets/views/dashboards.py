"""The dashboards (the city's, a county's) and a metric's page: the year's figures against the targets,
read from the newest snapshot (targets/snapshots.py), never counted here, so a page costs the same few
queries however many records, counties and brands there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from laborbrand import metrics
from laborbrand.accounts.permissions import role_required
from laborbrand.metrics import Scope
from laborbrand.pages import query_id, query_int
from laborbrand.reference.models import County
from targets import board, charts, permissions, snapshots, tasks
from targets.models import Snapshot
from targets.plan import FIRST_YEAR, LAST_YEAR, is_plannable, targets_for
from targets.progress import Progress, deadline, judge


def _check_year(year: int) -> None:
    if not is_plannable(year):
        raise Http404


def _switched_year(request: HttpRequest, name: str, year: int, **kwargs) -> HttpResponse | None:
    """The year switch is a GET form on the page (`?year=`): answer it with the same page of that year. A
    year outside the range is a missing page."""
    if "year" not in request.GET:
        return None
    chosen = query_int(request, "year", default=None, low=FIRST_YEAR, high=LAST_YEAR)
    if chosen is None:
        raise Http404
    return redirect(name, year=chosen, **kwargs)


@dataclass(frozen=True)
class Figures:
    snapshot: Snapshot | None
    table: dict
    # The figures are older than the pages promise and new ones have been asked for.
    refreshing: bool


def _figures(year: int) -> Figures:
    """The year's newest figures. Older than DASHBOARD_FIGURES_MINUTES (or none yet), they are asked for
    again: inline when Celery runs eagerly, otherwise by a worker for the next view; a dead queue leaves the
    figures there are (or none), and the page says so."""
    snapshot = snapshots.latest(year)
    refreshing = False
    if snapshots.is_stale(snapshot) and snapshots.year_as_of(year) is not None:
        tasks.request_refresh(year)
        snapshot = snapshots.latest(year)
        refreshing = snapshots.is_stale(snapshot)
    return Figures(snapshot, board.figures_of(snapshot), refreshing)


def _years(year: int) -> dict:
    """The year switch: the years with figures (or targets) and the current one, and the neighbours."""
    this_year = timezone.localdate().year
    years = set(Snapshot.objects.order_by().values_list("year", flat=True).distinct())
    years = {y for y in years if FIRST_YEAR <= y <= this_year} | {this_year, year}
    return {
        "years": sorted(years, reverse=True),
        "previous_year": year - 1 if year - 1 >= FIRST_YEAR else None,
        "next_year": year + 1 if year + 1 <= max(this_year, year) and year + 1 <= LAST_YEAR else None,
    }


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    href: str
    sort: str  # "ascending", "descending" or "" (aria-sort)
    unit: str = ""


def _sorting(
    request: HttpRequest,
    rows: list[board.Row],
    columns: list[tuple[str, str, str]],
    *,
    prefix: str,
    anchor: str,
) -> tuple[list[board.Row], list[Header]]:
    """A table sorted by the column the query asks for (`<prefix>sort`, `<prefix>order` = asc|desc), and its
    headers, each a link that sorts by it: names A→Z first, figures largest first, the sorted column the
    other way round. An unknown column leaves the table in its order."""
    sort_param, order_param = f"{prefix}sort", f"{prefix}order"
    keys = {key for key, _label, _unit in columns}
    column = request.GET.get(sort_param)
    descending = request.GET.get(order_param) == "desc"
    if column in keys:
        rows = board.sorted_rows(rows, column, descending)
    else:
        column = None
    headers = []
    for key, label, unit in columns:
        if key == column:
            next_order, sort = (
                ("asc" if descending else "desc"),
                ("descending" if descending else "ascending"),
            )
        else:
            next_order, sort = ("asc" if key in (board.NAME, board.COUNTY) else "desc"), ""
        query = request.GET.copy()
        query[sort_param], query[order_param] = key, next_order
        headers.append(Header(key, label, f"?{query.urlencode()}#{anchor}", sort, unit))
    return rows, headers


def _metric_columns() -> list[tuple[str, str, str]]:
    return [(metric.key, metric.name, metric.unit) for metric in metrics.defined()]


def _brand_rows(request: HttpRequest, figures: Figures, plan, county: County | None) -> list[board.Row]:
    """The brands the snapshot counts (those in the programme when it was taken) that the user may see."""
    ids = {brand_id for (_county, brand_id) in figures.table if brand_id is not None}
    brands = permissions.visible_brands(request.user).filter(pk__in=ids).select_related("county")
    if county is not None:
        brands = brands.filter(county=county)
    scopes = [
        (Scope.brand(brand), brand.name, brand.county.name)
        for brand in brands.order_by("county__code", "name")
    ]
    return board.rows(figures.table, scopes, plan, figures.snapshot)


def _dashboard(request: HttpRequest, year: int, county: County | None) -> HttpResponse:
    figures = _figures(year)
    plan = targets_for(year)
    scope = Scope.county(county) if county else Scope.city()
    context = {
        "year": year,
        "county": county,
        "scope": scope,
        "figures": figures,
        "minutes": settings.DASHBOARD_FIGURES_MINUTES,
        "not_begun": snapshots.year_as_of(year) is None,
        "sees_city": permissions.sees_city(request.user),
        "lines": board.lines(figures.table, scope, plan, figures.snapshot),
        "switch_url": reverse("targets:county", args=[year, county.pk]) if county else "",
        **_years(year),
    }
    metric_columns = _metric_columns()
    if county is None:
        counties = list(permissions.visible_counties(request.user).order_by("code"))
        county_rows = board.rows(
            figures.table, [(Scope.county(c), c.name, "") for c in counties], plan, figures.snapshot
        )
        context["county_rows"], context["county_headers"] = _sorting(
            request,
            county_rows,
            [(board.NAME, _("County/district"), ""), *metric_columns],
            prefix="",
            anchor="counties",
        )
    context["brand_rows"], context["brand_headers"] = _sorting(
        request,
        _brand_rows(request, figures, plan, county),
        [(board.NAME, _("Brand"), ""), (board.COUNTY, _("County/district"), ""), *metric_columns],
        prefix="brand_",
        anchor="brands",
    )
    return render(request, "targets/dashboard.html", context)


@role_required(*permissions.READERS)
def home(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    if permissions.sees_city(request.user):
        return redirect("targets:city", year=year)
    county = permissions.get_county_for(request.user, request.user.county_id)
    return redirect("targets:county", year=year, county=county.pk)


@role_required(*permissions.READERS)
def city(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    permissions.require_city(request.user)
    return _switched_year(request, "targets:city", year) or _dashboard(request, year, None)


@role_required(*permissions.READERS)
def county(request: HttpRequest, year: int, county: int) -> HttpResponse:
    _check_year(year)
    found = permissions.get_county_for(request.user, county)
    return _switched_year(request, "targets:county", year, county=found.pk) or _dashboard(
        request, year, found
    )


# --- One metric: its figure month by month, and by county ----------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: int
    label: str
    as_of: datetime.date
    figure: object  # SnapshotFigure | None: None is a month without a snapshot (a gap)
    progress: Progress | None
    partial: bool  # the current month, counted so far from the dashboards' figures

    @property
    def value(self):
        return self.figure.year_value if self.figure else None


@dataclass(frozen=True)
class CountyRow:
    county: County
    figure: object
    target: object
    progress: Progress

    @property
    def value(self):
        return self.figure.year_value if self.figure else None


def _metric_county(request: HttpRequest) -> County | None:
    """The county the metric page is about: `?county=` (one the user sees, else 404); without it the city
    for city readers, an official's own county."""
    if "county" in request.GET:
        return permissions.get_county_for(request.user, query_id(request, "county"))
    if permissions.sees_city(request.user):
        return None
    return permissions.get_county_for(request.user, request.user.county_id)


def _month_rows(year: int, metric: metrics.Metric, scope: Scope, figures: Figures, plan) -> list[MonthRow]:
    """Each month of the year counted so far: its monthly snapshot's figure for the year to its end; the
    month the newest figures fall in, if not yet frozen, from them; other months without a snapshot, none."""
    as_of = snapshots.year_as_of(year)
    if as_of is None:
        return []
    monthly = board.monthly_figures(year, metric.key).get(board.scope_key(scope), {})
    latest = figures.snapshot
    target = plan.get(metric.key, scope)
    found = []
    for month in range(1, as_of.month + 1):
        figure, day, partial = monthly.get(month), snapshots.last_day_of(year, month), False
        if figure is None and latest is not None and latest.as_of.month == month:
            figure = figures.table.get(board.scope_key(scope), {}).get(metric.key)
            day, partial = latest.as_of, latest.as_of < snapshots.last_day_of(year, month)
        progress = (
            judge(metric, figure.year_value, target, year=year, as_of=day) if figure is not None else None
        )
        label = date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")
        found.append(MonthRow(month, label, day, figure, progress, partial))
    return found


def _line_chart(
    year: int, metric: metrics.Metric, scope: Scope, rows: list[MonthRow], plan
) -> charts.LineChart:
    percent = metric.unit == metrics.PERCENT
    return charts.line_chart(
        [(charts.year_share(row.as_of, year), row.value) for row in rows],
        charts.target_line(
            percent=percent,
            target=plan.get(metric.key, scope),
            year=year,
            deadline=deadline(metric.key, year),
        ),
        x_labels=[
            (charts.year_share(snapshots.last_day_of(year, month), year), str(month))
            for month in range(1, 13)
        ],
        percent=percent,
    )


def _county_rows(request, metric: metrics.Metric, figures: Figures, plan, year: int) -> list[CountyRow]:
    found = []
    as_of = figures.snapshot.as_of if figures.snapshot else None
    for county in permissions.visible_counties(request.user).order_by("code"):
        scope = Scope.county(county)
        figure = figures.table.get(board.scope_key(scope), {}).get(metric.key)
        target = plan.get(metric.key, scope)
        value = figure.year_value if figure else None
        found.append(CountyRow(county, figure, target, judge(metric, value, target, year=year, as_of=as_of)))
    return found


@role_required(*permissions.READERS)
def metric(request: HttpRequest, year: int, key: str) -> HttpResponse:
    _check_year(year)
    try:
        found = metrics.get(key)
    except KeyError:
        raise Http404 from None
    county = _metric_county(request)
    if "year" in request.GET:
        switched = _switched_year(request, "targets:metric", year, key=key)
        query = f"?county={county.pk}" if county else ""
        return redirect(switched.url + query)
    scope = Scope.county(county) if county else Scope.city()
    figures = _figures(year)
    plan = targets_for(year)
    line = next(
        line for line in board.lines(figures.table, scope, plan, figures.snapshot) if line.metric == found
    )
    month_rows = _month_rows(year, found, scope, figures, plan)
    context = {
        "year": year,
        "metric": found,
        "county": county,
        "scope": scope,
        "line": line,
        "figures": figures,
        "minutes": settings.DASHBOARD_FIGURES_MINUTES,
        "not_begun": snapshots.year_as_of(year) is None,
        "sees_city": permissions.sees_city(request.user),
        "month_rows": month_rows,
        "line_chart": _line_chart(year, found, scope, month_rows, plan),
        "percent": found.unit == metrics.PERCENT,
        "switch_url": reverse("targets:metric", args=[year, key]),
        **_years(year),
    }
    if county is None:
        county_rows = _county_rows(request, found, figures, plan, year)
        context["county_rows"] = county_rows
        context["bar_chart"] = charts.bar_chart(
            [(row.county.name, row.value, row.target) for row in county_rows],
            percent=found.unit == metrics.PERCENT,
        )
    return render(request, "targets/metric.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("<int:year>/", city, name="city"),
    path("<int:year>/county/<int:county>/", county, name="county"),
    path("<int:year>/metric/<slug:key>/", metric, name="metric"),
]
