"""The end of a programme through its pages: recording the class's results (scores checked, nothing saved
on bad input or before the end) and completing a running programme early with a reason."""

import pytest

from tests import factories
from tests.training.program_views_helpers import (
    DAY,
    TODAY,
    EStatus,
    Status,
    last_message_level,
    logged_in,
    url,
)
from training.models import Enrollment, TrainingProgram

pytestmark = pytest.mark.django_db


# --- Results --------------------------------------------------------------------------------------------


@pytest.fixture
def ended_class(program_a):
    """program_a running and at its end date, with two trainees and a pending application."""
    trainees = factories.EnrollmentFactory.create_batch(2, program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a)  # still pending: not in the results form
    TrainingProgram.objects.filter(pk=program_a.pk).update(
        status=Status.RUNNING, start_date=TODAY - 120 * DAY, end_date=TODAY
    )
    program_a.refresh_from_db()
    return program_a, trainees


def scores_post(**scores):
    """{"a": (theory, practical)} keyed by enrolment pk."""
    data = {}
    for pk, (theory, practical) in scores.items():
        data[f"theory_{pk}"], data[f"practical_{pk}"] = theory, practical
    return data


def test_staff_record_results_for_the_whole_class(staff_client, ended_class):
    program, (a, b) = ended_class
    response = staff_client.get(url("program_results", program.pk))
    assert response.status_code == 200
    assert {e.pk for e in response.context["form"].enrollments} == {a.pk, b.pk}
    assert "result_" not in response.content.decode()  # no pass/fail to type in
    response = staff_client.post(
        url("program_results", program.pk),
        scores_post(**{str(a.pk): ("88.5", "60"), str(b.pk): ("92", "42")}),
    )
    assert response.status_code == 302
    assert response.url == url("program_detail", program.pk)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.passed, str(a.theory_score), str(a.practical_score)) == (
        EStatus.COMPLETED,
        True,
        "88.5",
        "60.0",
    )
    assert (b.status, b.passed) == (EStatus.COMPLETED, False)
    assert a.completed_at is not None and b.completed_at is not None
    content = staff_client.get(url("program_detail", program.pk)).content.decode()
    assert "theory 88.5 · practical 60.0" in content


def test_a_pass_typed_in_against_the_scores_is_not_recorded(staff_client, ended_class):
    """The issue's example: a pass with theory and practical scores below the pass mark."""
    program, (a, b) = ended_class
    data = scores_post(**{str(a.pk): ("40", "35"), str(b.pk): ("59.9", "90")})
    data.update({f"result_{a.pk}": "pass", f"result_{b.pk}": "pass"})
    staff_client.post(url("program_results", program.pk), data)
    assert list(Enrollment.objects.filter(pk__in=[a.pk, b.pk]).values_list("passed", flat=True)) == [
        False,
        False,
    ]


@pytest.mark.parametrize("score", ["101", "-1", "abc", "", "100.05"])
@pytest.mark.parametrize("part", ["theory", "practical"])
def test_a_score_outside_0_to_100_gives_a_form_error_and_saves_nothing(
    staff_client, ended_class, part, score
):
    program, (a, b) = ended_class
    data = scores_post(**{str(a.pk): ("90", "90"), str(b.pk): ("90", "90")})
    data[f"{part}_{b.pk}"] = score
    response = staff_client.post(url("program_results", program.pk), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"{part}_{b.pk}"]
    assert "Nothing was saved" in response.content.decode()
    assert not Enrollment.objects.filter(status=EStatus.COMPLETED).exists()


def test_a_missing_score_gives_a_form_error_and_saves_nothing(staff_client, ended_class):
    program, (a, b) = ended_class
    response = staff_client.post(
        url("program_results", program.pk), {f"theory_{a.pk}": "90", f"practical_{a.pk}": "90"}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {f"theory_{b.pk}", f"practical_{b.pk}"}
    assert not Enrollment.objects.filter(status=EStatus.COMPLETED).exists()


@pytest.mark.parametrize(
    ("status", "end_in_days"),
    [(Status.ENROLLING, 30), (Status.RUNNING, 30), (Status.RUNNING, 1)],
)
def test_results_before_the_programme_ends_show_why_and_save_nothing(
    staff_client, program_a, status, end_in_days
):
    TrainingProgram.objects.filter(pk=program_a.pk).update(
        status=status, start_date=TODAY - 30 * DAY, end_date=TODAY + end_in_days * DAY
    )
    trainee = factories.EnrollmentFactory(program=program_a, accepted=True)
    response = staff_client.get(url("program_results", program_a.pk))
    assert response.status_code == 200
    assert "form" not in response.context
    content = response.content.decode()
    assert (TODAY + end_in_days * DAY).isoformat() in content
    assert "complete the programme early" in content
    response = staff_client.post(
        url("program_results", program_a.pk), scores_post(**{str(trainee.pk): ("90", "90")})
    )
    assert response.status_code == 403
    trainee.refresh_from_db()
    assert trainee.status == EStatus.ACCEPTED


def test_results_ignore_rows_for_people_outside_the_class(staff_client, ended_class):
    program, (a, b) = ended_class
    outsider = factories.EnrollmentFactory(accepted=True)
    response = staff_client.post(
        url("program_results", program.pk),
        scores_post(**{str(a.pk): ("90", "90"), str(b.pk): ("80", "80"), str(outsider.pk): ("99", "99")}),
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert (outsider.status, outsider.theory_score) == (EStatus.ACCEPTED, None)


# --- Completing early -----------------------------------------------------------------------------------


@pytest.fixture
def running_program(program_a):
    """program_a, running, three weeks before its end date."""
    TrainingProgram.objects.filter(pk=program_a.pk).update(
        status=Status.RUNNING, start_date=TODAY - 90 * DAY, end_date=TODAY + 21 * DAY
    )
    program_a.refresh_from_db()
    return program_a


def test_a_running_programme_before_its_end_offers_to_complete_early_not_completed(
    staff_client, running_program
):
    content = staff_client.get(url("program_detail", running_program.pk)).content.decode()
    assert url("program_complete_early", running_program.pk) in content
    assert url("program_complete", running_program.pk) not in content
    assert url("program_results", running_program.pk) not in content


def test_a_running_programme_at_its_end_offers_completion_and_results(staff_client, ended_class):
    program, _ = ended_class
    content = staff_client.get(url("program_detail", program.pk)).content.decode()
    assert url("program_complete", program.pk) in content
    assert url("program_results", program.pk) in content
    assert url("program_complete_early", program.pk) not in content


def test_completing_early_with_a_reason_shows_it_in_the_history(
    staff_client, running_program, institution_staff
):
    response = staff_client.post(
        url("program_complete_early", running_program.pk), {"reason": "学员已提前完成全部课时。"}
    )
    assert response.status_code == 302
    assert response.url == url("program_detail", running_program.pk)
    assert last_message_level(response) == "success"
    running_program.refresh_from_db()
    assert running_program.status == Status.COMPLETED
    event = running_program.events.get()
    assert (event.actor, event.reason, event.early) == (institution_staff, "学员已提前完成全部课时。", True)
    content = staff_client.get(url("program_detail", running_program.pk)).content.decode()
    assert "Completed early on" in content and "学员已提前完成全部课时。" in content
    assert url("program_results", running_program.pk) in content


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_completing_early_without_a_reason_is_refused(staff_client, running_program, data):
    response = staff_client.post(url("program_complete_early", running_program.pk), data)
    assert response.status_code == 302
    assert last_message_level(response) == "error"
    running_program.refresh_from_db()
    assert running_program.status == Status.RUNNING
    assert not running_program.events.exists()


def test_completing_early_is_refused_once_the_end_date_is_reached(staff_client, ended_class):
    program, _ = ended_class
    response = staff_client.post(url("program_complete_early", program.pk), {"reason": "提前结业"})
    assert last_message_level(response) == "error"
    program.refresh_from_db()
    assert program.status == Status.RUNNING


@pytest.mark.parametrize("persona", ["institution_b_staff", "city_admin", "worker", "official_a"])
def test_only_the_programmes_institution_completes_it_early(client, request, running_program, persona):
    logged_in(client, request.getfixturevalue(persona))
    response = client.post(url("program_complete_early", running_program.pk), {"reason": "提前结业"})
    assert response.status_code in (403, 404)
    running_program.refresh_from_db()
    assert running_program.status == Status.RUNNING


def test_completing_early_needs_post(staff_client, running_program):
    assert staff_client.get(url("program_complete_early", running_program.pk)).status_code == 405
