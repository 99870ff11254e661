"""City admins manage the leading group's read-only accounts: create, edit, deactivate, reactivate; all kept
in history. Nobody else reaches these pages."""

import pytest
from django.urls import reverse

from laborbrand.accounts import services
from laborbrand.accounts.models import Notification, User
from tests import factories

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:leading_group_list")
CREATE = reverse("accounts:leading_group_create")
PASSWORD = "Init#pass2026"


def create_data(**overrides):
    data = {
        "username": "caizheng_li",
        "real_name": "李财",
        "department": "市财政局",
        "email": "li@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


def member_urls(member) -> list[tuple[str, str]]:
    return [
        ("get", LIST),
        ("get", CREATE),
        ("post", CREATE),
        ("get", reverse("accounts:leading_group_update", args=[member.pk])),
        ("post", reverse("accounts:leading_group_update", args=[member.pk])),
        ("post", reverse("accounts:leading_group_deactivate", args=[member.pk])),
        ("post", reverse("accounts:leading_group_activate", args=[member.pk])),
    ]


@pytest.mark.parametrize(
    "persona", ["leading_member", "official_a", "institution_staff", "employer", "worker"]
)
def test_only_city_admins_reach_the_pages(client, request, leading_member, persona):
    client.force_login(request.getfixturevalue(persona))
    users, history = User.objects.count(), User.history.count()

    for method, url in member_urls(leading_member):
        data = create_data(real_name="不该保存") if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 403, (method, url)

    assert User.objects.count() == users
    assert User.history.count() == history


def test_anonymous_visitor_is_sent_to_login(client, leading_member):
    for _method, url in member_urls(leading_member):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response.url


def test_create_makes_a_leading_group_account_and_notifies_them(admin_client, city_admin):
    response = admin_client.post(CREATE, create_data())

    assert response.status_code == 302
    assert response.url == LIST
    member = User.objects.get(username="caizheng_li")
    assert member.role == User.Role.LEADING_GROUP
    assert (member.real_name, member.department, member.email) == ("李财", "市财政局", "li@example.com")
    assert member.county is None
    assert member.is_active
    assert member.check_password(PASSWORD)
    assert member.history.get().history_user == city_admin
    assert Notification.objects.filter(recipient=member).count() == 1
    assert int(admin_client.session["_auth_user_id"]) == city_admin.pk


def test_list_shows_leading_group_members_only(admin_client, leading_member, official_a):
    response = admin_client.get(LIST)

    listed = list(response.context["page_obj"])
    assert listed == [leading_member]
    assert leading_member.department in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"username": "leading_a"}, "username", "unique"),
        ({"username": "LEADING_A"}, "username", "unique"),
        ({"real_name": ""}, "real_name", "required"),
        ({"department": ""}, "department", "required"),
        ({"department": "部" * 61}, "department", "max_length"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"password1": "weakpass", "password2": "weakpass"}, "password2", "password_too_simple"),
        ({"password2": "Other#pass2026"}, "password2", "password_mismatch"),
    ],
    ids=[
        "duplicate username",
        "duplicate username other case",
        "missing real name",
        "missing department",
        "department too long",
        "bad e-mail",
        "weak password",
        "password mismatch",
    ],
)
def test_create_with_bad_input_saves_nothing(admin_client, leading_member, overrides, field, code):
    users, notifications = User.objects.count(), Notification.objects.count()

    response = admin_client.post(CREATE, create_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code), response.context["form"].errors.as_data()
    assert User.objects.count() == users
    assert Notification.objects.count() == notifications


def test_edit_changes_the_member_and_records_history(admin_client, city_admin, leading_member):
    url = reverse("accounts:leading_group_update", args=[leading_member.pk])
    assert admin_client.get(url).context["form"].instance == leading_member

    response = admin_client.post(
        url, {"real_name": "王教育", "department": "市教育局", "email": "w@example.com"}
    )

    assert response.status_code == 302
    leading_member.refresh_from_db()
    assert (leading_member.real_name, leading_member.department) == ("王教育", "市教育局")
    assert leading_member.role == User.Role.LEADING_GROUP
    latest = leading_member.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == city_admin


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [({"department": ""}, "department", "required"), ({"real_name": ""}, "real_name", "required")],
)
def test_edit_with_bad_input_changes_nothing(admin_client, leading_member, overrides, field, code):
    history = leading_member.history.count()
    data = {"real_name": "不该保存", "department": "市教育局", "email": "", **overrides}

    response = admin_client.post(reverse("accounts:leading_group_update", args=[leading_member.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    leading_member.refresh_from_db()
    assert leading_member.real_name != "不该保存"
    assert leading_member.history.count() == history


@pytest.mark.parametrize(
    "name",
    [
        "accounts:leading_group_update",
        "accounts:leading_group_deactivate",
        "accounts:leading_group_activate",
    ],
)
@pytest.mark.parametrize("other", ["official_a", "worker", "city_admin"])
def test_other_roles_accounts_are_not_reachable_through_these_pages(admin_client, request, name, other):
    account = request.getfixturevalue(other)

    response = admin_client.post(reverse(name, args=[account.pk]), {"real_name": "x", "department": "y"})

    assert response.status_code == 404
    account.refresh_from_db()
    assert account.is_active
    assert account.real_name != "x"


def test_deactivate_and_reactivate_record_the_admin(admin_client, city_admin, leading_member, client):
    response = admin_client.post(reverse("accounts:leading_group_deactivate", args=[leading_member.pk]))

    assert response.status_code == 302
    assert response.url == LIST
    leading_member.refresh_from_db()
    assert not leading_member.is_active
    assert leading_member.history.first().history_user == city_admin

    admin_client.post(reverse("accounts:leading_group_activate", args=[leading_member.pk]))

    leading_member.refresh_from_db()
    assert leading_member.is_active
    assert leading_member.history.first().history_user == city_admin


def test_a_deactivated_member_cannot_sign_in(password_login):
    member = factories.LeadingGroupMemberFactory(username="former_member")
    services.staff_set_active(account=member, active=False)

    assert not password_login("former_member")


@pytest.mark.parametrize(
    ("name", "active"),
    [("accounts:leading_group_deactivate", True), ("accounts:leading_group_activate", False)],
)
def test_status_changes_refuse_get(admin_client, leading_member, name, active):
    services.staff_set_active(account=leading_member, active=active)

    response = admin_client.get(reverse(name, args=[leading_member.pk]))

    assert response.status_code == 405
    leading_member.refresh_from_db()
    assert leading_member.is_active == active


def test_city_admin_workbench_links_to_the_accounts(admin_client, leading_member):
    response = admin_client.get(reverse("accounts:workbench"))

    assert reverse("accounts:leading_group_list") in response.content.decode()


def test_other_workbenches_have_no_link(client, official_a):
    client.force_login(official_a)

    response = client.get(reverse("accounts:workbench"))

    assert reverse("accounts:leading_group_list") not in response.content.decode()
