"""The institution's programme pages through the test client: creating (checked against the brand's
standards) and editing its programmes, advancing them step by step, and the detail page. Refused moves give a
message or form errors and save nothing; nothing gives a 500."""

import datetime

import pytest

from tests import factories
from tests.training.program_views_helpers import (
    DAY,
    TODAY,
    Status,
    last_message_level,
    logged_in,
    messages_of,
    url,
)
from training.models import TrainingProgram

pytestmark = pytest.mark.django_db

# A programme starting on the first of the month after next, inside the window of a year ahead.
START = (((TODAY.replace(day=1) + 32 * DAY).replace(day=1)) + 32 * DAY).replace(day=1)


def month_end(months: int) -> datetime.date:
    """The last day of the `months`-th month from START."""
    year, month = divmod(START.month - 1 + months, 12)
    return datetime.date(START.year + year, month + 1, 1) - DAY


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
