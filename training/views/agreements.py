"""Partner agreements (签约备案): the county's and the institution's lists, recording one, its signed
document, and the city admins' overview of each county's filings."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list
from laborbrand.pages import query_int, refusals_shown, unavailable_page
from training.forms.agreements import AgreementForm
from training.listings import AGREEMENT_SEARCH, AGREEMENTS
from training.models import PartnerAgreement
from training.models import filing_deadline as deadline_of
from training.permissions import (
    cannot_record_agreement,
    get_agreement_for,
    overseen_counties,
    visible_agreements,
)
from training.services import agreements as services
from training.views.files import private_file

Role = User.Role


# The earliest year the agreements overview accepts in its URL (its menu offers the last five years).
FIRST_OVERVIEW_YEAR = 2000


@role_required(Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF)
def agreement_list(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_agreement(request.user) if request.user.role == Role.COUNTY_OFFICIAL else None
    return staff_list(
        request,
        visible_agreements(request.user).with_deadline().distinct(),
        AGREEMENTS,
        "training/agreement_list.html",
        {"unavailable": unavailable},
        search=AGREEMENT_SEARCH,
        export_name=("agreements", _("Partner agreements")),
    )


@role_required(Role.COUNTY_OFFICIAL)
def agreement_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_agreement(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Record a partner agreement"))
    form = AgreementForm(request.POST or None, request.FILES or None, county=request.user.county)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_shown(request):
            agreement = services.agreement_record(
                actor=request.user,
                institution=data["institution"],
                brands=data["brands"],
                signed_on=data["signed_on"],
                filed_on=data["filed_on"],
                document=data["document"],
            )
            if agreement.is_late:
                messages.warning(
                    request,
                    _("Agreement recorded. It was filed after the deadline of %(date)s and is shown as late.")
                    % {"date": agreement.deadline.isoformat()},
                )
            else:
                messages.success(request, _("Agreement recorded."))
            return redirect("training:agreement_list")
    return render(request, "training/agreement_form.html", {"form": form})


@role_required(Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    agreement = get_agreement_for(request.user, pk)
    return private_file(agreement.document, "application/pdf", f"agreement-{agreement.pk}.pdf")


@role_required(Role.CITY_ADMIN)
def agreement_overview(request: HttpRequest) -> HttpResponse:
    """Per county, this year's agreements filed on time and late; a county with no agreement is missing."""
    today = timezone.localdate()
    year = query_int(request, "year", default=today.year, low=FIRST_OVERVIEW_YEAR, high=today.year + 1)
    try:
        deadline = deadline_of(year)
    except ValueError:  # a deadline of 29 February in a common year
        year, deadline = today.year, deadline_of(today.year)
    agreements = (
        visible_agreements(request.user)
        .signed_in(year)
        .with_deadline()
        .select_related("institution")
        .prefetch_related("brands")
    )
    by_county: dict[int, list[PartnerAgreement]] = {}
    for agreement in agreements:
        by_county.setdefault(agreement.county_id, []).append(agreement)
    rows = []
    for county in overseen_counties(request.user):
        items = by_county.get(county.pk, [])
        rows.append(
            {
                "county": county,
                "agreements": items,
                "on_time": sum(1 for a in items if not a.is_late),
                "late": sum(1 for a in items if a.is_late),
                "missing": not items,
            }
        )
    return render(
        request,
        "training/agreement_overview.html",
        {
            "rows": rows,
            "year": year,
            "deadline": deadline,
            "deadline_passed": today > deadline,
            "years": list(range(today.year, today.year - 5, -1)),
        },
    )
