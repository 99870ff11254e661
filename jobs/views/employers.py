"""A company's details as its staff keep them, and the city admins' verification queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import services
from jobs.forms.employers import EmployerEditForm, RefuseForm
from jobs.permissions import get_employer_for, own_employer, visible_employers
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.pages import paginate, refusals_shown
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


def _staff() -> Prefetch:
    return Prefetch("staff", queryset=User.objects.order_by("pk").only("username", "real_name", "is_active"))


@role_required(Role.CITY_ADMIN)
def employer_queue(request: HttpRequest) -> HttpResponse:
    employers = visible_employers(request.user)
    waiting = (
        employers.awaiting_verification()
        .select_related("province")
        .prefetch_related(_staff())
        .order_by("-created", "-pk")
    )
    refused = employers.refused()
    recent = (
        employers.filter(verified_at__isnull=False)
        .select_related("province", "verified_by")
        .prefetch_related(_staff())
        .order_by("-verified_at", "-pk")[:RECENTLY_VERIFIED]
    )
    return render(
        request,
        "jobs/employer_queue.html",
        {
            "page_obj": paginate(request, waiting),
            "refused": refused.select_related("province")
            .prefetch_related(_staff())
            .order_by("-created", "-pk")[:REFUSED_SHOWN],
            "refused_total": refused.count(),
            "recent": recent,
        },
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
        visible_employers(request.user).select_related("province").prefetch_related(_staff()), pk=pk
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
