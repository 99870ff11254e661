"""The year's targets and deadlines: a city admin sets them; city readers read the history of the edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from laborbrand import metrics
from laborbrand.accounts.permissions import role_required
from laborbrand.pages import paginate
from laborbrand.reference.models import County, ProgrammeYear, deadlines
from laborbrand.uniqueness import save_or_form_errors
from targets import services
from targets.forms import PlanForm, plain
from targets.models import Target
from targets.permissions import MANAGERS, READERS, require_city
from targets.plan import defaults_for, is_plannable, targets_for


def _year_or_404(year: int) -> int:
    if not is_plannable(year):
        raise Http404
    return year


@role_required(*MANAGERS)
def plan(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    counties = list(County.objects.order_by("code"))
    form = PlanForm(
        request.POST or None,
        plan=targets_for(year),
        counties=counties,
        programme_year=deadlines(year),
    )
    if form.is_valid():
        changed = save_or_form_errors(
            form,
            lambda: services.plan_save(
                year=year,
                targets=form.targets(),
                selection_deadline=form.cleaned_data["selection_deadline"],
                filing_deadline=form.cleaned_data["filing_deadline"],
                user=request.user,
            ),
        )
        if changed is not None:
            if changed:
                messages.success(request, _("The targets for %(year)s are saved.") % {"year": year})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("targets:plan", year=year)
    return render(
        request,
        "targets/plan.html",
        {"year": year, "form": form, "rows": form.rows(), "counties": counties},
    )


@dataclass(frozen=True)
class Change:
    """One line of the history: what changed, for whom, from what to what ("" = the default / none)."""

    when: datetime
    who: str
    what: str
    scope: str
    old: str
    new: str


@role_required(*READERS)
def plan_history(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    require_city(request.user)
    page = paginate(request, _changes(year))
    context = {"year": year, "page_obj": page, "can_edit": request.user.role in MANAGERS}
    return render(request, "targets/plan_history.html", context)


def _changes(year: int) -> list[Change]:
    """Every change to the year's targets and deadlines, newest first. A year's history is a few hundred
    rows at most (one per edit of one of ~16 × 8 values), so it is read whole and compared in order."""
    defaults = defaults_for(year)
    city = _("City")
    names = {metric.key: metric.name for metric in metrics.defined()}
    changes = []
    previous: dict[tuple[str, int | None], Decimal | None] = {}
    records = (
        Target.history.filter(year=year)
        .select_related("history_user", "county")
        .order_by("history_date", "history_id")
    )
    for record in records:
        key = (record.metric, record.county_id)
        default = defaults.own(record.metric, record.county_id)
        if default is None and record.county_id is not None and _is_rate(record.metric):
            default = defaults.city.get(record.metric)  # a county without a rate of its own holds the city's
        new = None if record.history_type == "-" else record.value
        old = previous.get(key)
        previous[key] = new
        changes.append(
            Change(
                when=record.history_date,
                who=_who(record),
                what=names.get(record.metric, record.metric),
                scope=record.county.name if record.county_id else city,
                old=_shown(old, default),
                new=_shown(new, default),
            )
        )
    standard = ProgrammeYear.default(year)
    labels = {
        "selection_deadline": _("Brand selection deadline"),
        "filing_deadline": _("Partner agreement filing deadline"),
    }
    before = {field: getattr(standard, field) for field in labels}
    for record in (
        ProgrammeYear.history.filter(year=year)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        for field, label in labels.items():
            day = getattr(standard, field) if record.history_type == "-" else getattr(record, field)
            if day != before[field]:
                changes.append(
                    Change(record.history_date, _who(record), label, city, _day(before[field]), _day(day))
                )
            before[field] = day
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes


def _is_rate(key: str) -> bool:
    try:
        return metrics.get(key).unit == metrics.PERCENT
    except KeyError:
        return False


def _who(record) -> str:
    return record.history_user.display_name if record.history_user else _("System")


def _shown(value: Decimal | None, default: Decimal | None) -> str:
    if value is not None:
        return plain(value)
    if default is not None:
        return _("Default (%(value)s)") % {"value": plain(default)}
    return _("None")


def _day(day: date) -> str:
    return day.isoformat()


urlpatterns = [
    path("<int:year>/targets/", plan, name="plan"),
    path("<int:year>/targets/history/", plan_history, name="plan_history"),
]
