"""Code sign-in and the password lockout (django-axes, 5 wrong passwords lock 30 minutes): a code signs a
worker in while the password is locked but does not unlock it; a new password set by code ends the lock.
(The real clock: django-axes reads it in ways a patched clock does not reach.)"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests import factories
from tests.accounts.sms_codes import last_code
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("send_now")]

START = reverse("accounts:code_sign_in")
CONFIRM = reverse("accounts:code_sign_in_confirm")
RESET = reverse("accounts:password_reset_code")
RESET_CONFIRM = reverse("accounts:password_reset_code_confirm")
WORKBENCH = reverse("accounts:workbench")
LOGIN = reverse("login")
PHONE = "13712345678"
NEW_PASSWORD = "Hx7#mountain-Tea"


@pytest.fixture
def verified_worker(db):
    return factories.WorkerFactory(phone=PHONE)


def send_code(client, phone=PHONE, url=START):
    return client.post(url, {"phone": phone})


def lock(client, worker):
    for _ in range(5):
        client.post(LOGIN, {"username": worker.username, "password": "wrong-Password1"})
    assert client.post(LOGIN, {"username": worker.username, "password": TEST_PASSWORD}).status_code == 429


def test_code_sign_in_works_while_locked_but_does_not_unlock_the_password(client, verified_worker):
    lock(client, verified_worker)
    send_code(client)
    assert client.post(CONFIRM, {"code": last_code()}).url == WORKBENCH
    assert AccessAttempt.objects.filter(username=verified_worker.username).exists()
    client.logout()
    response = client.post(LOGIN, {"username": PHONE, "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_a_reset_by_code_ends_the_lockout(client, verified_worker):
    lock(client, verified_worker)
    send_code(client, url=RESET)
    client.post(
        RESET_CONFIRM, {"code": last_code(), "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert not AccessAttempt.objects.filter(username=verified_worker.username).exists()
    assert client.post(LOGIN, {"username": PHONE, "password": NEW_PASSWORD}).url == WORKBENCH


def test_the_locked_out_page_offers_the_code_paths(client, verified_worker):
    lock(client, verified_worker)
    content = client.post(LOGIN, {"username": verified_worker.username, "password": "x"}).content.decode()
    assert START in content and RESET in content
