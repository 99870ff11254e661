"""Claiming a worker record by registering (issue 16): a person whom a county's practitioner register (or a
class roster, a certificate list) named before they registered takes their record over by registering with
the same ID number and real name — on their own (the two steps with the SMS code) or at a service counter.
The registration completes on the same row, so the entries, enrolments and certificates kept for them stay
theirs. Before, the record signs nobody in; after, its owner signs in by password and by code. A registered ID
number is refused as before, and another name is refused without showing the name on record."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from jobs import counter
from jobs.models import CounterAct
from laborbrand import sms
from laborbrand.accounts.models import User
from laborbrand.accounts.records import worker_record
from laborbrand.accounts.services import worker_record_claim
from tests import factories
from tests.accounts.sms_codes import last_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("send_now")]

REGISTER = reverse("accounts:register_worker")
REGISTER_CODE = reverse("accounts:register_worker_confirm")
CODE_SIGN_IN = reverse("accounts:code_sign_in")
CODE_SIGN_IN_CONFIRM = reverse("accounts:code_sign_in_confirm")
COUNTER_REGISTER = reverse("jobs:counter_register")
COUNTER_CONFIRM = reverse("jobs:counter_register_confirm")
ID_NUMBER = factories.make_id_number(7, birth="19990315", region="341524")
PHONE = "13712345678"
CONTACT_PHONE = "13987654321"  # the number the county listed: never the account's
PASSWORD = "Str0ng#pass"


@pytest.fixture
def record(official_a):
    """张伟, on 金寨县's register of a brand (listing a contact phone), with a certificate; not registered."""
    worker, opened = worker_record(real_name="张伟", id_number=ID_NUMBER)
    assert opened
    brand = factories.CultivatingBrandFactory(county=official_a.county)
    factories.PractitionerFactory(brand=brand, worker=worker, contact_phone=CONTACT_PHONE)
    factories.CertificateFactory(assessment__worker=worker)
    return worker


def registration_data(**overrides):
    data = {
        "username": "zhang_wei",
        "real_name": "张伟",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def signs_in_by_password(client, password_login, identifier) -> bool:
    signed = password_login(identifier, PASSWORD)
    client.logout()
    return signed


def signs_in_by_code(client, phone) -> bool:
    sent = len(sms.outbox)
    client.post(CODE_SIGN_IN, {"phone": phone})
    if len(sms.outbox) == sent:
        return False
    client.post(CODE_SIGN_IN_CONFIRM, {"code": last_code(phone)})
    signed = "_auth_user_id" in client.session
    client.logout()
    return signed


# --- Registering on one's own ------------------------------------------------------------------------------


def test_a_record_signs_nobody_in_before_its_owner_registers(client, password_login, record):
    assert not record.has_usable_password()
    assert not signs_in_by_password(client, password_login, record.username)
    assert not signs_in_by_code(client, CONTACT_PHONE)  # the listed phone is not the account's
    assert not signs_in_by_code(client, PHONE)


def test_registering_with_the_records_id_number_and_name_takes_it_over(client, password_login, record):
    users, entries, certificates = (
        User.objects.count(),
        record.practitioner_entries.get(),
        record.certificates.get(),
    )

    client.post(REGISTER, registration_data(real_name=" 张 伟 "))
    response = client.post(REGISTER_CODE, {"code": last_code(PHONE)})

    assert response.status_code == 302 and response.url == reverse("accounts:workbench")
    assert User.objects.count() == users
    account = User.objects.get(pk=record.pk)
    assert (account.username, account.real_name, account.id_number) == ("zhang_wei", "张伟", ID_NUMBER)
    assert account.registered and account.phone == PHONE and account.phone_verified
    assert account.privacy_consent_at is not None
    assert account.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == record.pk
    assert account.practitioner_entries.get() == entries
    assert account.certificates.get() == certificates
    assert entries.contact_phone == CONTACT_PHONE  # the register's phone stays the register's
    claimed = (
        "The records kept for you before you registered — on a county's practitioner register, in training "
        "or certificates — are now in your account."
    )
    with translation.override("zh-hans"):
        told = {claimed, translation.gettext(claimed)}  # in whichever language the request was answered
    assert told & {str(m) for m in get_messages(response.wsgi_request)}
    # Opened by the register, then claimed (then signed in): one row throughout, its history kept.
    assert [h.registered for h in account.history.order_by("history_date", "history_id")][:2] == [False, True]

    client.logout()
    assert signs_in_by_password(client, password_login, "zhang_wei")
    assert signs_in_by_password(client, password_login, PHONE)
    assert signs_in_by_code(client, PHONE)


def test_a_blank_user_name_keeps_the_records_own(client, record):
    client.post(REGISTER, registration_data(username=""))
    client.post(REGISTER_CODE, {"code": last_code(PHONE)})

    record.refresh_from_db()
    assert record.registered and record.username.startswith("w")


def test_another_name_is_refused_without_showing_the_name_on_record(client, record):
    response = client.post(REGISTER, registration_data(real_name="张卫"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].has_error("id_number", "name_mismatch")
    assert "张伟" not in response.content.decode()
    assert not sms.outbox
    record.refresh_from_db()
    assert not record.registered


def test_a_registered_id_number_is_still_refused(client, worker):
    factories.PractitionerFactory(worker=worker)

    response = client.post(
        REGISTER, registration_data(real_name=worker.real_name, id_number=worker.id_number)
    )

    assert response.context["form"].has_error("id_number", "id_number_taken")
    assert not sms.outbox


def test_a_record_claimed_between_the_two_steps_is_not_claimed_twice(client, record):
    client.post(REGISTER, registration_data())
    worker_record_claim(record=record, username="someone_else", phone="13700000009")

    response = client.post(REGISTER_CODE, {"code": last_code(PHONE)})

    assert response.status_code == 302 and response.url == REGISTER
    record.refresh_from_db()
    assert (record.username, record.phone) == ("someone_else", "13700000009")
    assert "_auth_user_id" not in client.session


# --- Registering at a service counter ----------------------------------------------------------------------


def counter_data(official, **overrides):
    data = {
        "real_name": "张伟",
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "home_county": official.county.pk,
        "desired_occupations": [factories.make_occupations(1)[0].pk],
    }
    data.update(overrides)
    return data


def test_a_counter_registration_takes_the_record_over(
    client, official_a, record, django_capture_on_commit_callbacks
):
    users = User.objects.count()
    client.force_login(official_a)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(COUNTER_REGISTER, counter_data(official_a))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(COUNTER_CONFIRM, {"code": last_code(PHONE)})

    assert response.status_code == 302
    assert User.objects.count() == users
    account = User.objects.get(pk=record.pk)
    assert account.registered and account.phone == PHONE and account.phone_verified
    assert account.privacy_consent_at is not None
    assert not account.has_usable_password()  # a counter's worker signs in by code, as before
    assert account.practitioner_entries.exists() and account.certificates.exists()
    assert CounterAct.objects.get(worker=account).kind == CounterAct.Kind.REGISTERED
    assert account.profile.home_county == official_a.county

    client.logout()
    assert signs_in_by_code(client, PHONE)


def test_the_counter_refuses_another_name_and_a_registered_number(client, official_a, record, worker):
    client.force_login(official_a)

    mismatch = client.post(COUNTER_REGISTER, counter_data(official_a, real_name="张卫"))
    taken = client.post(
        COUNTER_REGISTER, counter_data(official_a, real_name=worker.real_name, id_number=worker.id_number)
    )

    assert mismatch.context["form"].has_error("id_number", "name_mismatch")
    assert "张伟" not in mismatch.content.decode()
    assert taken.context["form"].has_error("id_number", "id_number_taken")
    assert not sms.outbox


def test_the_counter_finds_no_record_to_act_for(record):
    assert counter.find_worker(ID_NUMBER) is None
