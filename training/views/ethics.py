"""Ethics sessions (职业道德专题培训) and their attendance."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import staff_list
from laborbrand.pages import refusals_shown, unavailable_page
from training.forms.ethics import AttendanceForm, EthicsSessionForm
from training.listings import ATTENDANCE, ETHICS_SEARCH, ETHICS_SESSIONS, PERSON_SEARCH
from training.permissions import (
    can_edit_ethics_session,
    cannot_record_ethics_session,
    ethics_candidates,
    get_editable_ethics_session_for,
    get_ethics_session_for,
    visible_ethics_sessions,
)
from training.services import ethics as services

Role = User.Role

ETHICS_ORGANISERS = (Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF, Role.CITY_ADMIN)


@role_required(*ETHICS_ORGANISERS)
def ethics_list(request: HttpRequest) -> HttpResponse:
    return staff_list(
        request,
        visible_ethics_sessions(request.user).with_attendee_count().distinct(),
        ETHICS_SESSIONS,
        "training/ethics_list.html",
        {"unavailable": cannot_record_ethics_session(request.user)},
        search=ETHICS_SEARCH,
        export_name=("ethics-sessions", _("Ethics sessions")),
    )


@role_required(*ETHICS_ORGANISERS)
def ethics_create(request: HttpRequest) -> HttpResponse:
    unavailable = cannot_record_ethics_session(request.user)
    if unavailable is not None:
        return unavailable_page(request, unavailable, title=_("Record an ethics session"))
    form = EthicsSessionForm(request.POST or None, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        with refusals_shown(request, form):
            session = services.ethics_session_create(actor=request.user, brands=data.pop("brands"), **data)
            messages.success(
                request, _("Ethics session recorded. Add its attendance once it has taken place.")
            )
            return redirect("training:ethics_detail", pk=session.pk)
    return render(request, "training/ethics_form.html", {"form": form})


@role_required(*ETHICS_ORGANISERS)
def ethics_update(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_editable_ethics_session_for(request.user, pk)
    form = EthicsSessionForm(request.POST or None, instance=session, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        with refusals_shown(request, form):
            services.ethics_session_update(
                session=session, actor=request.user, brands=data.pop("brands"), **data
            )
            messages.success(request, _("Ethics session saved."))
            return redirect("training:ethics_detail", pk=session.pk)
    return render(request, "training/ethics_form.html", {"form": form, "session": session})


def _ethics_detail_page(request: HttpRequest, session, form=None) -> HttpResponse:
    can_edit = can_edit_ethics_session(request.user, session)
    if can_edit and form is None:
        form = AttendanceForm(candidates=ethics_candidates(session))
    # The attendance (`page_obj`) is a staff list: searched by name, exported to Excel.
    return staff_list(
        request,
        session.attendance.all(),
        ATTENDANCE,
        "training/ethics_detail.html",
        {
            "session": session,
            "can_edit": can_edit,
            "held": session.held_on <= timezone.localdate(),
            "form": form if can_edit else None,
        },
        search=PERSON_SEARCH,
        export_name=(f"attendance-{session.pk}", _("Attendance of %(topic)s") % {"topic": session.topic}),
    )


@role_required(*ETHICS_ORGANISERS)
def ethics_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _ethics_detail_page(request, get_ethics_session_for(request.user, pk))


@role_required(*ETHICS_ORGANISERS)
@require_POST
def ethics_attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_editable_ethics_session_for(request.user, pk)
    form = AttendanceForm(request.POST, candidates=ethics_candidates(session))
    if not form.is_valid():
        return _ethics_detail_page(request, session, form)
    with refusals_shown(request):
        added = services.ethics_attendance_add(
            session=session, workers=form.attendees(), people=form.people()
        )
        messages.success(
            request,
            ngettext("%(count)d attendee recorded.", "%(count)d attendees recorded.", added)
            % {"count": added},
        )
    return redirect("training:ethics_detail", pk=pk)


@role_required(*ETHICS_ORGANISERS)
@require_POST
def ethics_attendance_remove(request: HttpRequest, pk: int, worker_pk: int) -> HttpResponse:
    session = get_editable_ethics_session_for(request.user, pk)
    with refusals_shown(request):
        services.ethics_attendance_remove(session=session, worker_id=worker_pk)
        messages.success(request, _("Attendee removed."))
    return redirect("training:ethics_detail", pk=pk)
