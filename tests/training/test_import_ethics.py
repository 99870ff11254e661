"""Ethics session attendance from Excel (training/imports/ethics.py): the session's organiser imports who
attended, once the session has taken place; each row names a person as the attendance form does (ID number,
the name of a registered worker); someone unknown gets a worker record; someone already recorded is
unchanged. The commit writes every row or none, and a second import of the same sheet writes nothing."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition
from laborbrand.imports.engine import Action, ImportRefused
from tests import factories
from tests.training.import_helpers import counts, only, person, read, refusals, rows, stranger, xlsx
from training.imports.ethics import EthicsAttendanceImporter
from training.models import EthicsAttendance
from training.services.ethics import ethics_attendance_add, ethics_attendance_add_named

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

TODAY = timezone.localdate()


def importer(session):
    return EthicsAttendanceImporter(user=None, target=session)


@pytest.fixture
def session(official_a):
    """A session of official_a's county, held a week ago."""
    return factories.EthicsSessionFactory(county=official_a.county)


@pytest.fixture
def registered(db):
    return factories.WorkerFactory(real_name="林一")


# --- One row at a time: the preview ---------------------------------------------------------------------


def attended(session, worker):
    EthicsAttendance.objects.create(session=session, worker=worker)
    return person(worker)


def official_number(session, worker):
    official = factories.OfficialFactory(id_number=factories.make_id_number(660_001))
    return {"real_name": official.real_name, "id_number": official.id_number}


ROW_CASES = {
    # name: (row builder, action, the start of the refusal)
    "a registered worker": (lambda s, w: person(w), Action.CREATE, None),
    "someone unknown": (lambda s, w: stranger(), Action.CREATE, None),
    "already recorded": (attended, Action.UNCHANGED, None),
    "recorded for another session only": (
        lambda s, w: attended(factories.EthicsSessionFactory(), w),
        Action.CREATE,
        None,
    ),
    "name of someone else": (
        lambda s, w: person(w, real_name="林二"),
        Action.REFUSED,
        "姓名: The name does not",
    ),
    "a staff account's ID number": (
        official_number,
        Action.REFUSED,
        "身份证号: This ID number belongs to a staff",
    ),
    "ID number too long": (
        lambda s, w: stranger(id_number=w.id_number + "1"),
        Action.REFUSED,
        "身份证号: An ID number has 18 characters",
    ),
    "ID number born in the future": (
        lambda s, w: stranger(id_number="341524209901010010"),
        Action.REFUSED,
        "身份证号: Digits 7 to 14",
    ),
    "a mobile number for the ID number": (
        lambda s, w: stranger(id_number="13912345678"),
        Action.REFUSED,
        "身份证号: An ID number has 18 characters",
    ),
    "no name": (lambda s, w: stranger(name=""), Action.REFUSED, "姓名: This field is required."),
}


@pytest.mark.parametrize("case", list(ROW_CASES))
def test_each_row_is_judged_as_the_attendance_form_judges_a_named_line(session, registered, case):
    build, action, refusal = ROW_CASES[case]
    result = only(importer(session).validate(rows(build(session, registered))))
    assert result.action == action, result.errors
    if refusal is None:
        assert result.errors == []
    else:
        assert any(error.startswith(refusal) for error in result.errors), result.errors


@pytest.mark.parametrize(("days_ahead", "open_"), [(1, False), (30, False), (0, True), (-1, True)])
def test_attendance_is_taken_once_the_session_has_taken_place(official_a, registered, days_ahead, open_):
    session = factories.EthicsSessionFactory(held_on=TODAY + datetime.timedelta(days=days_ahead))
    result = only(importer(session).validate(rows(person(registered))))
    if open_:
        assert result.action == Action.CREATE
    else:
        assert (result.action, result.errors) == (
            Action.REFUSED,
            ["Attendance can be recorded once the session has taken place."],
        )


def test_the_same_person_twice_in_a_sheet_is_refused_the_second_time(session, registered):
    results = list(importer(session).validate(rows(person(registered), stranger(), person(registered))))
    assert [r.action for r in results] == [Action.CREATE, Action.CREATE, Action.REFUSED]
    assert refusals(results) == {4: ["Row 4 is the same record as row 2 of this file."]}


# --- The commit -----------------------------------------------------------------------------------------


def test_the_commit_records_everyone_and_opens_records_for_the_unknown(session, registered):
    unknown = stranger("郑三")
    results = importer(session).commit(rows(person(registered), unknown))
    record = User.objects.by_id_number(unknown["id_number"]).get()
    assert (record.real_name, record.registered, record.phone, record.has_usable_password()) == (
        "郑三",
        False,
        None,
        False,
    )
    assert set(session.attendees.all()) == {registered, record}
    rows_of = {a.worker: a for a in session.attendance.all()}
    assert [result.written for result in results] == [
        [(rows_of[registered], True)],
        [(record, True), (rows_of[record], True)],
    ]


def test_one_refused_row_writes_nothing_at_all(session, registered):
    users = User.objects.count()
    with pytest.raises(ImportRefused) as refused:
        importer(session).commit(rows(stranger(), person(registered), stranger(id_number="123")))
    assert list(refusals(refused.value.results)) == [4]
    assert not EthicsAttendance.objects.exists()
    assert User.objects.count() == users


def test_importing_the_same_sheet_twice_writes_nothing_the_second_time(session, registered):
    sheet = xlsx(
        ["姓名", "身份证号"],
        [[registered.real_name, registered.id_number], ["冯四", factories.make_id_number(730_001)]],
    )
    assert counts(importer(session).commit(read(EthicsAttendanceImporter, sheet))) == {Action.CREATE: 2}
    users, attendance = User.objects.count(), list(EthicsAttendance.objects.values_list("pk", flat=True))

    again = importer(session).commit(read(EthicsAttendanceImporter, sheet))
    assert counts(again) == {Action.UNCHANGED: 2}
    assert all(result.written == [] for result in again)
    assert User.objects.count() == users
    assert list(EthicsAttendance.objects.values_list("pk", flat=True)) == attendance


# --- Who imports into which session ---------------------------------------------------------------------


@pytest.fixture
def sessions(official_a, official_b, qualified_institution_a, institution_b_staff):
    return {
        "county_a": factories.EthicsSessionFactory(county=official_a.county),
        "county_b": factories.EthicsSessionFactory(county=official_b.county),
        "institution_a": factories.EthicsSessionFactory(institution=qualified_institution_a),
        "institution_b": factories.EthicsSessionFactory(institution=institution_b_staff.institutions.get()),
        "city": factories.EthicsSessionFactory(county=None),
    }


ORGANISERS = {
    "official_a": "county_a",
    "official_b": "county_b",
    "institution_staff": "institution_a",
    "institution_b_staff": "institution_b",
    "city_admin": "city",
}


@pytest.mark.parametrize("persona", [*ORGANISERS, "worker", "employer", "leading_member"])
def test_only_the_sessions_organiser_imports_its_attendance(request, sessions, persona):
    user = request.getfixturevalue(persona)
    for key, session in sessions.items():
        if ORGANISERS.get(persona) == key:
            assert EthicsAttendanceImporter.target_for(user, session.pk) == session
        else:
            with pytest.raises(Http404):
                EthicsAttendanceImporter.target_for(user, session.pk)


@pytest.mark.parametrize("target_id", [None, 999_999])
def test_a_missing_session_is_404(official_a, target_id):
    with pytest.raises(Http404):
        EthicsAttendanceImporter.target_for(official_a, target_id)


def test_the_import_leads_back_to_the_session(session):
    assert importer(session).back_url() == reverse("training:ethics_detail", args=[session.pk])


# --- The service a row is written with ------------------------------------------------------------------


def test_the_named_attendance_service_records_once_and_opens_a_record_only_for_someone_unknown(
    session, registered
):
    attendance, created, opened = ethics_attendance_add_named(
        session=session, real_name=registered.real_name, id_number=registered.id_number
    )
    assert (attendance.worker, created, opened) == (registered, True, False)
    again = ethics_attendance_add_named(
        session=session, real_name=registered.real_name, id_number=registered.id_number
    )
    assert again == (attendance, False, False)
    attendance, created, opened = ethics_attendance_add_named(session=session, **stranger("蒋六"))
    assert (attendance.worker.registered, created, opened) == (False, True, True)


@pytest.mark.parametrize("held_in_days", [0, 1])
def test_the_named_attendance_service_refuses_another_name_or_a_session_to_come(
    official_a, registered, held_in_days
):
    session = factories.EthicsSessionFactory(held_on=TODAY + datetime.timedelta(days=held_in_days))
    name = "别人" if held_in_days == 0 else registered.real_name
    with pytest.raises(InvalidTransition):
        ethics_attendance_add_named(session=session, real_name=name, id_number=registered.id_number)
    with pytest.raises(InvalidTransition):
        ethics_attendance_add(session=session, workers=[], people=[(name, registered.id_number)])
    assert not EthicsAttendance.objects.exists()
