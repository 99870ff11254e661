"""Labour cooperation (劳务协作): partner regions with their agreements and yearly targets, and docking fairs
(对接会) with their employers, postings, attendance and resulting hires. City admins and county officials
only; partner regions are the city's, edited by city admins; a fair is edited by its organiser."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs import services
from jobs.figures import cross_province, fair_hires, with_placements, with_resulting_hires
from jobs.forms.cooperation import DockingFairForm, PartnerRegionForm
from jobs.listings import FAIR_SEARCH, FAIRS, PARTNER_SEARCH, PARTNERS
from jobs.models import DockingFair
from jobs.permissions import cannot_record_fair, editable_fairs, visible_fairs, visible_partner_regions
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list
from laborbrand.metrics import Period, get, year_to_date_label
from laborbrand.pages import refusals_shown, unavailable_page
from laborbrand.queries import count_of
from laborbrand.uniqueness import save_or_form_errors

Role = User.Role
OFFICIALS = (Role.CITY_ADMIN, Role.COUNTY_OFFICIAL)
# The button that redraws the fair form with the ticked employers' postings, saving nothing.
SHOW_POSTINGS = "show_postings"
FAIR_FACTS = ("title", "held_on", "place", "partner", "attendance")


# --- Partner regions ----------------------------------------------------------------------------------------


@role_required(*OFFICIALS)
def partner_list(request: HttpRequest) -> HttpResponse:
    """Every partner region with the year to date's cross-province placements (the registry's records) into
    jobs in its province against its target, and its docking fairs this year (counts in the list's own
    query, whatever the number of regions)."""
    period = Period.year_to_date()
    year = period.start.year
    fairs = DockingFair.objects.filter(partner=OuterRef("pk"), held_on__year=year)
    regions = with_placements(visible_partner_regions(request.user), period).annotate(
        fairs_this_year=count_of(fairs)
    )
    return staff_list(
        request,
        regions,
        PARTNERS,
        "jobs/partner_list.html",
        {
            "year": year,
            "can_edit": request.user.role == Role.CITY_ADMIN,
            "metric": get("cross_province_placements"),
            "period_label": year_to_date_label(period),
        },
        search=PARTNER_SEARCH,
        export_name=("partner-regions", _("Partner regions")),
    )


@role_required(Role.CITY_ADMIN)
def partner_create(request: HttpRequest) -> HttpResponse:
    form = PartnerRegionForm(request.POST or None)
    if form.is_valid():
        region = save_or_form_errors(
            form, lambda: services.partner_region_save(actor=request.user, **form.cleaned_data)
        )
        if region is not None:
            messages.success(request, _("Partner region %(name)s saved.") % {"name": region.name})
            return redirect("jobs:partner_list")
    return render(request, "jobs/partner_form.html", {"form": form})


@role_required(Role.CITY_ADMIN)
def partner_update(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(visible_partner_regions(request.user), pk=pk)
    name = region.name  # the form writes its input into the instance while validating
    form = PartnerRegionForm(request.POST or None, instance=region)
    if form.is_valid():
        saved = save_or_form_errors(
            form, lambda: services.partner_region_save(actor=request.user, region=region, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("Partner region %(name)s saved.") % {"name": saved.name})
            return redirect("jobs:partner_list")
    return render(request, "jobs/partner_form.html", {"form": form, "region": region, "region_name": name})


# --- Docking fairs ------------------------------------------------------------------------------------------


@role_required(*OFFICIALS)
def fair_list(request: HttpRequest) -> HttpResponse:
    fairs = (
        with_resulting_hires(visible_fairs(request.user))
        .annotate(posting_count=Count("postings", distinct=True))
        .annotate(can_edit=Exists(editable_fairs(request.user).filter(pk=OuterRef("pk"))))
    )
    return staff_list(
        request,
        fairs,
        FAIRS,
        "jobs/fair_list.html",
        {
            "today": timezone.localdate(),
            "unavailable": cannot_record_fair(request.user),
        },
        search=FAIR_SEARCH,
        export_name=("docking-fairs", _("Docking fairs")),
    )


def _editable_fair(user: User, pk: int) -> DockingFair:
    """A fair the user may edit. Another county's fair answers 404; one the user sees but did not organise
    (the city's, for an official; a county's, for a city admin) answers 403."""
    fair = get_object_or_404(visible_fairs(user), pk=pk)
    if not editable_fairs(user).filter(pk=fair.pk).exists():
        raise PermissionDenied
    return fair


def _fair_form(request: HttpRequest, fair: DockingFair | None) -> DockingFairForm:
    if request.method != "POST":
        return DockingFairForm(instance=fair)
    if SHOW_POSTINGS in request.POST:
        # Redraw with the ticked employers' postings to choose from, without validating or saving.
        initial = {name: request.POST.getlist(name) for name in ("employers", "postings")}
        initial.update({name: value for name, value in request.POST.items() if name in FAIR_FACTS})
        return DockingFairForm(instance=fair, initial=initial)
    return DockingFairForm(request.POST, instance=fair)


def _save_fair(request: HttpRequest, form: DockingFairForm, fair: DockingFair | None) -> DockingFair | None:
    if not form.is_bound or not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    with refusals_shown(request, form):
        return services.docking_fair_save(
            actor=request.user,
            fair=fair,
            employers=data.pop("employers"),
            postings=data.pop("postings"),
            **data,
        )
    return None


@role_required(*OFFICIALS)
def fair_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_fair(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Record a docking fair"))
    form = _fair_form(request, None)
    saved = _save_fair(request, form, None)
    if saved is not None:
        messages.success(request, _("Docking fair recorded."))
        return redirect("jobs:fair_detail", pk=saved.pk)
    return render(request, "jobs/fair_form.html", {"form": form, "show_postings": SHOW_POSTINGS})


@role_required(*OFFICIALS)
def fair_update(request: HttpRequest, pk: int) -> HttpResponse:
    fair = _editable_fair(request.user, pk)
    title = fair.title  # the form writes its input into the instance while validating
    form = _fair_form(request, fair)
    saved = _save_fair(request, form, fair)
    if saved is not None:
        messages.success(request, _("Docking fair saved."))
        return redirect("jobs:fair_detail", pk=saved.pk)
    return render(
        request,
        "jobs/fair_form.html",
        {"form": form, "fair": fair, "fair_title": title, "show_postings": SHOW_POSTINGS},
    )


@role_required(*OFFICIALS)
def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fair = get_object_or_404(
        visible_fairs(request.user).select_related("partner", "partner__province", "county"), pk=pk
    )
    hired = fair_hires(fair)
    hires_by_posting = dict(hired.values_list("posting").annotate(n=Count("pk")).order_by())
    postings = list(
        fair.postings.select_related("employer", "province", "county", "occupation").order_by(
            "employer__name", "title", "pk"
        )
    )
    sees_every_posting = request.user.role == Role.CITY_ADMIN
    for posting in postings:
        posting.fair_hires = hires_by_posting.get(posting.pk, 0)
        # Officials reach a posting's page only while it is public; city admins always (to take one down).
        posting.linkable = sees_every_posting or posting.accepts_applications
    return render(
        request,
        "jobs/fair_detail.html",
        {
            "fair": fair,
            "employers": fair.employers.select_related("province").order_by("name"),
            "postings": postings,
            "resulting_hires": sum(hires_by_posting.values()),
            "cross_province_hires": cross_province(hired).count(),
            "can_edit": editable_fairs(request.user).filter(pk=fair.pk).exists(),
            "held": fair.held_on <= timezone.localdate(),
        },
    )
