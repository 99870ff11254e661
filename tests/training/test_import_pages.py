"""The pages the imports start from, and the one rule for both ways in: the walk-in form and the attendance
form name someone without an account by real name and ID number, as a roster's or an attendance sheet's row
does (a worker record is opened for them), and refuse what a row would refuse; the programme and session
pages link to their imports when the import is possible."""

import datetime

import pytest
from django.utils import timezone

from laborbrand.accounts.models import User
from tests import factories
from tests.training.program_views_helpers import logged_in, messages_of, url
from training.forms.enrollment import WalkInForm
from training.forms.ethics import AttendanceForm, split_line
from training.models import Enrollment, EthicsAttendance, TrainingProgram
from training.permissions import ethics_candidates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

Status = TrainingProgram.Status
TODAY = timezone.localdate()
UNKNOWN_ID = factories.make_id_number(740_001)


def record_of(id_number):
    return User.objects.by_id_number(id_number).first()


# --- The walk-in form -----------------------------------------------------------------------------------


@pytest.fixture
def registered(db):
    return factories.WorkerFactory(real_name="何一")


WALK_IN_CASES = {
    # name: (data builder, the field in error and its code, or None when valid)
    "ID number alone": (lambda w: {"identifier": w.id_number}, None),
    "mobile alone": (lambda w: {"identifier": w.phone}, None),
    "name and ID number of the account": (
        lambda w: {"identifier": w.id_number, "real_name": " 何 一 "},
        None,
    ),
    "name and an unknown ID number": (lambda w: {"identifier": UNKNOWN_ID, "real_name": "何二"}, None),
    "an unknown ID number alone": (lambda w: {"identifier": UNKNOWN_ID}, ("identifier", "not_found")),
    "another name with the ID number": (
        lambda w: {"identifier": w.id_number, "real_name": "何三"},
        ("real_name", "name_mismatch"),
    ),
    "a name with a mobile number": (
        lambda w: {"identifier": w.phone, "real_name": "何一"},
        ("identifier", "name_with_phone"),
    ),
    "a name with a mistyped ID number": (
        lambda w: {
            "identifier": UNKNOWN_ID[:-1] + ("0" if UNKNOWN_ID[-1] != "0" else "1"),
            "real_name": "何二",
        },
        ("identifier", "id_number_check"),
    ),
    "a name with a staff member's ID number": (
        lambda w: {
            "identifier": factories.InstitutionStaffFactory(id_number=UNKNOWN_ID).id_number,
            "real_name": "某",
        },
        ("identifier", "id_number_staff"),
    ),
    "a name too long": (
        lambda w: {"identifier": UNKNOWN_ID, "real_name": "何" * 51},
        ("real_name", "max_length"),
    ),
}


@pytest.mark.parametrize("case", list(WALK_IN_CASES))
def test_the_walk_in_form_names_a_trainee_as_a_roster_row_does(registered, case):
    build, error = WALK_IN_CASES[case]
    form = WalkInForm(build(registered))
    assert form.is_valid() is (error is None), form.errors
    if error is None:
        expected = None if "unknown" in case else registered
        assert form.worker == expected
        if expected is None:
            assert (form.named.real_name, form.named.id_number) == ("何二", UNKNOWN_ID)
    else:
        assert form.has_error(*error), form.errors


@pytest.fixture
def staff_client(client, institution_staff, qualified_institution_a):
    return logged_in(client, institution_staff)


def test_staff_add_a_trainee_without_an_account_by_name_and_id_number(staff_client, program_a):
    response = staff_client.post(
        url("enrollment_walk_in", program_a.pk), {"identifier": UNKNOWN_ID, "real_name": "何二"}
    )
    assert response.status_code == 302
    assert messages_of(response) == [("success", "何二 added to the programme.")]
    record = record_of(UNKNOWN_ID)
    assert (record.real_name, record.role, record.registered, record.phone, record.has_usable_password()) == (
        "何二",
        User.Role.WORKER,
        False,
        None,
        False,
    )
    enrollment = Enrollment.objects.get()
    assert (enrollment.worker, enrollment.status, enrollment.walk_in) == (
        record,
        Enrollment.Status.ACCEPTED,
        True,
    )

    page = staff_client.get(url("program_detail", program_a.pk)).content.decode()
    assert "何二" in page
    assert UNKNOWN_ID not in page


def test_a_refused_walk_in_by_name_opens_no_record(staff_client, program_a):
    TrainingProgram.objects.filter(pk=program_a.pk).update(capacity=1)
    factories.EnrollmentFactory(program=program_a, accepted=True)
    response = staff_client.post(
        url("enrollment_walk_in", program_a.pk), {"identifier": UNKNOWN_ID, "real_name": "何二"}
    )
    assert messages_of(response) == [("error", "The programme is full (1 place).")]
    assert record_of(UNKNOWN_ID) is None
    assert Enrollment.objects.count() == 1


def test_a_walk_in_under_another_name_is_refused_with_the_reason(staff_client, program_a, registered):
    response = staff_client.post(
        url("enrollment_walk_in", program_a.pk), {"identifier": registered.id_number, "real_name": "何三"}
    )
    assert messages_of(response) == [
        ("error", "The name does not match the name registered with this ID number.")
    ]
    assert not Enrollment.objects.exists()
    registered.refresh_from_db()
    assert registered.real_name == "何一"


def test_a_second_walk_in_of_the_same_new_person_finds_their_record(staff_client, program_a):
    other = factories.TrainingProgramFactory(
        institution=program_a.institution, brand=program_a.brand, enrolling=True
    )
    for program in (program_a, other):
        staff_client.post(
            url("enrollment_walk_in", program.pk), {"identifier": UNKNOWN_ID, "real_name": "何二"}
        )
    record = record_of(UNKNOWN_ID)
    assert set(Enrollment.objects.values_list("worker", "program")) == {
        (record.pk, program_a.pk),
        (record.pk, other.pk),
    }
    assert User.objects.filter(real_name="何二").count() == 1


# --- The attendance form --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("13912345678", ("", "13912345678")),
        ("(+86) 139 1234 5678", ("", "(+86) 139 1234 5678")),
        ("341524 19900101 0015", ("", "341524 19900101 0015")),
        ("张三\t341524199001010015", ("张三", "341524199001010015")),
        ("张三, 341524199001010015", ("张三", "341524199001010015")),
        ("张三，34152419900101001x", ("张三", "34152419900101001x")),
        ("341524199001010015  张三", ("张三", "341524199001010015")),
        ("买买提·艾力 341524199001010015", ("买买提·艾力", "341524199001010015")),
        ("Li Lei 341524 19900101 0015", ("Li Lei", "341524 19900101 0015")),
        ("张三", ("", "张三")),
    ],
)
def test_a_typed_attendance_line_is_a_number_or_a_name_and_a_number(line, expected):
    assert split_line(line) == expected


def attendance_form(session, identifiers):
    return AttendanceForm({"identifiers": identifiers}, candidates=ethics_candidates(session))


@pytest.fixture
def session(official_a):
    return factories.EthicsSessionFactory(county=official_a.county)


def test_the_attendance_form_takes_numbers_and_names_with_id_numbers(session, registered):
    by_phone = factories.WorkerFactory()
    form = attendance_form(
        session, f"{by_phone.phone}\n{registered.real_name}\t{registered.id_number}\n何二 {UNKNOWN_ID}\n"
    )
    assert form.is_valid(), form.errors
    assert form.attendees() == [by_phone, registered]
    assert form.people() == [("何二", UNKNOWN_ID)]


def test_each_refused_named_line_says_which_and_why(session, registered):
    form = attendance_form(
        session,
        f"{registered.phone}\n何三 {registered.id_number}\n13800000000\n何二 {UNKNOWN_ID[:-1]}\n",
    )
    assert not form.is_valid()
    assert form.errors["identifiers"] == [
        "No worker account has the number on line 3; nothing was recorded.",
        "Line 2: The name does not match the name registered with this ID number.",
        "Line 4: An ID number has 18 characters; this one has 17.",
    ]
    assert form.has_error("identifiers", "not_found")
    assert form.has_error("identifiers", "name_mismatch")


@pytest.fixture
def official_client(client, official_a):
    return logged_in(client, official_a)


def test_an_organiser_records_someone_without_an_account(official_client, session, registered):
    response = official_client.post(
        url("ethics_attendance_add", session.pk),
        {"identifiers": f"{registered.id_number}\n何二 {UNKNOWN_ID}"},
    )
    assert response.status_code == 302
    assert ("success", "2 attendees recorded.") in messages_of(response)
    record = record_of(UNKNOWN_ID)
    assert (record.real_name, record.registered) == ("何二", False)
    assert set(session.attendees.all()) == {registered, record}


def test_a_refused_attendance_form_opens_no_record(official_client, session):
    response = official_client.post(
        url("ethics_attendance_add", session.pk), {"identifiers": f"何二 {UNKNOWN_ID}\n13800000000"}
    )
    assert response.status_code == 200
    assert record_of(UNKNOWN_ID) is None
    assert not EthicsAttendance.objects.exists()


def test_attendance_before_the_session_opens_no_record(official_client, official_a):
    upcoming = factories.EthicsSessionFactory(
        county=official_a.county, held_on=TODAY + datetime.timedelta(days=3)
    )
    response = official_client.post(
        url("ethics_attendance_add", upcoming.pk), {"identifiers": f"何二 {UNKNOWN_ID}"}
    )
    assert ("error", "Attendance can be recorded once the session has taken place.") in messages_of(response)
    assert record_of(UNKNOWN_ID) is None


# --- Links to the imports -------------------------------------------------------------------------------


def roster_link(program):
    return f'href="/imports/roster/?target={program.pk}"'


def results_link(program):
    return f'href="/imports/results/?target={program.pk}"'


def set_program(program, status, *, ended):
    end = TODAY - datetime.timedelta(days=1 if ended else -30)
    TrainingProgram.objects.filter(pk=program.pk).update(
        status=status, start_date=end - datetime.timedelta(days=120), end_date=end
    )


@pytest.mark.parametrize(
    ("status", "ended", "roster", "results"),
    [
        (Status.PLANNED, False, False, False),
        (Status.ENROLLING, False, True, False),
        (Status.RUNNING, False, True, False),
        (Status.RUNNING, True, True, True),
        (Status.COMPLETED, True, False, True),
    ],
)
def test_the_programme_page_links_to_the_imports_that_are_possible(
    staff_client, program_a, status, ended, roster, results
):
    set_program(program_a, status, ended=ended)
    content = staff_client.get(url("program_detail", program_a.pk)).content.decode()
    assert (roster_link(program_a) in content) is roster
    assert ("Import trainees from Excel" in content) is roster
    assert (results_link(program_a) in content) is results
    assert ("Import results from Excel" in content) is results


def test_a_city_admin_sees_no_import_links_on_a_programme(client, city_admin, program_a):
    set_program(program_a, Status.RUNNING, ended=True)
    content = logged_in(client, city_admin).get(url("program_detail", program_a.pk)).content.decode()
    assert "/imports/" not in content


@pytest.mark.parametrize(("days_ago", "shown"), [(2, True), (0, True), (-2, False)])
def test_the_session_page_links_the_organiser_to_the_attendance_import(
    official_client, official_a, days_ago, shown
):
    session = factories.EthicsSessionFactory(
        county=official_a.county, held_on=TODAY - datetime.timedelta(days=days_ago)
    )
    content = official_client.get(url("ethics_detail", session.pk)).content.decode()
    assert (f'href="/imports/ethics_attendance/?target={session.pk}"' in content) is shown
    assert ("Import attendance from Excel" in content) is shown


def test_a_city_admin_gets_the_attendance_import_for_the_citys_sessions_only(client, city_admin, official_a):
    city = factories.EthicsSessionFactory(county=None)
    county = factories.EthicsSessionFactory(county=official_a.county)
    logged_in(client, city_admin)
    assert "/imports/ethics_attendance/" in client.get(url("ethics_detail", city.pk)).content.decode()
    assert "/imports/" not in client.get(url("ethics_detail", county.pk)).content.decode()
