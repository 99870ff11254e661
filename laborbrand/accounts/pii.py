"""Personal identifiers: validation, normalisation, keyed hashing and masking.

ID numbers and phone numbers are stored encrypted; equality look-ups and uniqueness go through an HMAC
keyed with settings.PII_HASH_KEY, so neither the ciphertext nor the hash reveals the number.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

MINIMUM_WORKER_AGE = 16
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_id_number(value: str) -> str:
    return ric.compact(value or "").upper()


def normalize_phone(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def validate_id_number(value: str) -> str:
    """Validate a GB 11643 citizen ID number (check digit, birth date); return the compact form."""
    number = normalize_id_number(value)
    try:
        return ric.validate(number)
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("Enter a valid 18-character national ID number."), code="invalid_id_number"
        ) from exc


def birth_date_from_id(number: str) -> datetime.date:
    return ric.get_birth_date(normalize_id_number(number))


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def validate_minimum_age(number: str, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    birth = birth_date_from_id(number)
    if birth > today:
        raise ValidationError(_("Enter a valid 18-character national ID number."), code="invalid_id_number")
    if age_on(birth, today) < MINIMUM_WORKER_AGE:
        raise ValidationError(
            _("You must be at least %(age)d years old to register.") % {"age": MINIMUM_WORKER_AGE},
            code="too_young",
        )


def validate_mobile(value: str) -> str:
    number = normalize_phone(value)
    if not MOBILE_RE.match(number):
        raise ValidationError(_("Enter a valid 11-digit mainland mobile number."), code="invalid_phone")
    return number


def pii_hash(value: str) -> str:
    return salted_hmac("laborbrand.pii", value, secret=settings.PII_HASH_KEY, algorithm="sha256").hexdigest()


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:]
