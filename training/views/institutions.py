"""Institutions: registering one with its first staff account, the public list of qualified institutions,
and the city admins' list where they suspend and reinstate them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from brands.permissions import public_brands
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.accounts.views import organisation_registration
from laborbrand.listings import staff_list
from laborbrand.pages import paginate, refusals_shown
from training.forms.institutions import InstitutionForm, SuspendForm
from training.listings import INSTITUTION_SEARCH, INSTITUTIONS
from training.permissions import get_managed_institution_for, managed_institutions, public_institutions
from training.services import institutions as services

Role = User.Role


@sensitive_post_parameters("account-password1", "account-password2")
def institution_register(request):
    return organisation_registration(
        request,
        org_form_class=InstitutionForm,
        register=services.institution_register,
        template="training/institution_register.html",
    )


# --- Public ---------------------------------------------------------------------------------------------


def institution_public_list(request: HttpRequest) -> HttpResponse:
    institutions = (
        public_institutions()
        .select_related("county")
        .prefetch_related(
            "occupations",
            Prefetch(
                "agreements__brands",
                queryset=public_brands().only("name", "slug", "status"),
            ),
        )
        .order_by("county__code", "name")
    )
    page = paginate(request, institutions)
    for institution in page:  # a brand named in several agreements is listed once
        brands = {b.pk: b for a in institution.agreements.all() for b in a.brands.all()}
        institution.partner_brands = sorted(brands.values(), key=lambda brand: brand.name)
    return render(request, "training/institution_public_list.html", {"page_obj": page})


@role_required(Role.CITY_ADMIN)
def institution_admin_list(request: HttpRequest) -> HttpResponse:
    return staff_list(
        request,
        managed_institutions(request.user),
        INSTITUTIONS,
        "training/institution_admin_list.html",
        {"suspend_form": SuspendForm()},
        search=INSTITUTION_SEARCH,
        export_name=("institutions", _("Training institutions")),
    )


@role_required(Role.CITY_ADMIN)
@require_POST
def institution_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_managed_institution_for(request.user, pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for the decision."))
        return redirect("training:institution_admin_list")
    with refusals_shown(request):
        services.institution_suspend(
            institution=institution, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("%(name)s suspended.") % {"name": institution.name})
    return redirect("training:institution_admin_list")


@role_required(Role.CITY_ADMIN)
@require_POST
def institution_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    institution = get_managed_institution_for(request.user, pk)
    with refusals_shown(request):
        services.institution_reinstate(institution=institution, actor=request.user)
        messages.success(request, _("%(name)s reinstated.") % {"name": institution.name})
    return redirect("training:institution_admin_list")
