"""Changing the mobile number: the current password and the new number, a code to the NEW number (bound to
the account), then the number is changed and verified; the old number is told by SMS, the account in-site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from laborbrand import sms
from laborbrand.accounts import sealed
from laborbrand.accounts.models import Notification, PhoneCode, User
from laborbrand.accounts.views import WRONG_CODE
from tests import factories
from tests.accounts.sms_codes import last_code, other_than
from tests.factories.accounts import TEST_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "send_now")]

URL = reverse("accounts:phone_change")
CONFIRM = reverse("accounts:phone_change_confirm")
NEW = "13612345678"


def start(client, phone=NEW, password=TEST_PASSWORD):
    return client.post(URL, {"password": password, "phone": phone})


def test_a_worker_changes_the_number_and_the_old_one_is_told(client, worker):
    old = worker.phone
    client.force_login(worker)
    assert start(client).url == CONFIRM
    assert sms.outbox[-1].phone == NEW
    response = client.post(CONFIRM, {"code": last_code()})
    assert response.url == reverse("accounts:workbench")
    worker.refresh_from_db()
    assert worker.phone == NEW and worker.phone_verified
    assert User.objects.by_phone(NEW).get() == worker
    assert sms.outbox[-1].phone == old and "code" not in sms.outbox[-1].template
    assert Notification.objects.filter(recipient=worker).exists()


def test_the_account_menu_links_to_the_change(client, worker):
    client.force_login(worker)
    assert f'href="{URL}"' in client.get(reverse("accounts:workbench")).content.decode()


@pytest.mark.parametrize("persona", ["city_admin", "employer", "institution_staff", "leading_member"])
def test_staff_without_a_phone_are_refused(client, request, persona):
    user = request.getfixturevalue(persona)
    user.phone = ""
    user.save()
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_staff_with_a_phone_may_change_it(client, official_a):
    official_a.phone = "13512345678"
    official_a.save()
    client.force_login(official_a)
    assert client.get(URL).status_code == 200
    assert start(client).url == CONFIRM


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(URL).url.startswith(reverse("login"))
    assert client.get(CONFIRM).url.startswith(reverse("login"))


BAD = {
    "wrong password": ({"password": "nope"}, "password"),
    "blank password": ({"password": ""}, "password"),
    "bad number": ({"phone": "12345"}, "phone"),
    "letters": ({"phone": "1361234567a"}, "phone"),
    "blank number": ({"phone": ""}, "phone"),
}


@pytest.mark.parametrize(("overrides", "field"), BAD.values(), ids=BAD.keys())
def test_bad_input_sends_nothing(client, worker, overrides, field):
    client.force_login(worker)
    response = client.post(URL, {"password": TEST_PASSWORD, "phone": NEW, **overrides})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert sms.outbox == [] and not PhoneCode.objects.exists()


def test_the_same_or_a_taken_number_is_refused(client, worker):
    other = factories.WorkerFactory()
    client.force_login(worker)
    assert start(client, phone=worker.phone).context["form"].has_error("phone", "same_phone")
    assert start(client, phone=other.phone).context["form"].has_error("phone", "phone_taken")


def test_a_wrong_code_changes_nothing(client, worker):
    old = worker.phone
    client.force_login(worker)
    start(client)
    response = client.post(CONFIRM, {"code": other_than(last_code())})
    assert response.context["form"].errors["code"] == [WRONG_CODE]
    worker.refresh_from_db()
    assert worker.phone == old


def test_a_code_for_the_number_confirms_no_other_account(client, worker):
    """The code is bound to the account that asked for it (its subject)."""
    client.force_login(worker)
    start(client)
    code = last_code()
    intruder = factories.WorkerFactory()
    client.force_login(intruder)
    session = client.session
    session["codes:change_phone"] = sealed.seal({"phone": NEW, "user": intruder.pk})
    session.save()
    assert client.post(CONFIRM, {"code": code}).status_code == 200
    intruder.refresh_from_db()
    assert intruder.phone != NEW


def test_another_accounts_pending_change_is_ignored(client, worker):
    client.force_login(worker)
    start(client)
    client.force_login(factories.WorkerFactory())
    assert client.get(CONFIRM).url == URL
