"""Recording ethics sessions (职业道德专题培训) and their attendance (on the session's page, or from an
Excel sheet). Attendees are worker accounts, or people named by real name and ID number whose worker record is
opened when they have none (laborbrand.accounts.records)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laborbrand.accounts.models import User
from laborbrand.dates import check_dates
from laborbrand.exceptions import InvalidTransition
from training.models import (
    EthicsAttendance,
    EthicsSession,
)
from training.services.enrollment import named_worker_record


def _ethics_organiser(actor: User) -> dict:
    """Who organises a session follows from who records it: the official's county, the staff member's
    institution, or (a city admin) the city bureau."""
    if actor.role == User.Role.COUNTY_OFFICIAL:
        return {"county_id": actor.county_id, "institution": None}
    if actor.role == User.Role.INSTITUTION_STAFF:
        institution = actor.institutions.first()
        if institution is None or not institution.is_qualified:
            raise InvalidTransition(_("Only a qualified institution can record ethics sessions."))
        return {"county_id": None, "institution": institution}
    if actor.role == User.Role.CITY_ADMIN:
        return {"county_id": None, "institution": None}
    raise PermissionDenied


def _check_session_brands(actor: User, brands) -> None:
    if not brands:
        raise InvalidTransition(_("Choose at least one brand."))
    if any(not brand.is_public for brand in brands):
        raise InvalidTransition(_("Ethics sessions are held for cultivating or recognised brands."))
    if actor.role == User.Role.COUNTY_OFFICIAL and any(b.county_id != actor.county_id for b in brands):
        raise InvalidTransition(_("A county records ethics sessions for its own brands."))


@transaction.atomic
def ethics_session_create(*, actor: User, brands, **fields) -> EthicsSession:
    brands = list(brands)
    organiser = _ethics_organiser(actor)
    _check_session_brands(actor, brands)
    session = EthicsSession(created_by=actor, **organiser, **fields)
    check_dates(session)
    session.save()
    session.brands.set(brands)
    return session


@transaction.atomic
def ethics_session_update(*, session: EthicsSession, actor: User, brands, **fields) -> EthicsSession:
    brands = list(brands)
    _check_session_brands(actor, brands)
    session = EthicsSession.objects.select_for_update().get(pk=session.pk)
    for name, value in fields.items():
        setattr(session, name, value)
    check_dates(session)
    session.save()
    session.brands.set(brands)
    return session


def check_attendance_open(session: EthicsSession) -> None:
    if session.held_on > timezone.localdate():
        raise InvalidTransition(_("Attendance can be recorded once the session has taken place."))


@transaction.atomic
def ethics_attendance_add(*, session: EthicsSession, workers, people=()) -> int:
    """Record many attendees at once: `workers` (accounts) and `people` ((real name, ID number) pairs, whose
    worker records are opened when they have none); workers already recorded are left as they are. Returns
    how many were added."""
    check_attendance_open(session)
    workers = list(workers)
    if any(worker.role != User.Role.WORKER for worker in workers):
        raise InvalidTransition(_("Only worker accounts can attend ethics sessions."))
    workers += [named_worker_record(real_name=name, id_number=number)[0] for name, number in people]
    present = set(session.attendance.values_list("worker_id", flat=True))
    new = [EthicsAttendance(session=session, worker=w) for w in {w.pk: w for w in workers}.values()]
    new = [a for a in new if a.worker_id not in present]
    EthicsAttendance.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def ethics_attendance_add_named(
    *, session: EthicsSession, real_name: str, id_number: str
) -> tuple[EthicsAttendance, bool, bool]:
    """One attendee named by real name and ID number (a row of an attendance sheet). Returns the attendance
    row, whether it was recorded now (False: it already was), and whether the worker record was opened."""
    check_attendance_open(session)
    worker, opened = named_worker_record(real_name=real_name, id_number=id_number)
    attendance, created = EthicsAttendance.objects.get_or_create(session=session, worker=worker)
    return attendance, created, opened


def ethics_attendance_remove(*, session: EthicsSession, worker_id: int) -> None:
    deleted, _rows = session.attendance.filter(worker_id=worker_id).delete()
    if not deleted:
        raise InvalidTransition(_("This worker is not on the attendance list."))
