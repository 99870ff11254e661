"""Every state change of an enrolment: a worker applies and withdraws, the institution accepts, declines
or adds walk-in trainees, and records the class's results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify
from laborbrand.exceptions import InvalidTransition
from training.models import (
    Enrollment,
    TrainingProgram,
    passes,
)

ProgramStatus = TrainingProgram.Status
EnrollmentStatus = Enrollment.Status


@transaction.atomic
def enrollment_apply(*, program: TrainingProgram, worker: User) -> Enrollment:
    if worker.role != User.Role.WORKER:
        raise PermissionDenied
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if program.status != ProgramStatus.ENROLLING:
        raise InvalidTransition(_("This programme is not taking applications."))
    if program.enrollments.filter(worker=worker).exists():
        raise InvalidTransition(_("You have already applied to this programme."))
    enrollment = Enrollment.objects.create(program=program, worker=worker)
    for user in program.institution.staff.filter(is_active=True):
        notify(
            recipient=user,
            title=_("New application to %(program)s") % {"program": program.title},
            url=reverse("training:program_detail", args=[program.pk]),
            email=False,
        )
    return enrollment


def _assert_room(program: TrainingProgram) -> None:
    """Call with the programme row locked: places are counted under the lock, so two accepts cannot both
    take the last place."""
    if program.enrollments.taking_a_place().count() >= program.capacity:
        raise InvalidTransition(
            ngettext(
                "The programme is full (%(capacity)d place).",
                "The programme is full (%(capacity)d places).",
                program.capacity,
            )
            % {"capacity": program.capacity}
        )


@transaction.atomic
def enrollment_accept(*, enrollment: Enrollment) -> Enrollment:
    program = TrainingProgram.objects.select_for_update().get(pk=enrollment.program_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.APPLIED:
        raise InvalidTransition(_("Only a pending application can be accepted."))
    if program.status == ProgramStatus.COMPLETED:
        raise InvalidTransition(_("A completed programme can no longer be changed."))
    _assert_room(program)
    enrollment.status = EnrollmentStatus.ACCEPTED
    enrollment.save(update_fields=["status"])
    notify(
        recipient=enrollment.worker,
        title=_("You have a place in %(program)s") % {"program": program.title},
        body=_("%(institution)s accepted your application. The programme starts on %(date)s at %(place)s.")
        % {
            "institution": program.institution.name,
            "date": program.start_date.isoformat(),
            "place": program.place,
        },
        url=reverse("training:my_training"),
    )
    return enrollment


@transaction.atomic
def enrollment_decline(*, enrollment: Enrollment) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().select_related("program").get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.APPLIED:
        raise InvalidTransition(_("Only a pending application can be declined."))
    enrollment.status = EnrollmentStatus.DECLINED
    enrollment.save(update_fields=["status"])
    notify(
        recipient=enrollment.worker,
        title=_("Your application to %(program)s was not accepted") % {"program": enrollment.program.title},
        url=reverse("training:my_training"),
    )
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, worker: User) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.worker_id != worker.pk:
        raise PermissionDenied
    if enrollment.status not in Enrollment.WITHDRAWABLE:
        raise InvalidTransition(_("This enrolment can no longer be withdrawn."))
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save(update_fields=["status"])
    return enrollment


@transaction.atomic
def enrollment_add_walk_in(*, program: TrainingProgram, worker: User) -> Enrollment:
    """The institution records a trainee who signed up on site; they take a place at once."""
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if program.status not in (ProgramStatus.ENROLLING, ProgramStatus.RUNNING):
        raise InvalidTransition(_("Trainees can be added only while the programme is enrolling or running."))
    if program.enrollments.filter(worker=worker).exists():
        raise InvalidTransition(_("This worker is already enrolled in the programme."))
    _assert_room(program)
    return Enrollment.objects.create(
        program=program, worker=worker, status=EnrollmentStatus.ACCEPTED, walk_in=True
    )


@transaction.atomic
def results_record(*, program: TrainingProgram, results: dict[int, tuple[object, object]]) -> int:
    """Record the class's final examination at once: {enrollment id: (theory score, practical score)}. A
    trainee passes when both scores reach PASS_MARK, as in a skill-level assessment.

    Every id must be an accepted or completed enrolment of this programme and every score 0–100, or nothing
    is saved.
    """
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if not program.results_open:
        raise InvalidTransition(
            _(
                "Results can be recorded once the programme has ended (on %(date)s), or once it has been "
                "completed early with a reason."
            )
            % {"date": program.end_date.isoformat()}
        )
    enrollments = {e.pk: e for e in program.enrollments.taking_a_place().select_for_update()}
    unknown = set(results) - set(enrollments)
    if unknown:
        raise InvalidTransition(_("Results can be recorded only for trainees enrolled in this programme."))
    for scores in results.values():
        if any(score is None or not 0 <= score <= 100 for score in scores):
            raise InvalidTransition(_("Scores are between 0 and 100."))
    now = timezone.now()
    for pk, (theory, practical) in results.items():
        enrollment = enrollments[pk]
        enrollment.theory_score = theory
        enrollment.practical_score = practical
        enrollment.passed = passes(theory, practical)
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_at = enrollment.completed_at or now
        enrollment.save(update_fields=["theory_score", "practical_score", "passed", "status", "completed_at"])
    return len(results)
