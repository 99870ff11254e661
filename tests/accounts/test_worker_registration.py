"""Worker self-registration: one account per person, identified by a valid ID number and mobile number."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laborbrand.accounts.models import Notification, User
from laborbrand.accounts.services import user_create
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("accounts:register_worker")
ID_NUMBER = factories.make_id_number(7, birth="19990315", region="341524")
PHONE = "13712345678"
PASSWORD = "Str0ng#pass"


def registration_data(**overrides):
    data = {
        "username": "zhang_wei",
        "real_name": "张伟",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": "zhang.wei@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_registration_page_renders(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert set(response.context["form"].fields) >= {"id_number", "phone", "privacy_consent"}


def test_registration_creates_worker_logs_in_and_redirects_to_workbench(client):
    response = client.post(URL, registration_data())

    assert response.status_code == 302
    assert response.url == reverse("accounts:workbench")
    user = User.objects.get(username="zhang_wei")
    assert user.role == User.Role.WORKER
    assert user.real_name == "张伟"
    assert user.id_number == ID_NUMBER
    assert user.phone == PHONE
    assert user.county is None
    assert user.check_password(PASSWORD)
    assert user.privacy_consent_at is not None
    assert user.privacy_consent_at <= timezone.now()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(response.url).status_code == 200


def test_registration_sends_a_welcome_notification(client):
    client.post(URL, registration_data())

    user = User.objects.get(username="zhang_wei")
    assert Notification.objects.filter(recipient=user).count() == 1


def test_registration_normalises_id_number_and_phone(client):
    number = factories.make_id_number_ending_in_x()

    client.post(URL, registration_data(id_number=number.lower(), phone="+86 137 1234 5678"))

    user = User.objects.get(username="zhang_wei")
    assert user.id_number == number
    assert user.phone == PHONE
    assert User.objects.by_id_number(number).get() == user


def test_registration_accepts_phone_with_country_code(client):
    client.post(URL, registration_data(phone="+8613712345678"))

    assert User.objects.get(username="zhang_wei").phone == PHONE


def today():
    return timezone.localdate()


def under_16_id_number():
    born = datetime.date(today().year - 15, 1, 1)  # at most 15 today, whatever the date
    return factories.make_id_number(1, birth=born.strftime("%Y%m%d"))


def with_wrong_check_digit(number):
    return number[:-1] + ("0" if number[-1] != "0" else "1")


BAD_INPUTS = {
    "invalid check digit": (
        {"id_number": with_wrong_check_digit(ID_NUMBER)},
        "id_number",
        "id_number_check",
    ),
    "too short ID number": ({"id_number": "34152419"}, "id_number", "id_number_length"),
    "too long ID number": ({"id_number": ID_NUMBER + "1"}, "id_number", "id_number_length"),
    "letter inside the ID number": (
        {"id_number": "3415A4" + ID_NUMBER[6:]},
        "id_number",
        "id_number_characters",
    ),
    "unknown region": (
        {"id_number": factories.make_id_number(1, birth="19900101", region="341599")},
        "id_number",
        "id_number_region",
    ),
    "impossible birth date": (
        {"id_number": factories.make_id_number(1, birth="19900230")},
        "id_number",
        "id_number_date",
    ),
    "birth date in the future": (
        {"id_number": factories.make_id_number(1, birth="20990101")},
        "id_number",
        "id_number_date",
    ),
    "under 16": ({"id_number": under_16_id_number()}, "id_number", "too_young"),
    "missing ID number": ({"id_number": None}, "id_number", "required"),
    "invalid phone": ({"phone": "12345678901"}, "phone", "invalid_phone"),
    "phone too short": ({"phone": "1371234567"}, "phone", "invalid_phone"),
    "phone with letters": ({"phone": "1371234567a"}, "phone", "invalid_phone"),
    "phone too long": ({"phone": "137123456789"}, "phone", "invalid_phone"),
    "landline number": ({"phone": "0564-3345678"}, "phone", "invalid_phone"),
    "short password": ({"password1": "Ab1#x", "password2": "Ab1#x"}, "password2", "password_too_short"),
    "two character classes": (
        {"password1": "zqxwvut7391", "password2": "zqxwvut7391"},
        "password2",
        "password_too_simple",
    ),
    "common password": (
        {"password1": "P@ssw0rd", "password2": "P@ssw0rd"},
        "password2",
        "password_too_common",
    ),
    "password like the user name": (
        {"username": "zhangwei2026", "password1": "Zhangwei2026!", "password2": "Zhangwei2026!"},
        "password2",
        "password_too_similar",
    ),
    "password mismatch": ({"password2": "Other#pass9"}, "password2", "password_mismatch"),
    "missing consent": ({"privacy_consent": None}, "privacy_consent", "required"),
    "over-long real name": ({"real_name": "张" * 51}, "real_name", "max_length"),
    "over-long user name": ({"username": "u" * 151}, "username", "max_length"),
    "user name with spaces": ({"username": "zhang wei"}, "username", "invalid"),
    "invalid e-mail": ({"email": "not-an-email"}, "email", "invalid"),
}


@pytest.mark.parametrize(("overrides", "field", "code"), BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_form_error_and_creates_nothing(client, overrides, field, code):
    users, notifications = User.objects.count(), Notification.objects.count()

    response = client.post(URL, registration_data(**overrides))

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code), response.context["form"].errors.as_data()
    assert User.objects.count() == users
    assert Notification.objects.count() == notifications
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(lambda number: number, id="same"),
        pytest.param(lambda number: number.lower(), id="lower-case x"),
        pytest.param(lambda number: number.upper(), id="upper-case X"),
    ],
)
def test_id_number_already_registered_is_refused(client, typed):
    number = factories.make_id_number_ending_in_x()
    factories.WorkerFactory(id_number=number)
    users = User.objects.count()

    response = client.post(URL, registration_data(id_number=typed(number)))

    assert response.context["form"].has_error("id_number", "id_number_taken")
    assert User.objects.count() == users


def test_id_number_stored_in_lower_case_x_elsewhere_is_still_a_duplicate(client):
    """Accounts created outside the form (admin, demo) go through the same normalisation."""
    number = factories.make_id_number_ending_in_x()
    user_create(username="earlier", password=None, role=User.Role.WORKER, id_number=number.lower())

    response = client.post(URL, registration_data(id_number=number))

    assert response.context["form"].has_error("id_number", "id_number_taken")


@pytest.mark.parametrize(
    "typed", [PHONE, "+86" + PHONE, "+86 137 1234 5678", "137 1234 5678", "137-1234-5678"]
)
def test_phone_already_registered_is_refused(client, typed):
    factories.WorkerFactory(phone=PHONE)
    users = User.objects.count()

    response = client.post(URL, registration_data(phone=typed))

    assert response.context["form"].has_error("phone", "phone_taken")
    assert User.objects.count() == users


def test_username_already_taken_in_other_case_is_refused(client, worker):
    users = User.objects.count()

    response = client.post(URL, registration_data(username=worker.username.upper()))

    assert response.context["form"].has_error("username", "unique")
    assert User.objects.count() == users


@pytest.mark.parametrize("method", ["get", "post"])
def test_registration_while_logged_in_redirects_to_workbench(client, worker, method):
    client.force_login(worker)
    users = User.objects.count()

    response = getattr(client, method)(URL, registration_data(username="another", id_number=ID_NUMBER))

    assert response.status_code == 302
    assert response.url == reverse("accounts:workbench")
    assert User.objects.count() == users


def test_registration_choice_page_links_to_all_three_registrations(client):
    response = client.get(reverse("accounts:register"))

    content = response.content.decode()
    assert response.status_code == 200
    for name in ("accounts:register_worker", "training:institution_register", "jobs:employer_register"):
        assert f'href="{reverse(name)}"' in content
