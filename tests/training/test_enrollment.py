"""Enrolment services: a worker applies once while a programme is enrolling; the institution accepts within
capacity (accepted and completed trainees take the places), declines, or records walk-in trainees; a worker
withdraws their own application; results for the whole class are recorded at once, only for the class's
trainees. Each refused move leaves nothing behind."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories
from tests.training.test_concurrency import at_once
from training.models import Enrollment, TrainingProgram
from training.services.enrollment import (
    enrollment_accept,
    enrollment_add_walk_in,
    enrollment_apply,
    enrollment_decline,
    enrollment_withdraw,
    results_record,
)
from training.services.programs import program_advance, program_complete_early

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
ProgramStatus = TrainingProgram.Status


def set_program_status(program, status):
    TrainingProgram.objects.filter(pk=program.pk).update(status=status)
    program.refresh_from_db()


# --- Applying -------------------------------------------------------------------------------------------


def test_worker_applies_to_an_enrolling_program_and_the_institution_hears_of_it(
    program_a, worker, institution_staff
):
    enrollment = enrollment_apply(program=program_a, worker=worker)
    enrollment.refresh_from_db()
    assert (enrollment.program, enrollment.worker, enrollment.status, enrollment.walk_in) == (
        program_a,
        worker,
        Status.APPLIED,
        False,
    )
    note = Notification.objects.get(recipient=institution_staff)
    assert note.url == reverse("training:program_detail", args=[program_a.pk])


def test_worker_cannot_apply_twice(program_a, worker):
    enrollment_apply(program=program_a, worker=worker)
    with pytest.raises(InvalidTransition):
        enrollment_apply(program=program_a, worker=worker)
    assert Enrollment.objects.filter(program=program_a, worker=worker).count() == 1


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.DECLINED, Status.COMPLETED])
def test_worker_cannot_apply_again_after_an_earlier_enrolment(program_a, worker, status):
    factories.EnrollmentFactory(program=program_a, worker=worker, status=status)
    with pytest.raises(InvalidTransition):
        enrollment_apply(program=program_a, worker=worker)
    assert Enrollment.objects.count() == 1


def test_the_database_refuses_a_second_enrolment_of_the_same_worker(program_a, worker):
    factories.EnrollmentFactory(program=program_a, worker=worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(program=program_a, worker=worker)


@pytest.mark.parametrize("status", [ProgramStatus.PLANNED, ProgramStatus.RUNNING, ProgramStatus.COMPLETED])
def test_worker_can_apply_only_while_the_program_is_enrolling(program_a, worker, status):
    set_program_status(program_a, status)
    with pytest.raises(InvalidTransition):
        enrollment_apply(program=program_a, worker=worker)
    assert not Enrollment.objects.exists()


def test_only_workers_apply(program_a, institution_staff, employer, official_a, city_admin):
    for user in (institution_staff, employer, official_a, city_admin):
        with pytest.raises(PermissionDenied):
            enrollment_apply(program=program_a, worker=user)
    assert not Enrollment.objects.exists()


def test_applying_does_not_take_a_place(program_a):
    program_a.capacity = 1
    program_a.save(update_fields=["capacity"])
    factories.EnrollmentFactory(program=program_a, accepted=True)
    enrollment_apply(program=program_a, worker=factories.WorkerFactory())
    assert program_a.enrollments.count() == 2


# --- Accepting and declining ----------------------------------------------------------------------------


def test_institution_accepts_an_application_and_the_worker_is_told(program_a, worker):
    enrollment = factories.EnrollmentFactory(program=program_a, worker=worker)
    enrollment_accept(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Status.ACCEPTED
    note = Notification.objects.get(recipient=worker)
    assert note.url == reverse("training:my_training")
    assert program_a.place in note.body


def test_accept_within_capacity_counts_accepted_and_completed(program_a):
    program_a.capacity = 3
    program_a.save(update_fields=["capacity"])
    factories.EnrollmentFactory(program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a, completed=True)
    factories.EnrollmentFactory(program=program_a, declined=True)
    factories.EnrollmentFactory(program=program_a, withdrawn=True)
    third, fourth = factories.EnrollmentFactory.create_batch(2, program=program_a)

    enrollment_accept(enrollment=third)
    with pytest.raises(InvalidTransition, match="3"):
        enrollment_accept(enrollment=fourth)
    fourth.refresh_from_db()
    assert fourth.status == Status.APPLIED
    assert program_a.enrollments.taking_a_place().count() == 3
    assert not Notification.objects.filter(recipient=fourth.worker).exists()


def test_a_withdrawn_place_frees_room(program_a, worker):
    program_a.capacity = 1
    program_a.save(update_fields=["capacity"])
    taken = factories.EnrollmentFactory(program=program_a, accepted=True, worker=worker)
    waiting = factories.EnrollmentFactory(program=program_a)
    with pytest.raises(InvalidTransition):
        enrollment_accept(enrollment=waiting)
    enrollment_withdraw(enrollment=taken, worker=worker)
    enrollment_accept(enrollment=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Status.ACCEPTED


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.COMPLETED])
def test_only_a_pending_application_can_be_accepted_or_declined(program_a, status):
    enrollment = factories.EnrollmentFactory(program=program_a, status=status)
    for service in (enrollment_accept, enrollment_decline):
        with pytest.raises(InvalidTransition):
            service(enrollment=enrollment)
        enrollment.refresh_from_db()
        assert enrollment.status == status


def test_a_running_program_still_accepts_pending_applications(program_a):
    enrollment = factories.EnrollmentFactory(program=program_a)
    set_program_status(program_a, ProgramStatus.RUNNING)
    enrollment_accept(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Status.ACCEPTED


def test_a_completed_program_accepts_no_one(program_a):
    enrollment = factories.EnrollmentFactory(program=program_a)
    set_program_status(program_a, ProgramStatus.COMPLETED)
    with pytest.raises(InvalidTransition):
        enrollment_accept(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Status.APPLIED


def test_institution_declines_an_application_and_the_worker_is_told(program_a, worker):
    enrollment = factories.EnrollmentFactory(program=program_a, worker=worker)
    enrollment_decline(enrollment=enrollment)
    enrollment.refresh_from_db()
    assert enrollment.status == Status.DECLINED
    assert Notification.objects.get(recipient=worker).url == reverse("training:my_training")


# --- Withdrawing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.APPLIED, Status.ACCEPTED])
def test_worker_withdraws_their_own_enrolment(program_a, worker, status):
    enrollment = factories.EnrollmentFactory(program=program_a, worker=worker, status=status)
    enrollment_withdraw(enrollment=enrollment, worker=worker)
    enrollment.refresh_from_db()
    assert enrollment.status == Status.WITHDRAWN


def test_worker_cannot_withdraw_someone_elses_enrolment(program_a, worker):
    other = factories.EnrollmentFactory(program=program_a)
    with pytest.raises(PermissionDenied):
        enrollment_withdraw(enrollment=other, worker=worker)
    other.refresh_from_db()
    assert other.status == Status.APPLIED


@pytest.mark.parametrize("status", [Status.DECLINED, Status.WITHDRAWN, Status.COMPLETED])
def test_a_finished_enrolment_cannot_be_withdrawn(program_a, worker, status):
    enrollment = factories.EnrollmentFactory(program=program_a, worker=worker, status=status)
    with pytest.raises(InvalidTransition):
        enrollment_withdraw(enrollment=enrollment, worker=worker)
    enrollment.refresh_from_db()
    assert enrollment.status == status


# --- Walk-ins -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ProgramStatus.ENROLLING, ProgramStatus.RUNNING])
def test_institution_records_a_walk_in_who_takes_a_place_at_once(program_a, worker, status):
    set_program_status(program_a, status)
    enrollment = enrollment_add_walk_in(program=program_a, worker=worker)
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.walk_in, enrollment.worker) == (Status.ACCEPTED, True, worker)


@pytest.mark.parametrize("status", [ProgramStatus.PLANNED, ProgramStatus.COMPLETED])
def test_no_walk_ins_before_enrolment_opens_or_after_the_end(program_a, worker, status):
    set_program_status(program_a, status)
    with pytest.raises(InvalidTransition):
        enrollment_add_walk_in(program=program_a, worker=worker)
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("status", [Status.APPLIED, Status.ACCEPTED, Status.WITHDRAWN])
def test_walk_in_of_someone_already_enrolled_is_refused(program_a, worker, status):
    factories.EnrollmentFactory(program=program_a, worker=worker, status=status)
    with pytest.raises(InvalidTransition):
        enrollment_add_walk_in(program=program_a, worker=worker)
    assert Enrollment.objects.get().status == status


def test_walk_in_over_capacity_is_refused(program_a, worker):
    program_a.capacity = 2
    program_a.save(update_fields=["capacity"])
    factories.EnrollmentFactory(program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a, completed=True)
    with pytest.raises(InvalidTransition):
        enrollment_add_walk_in(program=program_a, worker=worker)
    assert not Enrollment.objects.filter(worker=worker).exists()


# --- Results --------------------------------------------------------------------------------------------


def end_program(program, *, days_ago: int = 1):
    """Move the programme's dates so that it ended `days_ago` days ago (0: today is its last day)."""
    end = timezone.localdate() - datetime.timedelta(days=days_ago)
    TrainingProgram.objects.filter(pk=program.pk).update(
        start_date=end - datetime.timedelta(days=120), end_date=end
    )
    program.refresh_from_db()


@pytest.fixture
def ended_class(program_a):
    """program_a, running and past its end date, with three trainees and one pending application, one
    declined."""
    trainees = factories.EnrollmentFactory.create_batch(3, program=program_a, accepted=True)
    pending = factories.EnrollmentFactory(program=program_a)
    declined = factories.EnrollmentFactory(program=program_a, declined=True)
    set_program_status(program_a, ProgramStatus.RUNNING)
    end_program(program_a)
    return program_a, trainees, pending, declined


def no_result(enrollment) -> bool:
    enrollment.refresh_from_db()
    return (
        enrollment.status,
        enrollment.theory_score,
        enrollment.practical_score,
        enrollment.passed,
        enrollment.completed_at,
    ) == (Status.ACCEPTED, None, None, None, None)


def test_results_for_the_whole_class_are_recorded_at_once(ended_class):
    program, (a, b, c), pending, declined = ended_class
    before = timezone.now()
    count = results_record(
        program=program,
        results={
            a.pk: (Decimal("92.5"), Decimal("60")),
            b.pk: (Decimal("41"), Decimal("100")),
            c.pk: (Decimal("100"), Decimal("100")),
        },
    )
    assert count == 3
    for enrollment, scores, passed in (
        (a, ("92.5", "60"), True),
        (b, ("41", "100"), False),
        (c, ("100", "100"), True),
    ):
        enrollment.refresh_from_db()
        assert (
            enrollment.status,
            enrollment.theory_score,
            enrollment.practical_score,
            enrollment.passed,
        ) == (
            Status.COMPLETED,
            *map(Decimal, scores),
            passed,
        )
        assert enrollment.completed_at >= before
    pending.refresh_from_db()
    declined.refresh_from_db()
    assert (pending.status, declined.status) == (Status.APPLIED, Status.DECLINED)


@pytest.mark.parametrize(
    ("theory", "practical", "passed"),
    [
        ("60", "60", True),
        ("100", "100", True),
        ("60", "59.9", False),
        ("59.9", "60", False),
        ("59.9", "59.9", False),
        ("0", "100", False),
        ("100", "0", False),
        ("0", "0", False),
    ],
)
def test_the_pass_follows_from_both_scores_as_in_an_assessment(ended_class, theory, practical, passed):
    program, (a, *_), *_ = ended_class
    results_record(program=program, results={a.pk: (Decimal(theory), Decimal(practical))})
    a.refresh_from_db()
    assert a.passed is passed


def test_correcting_results_keeps_the_completion_time_and_follows_the_new_scores(
    ended_class, institution_staff
):
    program, (a, *_), *_ = ended_class
    results_record(program=program, results={a.pk: (Decimal("55"), Decimal("70"))})
    a.refresh_from_db()
    first = a.completed_at
    program_advance(program=program, to=ProgramStatus.COMPLETED, actor=institution_staff)
    results_record(program=program, results={a.pk: (Decimal("75"), Decimal("70"))})
    a.refresh_from_db()
    assert (a.passed, a.theory_score, a.practical_score, a.completed_at) == (
        True,
        Decimal("75"),
        Decimal("70"),
        first,
    )


@pytest.mark.parametrize("who", ["pending", "declined", "other_program", "missing"])
def test_results_for_someone_not_enrolled_save_nothing(ended_class, who):
    program, (a, *_), pending, declined = ended_class
    foreign = {
        "pending": pending.pk,
        "declined": declined.pk,
        "other_program": factories.EnrollmentFactory(accepted=True).pk,
        "missing": 999_999,
    }[who]
    with pytest.raises(InvalidTransition):
        results_record(
            program=program,
            results={a.pk: (Decimal("80"), Decimal("80")), foreign: (Decimal("80"), Decimal("80"))},
        )
    assert not Enrollment.objects.filter(status=Status.COMPLETED).exists()
    assert no_result(a)


@pytest.mark.parametrize("scores", [("100.1", "80"), ("80", "-0.1"), ("-1", "-1"), (None, "80")])
def test_a_score_outside_0_to_100_saves_nothing(ended_class, scores):
    program, (a, b, _c), *_ = ended_class
    scores = tuple(None if score is None else Decimal(score) for score in scores)
    with pytest.raises(InvalidTransition):
        results_record(program=program, results={a.pk: (Decimal("80"), Decimal("80")), b.pk: scores})
    assert no_result(a)
    assert no_result(b)


# When the class's results can be recorded: (status, days since the end date (negative: still to come),
# whether results are taken). "Ended" is the end date reached; a completed programme takes results whenever
# it was completed (on time or early, with its reason).
WHEN_RESULTS = [
    (ProgramStatus.PLANNED, 10, False),
    (ProgramStatus.ENROLLING, 10, False),
    (ProgramStatus.RUNNING, -30, False),
    (ProgramStatus.RUNNING, -1, False),
    (ProgramStatus.RUNNING, 0, True),
    (ProgramStatus.RUNNING, 1, True),
    (ProgramStatus.RUNNING, 400, True),
    (ProgramStatus.COMPLETED, -30, True),
    (ProgramStatus.COMPLETED, 5, True),
]


@pytest.mark.parametrize(("status", "days_ago", "taken"), WHEN_RESULTS)
def test_results_only_once_the_programme_has_ended(program_a, status, days_ago, taken):
    trainee = factories.EnrollmentFactory(program=program_a, accepted=True)
    set_program_status(program_a, status)
    end_program(program_a, days_ago=days_ago)
    assert program_a.results_open is taken
    if taken:
        results_record(program=program_a, results={trainee.pk: (Decimal("80"), Decimal("80"))})
        trainee.refresh_from_db()
        assert trainee.status == Status.COMPLETED
    else:
        with pytest.raises(InvalidTransition, match=program_a.end_date.isoformat()):
            results_record(program=program_a, results={trainee.pk: (Decimal("80"), Decimal("80"))})
        assert no_result(trainee)


@pytest.mark.parametrize(
    ("theory", "practical", "passed"),
    [
        ("80", "80", False),
        ("50", "80", True),
        ("80", "50", True),
        ("50", "50", True),
        (None, "80", True),
        (None, "50", False),
        ("80", None, None),
    ],
)
def test_the_database_refuses_a_pass_that_does_not_follow_from_the_scores(
    program_a, theory, practical, passed
):
    enrollment = factories.EnrollmentFactory(program=program_a, accepted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(
            theory_score=theory, practical_score=practical, passed=passed
        )


@pytest.mark.parametrize("field", ["theory_score", "practical_score"])
def test_the_database_refuses_a_score_outside_0_to_100(program_a, field):
    enrollment = factories.EnrollmentFactory(program=program_a, accepted=True)
    for score in (Decimal("100.5"), Decimal("-1")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Enrollment.objects.filter(pk=enrollment.pk).update(
                **{"theory_score": 80, "practical_score": 80, "passed": True, field: score}
            )


def test_completion_counts_towards_the_programmes_places(ended_class):
    program, (a, *_), *_ = ended_class
    results_record(program=program, results={a.pk: (Decimal("80"), Decimal("80"))})
    assert program.enrollments.taking_a_place().count() == 3
    assert program.enrollments.completed().count() == 1


def test_completed_enrollment_factory_is_a_result(program_a):
    enrollment = factories.EnrollmentFactory(program=program_a, completed=True)
    assert (enrollment.passed, enrollment.status) == (True, Status.COMPLETED)
    assert enrollment.completed_at <= timezone.now() + datetime.timedelta(seconds=1)


# --- Completing a programme: on its end date, or early with a reason ------------------------------------


@pytest.mark.parametrize(("days_ago", "completed"), [(-30, False), (-1, False), (0, True), (10, True)])
def test_a_programme_is_marked_completed_once_it_has_ended(program_a, institution_staff, days_ago, completed):
    set_program_status(program_a, ProgramStatus.RUNNING)
    end_program(program_a, days_ago=days_ago)
    if completed:
        program_advance(program=program_a, to=ProgramStatus.COMPLETED, actor=institution_staff)
    else:
        # The message read in English, whatever language an earlier test left active in this process.
        with translation.override("en"), pytest.raises(InvalidTransition, match="Complete early"):
            program_advance(program=program_a, to=ProgramStatus.COMPLETED, actor=institution_staff)
    program_a.refresh_from_db()
    assert program_a.status == (ProgramStatus.COMPLETED if completed else ProgramStatus.RUNNING)
    assert program_a.events.count() == int(completed)


def test_completing_early_records_the_reason_and_opens_the_results(program_a, institution_staff):
    trainee = factories.EnrollmentFactory(program=program_a, accepted=True)
    set_program_status(program_a, ProgramStatus.RUNNING)
    end_program(program_a, days_ago=-20)
    program_complete_early(program=program_a, actor=institution_staff, reason=" 课时已提前完成。 ")
    program_a.refresh_from_db()
    event = program_a.events.get()
    assert (program_a.status, program_a.end_date) == (
        ProgramStatus.COMPLETED,
        timezone.localdate() + datetime.timedelta(days=20),
    )
    assert (event.old_status, event.new_status, event.actor, event.reason, event.early) == (
        ProgramStatus.RUNNING,
        ProgramStatus.COMPLETED,
        institution_staff,
        "课时已提前完成。",
        True,
    )
    results_record(program=program_a, results={trainee.pk: (Decimal("70"), Decimal("65"))})
    trainee.refresh_from_db()
    assert (trainee.status, trainee.passed) == (Status.COMPLETED, True)


@pytest.mark.parametrize(
    ("status", "days_ago", "reason"),
    [
        (ProgramStatus.RUNNING, -20, ""),
        (ProgramStatus.RUNNING, -20, "   "),
        (ProgramStatus.RUNNING, 0, "课时已完成"),
        (ProgramStatus.RUNNING, 3, "课时已完成"),
        (ProgramStatus.ENROLLING, -20, "课时已完成"),
        (ProgramStatus.PLANNED, -20, "课时已完成"),
        (ProgramStatus.COMPLETED, -20, "课时已完成"),
    ],
)
def test_completing_early_is_refused_and_changes_nothing(
    program_a, institution_staff, status, days_ago, reason
):
    set_program_status(program_a, status)
    end_program(program_a, days_ago=days_ago)
    with pytest.raises(InvalidTransition):
        program_complete_early(program=program_a, actor=institution_staff, reason=reason)
    program_a.refresh_from_db()
    assert program_a.status == status
    assert not program_a.events.exists()


# --- At the same moment (PostgreSQL: row locks) ---------------------------------------------------------

needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SELECT … FOR UPDATE): PostgreSQL only"
)


@pytest.fixture
def committed_program(committed_db):
    """An enrolling programme with one place, really committed so other connections see it."""
    return factories.TrainingProgramFactory(enrolling=True, capacity=1)


@needs_row_locks
def test_a_double_click_on_apply_makes_one_enrolment(committed_program):
    worker = factories.WorkerFactory()

    def applying():
        program = TrainingProgram.objects.get(pk=committed_program.pk)
        return lambda: enrollment_apply(program=program, worker=worker)

    outcomes = at_once(applying, applying)

    assert sorted(outcomes) == ["done", "refused"]
    assert Enrollment.objects.filter(worker=worker).count() == 1


@needs_row_locks
def test_two_accepts_for_the_last_place_take_it_once(committed_program):
    first, second = factories.EnrollmentFactory.create_batch(2, program=committed_program)

    def accepting(enrollment):
        def prepare():
            seen = Enrollment.objects.get(pk=enrollment.pk)
            return lambda: enrollment_accept(enrollment=seen)

        return prepare

    outcomes = at_once(accepting(first), accepting(second))

    assert sorted(outcomes) == ["done", "refused"]
    assert committed_program.enrollments.taking_a_place().count() == 1


@needs_row_locks
def test_an_accept_and_a_walk_in_for_the_last_place_take_it_once(committed_program):
    applied = factories.EnrollmentFactory(program=committed_program)
    walk_in = factories.WorkerFactory()

    def accepting():
        seen = Enrollment.objects.get(pk=applied.pk)
        return lambda: enrollment_accept(enrollment=seen)

    def adding():
        program = TrainingProgram.objects.get(pk=committed_program.pk)
        return lambda: enrollment_add_walk_in(program=program, worker=walk_in)

    outcomes = at_once(accepting, adding)

    assert sorted(outcomes) == ["done", "refused"]
    assert committed_program.enrollments.taking_a_place().count() == 1
