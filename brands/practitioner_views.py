"""The pages of a brand's practitioner register: the list (keyword search, Excel export), adding a person,
editing an entry, removing one with a reason. The officials of the brand's county keep it; city admins read
every county's. Importing from Excel is the import engine's pages (brands/imports.py holds the rules)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brands import services
from brands.forms import PractitionerDetailsForm, PractitionerForm, RemovalForm
from brands.models import Brand, Practitioner
from brands.permissions import (
    can_keep_register,
    cannot_keep_register,
    get_brand_for,
    get_practitioner_for,
    visible_practitioners,
)
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.imports.links import start_url
from laborbrand.listings import Column, Listing, staff_list
from laborbrand.pages import query_without_page, refusals_shown, unavailable_page
from laborbrand.uniqueness import save_or_form_errors

Role = User.Role


def _removal(practitioner: Practitioner) -> str:
    if practitioner.removed_at is None:
        return ""
    return f"{practitioner.removed_at:%Y-%m-%d} {practitioner.removal_reason}"


PRACTITIONERS = Listing(
    columns=(
        Column(gettext_lazy("Name"), lambda p: p.worker.real_name),
        Column(gettext_lazy("ID number"), lambda p: p.worker.masked_id_number),
        Column(gettext_lazy("Occupation"), lambda p: p.occupation.name),
        Column(gettext_lazy("Employed at"), lambda p: p.workplace),
        Column(gettext_lazy("Township"), lambda p: p.township.name if p.township else ""),
        Column(gettext_lazy("In the trade since"), lambda p: p.since),
        Column(gettext_lazy("Contact phone"), lambda p: p.masked_contact_phone),
        Column(gettext_lazy("Source"), lambda p: p.get_source_display()),
        Column(gettext_lazy("Registered"), lambda p: p.created.date()),
        Column(gettext_lazy("Removed"), _removal),
    ),
    related=("worker", "occupation", "township"),
    ordering=("-created", "-pk"),
)
SEARCH_FIELDS = ("worker__real_name", "employer")


@role_required(Role.COUNTY_OFFICIAL, Role.CITY_ADMIN)
def practitioner_list(request: HttpRequest, pk: int) -> HttpResponse:
    brand = get_brand_for(request.user, pk)
    removed = request.GET.get("show") == "removed"
    entries = visible_practitioners(request.user).filter(brand=brand)
    active_count = entries.active().count()
    return staff_list(
        request,
        entries.removed() if removed else entries.active(),
        PRACTITIONERS,
        "brands/practitioner_list.html",
        {
            "brand": brand,
            "removed": removed,
            "active_count": active_count,
            "can_keep": can_keep_register(request.user, brand),
            "import_url": start_url("practitioners", brand),
            "query": query_without_page(request),
        },
        search=SEARCH_FIELDS,
        export_name=(f"practitioners-{brand.pk}", _("Practitioners of %(brand)s") % {"brand": brand.name}),
    )


def _register_unavailable(request: HttpRequest, brand: Brand, title: str) -> HttpResponse | None:
    """The page a register's form shows once the brand is retired; another county's brand never gets here
    (404), and a city admin, who reads registers only, gets 403 from the view's roles."""
    if can_keep_register(request.user, brand):
        return None
    unavailable = cannot_keep_register(brand)
    if unavailable is None:
        raise PermissionDenied
    return unavailable_page(request, unavailable, title=title)


@role_required(Role.COUNTY_OFFICIAL)
def practitioner_create(request: HttpRequest, pk: int) -> HttpResponse:
    brand = get_brand_for(request.user, pk)
    if (page := _register_unavailable(request, brand, _("Add a practitioner"))) is not None:
        return page
    form = PractitionerForm(request.POST or None, brand=brand)
    context = {"form": form, "brand": brand}
    if form.is_valid():
        data = form.cleaned_data
        with refusals_shown(request, form):
            added = save_or_form_errors(
                form,
                lambda: services.practitioner_add(
                    brand=brand,
                    actor=request.user,
                    real_name=data["real_name"],
                    id_number=data["id_number"],
                    **form.details(),
                ),
            )
            if added is not None:
                practitioner, _opened = added
                messages.success(
                    request,
                    _("%(name)s is on the register of %(brand)s.")
                    % {"name": practitioner.worker.display_name, "brand": brand.name},
                )
                if "add_another" in request.POST:
                    return redirect("brands:practitioner_create", pk=brand.pk)
                return redirect("brands:practitioner_list", pk=brand.pk)
    return render(request, "brands/practitioner_form.html", context)


@role_required(Role.COUNTY_OFFICIAL)
def practitioner_update(request: HttpRequest, pk: int, practitioner_pk: int) -> HttpResponse:
    practitioner = get_practitioner_for(request.user, pk, practitioner_pk)
    brand = practitioner.brand
    if (page := _register_unavailable(request, brand, _("Edit a practitioner's entry"))) is not None:
        return page
    form = PractitionerDetailsForm(request.POST or None, brand=brand, practitioner=practitioner)
    context = {"form": form, "brand": brand, "practitioner": practitioner}
    if practitioner.is_active and form.is_valid():
        with refusals_shown(request, form):
            services.practitioner_update(practitioner=practitioner, actor=request.user, **form.details())
            messages.success(request, _("Entry saved."))
            return redirect("brands:practitioner_list", pk=brand.pk)
    return render(request, "brands/practitioner_form.html", context)


@role_required(Role.COUNTY_OFFICIAL)
def practitioner_remove(request: HttpRequest, pk: int, practitioner_pk: int) -> HttpResponse:
    """GET: what removing means, with the reason to give; POST: remove."""
    practitioner = get_practitioner_for(request.user, pk, practitioner_pk)
    brand = practitioner.brand
    if (page := _register_unavailable(request, brand, _("Remove a practitioner"))) is not None:
        return page
    form = RemovalForm(request.POST or None)
    if practitioner.is_active and form.is_valid():
        with refusals_shown(request):
            services.practitioner_remove(
                practitioner=practitioner, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("%(name)s was removed from the register.") % {"name": practitioner.worker.display_name},
            )
        return redirect("brands:practitioner_list", pk=brand.pk)
    return render(
        request,
        "brands/practitioner_remove.html",
        {"form": form, "brand": brand, "practitioner": practitioner},
    )
