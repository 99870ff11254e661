"""Personal identifiers: encrypted at rest (also in history), indexed by a keyed hash, masked for others."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from tests import factories
from tests.accounts.sms_codes import last_code

pytestmark = pytest.mark.django_db

ID_NUMBER = factories.make_id_number(42, birth="20000229")
PHONE = "13912345678"


def raw_rows(table, user_pk, pk_column="id"):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id_number, phone, id_number_hash, phone_hash FROM {table} WHERE {pk_column} = %s",  # noqa: S608
            [user_pk],
        )
        return cursor.fetchall()


def test_id_number_and_phone_are_encrypted_in_the_users_table():
    user = factories.WorkerFactory(id_number=ID_NUMBER, phone=PHONE)

    [(stored_id, stored_phone, id_hash, phone_hash)] = raw_rows("accounts_user", user.pk)

    assert stored_id and stored_phone
    for value in (stored_id, stored_phone, id_hash, phone_hash):
        assert ID_NUMBER not in value
        assert ID_NUMBER[6:14] not in value  # not even the birth date
        assert PHONE not in value
        assert PHONE[-8:] not in value
    assert id_hash == pii.pii_hash(ID_NUMBER)
    assert phone_hash == pii.pii_hash(PHONE)


def test_decrypted_values_round_trip():
    user = factories.WorkerFactory(id_number=ID_NUMBER, phone=PHONE)

    fresh = User.objects.get(pk=user.pk)

    assert fresh.id_number == ID_NUMBER
    assert fresh.phone == PHONE


def test_history_table_holds_no_raw_numbers():
    user = factories.WorkerFactory(id_number=ID_NUMBER, phone=PHONE)
    user.phone = "13812345678"
    user.save(update_fields=["phone"])

    rows = raw_rows("accounts_historicaluser", user.pk)

    assert len(rows) == 2
    for row in rows:
        for value in row:
            assert ID_NUMBER not in value
            assert PHONE not in value
            assert "13812345678" not in value


def test_hashes_follow_changes_and_clear_with_the_value():
    user = factories.WorkerFactory(id_number=ID_NUMBER, phone=PHONE)

    user.phone = "13812345678"
    user.save(update_fields=["phone"])
    user.refresh_from_db()
    assert user.phone_hash == pii.pii_hash("13812345678")
    assert User.objects.by_phone("138 1234 5678").get() == user
    assert not User.objects.by_phone(PHONE).exists()

    user.phone = ""
    user.save(update_fields=["phone"])
    user.refresh_from_db()
    assert user.phone_hash is None


def test_users_without_identifiers_do_not_collide_on_the_unique_hashes():
    factories.CityAdminFactory()
    factories.EmployerStaffFactory()

    assert User.objects.filter(id_number_hash__isnull=True, phone_hash__isnull=True).count() == 2


def test_hash_is_keyed_with_pii_hash_key(settings):
    before = pii.pii_hash(PHONE)
    settings.PII_HASH_KEY = "another-key"

    assert pii.pii_hash(PHONE) != before


def test_look_up_by_id_number_ignores_case_of_x():
    number = factories.make_id_number_ending_in_x()
    user = factories.WorkerFactory(id_number=number)

    assert User.objects.by_id_number(number.lower()).get() == user


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("341524200002290421", "3415**********0421"),
        ("34152420010203007X", "3415**********007X"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, masked):
    assert pii.mask_id_number(value) == masked


@pytest.mark.parametrize(("value", "masked"), [("13912345678", "139****5678"), ("", ""), (None, "")])
def test_mask_phone(value, masked):
    assert pii.mask_phone(value) == masked


def test_user_masked_properties():
    user = factories.WorkerFactory.build(id_number=ID_NUMBER, phone=PHONE)

    assert user.masked_id_number == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert user.masked_phone == "139****5678"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("13912345678", "13912345678"), ("+8613912345678", "13912345678"), ("139 1234-5678", "13912345678")],
)
def test_normalize_phone(typed, normal):
    assert pii.normalize_phone(typed) == normal


def test_normalize_id_number_upper_cases_and_strips_spaces():
    assert pii.normalize_id_number(" 34152420010203007x ") == "34152420010203007X"


def test_validate_id_number_rejects_wrong_check_digit():
    wrong = ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2")
    with pytest.raises(ValidationError) as excinfo:
        pii.validate_id_number(wrong)
    assert excinfo.value.code == "id_number_check"


@pytest.mark.parametrize(
    ("birth", "today", "allowed"),
    [
        ("20000229", datetime.date(2016, 2, 28), False),
        ("20000229", datetime.date(2016, 2, 29), True),
        ("20000301", datetime.date(2016, 2, 29), False),
        ("20000301", datetime.date(2016, 3, 1), True),
    ],
)
def test_minimum_age_is_16_on_the_day(birth, today, allowed):
    number = factories.make_id_number(1, birth=birth)
    if allowed:
        pii.validate_minimum_age(number, today=today)
    else:
        with pytest.raises(ValidationError) as excinfo:
            pii.validate_minimum_age(number, today=today)
        assert excinfo.value.code == "too_young"


def test_official_list_shows_phones_masked(client, city_admin):
    official = factories.OfficialFactory(phone=PHONE)
    client.force_login(city_admin)

    response = client.get(reverse("accounts:official_list"))

    content = response.content.decode()
    assert official.username in content
    assert "139****5678" in content
    assert PHONE not in content


def test_workbench_of_others_never_shows_a_workers_numbers(client, personas):
    worker = personas["worker"]
    for role, user in personas.items():
        if role == "worker":
            continue
        client.force_login(user)
        content = client.get(reverse("accounts:workbench")).content.decode()
        assert worker.id_number not in content
        assert worker.phone not in content


def test_registration_posts_to_its_own_fixed_url_and_redirects_without_pii(client, send_now):
    url = reverse("accounts:register_worker")
    page = client.get(url).content.decode()
    assert '<form method="post" novalidate>' in page  # no action: posts back to the fixed URL, not by GET

    response = client.post(
        url,
        {
            "username": "li_na",
            "real_name": "李娜",
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "password1": "Str0ng#pass",
            "password2": "Str0ng#pass",
            "privacy_consent": "on",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:register_worker_confirm")
    responses = [response, client.post(response.url, {"code": last_code()})]
    assert responses[1].url == reverse("accounts:workbench")
    for response in responses:
        for number in (ID_NUMBER, PHONE):
            assert number not in response.url
            assert number not in response.request["PATH_INFO"]
            assert number not in response.request.get("QUERY_STRING", "")
