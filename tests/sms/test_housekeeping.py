"""The nightly housekeeping forgets one-time codes after 30 days and the log of text messages after 180."""

import datetime

import pytest
from django.utils import timezone

from laborbrand.accounts import texting
from laborbrand.accounts.models import PhoneCode, SmsMessage
from laborbrand.accounts.tasks import housekeeping


def sms_aged(days):
    return SmsMessage.objects.create(
        phone="13800138000",
        template="notice",
        params={},
        status=SmsMessage.Status.SENT,
        created=timezone.now() - datetime.timedelta(days=days),
    )


def code_aged(days):
    created = timezone.now() - datetime.timedelta(days=days)
    return PhoneCode.objects.create(
        phone_hash="p" * 64,
        purpose=PhoneCode.Purpose.SIGN_IN,
        code_hash="c" * 64,
        created=created,
        expires=created + datetime.timedelta(minutes=5),
    )


@pytest.mark.django_db
def test_housekeeping_purges_old_codes_and_text_messages():
    kept_sms = [sms_aged(0), sms_aged(179)]
    sms_aged(181)
    kept_codes = [code_aged(0), code_aged(29)]
    code_aged(31)
    housekeeping()
    assert set(SmsMessage.objects.values_list("pk", flat=True)) == {m.pk for m in kept_sms}
    assert set(PhoneCode.objects.values_list("pk", flat=True)) == {c.pk for c in kept_codes}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "purged"), [(texting.RETENTION_DAYS - 1, 0), (texting.RETENTION_DAYS + 1, 1)]
)
def test_texting_purge(days, purged):
    sms_aged(days)
    assert texting.purge() == purged
