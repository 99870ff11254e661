"""The monthly reports: the list of kept snapshots, a month's report (printable on A4) and its workbook, an
on-demand snapshot's page, and the city admin's "take a snapshot" button."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laborbrand.accounts.permissions import role_required
from laborbrand.forms import parse_id, parse_int
from laborbrand.metrics import Scope
from laborbrand.pages import query_id, query_int
from laborbrand.reference.models import County
from laborbrand.spreadsheets import workbook_of_sheets, xlsx_response
from targets import report as reports
from targets import snapshots
from targets.models import Snapshot
from targets.permissions import MANAGERS, READERS, get_county_for, sees_city, visible_brands
from targets.plan import FIRST_YEAR, LAST_YEAR, is_plannable


def _year_month(year: int, month: int) -> tuple[int, int]:
    """A year and month from the address: out of range → 404, never a date error."""
    if not (is_plannable(year) and 1 <= month <= 12):
        raise Http404
    return year, month


def _county(request):
    """The county the page is about: an official's own (another county's id → 404); for city readers the one
    asked for (`?county=`), or None for the city."""
    asked = query_id(request, "county")
    if not sees_city(request.user):
        if asked is not None and asked != request.user.county_id:
            raise Http404
        return get_county_for(request.user, request.user.county_id)
    if request.GET.get("county") and asked is None:
        raise Http404
    return get_county_for(request.user, asked) if asked is not None else None


@role_required(*READERS)
def report_list(request):
    today = timezone.localdate()
    year = query_int(request, "year", default=today.year, low=FIRST_YEAR, high=LAST_YEAR)
    kept = (
        Snapshot.objects.kept().filter(year=year).select_related("taken_by").order_by("-as_of", "-taken_at")
    )
    context = {
        "year": year,
        "years": range(today.year, max(FIRST_YEAR, today.year - 5) - 1, -1),
        "snapshots": kept,
        "missing": snapshots.missing_months(year, today),
        "can_take": request.user.role in MANAGERS,
        "county": None if sees_city(request.user) else request.user.county,
    }
    return render(request, "targets/reports.html", context)


def _report_context(request, snapshot: Snapshot) -> dict:
    county = _county(request)
    report = reports.Report(snapshot)
    brands = visible_brands(request.user)
    if county is not None:
        brands = brands.filter(county=county)
    context = {
        "report": report,
        "snapshot": snapshot,
        "county": county,
        "lines": report.lines(Scope.county(county) if county else Scope.city()),
        "brands": [(brand, report.lines(scope)) for brand, scope in reports.brands_of(report, brands)],
        "counties": [],
        "can_take": request.user.role in MANAGERS,
        "all_counties": County.objects.order_by("code") if sees_city(request.user) else None,
    }
    if county is None:
        compared = reports.counties_of(County.objects.all())
        context["counties"] = [county for county, _scope in compared]
        context["county_table"] = report.table(compared)
    return context


@role_required(*READERS)
def report_detail(request, year: int, month: int):
    year, month = _year_month(year, month)
    if not snapshots.is_over(year, month):
        raise Http404
    snapshot = Snapshot.objects.monthly().filter(year=year, month=month).select_related("taken_by").first()
    if snapshot is None:
        _county(request)  # an official asking for another county gets 404 here too
        context = {"year": year, "month": month, "can_take": request.user.role in MANAGERS}
        return render(request, "targets/report_missing.html", context)
    return render(request, "targets/report.html", _report_context(request, snapshot))


@role_required(*READERS)
def snapshot_detail(request, pk: int):
    pk = parse_id(pk)
    snapshot = Snapshot.objects.kept().filter(pk=pk).select_related("taken_by").first() if pk else None
    if snapshot is None:
        raise Http404
    if snapshot.kind == Snapshot.Kind.MONTHLY:
        return redirect(_report_url(snapshot, request))
    return render(request, "targets/report.html", _report_context(request, snapshot))


def _report_url(snapshot: Snapshot, request) -> str:
    url = reverse("targets:report", args=[snapshot.year, snapshot.month])
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@role_required(*READERS)
def report_export(request, year: int, month: int):
    year, month = _year_month(year, month)
    if not snapshots.is_over(year, month):
        raise Http404
    snapshot = Snapshot.objects.monthly().filter(year=year, month=month).first()
    if snapshot is None:
        raise Http404
    report = reports.Report(snapshot)
    brands = visible_brands(request.user)
    counties = (
        County.objects.all() if sees_city(request.user) else County.objects.filter(pk=request.user.county_id)
    )
    sheets = reports.workbook_sheets(report, city=sees_city(request.user), counties=counties, brands=brands)
    name = f"{year}-{month:02}"
    return xlsx_response(
        workbook_of_sheets(sheets),
        ascii_name=f"report-{name}.xlsx",
        display_name=_("Monthly report %(month)s.xlsx") % {"month": name},
    )


@role_required(*MANAGERS)
@require_POST
def snapshot_take(request):
    """Freeze today's figures, or (with `year` and `month`) a month that is over and has no snapshot yet."""
    if "year" in request.POST or "month" in request.POST:
        year = parse_int(request.POST.get("year"), low=FIRST_YEAR, high=LAST_YEAR)
        month = parse_int(request.POST.get("month"), low=1, high=12)
        if year is None or month is None or not snapshots.is_over(year, month):
            raise Http404
        snapshot = snapshots.take_month(year, month, taken_by=request.user)
        messages.success(
            request,
            _("The figures of %(month)s are frozen.")
            % {"month": date_format(snapshot.as_of, "YEAR_MONTH_FORMAT")},
        )
        return redirect("targets:report", year, month)
    snapshot = snapshots.take_today(request.user)
    messages.success(
        request,
        _("A snapshot of the figures as of %(day)s is taken.")
        % {"day": date_format(snapshot.as_of, "DATE_FORMAT")},
    )
    return redirect("targets:snapshot", snapshot.pk)


urlpatterns = [
    path("reports/", report_list, name="reports"),
    path("reports/<int:year>/<int:month>/", report_detail, name="report"),
    path("reports/<int:year>/<int:month>.xlsx", report_export, name="report_export"),
    path("snapshots/take/", snapshot_take, name="snapshot_take"),
    path("snapshots/<int:pk>/", snapshot_detail, name="snapshot"),
]
