"""Signing in, and resetting a forgotten password, with a code by SMS: workers with a verified number only;
a number nobody may use gets the same answer after the same work; the image challenge; the lockout."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laborbrand import sms
from laborbrand.accounts import codes, pii, sealed
from laborbrand.accounts.models import PhoneCode
from laborbrand.accounts.views import WRONG_CODE
from tests import factories
from tests.accounts.sms_codes import PASSED, last_code, other_than, real_captcha_answer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

START = reverse("accounts:code_sign_in")
CONFIRM = reverse("accounts:code_sign_in_confirm")
RESET = reverse("accounts:password_reset_code")
RESET_CONFIRM = reverse("accounts:password_reset_code_confirm")
WORKBENCH = reverse("accounts:workbench")
LOGIN = reverse("login")
PHONE = "13712345678"
# The same first three and last four digits, so both pages show the same masked number.
UNREGISTERED = "13787655678"
NEW_PASSWORD = "Hx7#mountain-Tea"
WRONG = WRONG_CODE


@pytest.fixture
def verified_worker(db):
    return factories.WorkerFactory(phone=PHONE)


def signed_in(client):
    return client.session.get("_auth_user_id")


def send_code(client, phone=PHONE, url=START, **extra):
    return client.post(url, {"phone": phone, **extra})


# --- sign in ------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("send_now")
def test_a_worker_signs_in_with_a_code_and_returns_to_a_safe_page(client, verified_worker):
    job = reverse("jobs:posting_detail", args=[factories.JobPostingFactory().pk])
    response = client.post(f"{START}?next={job}", {"phone": "+86 137 1234 5678", "next": job})
    assert response.status_code == 302 and response.url == CONFIRM
    assert sms.outbox[-1].phone == PHONE
    response = client.post(CONFIRM, {"code": last_code()})
    assert response.status_code == 302 and response.url == job
    assert int(signed_in(client)) == verified_worker.pk
    assert "codes:sign_in" not in client.session


@pytest.mark.usefixtures("send_now")
@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_an_unsafe_next_leads_to_the_workbench(client, verified_worker, unsafe):
    client.post(START, {"phone": PHONE, "next": unsafe})
    assert client.post(CONFIRM, {"code": last_code()}).url == WORKBENCH


def test_the_login_page_links_to_code_sign_in_and_both_resets(client):
    content = client.get(LOGIN).content.decode()
    for url in (START, RESET, reverse("password_reset")):
        assert f'href="{url}' in content
    assert f'href="{RESET}"' in client.get(reverse("password_reset")).content.decode()


@pytest.mark.parametrize(
    "account",
    [
        pytest.param(lambda: None, id="unregistered"),
        pytest.param(lambda: factories.WorkerFactory(phone=PHONE, phone_verified_at=None), id="unverified"),
        pytest.param(lambda: factories.OfficialFactory(phone=PHONE), id="official"),
        pytest.param(lambda: factories.EmployerStaffFactory(phone=PHONE), id="employer"),
        pytest.param(lambda: factories.WorkerFactory(phone=PHONE, is_active=False), id="deactivated"),
    ],
)
@pytest.mark.usefixtures("send_now")
def test_a_number_that_may_not_sign_in_gets_the_same_answer_and_no_text(client, account):
    user = account()
    if user is not None and user.role != "worker":
        user.phone_verified_at = timezone.now()
        user.save(update_fields=["phone_verified_at"])
    response = send_code(client)
    assert response.status_code == 302 and response.url == CONFIRM
    assert sms.outbox == []
    assert PhoneCode.objects.count() == 1  # counted like any other
    response = client.post(CONFIRM, {"code": "123456"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [WRONG]
    assert not signed_in(client)


@pytest.mark.parametrize("url", [START, RESET])
def test_registered_and_unregistered_numbers_look_and_cost_the_same(client, verified_worker, url):
    results = []
    for phone in (PHONE, UNREGISTERED):
        client.cookies.clear()
        client.get(url)
        with CaptureQueriesContext(connection) as sent:
            first = send_code(client, phone=phone, url=url)
        page = client.get(first.url)
        with CaptureQueriesContext(connection) as guessed:
            data = {"code": "000000"}
            if url == RESET:
                data |= {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
            wrong = client.post(first.url, data)
        results.append(
            (
                first.status_code,
                first.url,
                len(sent.captured_queries),
                page.status_code,
                _strip_keys(page.content.decode()),
                wrong.status_code,
                len(guessed.captured_queries),
                _strip_keys(wrong.content.decode()),
            )
        )
    assert results[0] == results[1]


def _strip_keys(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.usefixtures("send_now")
def test_a_code_for_one_phone_never_signs_in_another(client, verified_worker):
    other = factories.WorkerFactory(phone="13900001111")
    send_code(client, phone=other.phone)
    code_for_other = last_code()
    client.cookies.clear()
    send_code(client, phone=PHONE)
    # The number is kept in the session: a phone in the second form is ignored.
    response = client.post(CONFIRM, {"code": code_for_other, "phone": other.phone})
    if code_for_other != last_code():
        assert response.status_code == 200 and not signed_in(client)


@pytest.mark.usefixtures("send_now")
def test_a_reset_code_cannot_sign_in(client, verified_worker):
    send_code(client, url=RESET)
    code = last_code()
    client.session.save()
    session = client.session
    session["codes:sign_in"] = sealed.seal({"phone": PHONE, "next": ""})
    session.save()
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 200 and not signed_in(client)


@pytest.mark.usefixtures("send_now")
def test_a_used_code_cannot_sign_in_again(client, verified_worker):
    send_code(client)
    code = last_code()
    client.post(CONFIRM, {"code": code})
    client.logout()
    session = client.session
    session["codes:sign_in"] = sealed.seal({"phone": PHONE, "next": ""})
    session.save()
    assert client.post(CONFIRM, {"code": code}).status_code == 200
    assert not signed_in(client)


@pytest.mark.usefixtures("send_now")
def test_the_fifth_wrong_code_spends_the_right_one(client, verified_worker):
    send_code(client)
    code = last_code()
    for _ in range(codes.MAX_TRIES):
        client.post(CONFIRM, {"code": other_than(code)})
    assert client.post(CONFIRM, {"code": code}).context["form"].errors["code"] == [WRONG]


@pytest.mark.usefixtures("send_now")
def test_an_expired_code_fails(client, clock, verified_worker):
    send_code(client)
    clock.advance(codes.CODE_MINUTES * 60)
    assert client.post(CONFIRM, {"code": last_code()}).context["form"].errors["code"] == [WRONG]


BAD_PHONES = {
    "blank": ("", "required"),
    "letters": ("1371234567a", "invalid_phone"),
    "too short": ("1371234567", "invalid_phone"),
    "too long": ("137123456789", "invalid_phone"),
    "landline": ("0564-3345678", "invalid_phone"),
    "hostile": ("<script>alert(1)</script>", "invalid_phone"),
}


@pytest.mark.parametrize("url", [START, RESET])
@pytest.mark.parametrize(("phone", "code"), BAD_PHONES.values(), ids=BAD_PHONES.keys())
def test_bad_numbers_are_form_errors(client, url, phone, code):
    response = send_code(client, phone=phone, url=url)
    assert response.status_code == 200
    assert response.context["form"].has_error("phone", code)
    assert PhoneCode.objects.count() == 0
    assert "<script>alert" not in response.content.decode()


BAD_CODES = {"blank": "", "letters": "12a456", "seven digits": "1234567", "five digits": "12345"}


@pytest.mark.usefixtures("send_now")
@pytest.mark.parametrize("typed", BAD_CODES.values(), ids=BAD_CODES.keys())
def test_bad_codes_are_form_errors_and_cost_no_try(client, verified_worker, typed):
    send_code(client)
    response = client.post(CONFIRM, {"code": typed})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert PhoneCode.objects.get().tries == 0


@pytest.mark.parametrize("url", [CONFIRM, RESET_CONFIRM])
def test_the_code_step_without_a_first_step_goes_back_to_it(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url in (START, RESET)


@pytest.mark.usefixtures("send_now")
def test_a_wait_is_said_and_nothing_is_sent(client, verified_worker):
    send_code(client)
    response = send_code(client)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert len(sms.outbox) == 1


@pytest.mark.usefixtures("send_now")
def test_send_a_new_code_goes_to_the_number_in_the_session(client, clock, verified_worker):
    send_code(client)
    clock.advance(codes.RESEND_SECONDS)
    response = client.post(reverse("accounts:code_resend", args=["sign-in"]), {"phone": "13900002222"})
    assert response.url == CONFIRM
    assert [m.phone for m in sms.outbox] == [PHONE, PHONE]
    assert client.post(CONFIRM, {"code": last_code()}).url == WORKBENCH


def test_resend_for_an_unknown_flow_is_404(client):
    assert client.post(reverse("accounts:code_resend", args=["nothing"])).status_code == 404


# --- the image challenge ----------------------------------------------------------------------------------


def _use_up(phone, count):
    """`count` codes for `phone` earlier today (none sent)."""
    now = timezone.now()
    for _ in range(count):
        PhoneCode.objects.create(
            phone_hash=pii.pii_hash(phone), purpose="sign_in", code_hash="x", created=now, expires=now
        )


@pytest.mark.usefixtures("send_now")
def test_near_the_phone_cap_the_picture_comes_first_and_a_real_answer_passes(client, verified_worker, clock):
    _use_up(PHONE, codes.HUMAN_CHECK_AFTER_PHONE)
    clock.advance(codes.RESEND_SECONDS)
    response = send_code(client)
    assert response.status_code == 200 and response.context["form"].has_error("captcha")
    assert sms.outbox == []
    html = response.content.decode()
    assert '<img src="/captcha/image/' in html and 'alt="' in html
    assert 'for="id_captcha_1"' in html  # the answer box has a label
    response = send_code(client, **real_captcha_answer(html))
    assert response.status_code == 302
    assert len(sms.outbox) == 1


def test_the_picture_is_served_by_the_site(client, verified_worker):
    _use_up(PHONE, codes.HUMAN_CHECK_AFTER_PHONE)
    html = send_code(client).content.decode()
    image = re.search(r'<img src="(/captcha/image/[^"]+)"', html).group(1)
    response = client.get(image)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


@pytest.mark.usefixtures("send_now")
def test_after_a_refused_picture_every_request_needs_one(client, verified_worker, captcha_passes):
    _use_up(PHONE, codes.HUMAN_CHECK_AFTER_PHONE)
    response = send_code(client, captcha_0="nokey", captcha_1="WRONG")
    assert response.context["form"].has_error("captcha")
    # Another, fresh number still needs the picture in this session.
    response = send_code(client, phone="13900003333")
    assert response.status_code == 200 and "captcha" in response.context["form"].fields
    assert send_code(client, phone="13900003333", **PASSED).status_code == 302


@pytest.mark.usefixtures("send_now")
def test_near_the_address_cap_any_number_needs_the_picture(client, captcha_passes):
    for n in range(codes.HUMAN_CHECK_AFTER_ADDRESS):
        PhoneCode.objects.create(
            phone_hash=f"h{n}",
            purpose="sign_in",
            code_hash="x",
            address_hash=codes.address_hash("127.0.0.1"),
            created=timezone.now(),
            expires=timezone.now(),
        )
    page = client.get(START)
    assert "captcha" in page.context["form"].fields
    assert send_code(client, phone="13900004444").status_code == 200
    assert send_code(client, phone="13900004444", **PASSED).status_code == 302


@pytest.mark.usefixtures("send_now")
def test_beyond_the_phone_cap_even_a_passed_picture_is_refused(
    client, verified_worker, captcha_passes, clock
):
    _use_up(PHONE, codes.PHONE_DAILY_CAP)
    clock.advance(codes.RESEND_SECONDS)
    response = send_code(client, **PASSED)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert sms.outbox == []


# --- reset by code ----------------------------------------------------------------------------------------


@pytest.mark.usefixtures("send_now")
def test_a_worker_resets_the_password_by_code(client, verified_worker):
    send_code(client, url=RESET)
    response = client.post(
        RESET_CONFIRM, {"code": last_code(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.url == LOGIN
    verified_worker.refresh_from_db()
    assert verified_worker.check_password(NEW_PASSWORD)
    assert client.post(LOGIN, {"username": PHONE, "password": NEW_PASSWORD}).url == WORKBENCH


RESET_BAD = {
    "short password": ({"new_password1": "Ab1#x", "new_password2": "Ab1#x"}, "new_password2"),
    "common password": ({"new_password1": "P@ssw0rd", "new_password2": "P@ssw0rd"}, "new_password2"),
    "mismatch": ({"new_password2": "Other#pass9"}, "new_password2"),
    "blank code": ({"code": ""}, "code"),
    "letters in code": ({"code": "abcdef"}, "code"),
}


@pytest.mark.usefixtures("send_now")
@pytest.mark.parametrize(("overrides", "field"), RESET_BAD.values(), ids=RESET_BAD.keys())
def test_reset_bad_input_changes_nothing(client, verified_worker, overrides, field):
    send_code(client, url=RESET)
    data = {"code": last_code(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, **overrides}
    response = client.post(RESET_CONFIRM, data)
    assert response.status_code == 200 and field in response.context["form"].errors
    verified_worker.refresh_from_db()
    assert not verified_worker.check_password(NEW_PASSWORD)


def test_the_reset_page_says_staff_reset_by_e_mail(client):
    assert reverse("password_reset") in client.get(RESET).content.decode()
