"""Who may open each account page: anonymous users sign in first, other roles get 403, a missing or
non-official account answers 404."""

import pytest
from django.urls import reverse

from laborbrand.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

Role = User.Role
ALL_ROLES = list(Role.values)
NOT_CITY_ADMIN = [role for role in ALL_ROLES if role != Role.CITY_ADMIN]

# (url name, needs an official's pk, HTTP method)
EVERY_ROLE_PAGES = [("accounts:workbench", False, "get"), ("accounts:notification_list", False, "get")]
CITY_ADMIN_PAGES = [
    ("accounts:official_list", False, "get"),
    ("accounts:official_create", False, "get"),
    ("accounts:official_update", True, "get"),
]
CITY_ADMIN_ACTIONS = [
    ("accounts:official_deactivate", True, "post"),
    ("accounts:official_activate", True, "post"),
]
ALL_PAGES = EVERY_ROLE_PAGES + CITY_ADMIN_PAGES + CITY_ADMIN_ACTIONS


def url_for(name, needs_pk, official):
    return reverse(name, args=[official.pk]) if needs_pk else reverse(name)


def request(client, method, url):
    return getattr(client, method)(url)


@pytest.mark.parametrize(("name", "needs_pk", "method"), ALL_PAGES)
def test_anonymous_user_is_sent_to_login(client, official_a, name, needs_pk, method):
    url = url_for(name, needs_pk, official_a)

    response = request(client, method, url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(("name", "needs_pk", "method"), EVERY_ROLE_PAGES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_opens_its_workbench_and_notifications(client, personas, role, name, needs_pk, method):
    client.force_login(personas[role])

    response = request(client, method, reverse(name))

    assert response.status_code == 200


@pytest.mark.parametrize(("name", "needs_pk", "method"), CITY_ADMIN_PAGES + CITY_ADMIN_ACTIONS)
@pytest.mark.parametrize("role", NOT_CITY_ADMIN)
def test_official_management_is_forbidden_to_other_roles(
    client, personas, official_b, role, name, needs_pk, method
):
    client.force_login(personas[role])

    response = request(client, method, url_for(name, needs_pk, official_b))

    assert response.status_code == 403
    official_b.refresh_from_db()
    assert official_b.is_active


@pytest.mark.parametrize(("name", "needs_pk", "method"), CITY_ADMIN_PAGES)
def test_city_admin_opens_official_pages(client, city_admin, official_a, name, needs_pk, method):
    client.force_login(city_admin)

    response = request(client, method, url_for(name, needs_pk, official_a))

    assert response.status_code == 200


@pytest.mark.parametrize(("name", "needs_pk", "method"), CITY_ADMIN_ACTIONS)
def test_city_admin_runs_official_actions(client, city_admin, official_a, name, needs_pk, method):
    client.force_login(city_admin)

    response = request(client, method, url_for(name, needs_pk, official_a))

    assert response.status_code == 302
    assert response.url == reverse("accounts:official_list")


@pytest.mark.parametrize(
    "name", ["accounts:official_update", "accounts:official_deactivate", "accounts:official_activate"]
)
def test_missing_official_is_404_for_city_admin(client, city_admin, name):
    client.force_login(city_admin)
    missing_pk = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000

    response = client.post(reverse(name, args=[missing_pk]))

    assert response.status_code == 404


def test_missing_official_edit_page_is_404_for_city_admin(client, city_admin):
    client.force_login(city_admin)
    missing_pk = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000

    assert client.get(reverse("accounts:official_update", args=[missing_pk])).status_code == 404


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != Role.COUNTY_OFFICIAL])
def test_official_edit_page_of_any_non_official_is_404(client, city_admin, personas, role):
    client.force_login(city_admin)

    response = client.get(reverse("accounts:official_update", args=[personas[role].pk]))

    assert response.status_code == 404


def test_official_edit_page_of_a_worker_is_404(client, city_admin, worker):
    client.force_login(city_admin)

    assert client.get(reverse("accounts:official_update", args=[worker.pk])).status_code == 404
    response = client.post(
        reverse("accounts:official_update", args=[worker.pk]),
        {"real_name": "改名", "county": factories.make_county().pk, "email": "", "phone": ""},
    )

    assert response.status_code == 404
    worker.refresh_from_db()
    assert worker.role == Role.WORKER
    assert worker.county is None


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != Role.COUNTY_OFFICIAL])
def test_official_actions_cannot_reach_non_officials(client, city_admin, personas, role):
    target = personas[role]
    client.force_login(city_admin)

    response = client.post(reverse("accounts:official_deactivate", args=[target.pk]))

    assert response.status_code == 404
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("name", ["accounts:official_deactivate", "accounts:official_activate"])
def test_official_actions_refuse_get(client, city_admin, official_a, name):
    client.force_login(city_admin)

    response = client.get(reverse(name, args=[official_a.pk]))

    assert response.status_code == 405
    official_a.refresh_from_db()
    assert official_a.is_active


@pytest.mark.parametrize("name", ["accounts:notifications_mark_all_read", "accounts:official_deactivate"])
def test_post_only_urls_still_send_anonymous_get_to_login(client, official_a, name):
    url = reverse(name, args=[official_a.pk]) if "official" in name else reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
