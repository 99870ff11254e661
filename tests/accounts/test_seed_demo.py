"""seed_demo: the nine demo accounts, each able to sign in; rerunning changes nothing."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from stdnum.cn import ric, uscc

from jobs.models import Employer
from laborbrand.accounts.management.commands.seed_demo import DEFAULT_PASSWORD
from laborbrand.accounts.models import Notification, User
from training.models import Institution

pytestmark = pytest.mark.django_db

PASSWORD = "Seed#demo2026"
DEMO_ROLES = {
    "city_admin": User.Role.CITY_ADMIN,
    "official_a": User.Role.COUNTY_OFFICIAL,
    "official_b": User.Role.COUNTY_OFFICIAL,
    "institution_a": User.Role.INSTITUTION_STAFF,
    "institution_b": User.Role.INSTITUTION_STAFF,
    "employer_a": User.Role.EMPLOYER,
    "employer_b": User.Role.EMPLOYER,
    "worker_a": User.Role.WORKER,
    "worker_b": User.Role.WORKER,
}


def seed(password=PASSWORD):
    out = StringIO()
    call_command("seed_demo", "--password", password, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        User.objects.count(),
        Institution.objects.count(),
        Employer.objects.count(),
        Notification.objects.count(),
        sorted(Institution.staff.through.objects.values_list("institution_id", "user_id")),
        sorted(Employer.staff.through.objects.values_list("employer_id", "user_id")),
    )


def test_seed_creates_the_nine_accounts_with_their_roles():
    seed()

    demo = User.objects.filter(username__in=DEMO_ROLES)
    assert dict(demo.values_list("username", "role")) == DEMO_ROLES


def test_seed_prints_every_account_with_the_password():
    output = seed()

    for username in DEMO_ROLES:
        assert f"{username} / {PASSWORD}" in output


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_demo_account_signs_in_and_lands_on_the_workbench(client, password_login, username):
    seed()

    assert password_login(username, PASSWORD)
    response = client.get(reverse(settings.LOGIN_REDIRECT_URL))

    assert response.status_code == 200
    assert response.context["user"].username == username


@pytest.mark.parametrize("username", ["city_admin", "worker_a"])
def test_demo_accounts_sign_in_through_the_login_page(client, username):
    seed()

    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_demo_worker_signs_in_with_mobile_number(client, password_login):
    seed()

    assert password_login("13800000001", PASSWORD)


def test_demo_organisations_are_linked_to_their_staff():
    seed()

    assert User.objects.get(username="institution_a").institutions.get().county.code == "341524"
    assert User.objects.get(username="institution_b").institutions.get().county.code == "341525"
    assert User.objects.get(username="employer_a").employers.count() == 1
    assert User.objects.get(username="employer_b").employers.count() == 1
    assert User.objects.get(username="official_a").county.code == "341524"
    assert User.objects.get(username="official_b").county.code == "341525"


def test_demo_identifiers_pass_the_portals_own_validation():
    seed()

    for worker in User.objects.filter(role=User.Role.WORKER):
        assert ric.is_valid(worker.id_number), worker.id_number
        assert worker.privacy_consent_at is not None
    codes = [
        *Institution.objects.values_list("credit_code", flat=True),
        *Employer.objects.values_list("credit_code", flat=True),
    ]
    assert len(codes) == 10  # eight institutions and two employers
    for code in codes:
        assert uscc.is_valid(code), code


def test_every_demo_account_gets_a_welcome_notification():
    seed()

    assert set(Notification.objects.values_list("recipient__username", flat=True)) >= {
        "city_admin",
        "official_a",
        "official_b",
        "worker_a",
        "worker_b",
    }


def test_rerunning_changes_nothing():
    seed()
    first = snapshot()

    seed()

    assert snapshot() == first


def test_rerunning_with_another_password_keeps_existing_passwords(password_login):
    seed()
    seed(password="Other#pass2026")

    assert password_login("city_admin", PASSWORD)


def test_default_password_works(password_login):
    call_command("seed_demo", stdout=StringIO())

    assert password_login("worker_b", DEFAULT_PASSWORD)
