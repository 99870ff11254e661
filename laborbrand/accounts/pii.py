"""Personal identifiers: validation, normalisation, keyed hashing and masking.

ID numbers and phone numbers are stored encrypted; equality look-ups and uniqueness go through an HMAC
keyed with settings.PII_HASH_KEY, so neither the ciphertext nor the hash reveals the number.
"""

from __future__ import annotations

import datetime
import functools
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from stdnum import numdb

from laborbrand.reference.validators import compact

MINIMUM_WORKER_AGE = 16
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

ID_NUMBER_LENGTH = 18
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
# Residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证) follow GB 11643 with these
# region codes; 830000 is not a GB/T 2260 code.
RESIDENCE_PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})
# No one born before this year is alive to register; earlier "dates" are typing errors.
EARLIEST_BIRTH_YEAR = 1900
# ISO 7064 MOD 11-2: the weight of each of the 17 digits is 2^(17 - position) mod 11.
ID_NUMBER_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))

MOBILE_WITH_PREFIX_RE = re.compile(r"^(?:\+|00)?86(1\d{10})$")


def normalize_id_number(value: str | None) -> str:
    return compact(value).upper()


def normalize_phone(value: str | None) -> str:
    """A mainland mobile number as stored: 11 digits, without country prefix (+86, 0086 or 86) or
    separators. Anything that is not such a number comes back compacted but otherwise as typed."""
    number = compact(value)
    match = MOBILE_WITH_PREFIX_RE.match(number)
    return match[1] if match else number


def is_mobile(value: str | None) -> bool:
    return bool(MOBILE_RE.match(normalize_phone(value)))


def id_number_check_character(first_17: str) -> str:
    remainder = (12 - sum(int(d) * w for d, w in zip(first_17, ID_NUMBER_WEIGHTS, strict=True)) % 11) % 11
    return "X" if remainder == 10 else str(remainder)


@functools.lru_cache(maxsize=4096)  # a list's rows share a few region codes; the table look-up is slow
def is_known_region(code: str) -> bool:
    """Whether a six-digit code is, or ever was, in GB/T 2260, or is a residence permit's code.

    python-stdnum's table of codes (with the years each was in use) is the source; the years are ignored,
    because GB 11643 assigns a number when a household registration is made or re-made, not at birth.
    """
    if code in RESIDENCE_PERMIT_REGIONS:
        return True
    return any(props.get("county") for _part, props in numdb.get("cn/loc").info(code))


def _birth_date(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, *, today: datetime.date | None = None) -> str:
    """Validate a GB 11643 ID number (or a Hong Kong, Macao or Taiwan residence permit number) and return
    it compacted; each refusal says what is wrong."""
    number = normalize_id_number(value)
    if len(number) != ID_NUMBER_LENGTH:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d."),
            code="id_number_length",
            params={"count": len(number)},
        )
    if not ID_NUMBER_RE.match(number):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or the letter X."), code="id_number_characters"
        )
    if not is_known_region(number[:6]):
        raise ValidationError(
            _("The first six digits of the ID number are not a region code. Please check them."),
            code="id_number_region",
        )
    birth = _birth_date(number)
    if birth is None or birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("Digits 7 to 14 of the ID number are not a real date of birth. Please check them."),
            code="id_number_date",
        )
    if birth > (today or timezone.localdate()):
        raise ValidationError(
            _("Digits 7 to 14 of the ID number give a date of birth in the future. Please check them."),
            code="id_number_date",
        )
    if number[-1] != id_number_check_character(number[:17]):
        raise ValidationError(
            _(
                "The last character of the ID number does not match the others: one of them is mistyped. "
                "Please check the number."
            ),
            code="id_number_check",
        )
    return number


def birth_date_from_id(number: str) -> datetime.date:
    birth = _birth_date(normalize_id_number(number))
    if birth is None:
        raise ValueError("not a valid ID number")
    return birth


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def validate_minimum_age(number: str, *, today: datetime.date | None = None) -> None:
    """Call with a number validate_id_number accepted."""
    today = today or timezone.localdate()
    if age_on(birth_date_from_id(number), today) < MINIMUM_WORKER_AGE:
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


def mask_name(value: str | None) -> str:
    """A person's name as pages that are not about that person show it: the first character, each other
    character a star (张三 → 张*, Li Lei → L*****); a one-character name still gets a star, so a mask is
    always seen as one."""
    if not value:
        return ""
    value = value.strip()
    return value[:1] + "*" * max(len(value) - 1, 1)
