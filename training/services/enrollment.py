"""Every state change of an enrolment: a worker applies and withdraws, the institution accepts, declines
or adds walk-in trainees (one on the programme's page, or a class roster from Excel), and records the class's
results (on the results page, or from Excel).

The checks a walk-in and a result must pass (`check_walk_in`, `check_results_open`, `results_enrollment`) are
functions of their own: the forms, the Excel rows among them, ask them first to tell each row what is wrong;
the services ask them again with the programme row locked."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laborbrand.accounts.models import User
from laborbrand.accounts.records import worker_record
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


def _assert_room(program: TrainingProgram, *, places_taken: int | None = None) -> None:
    """Call with the programme row locked: places are counted under the lock, so two accepts cannot both
    take the last place. A form passes `places_taken` (counted once for a whole roster, plus the roster's rows
    before this one) and is told what the service will tell under the lock."""
    if places_taken is None:
        places_taken = program.enrollments.taking_a_place().count()
    if places_taken >= program.capacity:
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


WALK_IN_STATUSES = (ProgramStatus.ENROLLING, ProgramStatus.RUNNING)


def check_walk_ins_open(program: TrainingProgram) -> None:
    if program.status not in WALK_IN_STATUSES:
        raise InvalidTransition(_("Trainees can be added only while the programme is enrolling or running."))


def check_walk_in(program: TrainingProgram, worker: User | None, *, places_taken: int | None = None) -> None:
    """Raise InvalidTransition when the institution cannot add this trainee now: the programme is not
    enrolling or running, the worker already has an enrolment in it, or it is full. `worker` is None for
    someone whose worker record is yet to be opened (no enrolment, then)."""
    check_walk_ins_open(program)
    if worker is not None:
        existing = program.enrollments.filter(worker=worker).values_list("status", flat=True).first()
        if existing == EnrollmentStatus.APPLIED:
            raise InvalidTransition(
                _("This worker has applied to the programme: accept the application on the programme's page.")
            )
        if existing in (EnrollmentStatus.DECLINED, EnrollmentStatus.WITHDRAWN):
            raise InvalidTransition(
                _(
                    "This worker's enrolment in the programme was declined or withdrawn; it cannot be added "
                    "again."
                )
            )
        if existing is not None:
            raise InvalidTransition(_("This worker is already enrolled in the programme."))
    _assert_room(program, places_taken=places_taken)


@transaction.atomic
def enrollment_add_walk_in(*, program: TrainingProgram, worker: User) -> Enrollment:
    """The institution records a trainee who signed up on site; they take a place at once."""
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    check_walk_in(program, worker)
    return Enrollment.objects.create(
        program=program, worker=worker, status=EnrollmentStatus.ACCEPTED, walk_in=True
    )


def named_worker_record(*, real_name: str, id_number: str) -> tuple[User, bool]:
    """records.worker_record for a service: its refusal (the number became a staff account's, or another
    name's, since the form checked it) is a refused move like any other, not a crash."""
    try:
        return worker_record(real_name=real_name, id_number=id_number)
    except ValidationError as exc:
        raise InvalidTransition(" ".join(exc.messages)) from exc


@transaction.atomic
def enrollment_add_named(
    *, program: TrainingProgram, real_name: str, id_number: str
) -> tuple[Enrollment, bool]:
    """A walk-in trainee named by real name and ID number (a class roster's row, or the walk-in form with a
    name): the worker with that ID number, or a worker record opened now for someone who has no account yet
    (laborbrand.accounts.records), takes a place. Returns the enrolment and whether the record was opened."""
    worker, opened = named_worker_record(real_name=real_name, id_number=id_number)
    return enrollment_add_walk_in(program=program, worker=worker), opened


def check_results_open(program: TrainingProgram) -> None:
    if not program.results_open:
        raise InvalidTransition(
            _(
                "Results can be recorded once the programme has ended (on %(date)s), or once it has been "
                "completed early with a reason."
            )
            % {"date": program.end_date.isoformat()}
        )


def _not_enrolled() -> InvalidTransition:
    return InvalidTransition(_("Results can be recorded only for trainees enrolled in this programme."))


def results_enrollment(program: TrainingProgram, worker: User | None) -> Enrollment:
    """The enrolment a result of `worker` is recorded on: one taking a place in the programme (accepted, or
    completed with an earlier result)."""
    enrollment = (
        program.enrollments.taking_a_place().filter(worker=worker).first() if worker is not None else None
    )
    if enrollment is None:
        raise _not_enrolled()
    return enrollment


@transaction.atomic
def results_record(*, program: TrainingProgram, results: dict[int, tuple[object, object]]) -> int:
    """Record the class's final examination at once: {enrollment id: (theory score, practical score)}. A
    trainee passes when both scores reach PASS_MARK, as in a skill-level assessment.

    Every id must be an accepted or completed enrolment of this programme and every score 0–100, or nothing
    is saved.
    """
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    check_results_open(program)
    # Only the enrolments named: a roster imported row by row records one result at a time.
    named = program.enrollments.taking_a_place().filter(pk__in=list(results)).select_for_update()
    enrollments = {e.pk: e for e in named}
    unknown = set(results) - set(enrollments)
    if unknown:
        raise _not_enrolled()
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
