"""Class results from Excel (training/imports/rosters.py, ResultsImporter): each row gives an enrolled
trainee's theory and practical scores, checked as the results page checks them (0–100, one decimal), once the
programme's results are open; recorded by the same service (the pass follows from both scores, the enrolment
completed). A row for someone not enrolled is refused; the same scores again are unchanged."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from laborbrand.accounts.models import User
from laborbrand.imports.engine import Action, ImportRefused
from tests import factories
from tests.training.import_helpers import counts, only, person, read, refusals, rows, stranger, xlsx
from training.imports.rosters import ResultsImporter
from training.models import Enrollment, TrainingProgram

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

Status = TrainingProgram.Status
EStatus = Enrollment.Status
TODAY = timezone.localdate()


def importer(program):
    return ResultsImporter(user=None, target=program)


def end(program, *, status=Status.RUNNING, days_ago=1):
    end_date = TODAY - datetime.timedelta(days=days_ago)
    TrainingProgram.objects.filter(pk=program.pk).update(
        status=status, start_date=end_date - datetime.timedelta(days=120), end_date=end_date
    )
    program.refresh_from_db()


@pytest.fixture
def ended(program_a):
    """program_a, running and past its end date."""
    end(program_a)
    return program_a


@pytest.fixture
def trainee(ended):
    return factories.EnrollmentFactory(
        program=ended, accepted=True, worker=factories.WorkerFactory(real_name="陈一")
    )


def scores(enrollment, theory="85", practical="78.5", **extra):
    return person(enrollment.worker, theory_score=theory, practical_score=practical, **extra)


# --- One row at a time: the preview ---------------------------------------------------------------------


def other_enrolment(status):
    def make(program, trainee):
        return scores(factories.EnrollmentFactory(program=program, status=status))

    return make


ROW_CASES = {
    # name: (row builder, action, the start of the refusal)
    "an accepted trainee": (lambda p, t: scores(t), Action.UPDATE, None),
    "scores at the bounds": (lambda p, t: scores(t, "0", "100"), Action.UPDATE, None),
    "one decimal": (lambda p, t: scores(t, "59.5", "60.0"), Action.UPDATE, None),
    "theory over 100": (
        lambda p, t: scores(t, theory="101"),
        Action.REFUSED,
        "理论成绩: Ensure this value is less",
    ),
    "practical below 0": (
        lambda p, t: scores(t, practical="-1"),
        Action.REFUSED,
        "实操成绩: Ensure this value is greater",
    ),
    "not a number": (lambda p, t: scores(t, theory="良好"), Action.REFUSED, "理论成绩: Enter a number."),
    "two decimals": (
        lambda p, t: scores(t, practical="78.55"),
        Action.REFUSED,
        "实操成绩: Ensure that there are no",
    ),
    "no score": (lambda p, t: scores(t, theory=""), Action.REFUSED, "理论成绩: This field is required."),
    "a registered worker not enrolled": (
        lambda p, t: person(factories.WorkerFactory(), theory_score="80", practical_score="80"),
        Action.REFUSED,
        "Results can be recorded only for trainees enrolled in this programme.",
    ),
    "someone unknown": (
        lambda p, t: stranger(theory_score="80", practical_score="80"),
        Action.REFUSED,
        "Results can be recorded only for trainees enrolled in this programme.",
    ),
    "an application waiting": (
        other_enrolment(EStatus.APPLIED),
        Action.REFUSED,
        "Results can be recorded only for trainees enrolled",
    ),
    "a withdrawn trainee": (
        other_enrolment(EStatus.WITHDRAWN),
        Action.REFUSED,
        "Results can be recorded only for trainees enrolled",
    ),
    "a trainee of another programme": (
        lambda p, t: scores(factories.EnrollmentFactory(accepted=True)),
        Action.REFUSED,
        "Results can be recorded only for trainees enrolled",
    ),
    "the trainee under another name": (
        lambda p, t: scores(t, real_name="陈二"),
        Action.REFUSED,
        "姓名: The name does not match",
    ),
    "a mistyped ID number": (
        lambda p, t: scores(
            t, id_number=t.worker.id_number[:-1] + ("1" if t.worker.id_number[-1] != "1" else "2")
        ),
        Action.REFUSED,
        "身份证号: The last character",
    ),
}


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_each_row_is_judged_as_the_results_page_judges_it(ended, trainee, case):
    build, action, refusal = ROW_CASES[case]
    result = only(importer(ended).validate(rows(build(ended, trainee))))
    assert result.action == action, result.errors
    if refusal is None:
        assert result.errors == []
    else:
        assert any(error.startswith(refusal) for error in result.errors), result.errors
    trainee.refresh_from_db()
    assert (trainee.status, trainee.theory_score) == (EStatus.ACCEPTED, None)


@pytest.mark.parametrize(
    ("recorded", "action"),
    [
        (("85", "78.5"), Action.UNCHANGED),
        (("85.0", "78.5"), Action.UNCHANGED),
        (("85", "78"), Action.UPDATE),
        (("40", "78.5"), Action.UPDATE),
    ],
)
def test_scores_already_recorded_are_unchanged_and_others_update(ended, trainee, recorded, action):
    importer(ended).commit(rows(scores(trainee, *recorded)))
    assert only(importer(ended).validate(rows(scores(trainee, "85", "78.5")))).action == action


def test_rows_wait_until_the_programme_has_ended(program_a, trainee):
    end(program_a, days_ago=-1)  # ends tomorrow
    result = only(importer(program_a).validate(rows(scores(trainee))))
    assert result.action == Action.REFUSED
    assert result.errors[0].startswith("Results can be recorded once the programme has ended")


@pytest.mark.parametrize(
    ("status", "days_ago", "open_"),
    [
        (Status.ENROLLING, 1, False),
        (Status.RUNNING, -1, False),
        (Status.RUNNING, 0, True),
        (Status.COMPLETED, -10, True),  # completed early with a reason
        (Status.COMPLETED, 5, True),
    ],
)
def test_results_are_open_as_on_the_results_page(program_a, status, days_ago, open_):
    enrollment = factories.EnrollmentFactory(program=program_a, accepted=True)
    end(program_a, status=status, days_ago=days_ago)
    assert program_a.results_open is open_
    action = only(importer(program_a).validate(rows(scores(enrollment)))).action
    assert action == (Action.UPDATE if open_ else Action.REFUSED)


def test_the_same_trainee_twice_in_a_sheet_is_refused_the_second_time(ended, trainee):
    results = list(importer(ended).validate(rows(scores(trainee), scores(trainee, "90", "90"))))
    assert [r.action for r in results] == [Action.UPDATE, Action.REFUSED]
    assert refusals(results) == {3: ["Row 3 is the same record as row 2 of this file."]}


# --- The commit -----------------------------------------------------------------------------------------


def test_the_commit_records_the_results_as_the_results_page_does(ended, trainee):
    failing = factories.EnrollmentFactory(program=ended, accepted=True)
    before = timezone.now()
    results = importer(ended).commit(rows(scores(trainee, "85", "78.5"), scores(failing, "59.5", "100")))
    assert counts(results) == {Action.UPDATE: 2}
    for enrollment, theory, practical, passed in (
        (trainee, "85", "78.5", True),
        (failing, "59.5", "100", False),
    ):
        enrollment.refresh_from_db()
        assert (
            enrollment.status,
            enrollment.theory_score,
            enrollment.practical_score,
            enrollment.passed,
        ) == (
            EStatus.COMPLETED,
            Decimal(theory),
            Decimal(practical),
            passed,
        )
        assert enrollment.completed_at >= before
    assert [result.written for result in results] == [[(trainee, False)], [(failing, False)]]
    assert results[0].written[0][0].passed is True


def test_a_corrected_score_keeps_the_completion_time(ended, trainee):
    importer(ended).commit(rows(scores(trainee, "50", "80")))
    trainee.refresh_from_db()
    completed_at = trainee.completed_at
    importer(ended).commit(rows(scores(trainee, "65", "80")))
    trainee.refresh_from_db()
    assert (trainee.theory_score, trainee.passed, trainee.completed_at) == (Decimal("65"), True, completed_at)


def test_one_refused_row_writes_nothing_at_all(ended, trainee):
    other = factories.EnrollmentFactory(program=ended, accepted=True)
    with pytest.raises(ImportRefused) as refused:
        importer(ended).commit(rows(scores(trainee), scores(other, theory="100.5")))
    assert list(refusals(refused.value.results)) == [3]
    for enrollment in (trainee, other):
        enrollment.refresh_from_db()
        assert (enrollment.status, enrollment.theory_score, enrollment.passed) == (
            EStatus.ACCEPTED,
            None,
            None,
        )


def test_results_open_no_worker_records(ended, trainee):
    users = User.objects.count()
    with pytest.raises(ImportRefused):
        importer(ended).commit(rows(scores(trainee), stranger(theory_score="80", practical_score="80")))
    assert User.objects.count() == users


def test_importing_the_same_sheet_twice_writes_nothing_the_second_time(ended, trainee):
    other = factories.EnrollmentFactory(program=ended, accepted=True)
    sheet = xlsx(
        ["姓名", "身份证号", "理论成绩", "实操成绩"],
        [
            [trainee.worker.real_name, trainee.worker.id_number, 85, 78.5],  # scores typed as numbers
            [other.worker.real_name, other.worker.id_number, "60", "59"],
        ],
    )
    assert refusals(importer(ended).validate(read(ResultsImporter, sheet))) == {}
    assert counts(importer(ended).commit(read(ResultsImporter, sheet))) == {Action.UPDATE: 2}
    recorded = list(Enrollment.objects.order_by("pk").values_list("theory_score", "passed", "completed_at"))
    history = Enrollment.history.count()

    again = importer(ended).commit(read(ResultsImporter, sheet))
    assert counts(again) == {Action.UNCHANGED: 2}
    assert all(result.written == [] for result in again)
    assert (
        list(Enrollment.objects.order_by("pk").values_list("theory_score", "passed", "completed_at"))
        == recorded
    )
    assert Enrollment.history.count() == history
