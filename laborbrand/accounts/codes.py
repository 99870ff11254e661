"""One-time codes sent by SMS (docs/decisions.md, "SMS codes").

Six digits, stored as a keyed hash bound to the phone, the purpose and the subject, so a code for one phone
or one act never confirms another. A code lives CODE_MINUTES and allows MAX_TRIES guesses; only the newest
code of a phone and purpose counts, and a used one never counts again. A new code for the same purpose
comes no sooner than RESEND_SECONDS after the last (one for another purpose may follow at once: the counter
registers a worker, then applies for them); a phone gets at most PHONE_DAILY_CAP codes a day and an address
at most ADDRESS_DAILY_CAP. Once either nears its cap (HUMAN_CHECK_AFTER_*), the sender must pass the image
challenge first (the view asks).

Requests for a number nobody registered are refused and counted exactly like the others, and record a code
that is never sent: the page answers the same whether the number is registered or not, after the same number
of database statements (`deliver=False` stands in for the saved message with one statement of its own).

Who may use a code for what, and how codes meet the password lockout: docs/decisions.md, "Issue 15: SMS
codes".
"""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laborbrand.accounts import pii, texting
from laborbrand.accounts.models import PhoneCode, SmsMessage, User

Purpose = PhoneCode.Purpose

CODE_MINUTES = 5
MAX_TRIES = 5
RESEND_SECONDS = 60
PHONE_DAILY_CAP = 10
ADDRESS_DAILY_CAP = 30
HUMAN_CHECK_AFTER_PHONE = 3
HUMAN_CHECK_AFTER_ADDRESS = 10


class CodeRefused(Exception):
    """No code was sent: the message says why and when to try again."""


def _code_hash(phone_hash: str, purpose: str, subject: str, code: str) -> str:
    return salted_hmac(
        "laborbrand.accounts.codes", f"{phone_hash}:{purpose}:{subject}:{code}", algorithm="sha256"
    ).hexdigest()


def address_hash(address: str | None) -> str:
    return pii.pii_hash(address) if address else ""


def _day_start(now: datetime.datetime) -> datetime.datetime:
    return texting.city_day_start(now)


def counts_today(*, phone: str, address: str | None, now: datetime.datetime | None = None) -> tuple[int, int]:
    """How many codes this phone and this address asked for today (city day)."""
    now = now or timezone.now()
    since = _day_start(now)
    phone_count = PhoneCode.objects.filter(
        phone_hash=pii.pii_hash(pii.normalize_phone(phone)), created__gte=since
    ).count()
    address_count = (
        PhoneCode.objects.filter(address_hash=address_hash(address), created__gte=since).count()
        if address
        else 0
    )
    return phone_count, address_count


def human_check_needed(*, phone: str, address: str | None) -> bool:
    """Whether the next code for this phone or from this address needs the image challenge first."""
    phone_count, address_count = counts_today(phone=phone, address=address)
    return phone_count >= HUMAN_CHECK_AFTER_PHONE or address_count >= HUMAN_CHECK_AFTER_ADDRESS


@transaction.atomic
def request_code(
    *,
    phone: str,
    purpose: str,
    address: str | None,
    deliver: bool = True,
    subject: str = "",
    recipient: User | None = None,
) -> PhoneCode:
    """Make a code for `phone` and send it, unless `deliver` is false (a number that must not learn it is
    unregistered: the same refusals and counts apply, nothing is sent). Raises CodeRefused."""
    phone = pii.normalize_phone(phone)
    phone_hash = pii.pii_hash(phone)
    now = timezone.now()
    # Requests for a registered number take turns (the account's row lock), so two racing ones cannot both
    # pass the resend wait; for any other number a race costs at most one extra code that is never sent.
    User.objects.select_for_update().filter(phone_hash=phone_hash).exists()
    latest = PhoneCode.objects.filter(phone_hash=phone_hash, purpose=purpose).order_by("-created").first()
    if latest is not None and (now - latest.created).total_seconds() < RESEND_SECONDS:
        wait = RESEND_SECONDS - int((now - latest.created).total_seconds())
        raise CodeRefused(
            ngettext(
                "A code was sent a moment ago. You can ask for a new one in %(seconds)d second.",
                "A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.",
                wait,
            )
            % {"seconds": wait}
        )
    phone_count, address_count = counts_today(phone=phone, address=address, now=now)
    if phone_count >= PHONE_DAILY_CAP or address_count >= ADDRESS_DAILY_CAP:
        raise CodeRefused(_("Too many codes were asked for today. Please try again tomorrow."))
    record, code = issue(phone=phone, purpose=purpose, subject=subject, address=address, now=now)
    if deliver:
        texting.send_sms(
            phone=phone,
            template="code",
            params={"code": code, "minutes": str(CODE_MINUTES)},
            recipient=recipient,
            kind="code",
            urgent=True,
        )
    else:
        # texting.send_sms saves one row; a code that is not sent costs one statement too, so the database
        # work does not tell the two apart.
        SmsMessage.objects.filter(pk__lte=0).exists()
    return record


def issue(
    *, phone: str, purpose: str, subject: str = "", address: str | None = None, now=None
) -> tuple[PhoneCode, str]:
    """Record a new code and return it with its digits, without sending it or applying the limits: for
    request_code, and for seed_demo, which reads the code out on the worker's behalf."""
    now = now or timezone.now()
    phone_hash = pii.pii_hash(pii.normalize_phone(phone))
    code = f"{secrets.randbelow(10**6):06d}"
    record = PhoneCode.objects.create(
        phone_hash=phone_hash,
        purpose=purpose,
        subject=subject,
        code_hash=_code_hash(phone_hash, purpose, subject, code),
        address_hash=address_hash(address),
        created=now,
        expires=now + datetime.timedelta(minutes=CODE_MINUTES),
    )
    return record, code


@transaction.atomic
def check_code(*, phone: str, purpose: str, code: str, subject: str = "") -> bool:
    """Whether `code` is the newest unused, unexpired code sent to `phone` for `purpose` (and `subject`). A
    right code is used up; every guess counts against MAX_TRIES."""
    phone = pii.normalize_phone(phone)
    code = (code or "").strip()
    if not phone:
        return False
    phone_hash = pii.pii_hash(phone)
    latest = (
        PhoneCode.objects.select_for_update()
        .filter(phone_hash=phone_hash, purpose=purpose)
        .order_by("-created", "-pk")
        .first()
    )
    if latest is None or latest.used_at is not None or latest.expires <= timezone.now():
        return False
    if latest.tries >= MAX_TRIES:
        return False
    latest.tries += 1
    right = len(code) == 6 and constant_time_compare(
        latest.code_hash, _code_hash(phone_hash, purpose, subject, code)
    )
    if right:
        latest.used_at = timezone.now()
    latest.save(update_fields=["tries", "used_at"])
    return right


def purge(*, older_than_days: int = 30) -> int:
    """Nightly: forget codes (their hashes and counts) after a month."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    return PhoneCode.objects.filter(created__lt=cutoff).delete()[0]
