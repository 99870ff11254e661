"""Apprenticeships (企业新型学徒制): the list each party keeps, recording an apprentice, and completing or
ending an apprenticeship (each confirmed on a page of its own)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jobs import services
from jobs.forms.apprenticeships import ApprenticeshipForm
from jobs.listings import APPRENTICESHIP_SEARCH, APPRENTICESHIPS
from jobs.models import Apprenticeship
from jobs.permissions import (
    cannot_record_apprenticeship,
    get_apprenticeship_for_party,
    own_employer,
    visible_apprenticeships,
)
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list
from laborbrand.pages import confirmation_page, refusals_shown, unavailable_page
from training.permissions import own_institution

Role = User.Role
Status = Apprenticeship.Status


@role_required(Role.EMPLOYER, Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def apprenticeship_list(request: HttpRequest) -> HttpResponse:
    is_party = request.user.role in (Role.EMPLOYER, Role.INSTITUTION_STAFF)
    return staff_list(
        request,
        visible_apprenticeships(request.user),
        APPRENTICESHIPS,
        "jobs/apprenticeship_list.html",
        {
            "is_party": is_party,
            "unavailable": cannot_record_apprenticeship(request.user) if is_party else None,
        },
        search=APPRENTICESHIP_SEARCH,
        export_name=("apprenticeships", _("Apprenticeships")),
        open_ended=True,
    )


@role_required(Role.EMPLOYER, Role.INSTITUTION_STAFF)
def apprenticeship_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_apprenticeship(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Record an apprentice"))
    employer, institution = own_employer(request.user), own_institution(request.user)
    form = ApprenticeshipForm(request.POST or None, employer=employer, institution=institution)
    if form.is_valid():
        with refusals_shown(request, form):
            services.apprenticeship_record(actor=request.user, **form.apprenticeship_fields())
            messages.success(
                request, _("Apprenticeship of %(name)s recorded.") % {"name": form.worker.display_name}
            )
            return redirect("jobs:apprenticeship_list")
    return render(request, "jobs/apprenticeship_form.html", {"form": form})


def _confirm(request: HttpRequest, pk: int, to: str, action: str) -> HttpResponse:
    """Completing or ending an apprenticeship is final: the party sees what it means first (the view named
    `action` makes the move)."""
    apprenticeship = get_apprenticeship_for_party(request.user, pk)
    return confirmation_page(
        request,
        "jobs/apprenticeship_set_status.html",
        possible=to in services.APPRENTICESHIP_ALLOWED.get(apprenticeship.status, ()),
        action=reverse(action, args=[pk]),
        cancel_url=reverse("jobs:apprenticeship_list"),
        apprenticeship=apprenticeship,
        to=to,
    )


def _set_status(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    apprenticeship = get_apprenticeship_for_party(request.user, pk)
    with refusals_shown(request):
        apprenticeship = services.apprenticeship_set_status(
            apprenticeship=apprenticeship, actor=request.user, to=to
        )
        messages.success(
            request,
            _("The apprenticeship of %(name)s is now “%(status)s”.")
            % {"name": apprenticeship.worker.display_name, "status": apprenticeship.get_status_display()},
        )
    return redirect("jobs:apprenticeship_list")


@role_required(Role.EMPLOYER, Role.INSTITUTION_STAFF)
@require_GET
def apprenticeship_complete_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, Status.COMPLETED, "jobs:apprenticeship_complete")


@role_required(Role.EMPLOYER, Role.INSTITUTION_STAFF)
@require_POST
def apprenticeship_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, Status.COMPLETED)


@role_required(Role.EMPLOYER, Role.INSTITUTION_STAFF)
@require_GET
def apprenticeship_end_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirm(request, pk, Status.ENDED, "jobs:apprenticeship_end")


@role_required(Role.EMPLOYER, Role.INSTITUTION_STAFF)
@require_POST
def apprenticeship_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_status(request, pk, Status.ENDED)
