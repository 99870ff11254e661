"""Enrolment: a worker applies, withdraws and sees their own training record; the institution decides on
applications, adds walk-in trainees and records the class's results."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.pages import confirmation_page, refusals_shown, unavailable_page
from training.forms.enrollment import ResultsForm, WalkInForm
from training.models import Assessment, Enrollment
from training.permissions import (
    cannot_record_results,
    get_enrollment_for_institution,
    get_own_enrollment,
    get_program_for,
    public_programs,
)
from training.services import enrollment as services

Role = User.Role


# --- The worker's side ----------------------------------------------------------------------------------


@role_required(Role.WORKER)
@require_POST
def enrollment_apply(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(public_programs(), pk=pk)
    with refusals_shown(request):
        services.enrollment_apply(program=program, worker=request.user)
        messages.success(
            request, _("Application sent to %(institution)s.") % {"institution": program.institution.name}
        )
        return redirect("training:my_training")
    return redirect("training:program_public_detail", pk=pk)


@role_required(Role.WORKER)
def my_training(request: HttpRequest) -> HttpResponse:
    """A worker's own training record: programmes and results, certificates, assessments, ethics sessions."""
    user = request.user
    enrollments = user.enrollments.select_related(
        "program", "program__institution", "program__brand", "program__occupation", "program__target_level"
    ).order_by("-applied_at")
    return render(
        request,
        "training/my_training.html",
        {
            "enrollments": enrollments,
            "certificates": user.certificates.select_related("institution", "occupation", "level"),
            "assessments": user.assessments.select_related("institution", "occupation", "level"),
            "ethics_sessions": user.ethics_sessions.select_related("county", "institution").order_by(
                "-held_on", "-pk"
            ),
            "withdrawable": set(Enrollment.WITHDRAWABLE),
        },
    )


@role_required(Role.WORKER)
@require_GET
def enrollment_withdraw_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """What withdrawing means, before the worker does it (enrollment_withdraw makes the move)."""
    enrollment = get_own_enrollment(request.user, pk)
    return confirmation_page(
        request,
        "training/enrollment_withdraw.html",
        possible=enrollment.status in Enrollment.WITHDRAWABLE,
        action=reverse("training:enrollment_withdraw", args=[pk]),
        cancel_url=reverse("training:my_training"),
        enrollment=enrollment,
        program=enrollment.program,
    )


@role_required(Role.WORKER)
@require_POST
def enrollment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_own_enrollment(request.user, pk)
    with refusals_shown(request):
        services.enrollment_withdraw(enrollment=enrollment, worker=request.user)
        messages.success(request, _("Enrolment withdrawn."))
    return redirect("training:my_training")


# --- The institution's side: deciding on applications, walk-ins, the class's results ---------------------


def _decided(request: HttpRequest, enrollment: Enrollment, status: Enrollment.Status) -> None:
    messages.success(
        request,
        _("Application of %(name)s: %(status)s.")
        % {"name": enrollment.worker.display_name, "status": status.label},
    )


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def enrollment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_enrollment_for_institution(request.user, pk)
    with refusals_shown(request):
        services.enrollment_accept(enrollment=enrollment)
        _decided(request, enrollment, Enrollment.Status.ACCEPTED)
    return redirect("training:program_detail", pk=enrollment.program_id)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def enrollment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_enrollment_for_institution(request.user, pk)
    with refusals_shown(request):
        services.enrollment_decline(enrollment=enrollment)
        _decided(request, enrollment, Enrollment.Status.DECLINED)
    return redirect("training:program_detail", pk=enrollment.program_id)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def enrollment_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("training:program_detail", pk=pk)
    named = form.named
    with refusals_shown(request):
        if named.worker is not None:
            enrollment = services.enrollment_add_walk_in(program=program, worker=named.worker)
        else:
            enrollment, _opened = services.enrollment_add_named(
                program=program, real_name=named.real_name, id_number=named.id_number
            )
        messages.success(
            request, _("%(name)s added to the programme.") % {"name": enrollment.worker.display_name}
        )
    return redirect("training:program_detail", pk=pk)


@role_required(Role.INSTITUTION_STAFF)
def program_results(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    unavailable = cannot_record_results(program)
    if unavailable is not None:
        return unavailable_page(
            request, unavailable, title=_("Results of %(title)s") % {"title": program.title}
        )
    enrollments = program.enrollments.taking_a_place().select_related("worker").order_by("worker__real_name")
    form = ResultsForm(request.POST or None, enrollments=enrollments)
    if form.is_valid():
        with refusals_shown(request):
            count = services.results_record(program=program, results=form.results())
            messages.success(
                request,
                ngettext(
                    "Results recorded for %(count)d trainee.",
                    "Results recorded for %(count)d trainees.",
                    count,
                )
                % {"count": count},
            )
        return redirect("training:program_detail", pk=pk)
    return render(
        request,
        "training/program_results.html",
        {"program": program, "form": form, "pass_mark": Assessment.PASS_MARK},
    )
