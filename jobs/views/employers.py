"""A company's details as its staff keep them, and the city admins' verification queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import services
from jobs.forms.employers import EmployerEditForm, EmployerFilterForm, RefuseForm
from jobs.listings import EMPLOYER_SEARCH, employer_listing, staff_accounts
from jobs.permissions import get_employer_for, own_employer, visible_employers
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import keyword, staff_list, wants_export
from laborbrand.pages import refusals_shown
from laborbrand.uniqueness import save_or_form_errors

Role = User.Role
RECENTLY_VERIFIED = 10
REFUSED_SHOWN = 20  # refused companies wait for their own corrections; the newest are listed apart


@role_required(Role.EMPLOYER)
def employer_edit(request: HttpRequest) -> HttpResponse:
    employer = own_employer(request.user)
    if employer is None:
        raise PermissionDenied
    was_refused = bool(employer.rejection_reason)
    # The form writes its input onto the instance while validating; the page shows the stored state.
    stored = visible_employers(request.user).select_related("province", "verified_by").get(pk=employer.pk)
    form = EmployerEditForm(request.POST or None, instance=employer)
    if form.is_valid():
        with refusals_shown(request, form):
            saved = save_or_form_errors(
                form, lambda: services.employer_update(employer=employer, **form.cleaned_data)
            )
            if saved is not None:
                if was_refused:
                    messages.success(
                        request, _("Company details saved. The city will review your company again.")
                    )
                else:
                    messages.success(request, _("Company details saved."))
                return redirect("jobs:employer_edit")
    return render(request, "jobs/employer_edit.html", {"form": form, "employer": stored})


@role_required(Role.CITY_ADMIN)
def employer_queue(request: HttpRequest) -> HttpResponse:
    """The city admins' list of companies: by default the verification queue (with the refused companies and
    the latest verified beside it), or the refused, the verified or all companies; searched by name, credit
    code, city, industry or contact person, and exported as shown."""
    employers = visible_employers(request.user)
    form = EmployerFilterForm(request.GET or None)
    chosen = form.chosen()
    context = {
        "form": form,
        "chosen": chosen,
        "chosen_label": dict(form.fields["status"].choices)[chosen],
    }
    if not wants_export(request):
        counts = employers.verification_counts()
        queue_view = chosen == form.WAITING and not keyword(request)
        context["status_counts"] = [
            (value, label, counts[value or "waiting"]) for value, label in form.fields["status"].choices
        ]
        context["queue_view"] = queue_view
        if queue_view:
            context["refused"] = (
                employers.refused()
                .select_related("province")
                .prefetch_related(staff_accounts())
                .order_by("-created", "-pk")[:REFUSED_SHOWN]
            )
            context["refused_total"] = counts["refused"]
            context["recent"] = (
                employers.verified()
                .select_related("province", "verified_by")
                .order_by("-verified_at", "-pk")[:RECENTLY_VERIFIED]
            )
    return staff_list(
        request,
        form.filter(employers),
        employer_listing(),
        "jobs/employer_queue.html",
        context,
        search=EMPLOYER_SEARCH,
        export_name=("employers", _("Employers")),
    )


@role_required(Role.CITY_ADMIN)
@require_POST
def employer_verify(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_employer_for(request.user, pk)
    with refusals_shown(request):
        services.employer_verify(employer=employer, actor=request.user)
        messages.success(
            request, _("%(name)s is verified and its staff are notified.") % {"name": employer.name}
        )
    return redirect("jobs:employer_queue")


@role_required(Role.CITY_ADMIN)
def employer_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(
        visible_employers(request.user).select_related("province").prefetch_related(staff_accounts()), pk=pk
    )
    form = RefuseForm(request.POST or None, initial={"reason": employer.rejection_reason})
    if form.is_valid():
        with refusals_shown(request):
            services.employer_refuse(
                employer=employer, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("%(name)s is told what to correct; it stays in the queue until then.")
                % {"name": employer.name},
            )
        return redirect("jobs:employer_queue")
    return render(
        request,
        "jobs/employer_refuse.html",
        {"employer": employer, "form": form},
        status=400 if form.is_bound else 200,
    )
