"""The rules of one-time codes (laborbrand/accounts/codes.py): expiry, tries, replay, purposes and subjects,
the resend wait, the daily caps and when the image challenge is needed. The numbers come from codes.py."""

from __future__ import annotations

import pytest

from laborbrand import sms
from laborbrand.accounts import codes
from laborbrand.accounts.models import PhoneCode
from tests.accounts.sms_codes import last_code, other_than

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock", "send_now")]

PHONE = "13712345678"
OTHER_PHONE = "13887654321"
ADDRESS = "203.0.113.7"
SIGN_IN = PhoneCode.Purpose.SIGN_IN
RESET = PhoneCode.Purpose.RESET


def send(phone=PHONE, purpose=SIGN_IN, address=ADDRESS, **kwargs) -> str:
    codes.request_code(phone=phone, purpose=purpose, address=address, **kwargs)
    return last_code()


def check(code, phone=PHONE, purpose=SIGN_IN, **kwargs) -> bool:
    return codes.check_code(phone=phone, purpose=purpose, code=code, **kwargs)


def test_a_code_is_six_digits_sent_once_and_stored_only_hashed():
    code = send()
    assert len(sms.outbox) == 1 and sms.outbox[0].phone == PHONE
    record = PhoneCode.objects.get()
    assert code not in record.code_hash and PHONE not in record.phone_hash
    assert check(code)


@pytest.mark.parametrize(
    ("seconds_later", "works"),
    [
        (0, True),
        (codes.CODE_MINUTES * 60 - 1, True),
        (codes.CODE_MINUTES * 60, False),
        (codes.CODE_MINUTES * 60 + 1, False),
        (24 * 3600, False),
    ],
)
def test_a_code_expires(clock, seconds_later, works):
    code = send()
    clock.advance(seconds_later)
    assert check(code) is works


@pytest.mark.parametrize(
    ("wrong_guesses", "works"), [(0, True), (1, True), (4, True), (5, False), (6, False)]
)
def test_after_max_tries_wrong_guesses_even_the_right_code_fails(wrong_guesses, works):
    assert codes.MAX_TRIES == 5
    code = send()
    for _ in range(wrong_guesses):
        assert not check(other_than(code))
    assert check(code) is works


def test_a_used_code_cannot_be_replayed():
    code = send()
    assert check(code)
    assert not check(code)


def test_only_the_newest_code_counts(clock):
    first = send()
    clock.advance(codes.RESEND_SECONDS)
    second = send()
    if first != second:
        assert not check(first)
    assert check(second)


@pytest.mark.parametrize(
    ("checked", "works"),
    [
        ({}, True),
        ({"phone": OTHER_PHONE}, False),
        ({"purpose": RESET}, False),
        ({"purpose": PhoneCode.Purpose.REGISTER}, False),
        ({"subject": "apply:2"}, False),
    ],
    ids=["same", "another phone", "reset purpose", "register purpose", "another subject"],
)
def test_a_code_confirms_only_its_phone_purpose_and_subject(checked, works):
    code = send(subject="")
    assert check(code, **checked) is works


def test_a_reset_code_cannot_sign_in():
    code = send(purpose=RESET)
    assert not check(code, purpose=SIGN_IN)
    assert check(code, purpose=RESET)


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 345", None])
def test_malformed_codes_never_work(typed):
    send()
    assert not check(typed)


@pytest.mark.parametrize(
    ("seconds_later", "refused"),
    [(0, True), (codes.RESEND_SECONDS - 1, True), (codes.RESEND_SECONDS, False)],
)
def test_a_new_code_waits_for_the_resend_interval(clock, seconds_later, refused):
    send()
    clock.advance(seconds_later)
    if refused:
        with pytest.raises(codes.CodeRefused):
            send()
        assert len(sms.outbox) == 1
    else:
        send()
        assert len(sms.outbox) == 2


def test_a_code_for_another_purpose_needs_no_wait(clock):
    """The counter registers a worker, then at once asks for the code to apply for them."""
    send()
    send(purpose=RESET)
    assert len(sms.outbox) == 2


def test_the_phone_daily_cap_needs_the_challenge_near_it_and_refuses_beyond(clock):
    for sent in range(codes.PHONE_DAILY_CAP):
        assert codes.human_check_needed(phone=PHONE, address=ADDRESS) is (
            sent >= codes.HUMAN_CHECK_AFTER_PHONE
        )
        send()
        clock.advance(codes.RESEND_SECONDS)
    with pytest.raises(codes.CodeRefused):
        send()
    assert len(sms.outbox) == codes.PHONE_DAILY_CAP
    clock.advance(24 * 3600)  # a new city day
    send()


def test_the_address_daily_cap_counts_every_number_from_one_address(clock):
    phones = [f"139{n:08d}" for n in range(codes.ADDRESS_DAILY_CAP + 1)]
    for n, phone in enumerate(phones[:-1]):
        assert codes.human_check_needed(phone=phones[-1], address=ADDRESS) is (
            n >= codes.HUMAN_CHECK_AFTER_ADDRESS
        )
        send(phone=phone)
    with pytest.raises(codes.CodeRefused):
        send(phone=phones[-1])
    send(phone=phones[-1], address="198.51.100.1")  # another address still may


def test_a_code_not_delivered_counts_like_one_sent(clock):
    codes.request_code(phone=PHONE, purpose=SIGN_IN, address=ADDRESS, deliver=False)
    assert sms.outbox == []
    assert codes.counts_today(phone=PHONE, address=ADDRESS) == (1, 1)
    with pytest.raises(codes.CodeRefused):
        codes.request_code(phone=PHONE, purpose=SIGN_IN, address=ADDRESS, deliver=False)


def test_purge_forgets_old_codes(clock):
    send()
    clock.advance(31 * 24 * 3600)
    assert codes.purge() == 1
