"""Ethics sessions below the pages: who organises a session follows from who records it (a county official
for their county's brands, a qualified institution's staff, a city admin for the city bureau); attendance is
recorded many at once, only for workers and only once the session has taken place; who sees and edits which
sessions; and the forms that pick brands and attendees."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from laborbrand.exceptions import InvalidTransition
from tests import factories
from training.forms.ethics import AttendanceForm, EthicsSessionForm
from training.models import EthicsAttendance, EthicsSession
from training.permissions import (
    can_edit_ethics_session,
    editable_ethics_sessions,
    ethics_candidates,
    get_ethics_session_for,
    visible_ethics_sessions,
)
from training.services.ethics import (
    ethics_attendance_add,
    ethics_attendance_remove,
    ethics_session_create,
    ethics_session_update,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def session_fields(**overrides):
    fields = {
        "held_on": TODAY - datetime.timedelta(days=3),
        "topic": "诚信服务，守护万家",
        "speaker": "王桂英",
        "speaker_title": "全国劳动模范",
        "place": "金寨县人社局报告厅",
        "hours": Decimal("2.5"),
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def brand_of_a(official_a):
    return factories.CultivatingBrandFactory(name="金寨月嫂", county=official_a.county)


@pytest.fixture
def brand_of_b(official_b):
    return factories.RecognisedBrandFactory(name="霍山茶师", county=official_b.county)


# --- Recording sessions ---------------------------------------------------------------------------------


def test_an_official_records_a_session_of_their_county(official_a, brand_of_a):
    session = ethics_session_create(actor=official_a, brands=[brand_of_a], **session_fields())
    session.refresh_from_db()
    assert (session.county, session.institution, session.created_by) == (official_a.county, None, official_a)
    assert list(session.brands.all()) == [brand_of_a]
    assert session.hours == Decimal("2.5")
    assert session.organiser == str(official_a.county)
    assert session.history.earliest("history_date").history_type == "+"


def test_an_official_cannot_record_for_another_countys_brand(official_a, brand_of_a, brand_of_b):
    with pytest.raises(InvalidTransition):
        ethics_session_create(actor=official_a, brands=[brand_of_a, brand_of_b], **session_fields())
    assert not EthicsSession.objects.exists()


def test_qualified_institution_staff_record_a_session_of_their_institution(
    institution_staff, qualified_institution_a, brand_of_a, brand_of_b
):
    session = ethics_session_create(
        actor=institution_staff, brands=[brand_of_a, brand_of_b], **session_fields()
    )
    assert (session.county, session.institution) == (None, qualified_institution_a)
    assert set(session.brands.all()) == {brand_of_a, brand_of_b}
    assert session.organiser == qualified_institution_a.name


def test_an_institution_that_is_not_qualified_cannot_record(institution_staff, brand_of_a):
    with pytest.raises(InvalidTransition):
        ethics_session_create(actor=institution_staff, brands=[brand_of_a], **session_fields())
    assert not EthicsSession.objects.exists()


def test_a_city_admin_records_a_session_of_the_city_bureau(city_admin, brand_of_a, brand_of_b):
    session = ethics_session_create(actor=city_admin, brands=[brand_of_a, brand_of_b], **session_fields())
    assert (session.county, session.institution) == (None, None)
    assert session.organiser  # the city bureau, in the active language


@pytest.mark.parametrize("persona", ["worker", "employer"])
def test_workers_and_employers_cannot_record_sessions(request, persona, brand_of_a):
    with pytest.raises(PermissionDenied):
        ethics_session_create(actor=request.getfixturevalue(persona), brands=[brand_of_a], **session_fields())
    assert not EthicsSession.objects.exists()


def test_a_session_needs_a_brand(official_a):
    with pytest.raises(InvalidTransition):
        ethics_session_create(actor=official_a, brands=[], **session_fields())
    assert not EthicsSession.objects.exists()


def test_a_session_is_for_public_brands_only(official_a, brand_a):
    with pytest.raises(InvalidTransition):
        ethics_session_create(actor=official_a, brands=[brand_a], **session_fields())
    assert not EthicsSession.objects.exists()


def test_a_session_may_be_planned_at_most_a_year_ahead(official_a, brand_of_a):
    a_year = TODAY + datetime.timedelta(days=365)
    assert ethics_session_create(actor=official_a, brands=[brand_of_a], **session_fields(held_on=a_year))
    with pytest.raises(InvalidTransition):
        ethics_session_create(
            actor=official_a,
            brands=[brand_of_a],
            **session_fields(held_on=a_year + datetime.timedelta(days=1)),
        )
    assert EthicsSession.objects.count() == 1


def test_an_edit_cannot_move_a_session_more_than_a_year_ahead(official_a, brand_of_a):
    """The limit on recording a session also holds when its date is edited."""
    session = factories.EthicsSessionFactory(brands=[brand_of_a])
    held_on = session.held_on
    with pytest.raises(InvalidTransition):
        ethics_session_update(
            session=session,
            actor=official_a,
            brands=[brand_of_a],
            **session_fields(held_on=TODAY + datetime.timedelta(days=366)),
        )
    session.refresh_from_db()
    assert session.held_on == held_on


def test_an_edit_changes_the_session_and_keeps_the_old_version(official_a, brand_of_a):
    session = factories.EthicsSessionFactory(brands=[brand_of_a], topic="旧题目")
    other = factories.CultivatingBrandFactory(county=official_a.county)
    ethics_session_update(session=session, actor=official_a, brands=[other], **session_fields(topic="新题目"))
    session.refresh_from_db()
    assert session.topic == "新题目"
    assert list(session.brands.all()) == [other]
    assert session.county == official_a.county
    history = session.history.order_by("history_date", "history_id")
    assert (history.first().topic, history.last().topic) == ("旧题目", "新题目")
    assert [b.brand for b in history.last().brands.all()] == [other]


def test_an_official_cannot_edit_in_another_countys_brand(official_a, brand_of_a, brand_of_b):
    session = factories.EthicsSessionFactory(brands=[brand_of_a], topic="旧题目")
    with pytest.raises(InvalidTransition):
        ethics_session_update(
            session=session, actor=official_a, brands=[brand_of_b], **session_fields(topic="新题目")
        )
    session.refresh_from_db()
    assert (session.topic, list(session.brands.all())) == ("旧题目", [brand_of_a])


# --- Attendance -----------------------------------------------------------------------------------------


def test_many_attendees_are_recorded_at_once():
    session = factories.EthicsSessionFactory()
    workers = factories.WorkerFactory.create_batch(3)
    assert ethics_attendance_add(session=session, workers=workers) == 3
    assert set(session.attendees.all()) == set(workers)


def test_attendees_already_recorded_or_listed_twice_are_counted_once():
    first, second = factories.WorkerFactory.create_batch(2)
    session = factories.EthicsSessionFactory(attendees=[first])
    added = ethics_attendance_add(session=session, workers=[first, second, second])
    assert added == 1
    assert EthicsAttendance.objects.filter(session=session).count() == 2


def test_attendance_is_recorded_once_the_session_has_taken_place():
    worker = factories.WorkerFactory()
    tomorrow = factories.EthicsSessionFactory(held_on=TODAY + datetime.timedelta(days=1))
    with pytest.raises(InvalidTransition):
        ethics_attendance_add(session=tomorrow, workers=[worker])
    assert not EthicsAttendance.objects.exists()

    today = factories.EthicsSessionFactory(held_on=TODAY)
    assert ethics_attendance_add(session=today, workers=[worker]) == 1


@pytest.mark.parametrize("persona", ["official_a", "institution_staff", "employer", "city_admin"])
def test_only_workers_attend_and_a_mixed_list_records_no_one(request, persona):
    session = factories.EthicsSessionFactory()
    with pytest.raises(InvalidTransition):
        ethics_attendance_add(
            session=session, workers=[factories.WorkerFactory(), request.getfixturevalue(persona)]
        )
    assert not EthicsAttendance.objects.exists()


def test_an_attendee_is_removed():
    worker, other = factories.WorkerFactory.create_batch(2)
    session = factories.EthicsSessionFactory(attendees=[worker, other])
    ethics_attendance_remove(session=session, worker_id=worker.pk)
    assert list(session.attendees.all()) == [other]
    with pytest.raises(InvalidTransition):
        ethics_attendance_remove(session=session, worker_id=worker.pk)


# --- Who sees and edits which sessions ------------------------------------------------------------------


@pytest.fixture
def sessions(official_a, official_b, qualified_institution_a, institution_b_staff, city_admin):
    institution_b = institution_b_staff.institutions.get()
    return {
        "county_a": factories.EthicsSessionFactory(county=official_a.county),
        "county_b": factories.EthicsSessionFactory(county=official_b.county),
        "institution_a": factories.EthicsSessionFactory(institution=qualified_institution_a),
        "institution_b": factories.EthicsSessionFactory(institution=institution_b),
        "city": factories.EthicsSessionFactory(county=None),
    }


@pytest.mark.parametrize(
    ("persona", "visible", "editable"),
    [
        ("official_a", {"county_a"}, {"county_a"}),
        ("official_b", {"county_b"}, {"county_b"}),
        ("institution_staff", {"institution_a"}, {"institution_a"}),
        ("institution_b_staff", {"institution_b"}, {"institution_b"}),
        ("city_admin", {"county_a", "county_b", "institution_a", "institution_b", "city"}, {"city"}),
        ("worker", set(), set()),
        ("employer", set(), set()),
    ],
)
def test_each_organiser_sees_and_edits_their_own_sessions(request, sessions, persona, visible, editable):
    user = request.getfixturevalue(persona)
    assert set(visible_ethics_sessions(user)) == {sessions[k] for k in visible}
    assert set(editable_ethics_sessions(user)) == {sessions[k] for k in editable}
    for key, session in sessions.items():
        assert can_edit_ethics_session(user, session) is (key in editable)
        if key in visible:
            assert get_ethics_session_for(user, session.pk) == session
        else:
            with pytest.raises(Http404):
                get_ethics_session_for(user, session.pk)


def test_anonymous_visitors_see_no_sessions(sessions):
    assert not visible_ethics_sessions(AnonymousUser()).exists()
    assert not editable_ethics_sessions(AnonymousUser()).exists()


def test_candidates_are_the_brands_current_and_past_trainees_not_yet_recorded(program_a):
    session = factories.EthicsSessionFactory(brands=[program_a.brand])
    accepted = factories.EnrollmentFactory(program=program_a, accepted=True).worker
    completed = factories.EnrollmentFactory(program=program_a, completed=True).worker
    recorded = factories.EnrollmentFactory(program=program_a, accepted=True).worker
    factories.EnrollmentFactory(program=program_a)  # applied only
    factories.EnrollmentFactory(program=program_a, declined=True)
    factories.EnrollmentFactory(program=program_a, withdrawn=True)
    inactive = factories.EnrollmentFactory(program=program_a, accepted=True).worker
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    factories.EnrollmentFactory(program=factories.TrainingProgramFactory(enrolling=True), accepted=True)
    second_class = factories.TrainingProgramFactory(
        enrolling=True, institution=program_a.institution, brand=program_a.brand
    )
    factories.EnrollmentFactory(program=second_class, worker=accepted, accepted=True)
    EthicsAttendance.objects.create(session=session, worker=recorded)

    assert list(ethics_candidates(session)) == sorted(
        [accepted, completed], key=lambda u: (u.real_name, u.pk)
    )


# --- Forms ----------------------------------------------------------------------------------------------


def test_an_official_chooses_among_their_countys_public_brands(official_a, brand_a, brand_of_a, brand_of_b):
    choices = set(EthicsSessionForm(user=official_a).fields["brands"].queryset)
    assert choices == {brand_of_a}


@pytest.mark.parametrize("persona", ["city_admin", "institution_staff"])
def test_the_city_and_institutions_choose_among_all_public_brands(
    request, persona, brand_a, brand_of_a, brand_of_b
):
    choices = set(EthicsSessionForm(user=request.getfixturevalue(persona)).fields["brands"].queryset)
    assert choices == {brand_of_a, brand_of_b}


def test_another_countys_brand_is_not_a_valid_choice_for_an_official(official_a, brand_of_b):
    data = {**session_fields(), "brands": [brand_of_b.pk]}
    form = EthicsSessionForm(data, user=official_a)
    assert not form.is_valid()
    assert form.has_error("brands", "invalid_choice")


@pytest.mark.parametrize(("hours", "ok"), [("0.5", True), ("24", True), ("0.4", False), ("24.5", False)])
def test_a_session_lasts_half_an_hour_to_a_day(official_a, brand_of_a, hours, ok):
    data = {**session_fields(hours=hours), "brands": [brand_of_a.pk]}
    assert EthicsSessionForm(data, user=official_a).is_valid() is ok


def attendance_form(session, **data):
    return AttendanceForm(data, candidates=ethics_candidates(session))


def test_the_attendance_form_takes_ticked_trainees_and_typed_numbers(program_a):
    session = factories.EthicsSessionFactory(brands=[program_a.brand])
    ticked = factories.EnrollmentFactory(program=program_a, accepted=True).worker
    by_phone, by_id = factories.WorkerFactory.create_batch(2)
    form = attendance_form(
        session, workers=[ticked.pk], identifiers=f"\n {by_phone.phone} \n\n{by_id.id_number.lower()}\n"
    )
    assert form.is_valid(), form.errors
    assert form.attendees() == [ticked, by_phone, by_id]


def test_an_unknown_number_names_its_line():
    session = factories.EthicsSessionFactory()
    known = factories.WorkerFactory()
    form = attendance_form(session, identifiers=f"{known.phone}\n13800000000\n{known.id_number}\n110")
    assert not form.is_valid()
    assert form.has_error("identifiers", "not_found")
    message = form.errors["identifiers"][0]
    assert "2, 4" in message


def test_a_typed_number_of_a_non_worker_is_unknown(official_a):
    official_a.phone = factories.make_phone(990_001)
    official_a.save()
    form = attendance_form(factories.EthicsSessionFactory(), identifiers=official_a.phone)
    assert form.has_error("identifiers", "not_found")


def test_a_worker_who_is_not_a_candidate_cannot_be_ticked():
    session = factories.EthicsSessionFactory()
    form = attendance_form(session, workers=[factories.WorkerFactory().pk])
    assert form.has_error("workers", "invalid_choice")


def test_the_attendance_form_needs_someone():
    form = attendance_form(factories.EthicsSessionFactory(), identifiers=" \n ")
    assert not form.is_valid()
    assert form.has_error("__all__", "empty")


def test_the_attendance_form_takes_at_most_200_lines():
    numbers = "\n".join(factories.make_phone(n) for n in range(201))
    form = attendance_form(factories.EthicsSessionFactory(), identifiers=numbers)
    assert form.has_error("identifiers", "too_many")
