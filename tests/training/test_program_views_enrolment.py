"""Enrolling through the programme pages: a worker applying, withdrawing and seeing their own training;
the institution accepting and declining applications and adding walk-ins by ID number or mobile. Refused
moves (twice, over capacity, someone else's) give a message and change nothing."""

import pytest

from tests import factories
from tests.training.program_views_helpers import (
    EStatus,
    Status,
    last_message_level,
    logged_in,
    messages_of,
    url,
)
from training.models import Enrollment, TrainingProgram

pytestmark = pytest.mark.django_db


# --- Applying, withdrawing, my training -----------------------------------------------------------------


def test_worker_applies_and_sees_the_programme_on_my_training(worker_client, worker, program_a):
    response = worker_client.post(url("enrollment_apply", program_a.pk))
    assert response.status_code == 302
    assert response.url == url("my_training")
    enrollment = Enrollment.objects.get()
    assert (enrollment.worker, enrollment.status) == (worker, EStatus.APPLIED)
    response = worker_client.get(url("my_training"))
    assert program_a.title in response.content.decode()
    assert url("enrollment_withdraw_confirm", enrollment.pk) in response.content.decode()


def test_applying_twice_gives_a_message_and_one_row(worker_client, program_a):
    worker_client.post(url("enrollment_apply", program_a.pk))
    response = worker_client.post(url("enrollment_apply", program_a.pk))
    assert response.status_code == 302
    assert response.url == url("program_public_detail", program_a.pk)
    assert last_message_level(response) == "error"
    assert Enrollment.objects.count() == 1


def test_worker_cannot_apply_to_a_running_programme(worker_client, program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(status=Status.RUNNING)
    response = worker_client.post(url("enrollment_apply", program_a.pk))
    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("status", [Status.PLANNED, Status.COMPLETED])
def test_unlisted_programmes_are_404_to_apply(worker_client, program_a, status):
    TrainingProgram.objects.filter(pk=program_a.pk).update(status=status)
    assert worker_client.post(url("enrollment_apply", program_a.pk)).status_code == 404
    assert worker_client.post(url("enrollment_apply", 999_999)).status_code == 404
    assert not Enrollment.objects.exists()


def test_applying_needs_post(worker_client, program_a):
    assert worker_client.get(url("enrollment_apply", program_a.pk)).status_code == 405
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("persona", ["city_admin", "official_a", "institution_staff", "employer"])
def test_only_workers_apply(client, request, program_a, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.post(url("enrollment_apply", program_a.pk)).status_code == 403
    assert not Enrollment.objects.exists()


def test_my_training_lists_only_the_workers_own_enrolments(worker_client, worker, program_a):
    own = factories.EnrollmentFactory(
        program=program_a, worker=worker, completed=True, theory_score=77, practical_score=66
    )
    other_program = factories.TrainingProgramFactory(enrolling=True, title="别人的培训班")
    factories.EnrollmentFactory(program=other_program)
    response = worker_client.get(url("my_training"))
    assert list(response.context["enrollments"]) == [own]
    content = response.content.decode()
    assert program_a.title in content and "别人的培训班" not in content
    assert "77" in content and "66" in content


def test_worker_withdraws_their_own_application(worker_client, worker, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a, worker=worker)
    response = worker_client.post(url("enrollment_withdraw", enrollment.pk))
    assert response.status_code == 302
    assert response.url == url("my_training")
    enrollment.refresh_from_db()
    assert enrollment.status == EStatus.WITHDRAWN


def test_withdrawing_someone_elses_enrolment_is_404(worker_client, program_a):
    other = factories.EnrollmentFactory(program=program_a)
    assert worker_client.post(url("enrollment_withdraw", other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.status == EStatus.APPLIED


def test_withdrawing_a_completed_enrolment_gives_a_message(worker_client, worker, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a, worker=worker, completed=True)
    response = worker_client.post(url("enrollment_withdraw", enrollment.pk))
    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    enrollment.refresh_from_db()
    assert enrollment.status == EStatus.COMPLETED


# --- Deciding applications ------------------------------------------------------------------------------


def test_staff_accept_and_decline_applications(staff_client, program_a):
    first, second = factories.EnrollmentFactory.create_batch(2, program=program_a)
    response = staff_client.post(url("enrollment_accept", first.pk))
    assert response.status_code == 302
    assert response.url == url("program_detail", program_a.pk)
    staff_client.post(url("enrollment_decline", second.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (EStatus.ACCEPTED, EStatus.DECLINED)


def test_accepting_over_capacity_gives_a_message(staff_client, program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(capacity=2)
    factories.EnrollmentFactory(program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a, completed=True)
    waiting = factories.EnrollmentFactory(program=program_a)
    response = staff_client.post(url("enrollment_accept", waiting.pk))
    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    assert "2" in messages_of(response)[0][1]
    waiting.refresh_from_db()
    assert waiting.status == EStatus.APPLIED


def test_deciding_twice_gives_a_message(staff_client, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a, declined=True)
    response = staff_client.post(url("enrollment_accept", enrollment.pk))
    assert [level for level, _ in messages_of(response)] == ["error"]
    enrollment.refresh_from_db()
    assert enrollment.status == EStatus.DECLINED


def test_an_unknown_decision_is_404(staff_client, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a)
    maybe = url("enrollment_accept", enrollment.pk).replace("/accept/", "/maybe/")
    assert staff_client.post(maybe).status_code == 404
    assert staff_client.get(url("enrollment_accept", enrollment.pk)).status_code == 405
    enrollment.refresh_from_db()
    assert enrollment.status == EStatus.APPLIED


# --- Walk-ins -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["id_number", "phone"])
def test_staff_add_a_walk_in_by_id_or_mobile(staff_client, program_a, worker, by):
    response = staff_client.post(url("enrollment_walk_in", program_a.pk), {"identifier": getattr(worker, by)})
    assert response.status_code == 302
    assert response.url == url("program_detail", program_a.pk)
    assert [level for level, _ in messages_of(response)] == ["success"]
    enrollment = Enrollment.objects.get()
    assert (enrollment.worker, enrollment.status, enrollment.walk_in) == (worker, EStatus.ACCEPTED, True)


def test_an_unknown_walk_in_gives_the_form_error(staff_client, program_a):
    response = staff_client.post(url("enrollment_walk_in", program_a.pk), {"identifier": "13800000000"})
    assert response.status_code == 302
    assert messages_of(response) == [
        (
            "error",
            "No worker account has this ID or mobile number. To record someone without an account, give "
            "their real name with their ID number.",
        )
    ]
    response = staff_client.post(url("enrollment_walk_in", program_a.pk), {"identifier": ""})
    assert last_message_level(response) == "error"
    assert not Enrollment.objects.exists()


def test_a_walk_in_already_enrolled_gives_a_message(staff_client, program_a, worker):
    factories.EnrollmentFactory(program=program_a, worker=worker)
    response = staff_client.post(url("enrollment_walk_in", program_a.pk), {"identifier": worker.phone})
    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    assert Enrollment.objects.get().status == EStatus.APPLIED


def test_a_walk_in_over_capacity_gives_a_message(staff_client, program_a, worker):
    TrainingProgram.objects.filter(pk=program_a.pk).update(capacity=1)
    factories.EnrollmentFactory(program=program_a, accepted=True)
    response = staff_client.post(url("enrollment_walk_in", program_a.pk), {"identifier": worker.id_number})
    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    assert not Enrollment.objects.filter(worker=worker).exists()
