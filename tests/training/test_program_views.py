"""The programme pages through the test client: the public search, a worker applying and withdrawing and
seeing their own training, the institution creating (checked against the brand's standards), editing and
advancing its programmes, deciding applications, adding walk-ins and recording the class's results. Who may
reach which page, refused moves as messages or form errors with nothing saved, no 500s, and a fixed number
of queries on list pages."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training.models import Enrollment, TrainingProgram

pytestmark = pytest.mark.django_db

Status = TrainingProgram.Status
EStatus = Enrollment.Status
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
# A programme starting on the first of the month after next, inside the window of a year ahead.
START = (((TODAY.replace(day=1) + 32 * DAY).replace(day=1)) + 32 * DAY).replace(day=1)


def month_end(months: int) -> datetime.date:
    """The last day of the `months`-th month from START."""
    year, month = divmod(START.month - 1 + months, 12)
    return datetime.date(START.year + year, month + 1, 1) - DAY


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def last_message_level(response):
    """The level of the message this request added (earlier unread ones are still stored before it)."""
    return messages_of(response)[-1][0]


def query_count(client, path, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context)


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def staff_client(client, institution_staff, qualified_institution_a):
    return logged_in(client, institution_staff)


@pytest.fixture
def worker_client(client, worker):
    return logged_in(client, worker)


def program_post(brand, **overrides):
    """A programme meeting measured_brand's standards: 3 months, 60% practical, level rank 3."""
    data = {
        "title": "家政服务员（四级）培训班",
        "brand": brand.pk,
        "occupation": brand.occupations.first().pk,
        "target_level": factories.make_level(3).pk,
        "theory_hours": "40",
        "ethics_hours": "0",
        "practical_hours": "40",
        "practice_hours": "20",
        "start_date": START.isoformat(),
        "end_date": month_end(3).isoformat(),
        "capacity": "30",
        "place": "金寨县梅山镇实训基地",
    }
    data.update(overrides)
    return data


# --- Creating and editing -------------------------------------------------------------------------------


def test_staff_open_the_new_programme_form(staff_client, measured_brand):
    response = staff_client.get(url("program_create"))
    assert response.status_code == 200
    assert measured_brand.name in response.content.decode()


def test_programme_meeting_the_standards_is_saved(staff_client, qualified_institution_a, measured_brand):
    response = staff_client.post(url("program_create"), program_post(measured_brand))
    program = TrainingProgram.objects.get()
    assert response.status_code == 302
    assert response.url == url("program_detail", program.pk)
    assert (program.institution, program.status, program.months) == (
        qualified_institution_a,
        Status.PLANNED,
        3,
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"end_date": month_end(2).isoformat()}, "at least 3 months of training; this one runs 2"),
        ({"theory_hours": "70", "practical_hours": "20", "practice_hours": "10"}, "at least 50% practical"),
        ({"target_level": 2}, "training to 三级/高级工 or above"),
    ],
    ids=["months", "practical-share", "level"],
)
def test_programme_short_of_the_brands_standards_shows_the_reason_and_saves_nothing(
    staff_client, measured_brand, overrides, reason
):
    if "target_level" in overrides:
        overrides["target_level"] = factories.make_level(overrides["target_level"]).pk
    response = staff_client.post(url("program_create"), program_post(measured_brand, **overrides))
    assert response.status_code == 200
    assert any(reason in error for error in response.context["form"].non_field_errors())
    assert reason in response.content.decode()
    assert not TrainingProgram.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": (START - DAY).isoformat()}, "end_date"),
        ({"start_date": "1900-03-01"}, "start_date"),
        ({"ethics_hours": "41"}, "ethics_hours"),
        ({"theory_hours": "0", "practical_hours": "0", "practice_hours": "0"}, "theory_hours"),
        ({"capacity": "0"}, "capacity"),
        ({"start_date": "not-a-date"}, "start_date"),
        ({"target_level": "999"}, "target_level"),
    ],
)
def test_bad_programme_input_gives_form_errors_and_saves_nothing(
    staff_client, measured_brand, overrides, field
):
    response = staff_client.post(url("program_create"), program_post(measured_brand, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TrainingProgram.objects.exists()


def test_occupation_must_be_one_of_the_brands(staff_client, qualified_institution_a, measured_brand):
    other = factories.make_occupations(3)[-1]
    qualified_institution_a.occupations.add(other)
    response = staff_client.post(url("program_create"), program_post(measured_brand, occupation=other.pk))
    assert response.status_code == 200
    assert response.context["form"].has_error("occupation", "not_a_brand_occupation")
    assert not TrainingProgram.objects.exists()


def test_brand_must_be_public(staff_client, measured_brand):
    draft = factories.DraftBrandFactory()
    response = staff_client.post(url("program_create"), program_post(draft))
    assert response.status_code == 200
    assert response.context["form"].has_error("brand", "invalid_choice")
    assert not TrainingProgram.objects.exists()


def test_with_no_brand_for_its_occupations_the_institution_is_told_instead_of_a_form(staff_client):
    factories.CultivatingBrandFactory(occupations=factories.make_occupations(2)[1:])  # not admitted for it
    response = staff_client.get(url("program_create"))
    assert response.status_code == 200
    assert "form" not in response.context
    assert "so there is no brand to run a programme for" in response.content.decode()
    content = staff_client.get(url("program_list")).content.decode()
    assert "so there is no brand to run a programme for" in content
    assert url("program_create") not in content


@pytest.mark.parametrize("status", ["registered", "suspended", "expired"])
def test_an_institution_that_is_not_qualified_cannot_create(
    client, institution_staff, measured_brand, status
):
    institution = institution_staff.institutions.get()
    if status == "suspended":
        institution.status = institution.Status.SUSPENDED
        institution.qualified_until = factories._qualified_until()
    elif status == "expired":
        institution.status = institution.Status.QUALIFIED
        institution.qualified_until = TODAY - datetime.timedelta(days=1)
    institution.save()
    logged_in(client, institution_staff)
    response = client.get(url("program_create"))
    assert response.status_code == 200
    assert "form" not in response.context
    # Suspended: the city bureau reinstates it; otherwise the next step is applying for admission.
    assert response.context["unavailable"].url == ("" if status == "suspended" else url("application_create"))
    response = client.post(url("program_create"), program_post(measured_brand))
    assert response.status_code == 403
    assert not TrainingProgram.objects.exists()


def test_staff_edit_their_programme(staff_client, program_a):
    data = program_post(
        program_a.brand,
        title="新标题",
        start_date=program_a.start_date.isoformat(),
        end_date=program_a.end_date.isoformat(),
        capacity="25",
    )
    response = staff_client.get(url("program_update", program_a.pk))
    assert response.status_code == 200
    response = staff_client.post(url("program_update", program_a.pk), data)
    assert response.status_code == 302
    assert response.url == url("program_detail", program_a.pk)
    program_a.refresh_from_db()
    assert (program_a.title, program_a.capacity) == ("新标题", 25)


def test_an_edit_short_of_the_standards_is_refused_and_nothing_changes(staff_client, program_a):
    data = program_post(
        program_a.brand,
        start_date=program_a.start_date.isoformat(),
        end_date=(program_a.start_date + datetime.timedelta(days=20)).isoformat(),
    )
    response = staff_client.post(url("program_update", program_a.pk), data)
    assert response.status_code == 200
    assert "at least 3 months" in " ".join(response.context["form"].non_field_errors())
    before = program_a.end_date
    program_a.refresh_from_db()
    assert (program_a.end_date, program_a.title) == (before, "金寨家政培训班")


def test_a_completed_programme_cannot_be_edited(staff_client, program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(status=Status.COMPLETED)
    data = program_post(
        program_a.brand, start_date=program_a.start_date.isoformat(), end_date=program_a.end_date.isoformat()
    )
    response = staff_client.get(url("program_update", program_a.pk))
    assert response.status_code == 200
    assert "form" not in response.context
    assert "A completed programme can no longer be changed." in response.content.decode()
    response = staff_client.post(url("program_update", program_a.pk), data)
    assert response.status_code == 403
    program_a.refresh_from_db()
    assert program_a.title == "金寨家政培训班"


# --- Status ---------------------------------------------------------------------------------------------


# Each step of a programme's lifecycle has its own POST URL, named here by the status it moves to.
STEP_URLS = {
    Status.ENROLLING: "program_open",
    Status.RUNNING: "program_start",
    Status.COMPLETED: "program_complete",
}


def test_staff_advance_their_programme_step_by_step(staff_client, program_a, institution_staff):
    TrainingProgram.objects.filter(pk=program_a.pk).update(start_date=TODAY - 90 * DAY, end_date=TODAY)
    for to in (Status.RUNNING, Status.COMPLETED):
        response = staff_client.post(url(STEP_URLS[to], program_a.pk))
        assert response.status_code == 302
        assert response.url == url("program_detail", program_a.pk)
        program_a.refresh_from_db()
        assert program_a.status == to
    assert [e.actor for e in program_a.events.all()] == [institution_staff, institution_staff]


def test_a_skipped_or_repeated_step_is_refused_with_a_message(staff_client, program_a):
    response = staff_client.post(url("program_complete", program_a.pk))
    assert response.status_code == 302
    assert [level for level, _ in messages_of(response)] == ["error"]
    response = staff_client.post(url("program_open", program_a.pk))
    assert last_message_level(response) == "error"
    program_a.refresh_from_db()
    assert program_a.status == Status.ENROLLING


def test_an_unknown_or_backward_step_is_404(staff_client, program_a):
    for step in ("cancel/", "plan/", "status/planned/", "status/running/"):
        response = staff_client.post(url("program_detail", program_a.pk) + step)
        assert response.status_code == 404, step
    program_a.refresh_from_db()
    assert program_a.status == Status.ENROLLING


def test_advancing_needs_post(staff_client, program_a):
    assert staff_client.get(url("program_start", program_a.pk)).status_code == 405
    program_a.refresh_from_db()
    assert program_a.status == Status.ENROLLING


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
    assert messages_of(response) == [("error", "No worker account has this ID or mobile number.")]
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


# --- The detail page ------------------------------------------------------------------------------------


def test_detail_shows_pending_applications_with_decision_forms(staff_client, program_a):
    pending = factories.EnrollmentFactory(program=program_a)
    response = staff_client.get(url("program_detail", program_a.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert url("enrollment_accept", pending.pk) in content
    assert url("program_start", program_a.pk) in content
    assert url("enrollment_walk_in", program_a.pk) in content


def test_city_admin_sees_any_programme_but_manages_none(client, city_admin, program_a):
    pending = factories.EnrollmentFactory(program=program_a)
    logged_in(client, city_admin)
    response = client.get(url("program_detail", program_a.pk))
    assert response.status_code == 200
    assert url("enrollment_accept", pending.pk) not in response.content.decode()
    assert client.get(url("program_list")).status_code == 200
    for path in (url("program_update", program_a.pk), url("program_results", program_a.pk)):
        assert client.get(path).status_code == 403
    assert client.post(url("program_start", program_a.pk)).status_code == 403
    assert client.post(url("enrollment_accept", pending.pk)).status_code == 403


# --- Access ---------------------------------------------------------------------------------------------


def management_requests(program, enrollment):
    return [
        ("get", url("program_detail", program.pk), {}),
        ("get", url("program_update", program.pk), {}),
        ("post", url("program_update", program.pk), {"title": "x"}),
        ("post", url("program_start", program.pk), {}),
        ("post", url("enrollment_walk_in", program.pk), {"identifier": enrollment.worker.phone}),
        ("get", url("program_results", program.pk), {}),
        ("post", url("program_results", program.pk), {}),
        ("post", url("program_complete_early", program.pk), {"reason": "提前结业"}),
        ("post", url("enrollment_accept", enrollment.pk), {}),
        ("post", url("enrollment_decline", enrollment.pk), {}),
    ]


def test_institution_b_gets_404_on_institution_as_programmes(client, institution_b_staff, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a)
    logged_in(client, institution_b_staff)
    for method, path, data in management_requests(program_a, enrollment):
        assert getattr(client, method)(path, data).status_code == 404, path
    program_a.refresh_from_db()
    enrollment.refresh_from_db()
    assert (program_a.status, program_a.title, enrollment.status) == (
        Status.ENROLLING,
        "金寨家政培训班",
        EStatus.APPLIED,
    )
    assert program_a not in client.get(url("program_list")).context["page_obj"].object_list


@pytest.mark.parametrize("persona", ["official_a", "employer", "worker"])
def test_other_roles_get_403_on_management_pages(client, request, program_a, persona):
    enrollment = factories.EnrollmentFactory(program=program_a)
    logged_in(client, request.getfixturevalue(persona))
    requests = [("get", url("program_list"), {}), ("get", url("program_create"), {})]
    for method, path, data in requests + management_requests(program_a, enrollment):
        assert getattr(client, method)(path, data).status_code == 403, path
    enrollment.refresh_from_db()
    assert enrollment.status == EStatus.APPLIED


@pytest.mark.parametrize("persona", ["city_admin", "official_a", "employer", "institution_staff"])
def test_only_workers_have_my_training(client, request, program_a, persona):
    enrollment = factories.EnrollmentFactory(program=program_a)
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("my_training")).status_code == 403
    assert client.post(url("enrollment_withdraw", enrollment.pk)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_except_on_the_search(client, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a)
    login = reverse("login")
    requests = [
        ("get", url("program_list"), {}),
        ("get", url("program_create"), {}),
        ("get", url("my_training"), {}),
        ("post", url("enrollment_apply", program_a.pk), {}),
        ("post", url("enrollment_withdraw", enrollment.pk), {}),
    ]
    for method, path, data in requests + management_requests(program_a, enrollment):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, path
        assert response.url.startswith(login), path
    assert client.get(url("program_search")).status_code == 200
    assert Enrollment.objects.count() == 1


# --- Public search --------------------------------------------------------------------------------------


def listed(response):
    return list(response.context["page_obj"].object_list)


def test_search_lists_only_enrolling_and_running_programmes_of_public_brands(client, program_a):
    running = factories.TrainingProgramFactory(running=True, brand=factories.RecognisedBrandFactory())
    factories.TrainingProgramFactory(title="计划中")
    factories.TrainingProgramFactory(completed=True, title="已结束")
    retired = factories.TrainingProgramFactory(enrolling=True, title="退出品牌")
    retired.brand.status = "retired"
    retired.brand.save(update_fields=["status"])
    response = client.get(url("program_search"))
    assert response.status_code == 200
    assert set(listed(response)) == {program_a, running}
    content = response.content.decode()
    assert "计划中" not in content and "已结束" not in content and "退出品牌" not in content


def test_search_links_each_programme_to_its_page_and_marks_where_the_worker_applied(
    worker_client, worker, program_a
):
    other = factories.TrainingProgramFactory(enrolling=True)
    factories.EnrollmentFactory(program=other, worker=worker)
    content = worker_client.get(url("program_search")).content.decode()
    assert url("program_public_detail", program_a.pk) in content
    assert url("program_public_detail", other.pk) in content
    # Enrolling happens on the programme's page, never in one tap from the list.
    assert url("enrollment_apply", program_a.pk) not in content
    assert content.count(url("my_training")) >= 2  # the header link and the "applied" mark


def test_search_filters(client, program_a):
    other_county = factories.make_county("341525")
    b_brand = factories.CultivatingBrandFactory(
        county=other_county, occupations=factories.make_occupations(2)[1:]
    )
    later = factories.TrainingProgramFactory(
        enrolling=True,
        brand=b_brand,
        target_level=factories.make_level(4),
        start_date=program_a.start_date + datetime.timedelta(days=60),
    )
    for params, expected in (
        ({}, {program_a, later}),
        ({"brand": program_a.brand.pk}, {program_a}),
        ({"brand": b_brand.pk}, {later}),
        ({"occupation": later.occupation.pk}, {later}),
        ({"occupation": program_a.occupation.pk}, {program_a}),
        ({"county": other_county.pk}, {later}),
        ({"county": program_a.brand.county.pk}, {program_a}),
        ({"level": factories.make_level(4).pk}, {later}),
        ({"level": factories.make_level(5).pk}, set()),
        ({"starts_from": (program_a.start_date + datetime.timedelta(days=1)).isoformat()}, {later}),
        ({"starts_until": program_a.start_date.isoformat()}, {program_a}),
        (
            {
                "starts_from": program_a.start_date.isoformat(),
                "starts_until": later.start_date.isoformat(),
                "county": other_county.pk,
            },
            {later},
        ),
    ):
        response = client.get(url("program_search"), params)
        assert response.status_code == 200
        assert set(listed(response)) == expected, params


@pytest.mark.parametrize(
    "params",
    [
        {"brand": "999999"},
        {"brand": "x"},
        {"starts_from": "yesterday"},
        {"level": "0"},
        {"page": "999"},
        {"page": "-1"},
        {"county": "'; drop table"},
    ],
)
def test_bad_search_input_never_gives_a_500(client, program_a, params):
    assert client.get(url("program_search"), params).status_code == 200


def test_search_pages_by_twenty_and_keeps_the_filters(client, measured_brand):
    factories.TrainingProgramFactory.create_batch(23, enrolling=True, brand=measured_brand)
    first = client.get(url("program_search"), {"brand": measured_brand.pk})
    assert len(listed(first)) == 20
    assert first.context["page_obj"].paginator.count == 23
    assert f"brand={measured_brand.pk}" in first.context["query"]
    second = client.get(url("program_search"), {"brand": measured_brand.pk, "page": 2})
    assert len(listed(second)) == 3
    assert not set(listed(first)) & set(listed(second))


# --- Query counts ---------------------------------------------------------------------------------------


def test_search_runs_a_fixed_number_of_queries(worker_client, worker, measured_brand):
    def add(n):
        for program in factories.TrainingProgramFactory.create_batch(n, enrolling=True, brand=measured_brand):
            factories.EnrollmentFactory(program=program, accepted=True)
            factories.EnrollmentFactory(program=program, worker=worker)

    add(2)
    few = query_count(worker_client, url("program_search"))
    add(10)
    assert query_count(worker_client, url("program_search")) == few


def test_programme_list_runs_a_fixed_number_of_queries(staff_client, qualified_institution_a, measured_brand):
    def add(n):
        for program in factories.TrainingProgramFactory.create_batch(
            n, institution=qualified_institution_a, brand=measured_brand, enrolling=True
        ):
            factories.EnrollmentFactory(program=program)
            factories.EnrollmentFactory(program=program, accepted=True)

    add(2)
    few = query_count(staff_client, url("program_list"))
    add(10)
    assert query_count(staff_client, url("program_list")) == few


def test_my_training_runs_a_fixed_number_of_queries(worker_client, worker):
    factories.EnrollmentFactory.create_batch(2, worker=worker)
    few = query_count(worker_client, url("my_training"))
    factories.EnrollmentFactory.create_batch(5, worker=worker, completed=True)
    factories.EnrollmentFactory.create_batch(5, worker=worker, declined=True)
    assert query_count(worker_client, url("my_training")) == few


def test_programme_detail_runs_a_fixed_number_of_queries(staff_client, program_a):
    def add(n):
        for status in (EStatus.APPLIED, EStatus.ACCEPTED, EStatus.COMPLETED, EStatus.DECLINED):
            factories.EnrollmentFactory.create_batch(n, program=program_a, status=status)

    add(1)
    few = query_count(staff_client, url("program_detail", program_a.pk))
    add(8)
    assert query_count(staff_client, url("program_detail", program_a.pk)) == few


def test_results_page_runs_a_fixed_number_of_queries(staff_client, program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(status=Status.COMPLETED, capacity=100)
    factories.EnrollmentFactory.create_batch(2, program=program_a, accepted=True)
    few = query_count(staff_client, url("program_results", program_a.pk))
    factories.EnrollmentFactory.create_batch(10, program=program_a, accepted=True)
    assert query_count(staff_client, url("program_results", program_a.pk)) == few


def test_programme_list_is_ordered_latest_start_first(staff_client, qualified_institution_a, measured_brand):
    starts = [TODAY + datetime.timedelta(days=d) for d in (40, 10, 70)]
    for start in starts:
        factories.TrainingProgramFactory(
            institution=qualified_institution_a, brand=measured_brand, start_date=start
        )
    response = staff_client.get(url("program_list"))
    assert response.context["page_obj"].paginator.object_list.ordered
    assert [p.start_date for p in response.context["page_obj"]] == sorted(starts, reverse=True)
