"""Worker self-registration: one account per person, identified by a valid ID number and mobile number, the
number verified with an SMS code before the account exists (step 1 the form, step 2 the code)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laborbrand import sms
from laborbrand.accounts import sealed
from laborbrand.accounts.models import Notification, PhoneCode, User
from laborbrand.accounts.services import user_create
from laborbrand.accounts.views import WRONG_CODE
from tests import factories
from tests.accounts.sms_codes import last_code, other_than

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("send_now")]

URL = reverse("accounts:register_worker")
CODE_URL = reverse("accounts:register_worker_confirm")
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


def register(client, data=None, url=URL):
    """Both steps: the form, then the code from the text message."""
    response = client.post(url, data if data is not None else registration_data())
    assert response.status_code == 302 and response.url == CODE_URL, getattr(response, "context", None) and (
        response.context["form"].errors
    )
    return client.post(CODE_URL, {"code": last_code()})


def test_registration_page_renders(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert set(response.context["form"].fields) >= {"id_number", "phone", "privacy_consent"}


def test_registration_creates_worker_logs_in_and_redirects_to_workbench(client):
    response = register(client)

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
    assert user.phone_verified
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(response.url).status_code == 200


def test_registration_sends_a_welcome_notification(client):
    register(client)

    user = User.objects.get(username="zhang_wei")
    assert Notification.objects.filter(recipient=user).count() == 1


def test_registration_normalises_id_number_and_phone(client):
    number = factories.make_id_number_ending_in_x()

    register(client, registration_data(id_number=number.lower(), phone="+86 137 1234 5678"))

    user = User.objects.get(username="zhang_wei")
    assert user.id_number == number
    assert user.phone == PHONE
    assert User.objects.by_id_number(number).get() == user


def test_registration_accepts_phone_with_country_code(client):
    register(client, registration_data(phone="+8613712345678"))

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
    "hostile user name": ({"username": "<script>x</script>"}, "username", "invalid"),
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
    assert sms.outbox == [] and "codes:register" not in client.session
    assert "<script>x" not in response.content.decode()


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


# --- the code step -----------------------------------------------------------------------------------------


def test_nothing_exists_until_the_code_comes_back_and_the_password_is_never_kept_in_clear(client):
    response = client.post(URL, registration_data())

    assert response.url == CODE_URL
    assert not User.objects.exists()
    assert sms.outbox[-1].phone == PHONE
    pending = sealed.unseal(client.session["codes:register"])
    assert PASSWORD not in str(pending)
    assert pending["password"].startswith("md5$")  # the test hasher; a real one in production


def test_a_blank_user_name_gets_a_generated_one_shown_afterwards(client):
    response = register(client, registration_data(username=""))

    user = User.objects.get(role=User.Role.WORKER)
    assert user.username.startswith("w") and user.username[1:].isdigit() and len(user.username) == 9
    page = client.get(response.url).content.decode()
    assert user.username in page


BAD_CODES = {"blank": "", "letters": "12a456", "seven digits": "1234567", "five digits": "12345"}


@pytest.mark.parametrize("typed", BAD_CODES.values(), ids=BAD_CODES.keys())
def test_a_malformed_code_is_a_form_error(client, typed):
    client.post(URL, registration_data())

    response = client.post(CODE_URL, {"code": typed})

    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert not User.objects.exists()


def test_a_wrong_code_creates_nothing_and_the_fifth_spends_the_code(client):
    client.post(URL, registration_data())
    code = last_code()
    for _ in range(5):
        response = client.post(CODE_URL, {"code": other_than(code)})
        assert response.context["form"].errors["code"] == [WRONG_CODE]
    assert client.post(CODE_URL, {"code": code}).status_code == 200
    assert not User.objects.exists()


def test_a_code_for_another_purpose_does_not_register(client):
    client.post(URL, registration_data())
    PhoneCode.objects.update(purpose=PhoneCode.Purpose.SIGN_IN)

    assert client.post(CODE_URL, {"code": last_code()}).status_code == 200
    assert not User.objects.exists()


def test_a_number_registered_meanwhile_sends_back_to_the_form(client):
    client.post(URL, registration_data())
    factories.WorkerFactory(phone=PHONE)

    response = client.post(CODE_URL, {"code": last_code()})

    assert response.url == URL
    assert User.objects.count() == 1 and "_auth_user_id" not in client.session


def test_the_code_step_without_the_form_goes_back_to_it(client):
    assert client.get(CODE_URL).url == URL


def test_the_password_rules_are_shown_under_the_password_before_typing(client):
    from django.contrib.auth.password_validation import password_validators_help_texts

    content = client.get(URL).content.decode()
    assert 'aria-describedby="id_password1_helptext"' in content
    assert 'id="id_password1_helptext"' in content
    for text in password_validators_help_texts():
        assert str(text) in content.replace("&#x27;", "'")


def test_the_session_holds_the_pending_id_and_phone_numbers_only_encrypted(client):
    client.post(URL, registration_data())

    stored = str(dict(client.session.items()))
    assert PHONE not in stored
    assert registration_data()["id_number"] not in stored
    assert sealed.unseal(client.session["codes:register"])["phone"] == PHONE
