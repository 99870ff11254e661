"""An employer registers its company together with its first staff account; the city verifies it later."""

import pytest
from django.urls import reverse

from jobs.models import Employer
from laborbrand.accounts.models import Notification, User
from laborbrand.reference.models import Province
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("jobs:employer_register")
PASSWORD = "Str0ng#pass"
CREDIT_CODE = factories.make_credit_code(424_242)


def registration_data(**overrides):
    data = {
        "org-name": "苏州精密机械有限公司",
        "org-credit_code": CREDIT_CODE,
        "org-province": Province.objects.get(code="320000").pk,
        "org-city_name": "苏州市",
        "org-industry": "通用设备制造",
        "org-contact_name": "钱敏",
        "org-contact_phone": "0512-65432100",
        "account-username": "suzhou_precision",
        "account-email": "hr@szprecision.example.cn",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def counts():
    return User.objects.count(), Employer.objects.count(), Notification.objects.count()


def test_registration_page_renders_both_forms(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert "credit_code" in response.context["org_form"].fields
    assert "password1" in response.context["account_form"].fields


def test_registration_creates_staff_user_and_employer_and_logs_in(client):
    response = client.post(URL, registration_data())

    assert response.status_code == 302
    assert response.url == reverse("accounts:workbench")
    user = User.objects.get(username="suzhou_precision")
    employer = Employer.objects.get(credit_code=CREDIT_CODE)
    assert user.role == User.Role.EMPLOYER
    assert user.county is None
    assert user.real_name == "钱敏"
    assert user.email == "hr@szprecision.example.cn"
    assert user.check_password(PASSWORD)
    assert list(employer.staff.all()) == [user]
    assert employer.province.code == "320000"
    assert not employer.is_verified
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Notification.objects.filter(recipient=user).count() == 1


def test_registered_employer_awaits_verification_on_its_workbench(client):
    client.post(URL, registration_data())

    response = client.get(reverse("accounts:workbench"), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert response.status_code == 200
    assert "苏州精密机械有限公司" in content
    assert "Awaiting verification by the city" in content


def test_new_employer_is_listed_for_the_city_admin(client, city_admin):
    client.post(URL, registration_data())
    client.logout()
    client.force_login(city_admin)

    response = client.get(reverse("accounts:workbench"))

    assert "苏州精密机械有限公司" in response.content.decode()


def test_credit_code_is_normalised_to_upper_case(client):
    client.post(URL, registration_data(**{"org-credit_code": f" {CREDIT_CODE.lower()} "}))

    assert Employer.objects.get().credit_code == CREDIT_CODE


def test_history_records_the_new_employer(client):
    client.post(URL, registration_data())

    assert Employer.objects.get().history.get().history_type == "+"


def with_wrong_check_character(code):
    return code[:-1] + ("0" if code[-1] != "0" else "1")


BAD_INPUTS = {
    "wrong check character": (
        {"org-credit_code": with_wrong_check_character(CREDIT_CODE)},
        "org",
        "credit_code",
    ),
    "credit code too short": ({"org-credit_code": CREDIT_CODE[:-2]}, "org", "credit_code"),
    "credit code with letters I/O": ({"org-credit_code": "91341500MAIO00001X"}, "org", "credit_code"),
    "missing credit code": ({"org-credit_code": ""}, "org", "credit_code"),
    "missing name": ({"org-name": ""}, "org", "name"),
    "missing province": ({"org-province": ""}, "org", "province"),
    "unknown province": ({"org-province": "999999"}, "org", "province"),
    "missing city": ({"org-city_name": ""}, "org", "city_name"),
    "missing industry": ({"org-industry": None}, "org", "industry"),
    "missing contact": ({"org-contact_name": ""}, "org", "contact_name"),
    "missing contact phone": ({"org-contact_phone": ""}, "org", "contact_phone"),
    "missing username": ({"account-username": ""}, "account", "username"),
    "weak password": (
        {"account-password1": "password", "account-password2": "password"},
        "account",
        "password2",
    ),
    "two-class password": (
        {"account-password1": "abcdef123456", "account-password2": "abcdef123456"},
        "account",
        "password2",
    ),
    "password mismatch": ({"account-password2": "Other#pass9"}, "account", "password2"),
}


@pytest.mark.parametrize(("overrides", "form", "field"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_saves_nothing(client, overrides, form, field):
    before = counts()

    response = client.post(URL, registration_data(**overrides))

    assert response.status_code == 200
    assert field in response.context[f"{form}_form"].errors
    assert counts() == before
    assert "_auth_user_id" not in client.session


def test_duplicate_credit_code_saves_nothing(client):
    factories.EmployerFactory(credit_code=CREDIT_CODE)
    before = counts()

    response = client.post(URL, registration_data(**{"org-credit_code": CREDIT_CODE.lower()}))

    assert response.context["org_form"].has_error("credit_code", "unique")
    assert counts() == before


def test_duplicate_username_saves_no_employer(client, worker):
    before = counts()

    response = client.post(URL, registration_data(**{"account-username": worker.username}))

    assert response.context["account_form"].has_error("username", "unique")
    assert counts() == before


def test_both_forms_report_their_errors_at_once(client):
    response = client.post(URL, registration_data(**{"org-name": "", "account-password2": "Other#pass9"}))

    assert "name" in response.context["org_form"].errors
    assert "password2" in response.context["account_form"].errors


def test_registration_while_logged_in_redirects(client, worker):
    client.force_login(worker)
    before = counts()

    response = client.post(URL, registration_data())

    assert response.status_code == 302
    assert response.url == reverse("accounts:workbench")
    assert counts() == before
