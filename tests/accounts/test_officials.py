"""City admins manage county-official accounts: create, edit, deactivate, reactivate; all kept in history."""

import pytest
from django.urls import reverse

from laborbrand.accounts import pii, services
from laborbrand.accounts.models import Notification, User
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:official_list")
CREATE = reverse("accounts:official_create")
PASSWORD = "Init#pass2026"


def create_data(**overrides):
    data = {
        "username": "official_c",
        "real_name": "赵敏",
        "county": factories.make_county("341502").pk,
        "email": "official_c@example.com",
        "phone": "13655556666",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def update_data(official, **overrides):
    data = {
        "real_name": official.real_name,
        "county": official.county_id,
        "email": official.email,
        "phone": official.phone or "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


def test_service_creates_official_with_county_and_notifies_them():
    county = factories.make_county("341503")

    official = services.official_create(
        username="official_x", password=PASSWORD, real_name="钱进", county=county, phone="+86 136 5555 6666"
    )

    official.refresh_from_db()
    assert official.role == User.Role.COUNTY_OFFICIAL
    assert official.county == county
    assert official.phone == "13655556666"
    assert official.phone_hash == pii.pii_hash("13655556666")
    assert official.check_password(PASSWORD)
    assert official.privacy_consent_at is None
    assert Notification.objects.filter(recipient=official).count() == 1


def test_create_view_creates_official_and_returns_to_list(admin_client, city_admin):
    response = admin_client.post(CREATE, create_data())

    assert response.status_code == 302
    assert response.url == LIST
    official = User.objects.get(username="official_c")
    assert official.role == User.Role.COUNTY_OFFICIAL
    assert official.county.code == "341502"
    assert official.real_name == "赵敏"
    assert official.phone == "13655556666"
    assert official.is_active
    assert official.check_password(PASSWORD)
    assert official.history.get().history_user == city_admin
    assert official.history.get().history_type == "+"


def test_new_official_is_listed(admin_client):
    admin_client.post(CREATE, create_data())

    response = admin_client.get(LIST)

    assert "official_c" in [o.username for o in response.context["page_obj"]]


def test_create_view_does_not_log_the_admin_in_as_the_new_official(admin_client, city_admin):
    admin_client.post(CREATE, create_data())

    assert int(admin_client.session["_auth_user_id"]) == city_admin.pk


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"username": "official_a"}, "username", "unique"),
        ({"username": "OFFICIAL_A"}, "username", "unique"),
        ({"county": None}, "county", "required"),
        ({"county": "999999"}, "county", "invalid_choice"),
        ({"real_name": ""}, "real_name", "required"),
        ({"phone": "13511112222"}, "phone", "phone_taken"),
        ({"phone": "+86 135 1111 2222"}, "phone", "phone_taken"),
        ({"phone": "0564-1234567"}, "phone", "invalid_phone"),
        ({"password1": "weakpass", "password2": "weakpass"}, "password2", "password_too_simple"),
        ({"password1": "Ab1#", "password2": "Ab1#"}, "password2", "password_too_short"),
        ({"password2": "Other#pass2026"}, "password2", "password_mismatch"),
    ],
    ids=[
        "duplicate username",
        "duplicate username other case",
        "missing county",
        "unknown county",
        "missing real name",
        "duplicate phone",
        "duplicate phone typed with +86",
        "landline phone",
        "weak password",
        "short password",
        "password mismatch",
    ],
)
def test_create_with_bad_input_saves_nothing(admin_client, official_a, overrides, field, code):
    factories.WorkerFactory(phone="13511112222")
    users, notifications = User.objects.count(), Notification.objects.count()

    response = admin_client.post(CREATE, create_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code), response.context["form"].errors.as_data()
    assert User.objects.count() == users
    assert Notification.objects.count() == notifications


def test_create_without_phone_is_fine(admin_client):
    admin_client.post(CREATE, create_data(phone=""))

    official = User.objects.get(username="official_c")
    assert not official.phone
    assert official.phone_hash is None


def test_edit_page_shows_current_values(admin_client, official_a):
    response = admin_client.get(reverse("accounts:official_update", args=[official_a.pk]))

    form = response.context["form"]
    assert form.instance == official_a
    assert form.initial["county"] == official_a.county_id


def test_edit_changes_official_and_records_history(admin_client, city_admin, official_a):
    new_county = factories.make_county("341522")
    url = reverse("accounts:official_update", args=[official_a.pk])

    response = admin_client.post(
        url, update_data(official_a, real_name="李春华2", county=new_county.pk, phone="136 7777 8888")
    )

    assert response.status_code == 302
    assert response.url == LIST
    official_a.refresh_from_db()
    assert official_a.real_name == "李春华2"
    assert official_a.county == new_county
    assert official_a.phone == "13677778888"
    assert User.objects.by_phone("13677778888").get() == official_a
    latest = official_a.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == city_admin
    assert latest.county_id == new_county.pk


def test_edit_keeps_own_phone(admin_client, official_a):
    official_a.phone = "13677778888"
    official_a.save(update_fields=["phone"])

    response = admin_client.post(
        reverse("accounts:official_update", args=[official_a.pk]), update_data(official_a, real_name="新名字")
    )

    assert response.status_code == 302
    official_a.refresh_from_db()
    assert official_a.phone == "13677778888"


def test_edit_can_clear_the_phone(admin_client, official_a):
    official_a.phone = "13677778888"
    official_a.save(update_fields=["phone"])

    admin_client.post(
        reverse("accounts:official_update", args=[official_a.pk]), update_data(official_a, phone="")
    )

    official_a.refresh_from_db()
    assert not official_a.phone
    assert official_a.phone_hash is None


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"phone": "13511112222"}, "phone", "phone_taken"),
        ({"county": ""}, "county", "required"),
        ({"real_name": ""}, "real_name", "required"),
        ({"email": "not-an-email"}, "email", "invalid"),
    ],
    ids=["phone of another user", "no county", "no real name", "bad e-mail"],
)
def test_edit_with_bad_input_changes_nothing(admin_client, official_a, overrides, field, code):
    factories.WorkerFactory(phone="13511112222")
    history = official_a.history.count()
    url = reverse("accounts:official_update", args=[official_a.pk])

    response = admin_client.post(url, update_data(official_a, **{"real_name": "不该保存", **overrides}))

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    official_a.refresh_from_db()
    assert official_a.real_name != "不该保存"
    assert official_a.county.code == "341524"
    assert official_a.history.count() == history


def test_deactivate_and_reactivate_record_the_admin_in_history(admin_client, city_admin, official_a):
    response = admin_client.post(reverse("accounts:official_deactivate", args=[official_a.pk]))

    assert response.status_code == 302
    assert response.url == LIST
    official_a.refresh_from_db()
    assert not official_a.is_active
    deactivated = official_a.history.first()
    assert deactivated.is_active is False
    assert deactivated.history_user == city_admin

    admin_client.post(reverse("accounts:official_activate", args=[official_a.pk]))

    official_a.refresh_from_db()
    assert official_a.is_active
    reactivated = official_a.history.first()
    assert reactivated.is_active is True
    assert reactivated.history_user == city_admin
    assert official_a.history.filter(history_type="~").count() >= 2


@pytest.mark.parametrize(
    ("name", "active"), [("accounts:official_deactivate", True), ("accounts:official_activate", False)]
)
def test_status_changes_refuse_get(admin_client, official_a, name, active):
    services.staff_set_active(account=official_a, active=active)

    response = admin_client.get(reverse(name, args=[official_a.pk]))

    assert response.status_code == 405
    official_a.refresh_from_db()
    assert official_a.is_active == active


def test_deactivated_official_is_listed_and_flagged_on_the_workbench(admin_client, official_a):
    services.staff_set_active(account=official_a, active=False)

    listed = admin_client.get(LIST).context["page_obj"]
    panels = admin_client.get(reverse("accounts:workbench")).context["panels"]

    assert official_a in list(listed)
    [officials_panel] = [p for p in panels if p.template == "accounts/panels/_county_officials.html"]
    assert official_a.county in officials_panel.context["uncovered"]


def test_list_is_paginated_and_ordered_by_county(admin_client):
    for county_code in ["341525", "341502", "341524"]:
        factories.OfficialFactory(county=factories.make_county(county_code))
    factories.OfficialFactory.create_batch(20, county=factories.make_county("341503"))

    first = admin_client.get(LIST).context["page_obj"]
    second = admin_client.get(LIST, {"page": 2}).context["page_obj"]

    assert first.paginator.count == 23
    assert len(first) == 20
    assert len(second) == 3
    codes = [o.county.code for o in [*first, *second]]
    assert codes == sorted(codes)


def test_official_list_query_count_does_not_grow(admin_client, django_assert_max_num_queries):
    factories.OfficialFactory.create_batch(2)
    with django_assert_max_num_queries(10) as few:
        admin_client.get(LIST)
    for county_code in ["341502", "341503", "341504", "341522"]:
        factories.OfficialFactory.create_batch(5, county=factories.make_county(county_code))
    with django_assert_max_num_queries(10) as many:
        admin_client.get(LIST)

    assert len(many.captured_queries) == len(few.captured_queries)


def test_list_contains_only_officials(admin_client, personas):
    listed = list(admin_client.get(LIST).context["page_obj"])

    assert listed == [personas["county_official"]]


def test_deactivation_ends_the_officials_existing_session(client, official_a):
    client.post(reverse("login"), {"username": official_a.username, "password": factories.TEST_PASSWORD})
    assert client.get(reverse("accounts:workbench")).status_code == 200

    services.staff_set_active(account=official_a, active=False)
    response = client.get(reverse("accounts:workbench"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_reactivated_official_can_log_in_again(client, official_a):
    services.staff_set_active(account=official_a, active=False)
    services.staff_set_active(account=official_a, active=True)

    response = client.post(
        reverse("login"), {"username": official_a.username, "password": factories.TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:workbench")
