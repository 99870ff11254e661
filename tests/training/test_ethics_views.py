"""The ethics-session pages through the test client: county officials, qualified institutions and the city
admin record sessions for their organiser; attendance is recorded many at once by ticking trainees or typing
numbers; each organiser sees only their own sessions (the city admin sees all and edits the city bureau's);
workers see the sessions they attended on their training page. Refusals are form errors or messages with
nothing saved, never a 500; list pages run a fixed number of queries."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from training.models import EthicsAttendance, EthicsSession

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, *args):
    return reverse(f"training:{name}", args=args)


def logged_in(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def brand_of_a(official_a):
    return factories.CultivatingBrandFactory(name="金寨月嫂", county=official_a.county)


@pytest.fixture
def brand_of_b(official_b):
    return factories.RecognisedBrandFactory(name="霍山茶师", county=official_b.county)


def session_post(*brands, **overrides):
    data = {
        "held_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        "topic": "诚信服务，守护万家",
        "speaker": "王桂英",
        "speaker_title": "全国劳动模范",
        "place": "金寨县人社局报告厅",
        "hours": "2.5",
        "brands": [b.pk for b in brands],
    }
    data.update(overrides)
    return data


# --- Recording sessions ---------------------------------------------------------------------------------


def test_an_official_records_a_session_for_their_county(client, official_a, brand_of_a, brand_of_b):
    logged_in(client, official_a)
    form_page = client.get(url("ethics_create"))
    assert form_page.status_code == 200
    assert brand_of_a.name in form_page.content.decode()
    assert brand_of_b.name not in form_page.content.decode()

    response = client.post(url("ethics_create"), session_post(brand_of_a))
    session = EthicsSession.objects.get()
    assert response.status_code == 302
    assert response.url == url("ethics_detail", session.pk)
    assert (session.county, session.institution, session.created_by) == (official_a.county, None, official_a)
    assert list(session.brands.all()) == [brand_of_a]
    assert session.history.earliest("history_date").history_user == official_a


def test_an_official_cannot_pick_another_countys_brand(client, official_a, brand_of_a, brand_of_b):
    logged_in(client, official_a)
    response = client.post(url("ethics_create"), session_post(brand_of_a, brand_of_b))
    assert response.status_code == 200
    assert response.context["form"].has_error("brands", "invalid_choice")
    assert not EthicsSession.objects.exists()


def test_qualified_institution_staff_record_a_session(
    client, institution_staff, qualified_institution_a, brand_of_a, brand_of_b
):
    logged_in(client, institution_staff)
    response = client.post(url("ethics_create"), session_post(brand_of_a, brand_of_b))
    assert response.status_code == 302
    session = EthicsSession.objects.get()
    assert (session.county, session.institution) == (None, qualified_institution_a)


def test_an_institution_that_is_not_qualified_gets_the_reason_and_nothing_is_saved(
    client, institution_staff, brand_of_a
):
    logged_in(client, institution_staff)
    response = client.get(url("ethics_create"))
    assert response.status_code == 200
    assert "form" not in response.context
    assert url("application_create") in response.content.decode()
    listing = client.get(url("ethics_list")).content.decode()
    assert "is not qualified (准入) yet" in listing
    assert url("ethics_create") not in listing
    response = client.post(url("ethics_create"), session_post(brand_of_a))
    assert response.status_code == 403
    assert "is not qualified (准入) yet" in response.content.decode()
    assert not EthicsSession.objects.exists()


def test_a_city_admin_records_a_session_of_the_city_bureau(client, city_admin, brand_of_a, brand_of_b):
    logged_in(client, city_admin)
    response = client.post(url("ethics_create"), session_post(brand_of_a, brand_of_b))
    assert response.status_code == 302
    session = EthicsSession.objects.get()
    assert (session.county, session.institution) == (None, None)
    assert "City human resources bureau" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours": "0"}, "hours"),
        ({"hours": "25"}, "hours"),
        ({"held_on": "yesterday"}, "held_on"),
        ({"topic": ""}, "topic"),
        ({"brands": []}, "brands"),
        ({"brands": ["999999"]}, "brands"),
    ],
)
def test_bad_session_input_gives_form_errors_and_saves_nothing(
    client, official_a, brand_of_a, overrides, field
):
    logged_in(client, official_a)
    response = client.post(url("ethics_create"), session_post(brand_of_a, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not EthicsSession.objects.exists()


def test_a_session_more_than_a_year_ahead_is_refused(client, official_a, brand_of_a):
    logged_in(client, official_a)
    held_on = (TODAY + datetime.timedelta(days=400)).isoformat()
    response = client.post(url("ethics_create"), session_post(brand_of_a, held_on=held_on))
    assert response.status_code == 200
    assert response.context["form"].has_error("held_on", "too_late")
    assert not EthicsSession.objects.exists()


def test_an_official_edits_their_session(client, official_a, brand_of_a):
    session = factories.EthicsSessionFactory(brands=[brand_of_a])
    logged_in(client, official_a)
    assert client.get(url("ethics_update", session.pk)).status_code == 200
    response = client.post(
        url("ethics_update", session.pk), session_post(brand_of_a, topic="新的题目", hours="3")
    )
    assert response.status_code == 302
    assert response.url == url("ethics_detail", session.pk)
    session.refresh_from_db()
    assert (session.topic, str(session.hours)) == ("新的题目", "3.0")


# --- Who reaches which session --------------------------------------------------------------------------


@pytest.fixture
def sessions(official_a, official_b, qualified_institution_a, institution_b_staff, city_admin):
    institution_b = institution_b_staff.institutions.get()
    return {
        "county_a": factories.EthicsSessionFactory(county=official_a.county, topic="金寨县专题"),
        "county_b": factories.EthicsSessionFactory(county=official_b.county, topic="霍山县专题"),
        "institution_a": factories.EthicsSessionFactory(
            institution=qualified_institution_a, topic="甲校专题"
        ),
        "institution_b": factories.EthicsSessionFactory(institution=institution_b, topic="乙校专题"),
        "city": factories.EthicsSessionFactory(county=None, topic="全市专题"),
    }


def edit_requests(session, worker):
    return [
        ("get", url("ethics_update", session.pk), {}),
        ("post", url("ethics_update", session.pk), {"topic": "改"}),
        ("post", url("ethics_attendance_add", session.pk), {"identifiers": worker.phone}),
        ("post", url("ethics_attendance_remove", session.pk, worker.pk), {}),
    ]


@pytest.mark.parametrize(
    ("persona", "own"),
    [
        ("official_a", "county_a"),
        ("official_b", "county_b"),
        ("institution_staff", "institution_a"),
        ("institution_b_staff", "institution_b"),
    ],
)
def test_organisers_list_and_open_only_their_own_sessions(client, request, sessions, persona, own):
    logged_in(client, request.getfixturevalue(persona))
    response = client.get(url("ethics_list"))
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == [sessions[own]]
    content = response.content.decode()
    for key, session in sessions.items():
        assert (session.topic in content) is (key == own)
    assert client.get(url("ethics_detail", sessions[own].pk)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "other"),
    [
        ("official_b", "county_a"),
        ("official_a", "county_b"),
        ("official_a", "city"),
        ("institution_b_staff", "institution_a"),
        ("institution_staff", "county_a"),
    ],
)
def test_another_organisers_session_is_404_and_unchanged(client, request, sessions, persona, other):
    session = sessions[other]
    attendee = factories.WorkerFactory()
    EthicsAttendance.objects.create(session=session, worker=attendee)
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("ethics_detail", session.pk)).status_code == 404
    for method, path, data in edit_requests(session, attendee):
        assert getattr(client, method)(path, data).status_code == 404, path
    session.refresh_from_db()
    assert session.topic != "改"
    assert list(session.attendees.all()) == [attendee]


def test_the_city_admin_sees_every_session_but_edits_only_the_citys(client, city_admin, sessions):
    logged_in(client, city_admin)
    response = client.get(url("ethics_list"))
    assert set(response.context["page_obj"].object_list) == set(sessions.values())
    attendee = factories.WorkerFactory()
    for key, session in sessions.items():
        detail = client.get(url("ethics_detail", session.pk))
        assert detail.status_code == 200
        assert detail.context["can_edit"] is (key == "city")
        assert (url("ethics_update", session.pk) in detail.content.decode()) is (key == "city")
        if key != "city":
            for method, path, data in edit_requests(session, attendee):
                assert getattr(client, method)(path, data).status_code == 404, path
    assert client.get(url("ethics_update", sessions["city"].pk)).status_code == 200


@pytest.mark.parametrize("persona", ["worker", "employer"])
def test_workers_and_employers_get_403_everywhere(client, request, sessions, persona):
    logged_in(client, request.getfixturevalue(persona))
    session = sessions["county_a"]
    worker = factories.WorkerFactory()
    requests = [
        ("get", url("ethics_list"), {}),
        ("get", url("ethics_create"), {}),
        ("post", url("ethics_create"), {"topic": "x"}),
        ("get", url("ethics_detail", session.pk), {}),
        *edit_requests(session, worker),
    ]
    for method, path, data in requests:
        assert getattr(client, method)(path, data).status_code == 403, path
    assert EthicsSession.objects.count() == len(sessions)


def test_anonymous_visitors_are_sent_to_log_in(client, sessions):
    session = sessions["county_a"]
    worker = factories.WorkerFactory()
    requests = [
        ("get", url("ethics_list"), {}),
        ("get", url("ethics_create"), {}),
        ("get", url("ethics_detail", session.pk), {}),
        *edit_requests(session, worker),
    ]
    for method, path, data in requests:
        response = getattr(client, method)(path, data)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("login")), path


def test_a_missing_session_is_404(client, official_a):
    logged_in(client, official_a)
    assert client.get(url("ethics_detail", 999_999)).status_code == 404


# --- Attendance -----------------------------------------------------------------------------------------


@pytest.fixture
def session(program_a):
    """A session of 金寨县 held two days ago for program_a's brand."""
    return factories.EthicsSessionFactory(
        brands=[program_a.brand], held_on=TODAY - datetime.timedelta(days=2)
    )


@pytest.fixture
def official_client(client, official_a):
    return logged_in(client, official_a)


def test_the_detail_offers_the_brands_trainees_to_tick(official_client, session, program_a):
    trainee = factories.EnrollmentFactory(program=program_a, accepted=True).worker
    stranger = factories.WorkerFactory()
    response = official_client.get(url("ethics_detail", session.pk))
    assert response.status_code == 200
    assert list(response.context["form"].fields["workers"].queryset) == [trainee]
    content = response.content.decode()
    assert trainee.display_name in content
    assert stranger.display_name not in content


def test_many_attendees_are_recorded_by_ticking_and_typing(official_client, session, program_a):
    ticked = [factories.EnrollmentFactory(program=program_a, accepted=True).worker for _ in range(2)]
    by_phone, by_id = factories.WorkerFactory.create_batch(2)
    response = official_client.post(
        url("ethics_attendance_add", session.pk),
        {"workers": [w.pk for w in ticked], "identifiers": f"{by_phone.phone}\n\n {by_id.id_number} \n"},
    )
    assert response.status_code == 302
    assert response.url == url("ethics_detail", session.pk)
    assert set(session.attendees.all()) == {*ticked, by_phone, by_id}
    assert ("success", "4 attendees recorded.") in messages_of(response)

    detail = official_client.get(response.url).content.decode()
    for worker in (*ticked, by_phone, by_id):
        assert worker.display_name in detail
        assert worker.id_number not in detail
        assert worker.phone not in detail


def test_an_unknown_number_names_its_line_and_records_no_one(official_client, session):
    known = factories.WorkerFactory()
    response = official_client.post(
        url("ethics_attendance_add", session.pk), {"identifiers": f"{known.phone}\n13800000000"}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("identifiers", "not_found")
    assert "No worker account has the number on line 2; nothing was recorded." in response.content.decode()
    assert not EthicsAttendance.objects.exists()


def test_a_non_workers_number_is_not_found(official_client, session, official_b):
    official_b.phone = factories.make_phone(990_002)
    official_b.save()
    response = official_client.post(
        url("ethics_attendance_add", session.pk), {"identifiers": official_b.phone}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("identifiers", "not_found")
    assert not EthicsAttendance.objects.exists()


def test_an_empty_attendance_form_asks_for_someone(official_client, session):
    response = official_client.post(url("ethics_attendance_add", session.pk), {"identifiers": ""})
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "empty")
    assert not EthicsAttendance.objects.exists()


def test_attendance_before_the_session_is_refused_with_a_message(official_client, program_a):
    upcoming = factories.EthicsSessionFactory(
        brands=[program_a.brand], held_on=TODAY + datetime.timedelta(days=5)
    )
    worker = factories.WorkerFactory()
    page = official_client.get(url("ethics_detail", upcoming.pk))
    assert "The session has not taken place yet." in page.content.decode()
    response = official_client.post(url("ethics_attendance_add", upcoming.pk), {"identifiers": worker.phone})
    assert response.status_code == 302
    assert ("error", "Attendance can be recorded once the session has taken place.") in messages_of(response)
    assert not EthicsAttendance.objects.exists()


def test_attendees_already_recorded_are_left_as_they_are(official_client, session):
    worker = factories.WorkerFactory()
    EthicsAttendance.objects.create(session=session, worker=worker)
    response = official_client.post(
        url("ethics_attendance_add", session.pk), {"identifiers": f"{worker.phone}\n{worker.id_number}"}
    )
    assert response.status_code == 302
    assert ("success", "0 attendees recorded.") in messages_of(response)
    assert EthicsAttendance.objects.filter(session=session).count() == 1


def test_an_attendee_is_removed(official_client, session):
    worker, other = factories.WorkerFactory.create_batch(2)
    EthicsAttendance.objects.create(session=session, worker=worker)
    EthicsAttendance.objects.create(session=session, worker=other)
    response = official_client.post(url("ethics_attendance_remove", session.pk, worker.pk))
    assert response.status_code == 302
    assert response.url == url("ethics_detail", session.pk)
    assert list(session.attendees.all()) == [other]

    again = official_client.post(url("ethics_attendance_remove", session.pk, worker.pk))
    assert again.status_code == 302
    assert ("error", "This worker is not on the attendance list.") in messages_of(again)


def test_attendance_changes_need_post(official_client, session):
    worker = factories.WorkerFactory()
    EthicsAttendance.objects.create(session=session, worker=worker)
    assert official_client.get(url("ethics_attendance_add", session.pk)).status_code == 405
    assert official_client.get(url("ethics_attendance_remove", session.pk, worker.pk)).status_code == 405
    assert session.attendees.count() == 1


# --- The worker's view ----------------------------------------------------------------------------------


def test_a_worker_sees_the_sessions_they_attended_and_no_others(client, worker):
    attended = factories.EthicsSessionFactory(topic="我参加的专题", attendees=[worker])
    factories.EthicsSessionFactory(topic="别人的专题", attendees=[factories.WorkerFactory()])
    factories.EthicsSessionFactory(topic="没有人参加的专题")
    logged_in(client, worker)
    response = client.get(url("my_training"))
    assert response.status_code == 200
    assert list(response.context["ethics_sessions"]) == [attended]
    content = response.content.decode()
    assert "我参加的专题" in content
    assert "别人的专题" not in content
    assert "没有人参加的专题" not in content


# --- Query counts ---------------------------------------------------------------------------------------


def query_count(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("persona", ["official_a", "city_admin"])
def test_the_session_list_runs_a_fixed_number_of_queries(client, request, persona, official_a):
    logged_in(client, request.getfixturevalue(persona))

    def add(n):
        for _ in range(n):
            factories.EthicsSessionFactory(
                county=official_a.county,
                brands=factories.CultivatingBrandFactory.create_batch(2, county=official_a.county),
                attendees=factories.WorkerFactory.create_batch(2),
            )

    add(2)
    few = query_count(client, url("ethics_list"))
    add(8)
    assert query_count(client, url("ethics_list")) == few
