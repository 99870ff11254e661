"""The drill-down: the records a figure counts, for the figure's scope (the city, a county, a brand) and
period (the year or one of its months, up to today), paginated, and their Excel export (targets/drilldown.py
says which records and how each kind is listed)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from laborbrand import metrics
from laborbrand.accounts.permissions import role_required
from laborbrand.forms import parse_id, parse_int
from laborbrand.metrics import Figure, Metric, Period, Scope
from laborbrand.pages import paginate
from laborbrand.reference.models import County
from laborbrand.spreadsheets import workbook_bytes, xlsx_response
from targets import drilldown
from targets.drilldown import Part
from targets.permissions import (
    READERS,
    get_brand_for,
    get_county_for,
    sees_city,
    visible_brands,
    visible_counties,
)
from targets.plan import is_plannable
from targets.snapshots import year_as_of

# Rows fetched at a time for an export (a city's year of enrolments is far more than a page).
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Drilldown:
    """What a request asks to see, once checked: the metric, its scope and period, and the part."""

    metric: Metric
    year: int
    month: int | None
    period: Period
    county: County | None
    brand: Brand | None
    part: Part

    @property
    def scope(self) -> Scope:
        if self.brand is not None:
            return Scope.brand(self.brand)
        if self.county is not None:
            return Scope.county(self.county)
        return Scope.city()

    @property
    def scope_label(self) -> str:
        if self.brand is not None:
            return gettext("Brand %(brand)s (%(county)s)") % {
                "brand": self.brand,
                "county": self.brand.county,
            }
        if self.county is not None:
            return str(self.county)
        return gettext("The whole city")

    @property
    def period_label(self) -> str:
        if self.month is not None:
            return gettext("%(month)s %(year)s") % {"month": MONTHS[self.month], "year": self.year}
        return str(self.year)

    def query(self, part: Part | None = None) -> str:
        """The filters as checked, as a query string (what was ignored is left out), for the part given or
        the one shown."""
        query = QueryDict(mutable=True)
        if self.brand is not None:
            query["brand"] = self.brand.pk
        elif self.county is not None:
            query["county"] = self.county.pk
        if self.month is not None:
            query["month"] = self.month
        query["part"] = (part or self.part).value
        return query.urlencode()

    def file_names(self) -> tuple[str, str]:
        """The export's file name in ASCII and as people read it."""
        if self.brand is not None:
            scope = f"brand-{self.brand.pk}"
        elif self.county is not None:
            scope = f"county-{self.county.code}"
        else:
            scope = "city"
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        ascii_name = f"records-{self.metric.key}-{scope}-{period}-{self.part}.xlsx"
        display_name = f"{self.metric.name}-{self.scope_label}-{self.period_label}-{self.part.label}.xlsx"
        return ascii_name, display_name


def _period(year: int, month: int | None, as_of: datetime.date) -> Period:
    """The year, or one of its months, up to `as_of` (today in the current year)."""
    if month is None:
        return Period(datetime.date(year, 1, 1), as_of)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return Period(datetime.date(year, month, 1), min(last, as_of))


def _scope(request: HttpRequest) -> tuple[County | None, Brand | None, list[str]]:
    """The county and the brand asked for. A county or brand the user may not see, or a value that could not
    be one, answers 404 (as another county's records do everywhere). Without either, a city reader gets the
    city and an official their own county (as on the metric page). A brand of another county than the one
    asked for is ignored, with a word why."""
    user, notes = request.user, []
    county_value, brand_value = request.GET.get("county", ""), request.GET.get("brand", "")
    county = get_county_for(user, parse_id(county_value)) if county_value else None
    brand = get_brand_for(user, parse_id(brand_value)) if brand_value else None
    if brand is not None and county is not None and brand.county_id != county.pk:
        notes.append(gettext("The brand chosen is not of the county chosen: the whole county is shown."))
        brand = None
    if brand is not None:
        county = brand.county
    if county is None and not sees_city(user):
        county = get_county_for(user, user.county_id)
    return county, brand, notes


def _month(request: HttpRequest, year: int, as_of: datetime.date) -> tuple[int | None, list[str]]:
    value = request.GET.get("month", "")
    if not value:
        return None, []
    month = parse_int(value, low=1, high=12)
    if month is None or datetime.date(year, month, 1) > as_of:
        return None, [
            gettext("There is no such month of %(year)s yet: the whole year is shown.") % {"year": year}
        ]
    return month, []


def _part(request: HttpRequest, metric: Metric) -> tuple[Part, list[str]]:
    value = request.GET.get("part", "")
    parts = drilldown.parts_of(metric)
    if not value:
        return Part.COUNTED, []
    if value not in parts:
        return Part.COUNTED, [gettext("This figure has no such part: the records counted are shown.")]
    return Part(value), []


def _drilldown(request: HttpRequest, year: int, key: str) -> tuple[Drilldown, list[str]]:
    """The checked request, and what was ignored in it (404 for a metric, year, county or brand that does
    not exist or is not the user's)."""
    if not is_plannable(year):
        raise Http404
    as_of = year_as_of(year)
    if as_of is None:
        raise Http404
    try:
        metric = metrics.get(key)
    except KeyError:
        raise Http404 from None
    county, brand, scope_notes = _scope(request)
    month, month_notes = _month(request, year, as_of)
    part, part_notes = _part(request, metric)
    asked = Drilldown(
        metric=metric,
        year=year,
        month=month,
        period=_period(year, month, as_of),
        county=county,
        brand=brand,
        part=part,
    )
    return asked, [*scope_notes, *month_notes, *part_notes]


class RecordsFilterForm(forms.Form):
    """The drill-down's filters, shown with the choices the user has (the request itself is read by
    _drilldown, which answers 404 for a county or brand that is not the user's)."""

    county = forms.TypedChoiceField(label=_("County/district"), required=False, coerce=int, empty_value=None)
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)
    month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None)
    part = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, asked: Drilldown, as_of: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        counties = [(c.pk, str(c)) for c in visible_counties(user)]
        whole_city = [("", gettext("The whole city"))] if sees_city(user) else []
        self.fields["county"].choices = whole_city + counties
        brands = visible_brands(user).select_related("county").order_by("county__code", "name", "pk")
        if asked.county is not None:
            brands = brands.filter(county=asked.county)
        self.fields["brand"].choices = [("", gettext("All brands"))] + [(b.pk, str(b)) for b in brands]
        last_month = as_of.month if asked.year == as_of.year else 12
        self.fields["month"].choices = [("", gettext("The whole year"))] + [
            (m, str(MONTHS[m])) for m in range(1, last_month + 1)
        ]


def _dashboard_url(asked: Drilldown) -> str:
    """The dashboard the figure came from: the county's (a brand's county's), or the city's."""
    try:
        if asked.county is not None:
            return reverse("targets:county", args=[asked.year, asked.county.pk])
        return reverse("targets:city", args=[asked.year])
    except NoReverseMatch:  # the dashboards' routes are another module's; the page stands without them
        return ""


def _part_links(asked: Drilldown) -> list[dict]:
    return [
        {
            "label": drilldown.part_label(asked.metric, part),
            "query": asked.query(part),
            "current": part == asked.part,
        }
        for part in drilldown.parts_of(asked.metric)
    ]


@role_required(*READERS)
def records(request: HttpRequest, year: int, key: str) -> HttpResponse:
    asked, notes = _drilldown(request, year, key)
    for note in notes:
        messages.warning(request, note)
    figure: Figure = asked.metric.figure(asked.scope, asked.period)
    listing, queryset = drilldown.listed(asked.metric, asked.part, asked.scope, asked.period)
    page = paginate(request, queryset)
    form = RecordsFilterForm(
        initial={
            "county": asked.county.pk if asked.county else None,
            "brand": asked.brand.pk if asked.brand else None,
            "month": asked.month,
            "part": asked.part.value,
        },
        user=request.user,
        asked=asked,
        as_of=year_as_of(year),
    )
    return render(
        request,
        "targets/records.html",
        {
            "asked": asked,
            "metric": asked.metric,
            "figure": figure,
            "is_rate": asked.metric.base is not None,
            "part_label": drilldown.part_label(asked.metric, asked.part),
            "part_links": _part_links(asked) if asked.metric.base is not None else [],
            "headers": listing.headers,
            "rows": listing.rows(page),
            "page_obj": page,
            "query": asked.query(),
            "form": form,
            "dashboard_url": _dashboard_url(asked),
        },
    )


@role_required(*READERS)
def records_export(request: HttpRequest, year: int, key: str) -> HttpResponse:
    asked, _notes = _drilldown(
        request, year, key
    )  # the page says what was ignored; the file is what is shown
    listing, queryset = drilldown.listed(asked.metric, asked.part, asked.scope, asked.period)
    content = workbook_bytes(
        sheet_title=str(asked.metric.name),
        headers=listing.headers,
        rows=listing.rows(queryset.iterator(chunk_size=EXPORT_CHUNK)),
    )
    ascii_name, display_name = asked.file_names()
    return xlsx_response(content, ascii_name=ascii_name, display_name=display_name)


urlpatterns = [
    path("<int:year>/metric/<slug:key>/records/", records, name="records"),
    path("<int:year>/metric/<slug:key>/records.xlsx", records_export, name="records_export"),
]
