"""Signing in by user name or mobile number, the lockout after repeated failures, and session limits."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from laborbrand.accounts.backends import lockout_username
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PHONE = "13987654321"
WRONG = "Wrong#pass99"


@pytest.fixture
def phone_worker(db):
    return factories.WorkerFactory(username="phone_worker", phone=PHONE)


def log_in(client, username, password=factories.TEST_PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in_pk(client):
    pk = client.session.get("_auth_user_id")
    return int(pk) if pk is not None else None


def login_error_codes(response):
    return [error.code for error in response.context["form"].non_field_errors().as_data()]


def test_login_page_renders(client):
    assert client.get(LOGIN).status_code == 200


def test_login_by_username_lands_on_workbench(client, worker):
    response = log_in(client, worker.username)

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert signed_in_pk(client) == worker.pk


@pytest.mark.parametrize(
    "typed", [PHONE, "139 8765 4321", " 13987654321 ", "+8613987654321", "+86 139 8765 4321", "139-8765-4321"]
)
def test_login_by_mobile_number(client, phone_worker, typed):
    response = log_in(client, typed)

    assert response.status_code == 302
    assert signed_in_pk(client) == phone_worker.pk


def test_login_respects_a_local_next_url(client, worker):
    response = client.post(
        LOGIN + "?next=/accounts/notifications/",
        {
            "username": worker.username,
            "password": factories.TEST_PASSWORD,
            "next": "/accounts/notifications/",
        },
    )

    assert response.url == "/accounts/notifications/"


def test_login_ignores_an_external_next_url(client, worker):
    response = client.post(
        LOGIN,
        {"username": worker.username, "password": factories.TEST_PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("worker_a", WRONG),
        (PHONE, WRONG),
        ("no_such_user", factories.TEST_PASSWORD),
        ("13000000000", factories.TEST_PASSWORD),
    ],
    ids=["wrong password", "wrong password by phone", "unknown user", "unknown phone"],
)
def test_failed_login_gives_one_generic_error(client, worker, phone_worker, username, password):
    response = log_in(client, username, password)

    assert response.status_code == 200
    assert login_error_codes(response) == ["invalid_login"]
    assert signed_in_pk(client) is None


def test_deactivated_official_cannot_log_in(client, official_a):
    official_a.is_active = False
    official_a.save(update_fields=["is_active"])

    response = log_in(client, official_a.username)

    assert response.status_code == 200
    assert signed_in_pk(client) is None


def test_logged_in_user_visiting_login_is_sent_to_workbench(client, worker):
    client.force_login(worker)

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def fail_until_limit(client, username):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, username, WRONG).status_code == 200
    return log_in(client, username, WRONG)


def test_account_locks_after_failure_limit_even_with_right_password(client, worker):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail_until_limit(client, worker.username)

    response = log_in(client, worker.username)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert signed_in_pk(client) is None


def test_lockout_counts_phone_and_username_attempts_against_one_account(client, phone_worker):
    for typed in ["phone_worker", PHONE, "139 8765 4321", "+8613987654321"]:
        log_in(client, typed, WRONG)
    log_in(client, "phone_worker", WRONG)

    response = log_in(client, PHONE)

    assert response.status_code == 429
    assert signed_in_pk(client) is None
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"phone_worker"}


def test_lockout_of_one_account_does_not_lock_another_from_the_same_address(client, worker, phone_worker):
    fail_until_limit(client, worker.username)

    response = log_in(client, phone_worker.username)

    assert response.status_code == 302
    assert signed_in_pk(client) == phone_worker.pk


def test_successful_login_before_the_limit_resets_the_count(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, worker.username, WRONG)
    assert log_in(client, worker.username).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, worker.username, WRONG)
    response = log_in(client, worker.username)

    assert response.status_code == 302


def all_axes_text():
    rows = []
    for model in (AccessAttempt, AccessLog):
        for row in model.objects.values():
            rows.extend(str(value) for value in row.values())
    return " ".join(rows)


def test_attempt_log_never_holds_a_typed_phone_number(client, phone_worker):
    for typed in [PHONE, "139 8765 4321", "+8613987654321"]:
        log_in(client, typed, WRONG)
    failures = all_axes_text()
    log_in(client, PHONE)  # a success is logged too (and clears the failures)
    successes = all_axes_text()

    assert AccessAttempt.objects.count() == 0
    assert AccessLog.objects.get().username == "phone_worker"
    for text in (failures, successes):
        assert "phone_worker" in text
        assert "87654321" not in text
        assert "8765 4321" not in text
        assert factories.TEST_PASSWORD not in text
        assert WRONG not in text


def test_unknown_phone_number_is_logged_only_by_its_hash(client, rf):
    for _ in range(2):
        log_in(client, "13011112222", WRONG)

    [attempt] = AccessAttempt.objects.all()
    assert attempt.username.startswith("phone:")
    assert "11112222" not in all_axes_text()
    request = rf.post(LOGIN, {"username": "130 1111 2222"})
    assert lockout_username(request, {"username": "130 1111 2222"}) == attempt.username


@pytest.mark.parametrize(
    "typed",
    ["341524200001010015", "34152420010203007x", "1391234567", "139 1234 567", "0564-7012345"],
    ids=["ID number", "ID number with x", "mistyped phone", "mistyped phone with space", "landline"],
)
def test_unknown_numbers_are_logged_only_by_their_hash(client, typed):
    log_in(client, typed, WRONG)

    [attempt] = AccessAttempt.objects.all()
    assert attempt.username.startswith("number:")
    digits = "".join(c for c in typed if c.isdigit())
    assert digits[-7:] not in all_axes_text()


def test_a_phone_number_taken_as_user_name_cannot_block_the_phone_owner(client, phone_worker):
    squatter = factories.EmployerStaffFactory(username=PHONE)

    response = log_in(client, PHONE)

    assert response.status_code == 302
    assert signed_in_pk(client) == phone_worker.pk
    assert signed_in_pk(client) != squatter.pk


def test_failures_on_a_phone_number_taken_as_user_name_count_against_the_phone_owner(client, phone_worker):
    factories.EmployerStaffFactory(username=PHONE)

    log_in(client, PHONE, WRONG)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["phone_worker"]


def test_phone_like_user_name_still_signs_in_when_nobody_has_that_phone(client):
    user = factories.EmployerStaffFactory(username="13500001111")

    response = log_in(client, "13500001111")

    assert response.status_code == 302
    assert signed_in_pk(client) == user.pk


def test_unknown_user_name_is_counted_as_typed(rf):
    request = rf.post(LOGIN)
    assert lockout_username(request, {"username": "nobody"}) == "nobody"


def test_sessions_expire_after_30_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_each_request_renews_the_idle_timeout(client, worker):
    log_in(client, worker.username)
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() + datetime.timedelta(minutes=1)  # nearly idle for 30 minutes
    session.save(update_fields=["expire_date"])

    response = client.get(reverse("accounts:workbench"))

    assert response.status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + datetime.timedelta(minutes=29)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["max-age"]  # also ends when the browser closes


def test_expired_session_is_signed_out(client, worker):
    log_in(client, worker.username)
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    session.save(update_fields=["expire_date"])

    response = client.get(reverse("accounts:workbench"))

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_logout_is_post_only_and_ends_the_session(client, worker):
    client.force_login(worker)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGOUT_REDIRECT_URL)
    assert signed_in_pk(client) is None
