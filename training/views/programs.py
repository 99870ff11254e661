"""Training programmes: the public search and page, and the institution's management of its programmes
(creating, editing, moving them through their lifecycle, completing one early)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list
from laborbrand.pages import paginate, query_without_page, refusals_shown, unavailable_page
from training.forms.enrollment import WalkInForm
from training.forms.programs import CompleteEarlyForm, ProgramForm, ProgramSearchForm
from training.listings import PERSON_SEARCH, PROGRAMME_SEARCH, PROGRAMMES, TRAINEES
from training.models import Enrollment, TrainingProgram
from training.permissions import (
    can_manage_program,
    cannot_create_program,
    cannot_edit_program,
    get_program_for,
    own_institution,
    public_programs,
    visible_programs,
)
from training.services import programs as services

Role = User.Role
ProgramStatus = TrainingProgram.Status
TAKING_A_PLACE = Enrollment.TAKING_A_PLACE
# One POST URL per step of a programme's lifecycle (services.PROGRAM_ALLOWED), by the status it moves to.
STEP_URLS = {
    ProgramStatus.ENROLLING: "training:program_open",
    ProgramStatus.RUNNING: "training:program_start",
    ProgramStatus.COMPLETED: "training:program_complete",
}


# --- Public search and page -----------------------------------------------------------------------------


def program_search(request: HttpRequest) -> HttpResponse:
    form = ProgramSearchForm(request.GET or None)
    programs = (
        form.filter(public_programs())
        .select_related("institution", "brand", "brand__county", "occupation", "target_level")
        .with_places()
    )
    applied = set()
    if request.user.is_authenticated and request.user.role == Role.WORKER:
        applied = set(request.user.enrollments.values_list("program_id", flat=True))
    return render(
        request,
        "training/program_search.html",
        {
            "form": form,
            "page_obj": paginate(request, programs.order_by("start_date", "pk")),
            "query": query_without_page(request),
            "applied": applied,
        },
    )


def program_public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme as anyone finds it: what, when, where, hours, fee, contact and places left, with the
    enrol button for workers ("sign in to enrol" for visitors, coming back here)."""
    program = get_object_or_404(
        public_programs()
        .select_related(
            "institution", "institution__county", "brand", "brand__county", "occupation", "target_level"
        )
        .with_places(),
        pk=pk,
    )
    user = request.user
    is_worker = user.is_authenticated and user.role == Role.WORKER
    return render(
        request,
        "training/program_public_detail.html",
        {
            "program": program,
            "is_worker": is_worker,
            "enrollment": user.enrollments.filter(program=program).first() if is_worker else None,
            "withdrawable": set(Enrollment.WITHDRAWABLE),
            "manages": visible_programs(user).filter(pk=pk).exists(),
        },
    )


# --- The institution's programmes (city admins look on) ----------------------------------------------------


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def program_list(request: HttpRequest) -> HttpResponse:
    return staff_list(
        request,
        visible_programs(request.user).with_places().with_pending(),
        PROGRAMMES,
        "training/program_list.html",
        {
            "institution": own_institution(request.user),
            "unavailable": cannot_create_program(request.user)
            if request.user.role == Role.INSTITUTION_STAFF
            else None,
        },
        search=PROGRAMME_SEARCH,
        export_name=("programmes", _("Training programmes")),
    )


@role_required(Role.INSTITUTION_STAFF)
def program_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_create_program(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("New training programme"))
    institution = own_institution(request.user)
    form = ProgramForm(request.POST or None, institution=institution)
    if form.is_valid():
        with refusals_shown(request, form):
            program = services.program_create(institution=institution, **form.cleaned_data)
            messages.success(request, _("Programme saved. Open it for enrolment when you are ready."))
            return redirect("training:program_detail", pk=program.pk)
    return render(request, "training/program_form.html", {"form": form})


@role_required(Role.INSTITUTION_STAFF)
def program_update(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    unavailable = cannot_edit_program(program)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Edit %(title)s") % {"title": program.title})
    form = ProgramForm(request.POST or None, instance=program, institution=program.institution)
    if form.is_valid():
        with refusals_shown(request, form):
            services.program_update(program=program, **form.cleaned_data)
            messages.success(request, _("Programme saved."))
            return redirect("training:program_detail", pk=program.pk)
    return render(request, "training/program_form.html", {"form": form, "program": program})


@role_required(Role.INSTITUTION_STAFF, Role.CITY_ADMIN)
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    enrollments = list(program.enrollments.select_related("worker").order_by("status", "applied_at"))
    next_status = next(iter(services.PROGRAM_ALLOWED.get(program.status, ())), None)
    # The trainees' table (`page_obj`) is a staff list: searched by name, exported to Excel.
    return staff_list(
        request,
        program.enrollments.taking_a_place(),
        TRAINEES,
        "training/program_detail.html",
        {
            "program": program,
            "can_manage": can_manage_program(request.user, program),
            "pending": [e for e in enrollments if e.status == Enrollment.Status.APPLIED],
            "trainees": [e for e in enrollments if e.status in TAKING_A_PLACE],
            "others": [
                e
                for e in enrollments
                if e.status in (Enrollment.Status.DECLINED, Enrollment.Status.WITHDRAWN)
            ],
            "next_status": next_status,
            "step_url": reverse(STEP_URLS[next_status], args=[program.pk]) if next_status else "",
            "has_ended": program.has_ended(),
            "walk_in_form": WalkInForm(),
            "complete_early_form": CompleteEarlyForm(),
            "shortfalls": services.program_shortfalls(program),
            "events": program.events.select_related("actor"),
        },
        search=PERSON_SEARCH,
        export_name=(
            f"trainees-{program.pk}",
            _("Trainees of %(title)s") % {"title": program.title},
        ),
    )


# --- Its lifecycle: one POST URL per step -----------------------------------------------------------------


def _step(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    program = get_program_for(request.user, pk)
    with refusals_shown(request):
        program = services.program_advance(program=program, to=to, actor=request.user)
        messages.success(
            request, _("The programme is now “%(status)s”.") % {"status": program.get_status_display()}
        )
    return redirect("training:program_detail", pk=pk)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def program_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Planned → enrolling: workers find the programme in the public search and apply."""
    return _step(request, pk, ProgramStatus.ENROLLING)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def program_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrolling → running: the class has begun; applications close, walk-ins can still be added."""
    return _step(request, pk, ProgramStatus.RUNNING)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def program_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Running → completed, from its end date on (before it, program_complete_early with a reason)."""
    return _step(request, pk, ProgramStatus.COMPLETED)


@role_required(Role.INSTITUTION_STAFF)
@require_POST
def program_complete_early(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program_for(request.user, pk)
    form = CompleteEarlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for completing the programme before its end date."))
        return redirect("training:program_detail", pk=pk)
    with refusals_shown(request):
        services.program_complete_early(
            program=program, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The programme is completed early; its results can now be recorded."))
    return redirect("training:program_detail", pk=pk)
