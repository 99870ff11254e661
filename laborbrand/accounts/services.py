"""Every state change to accounts and notifications."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from laborbrand.accounts import pii, texting
from laborbrand.accounts.models import DEFAULT_SMS, WORKER_KINDS, Notification, NotificationPreference, User
from laborbrand.accounts.records import claimable_record, generated_username
from laborbrand.exceptions import InvalidTransition
from laborbrand.sms import templates as sms_templates

logger = logging.getLogger(__name__)

_unmailed: ContextVar[bool] = ContextVar("unmailed", default=False)


@contextmanager
def notifications_unmailed() -> Iterator[None]:
    """Notifications made inside stay in the site, never e-mailed or texted, and no other text message is
    sent either (seed_demo's invented people)."""
    token, silenced = _unmailed.set(True), texting.silenced.set(True)
    try:
        yield
    finally:
        texting.silenced.reset(silenced)
        _unmailed.reset(token)


def channels(user: User, kind: str) -> tuple[bool, bool]:
    """Whether a notification of this kind also goes to the user by SMS and by e-mail: the user's choice
    (NotificationPreference) or the default, for the kinds a worker chooses channels for."""
    if kind not in WORKER_KINDS:
        return False, True
    preference = user.notification_preferences.filter(kind=kind).first()
    if preference is None:
        return DEFAULT_SMS[kind], True
    return preference.sms, preference.email


def channel_choices(user: User) -> dict[str, tuple[bool, bool]]:
    """(SMS, e-mail) for every kind a worker chooses channels for, read in one query: the settings page."""
    chosen = {
        preference.kind: (preference.sms, preference.email)
        for preference in user.notification_preferences.filter(kind__in=WORKER_KINDS)
    }
    return {kind: chosen.get(kind, (DEFAULT_SMS[kind], True)) for kind in WORKER_KINDS}


@transaction.atomic
def notification_preferences_save(*, user: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """Save a worker's (SMS, e-mail) choice for each kind given; a kind that is not a worker's is ignored.
    Two saves at once (two tabs) each end with one row per kind, the last save's (the unique constraint and
    update_or_create's retry on it); the rows are written in one order, so two saves never deadlock."""
    for kind in WORKER_KINDS:
        if kind in choices:
            by_sms, by_email = choices[kind]
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"sms": bool(by_sms), "email": bool(by_email)}
            )


def notify(
    *,
    recipient: User,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    kind: str = Notification.Kind.GENERAL,
    sms: tuple[str, dict[str, str]] | None = None,
) -> Notification:
    """Tell a user something in the site and, once the transaction commits, by e-mail if they have one and by
    SMS to a verified number, as they chose for this kind (`channels`). `sms` is the template and parameters
    of the text message (default: the "notice" template with the title; see `notice_sms`); `email=False`
    never e-mails."""
    notification = Notification.objects.create(
        recipient=recipient, title=title, body=body, url=url, kind=kind
    )
    if _unmailed.get():
        return notification
    can_email = email and bool(recipient.email)
    can_text = kind in WORKER_KINDS and recipient.phone_verified
    if not (can_email or can_text):
        return notification  # no channel beyond the site: the preferences need not be read
    by_sms, by_email = channels(recipient, kind)
    if can_email and by_email:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    if can_text and by_sms:
        template, params = sms or ("notice", {"title": title})
        texting.send_sms(
            phone=recipient.phone, template=template, params=params, recipient=recipient, kind=kind
        )
    return notification


def notice_sms(title: str, /, **parts: object) -> tuple[str, dict[str, str]]:
    """The "notice" text message (`notify(sms=...)`) with `title` (lazy, `%(name)s` placeholders) in the
    city's language, the registered template's, whatever the language of the page that caused it. The parts
    are shortened, longest first and marked "…", until the title fits a provider variable (35 characters), so
    "Employer invites you to an interview: job" keeps both names rather than losing its end."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(title)
        values = {name: str(value) for name, value in parts.items()}
    lengths = {name: len(value) for name, value in values.items()}

    def fill() -> str:
        return text % {
            name: value if len(value) <= lengths[name] else value[: lengths[name] - 1] + "…"
            for name, value in values.items()
        }

    filled = fill()
    while len(filled) > sms_templates.VARIABLE_MAX_LENGTH and lengths and max(lengths.values()) > 4:
        longest = max(lengths, key=lengths.get)
        lengths[longest] -= 1
        filled = fill()
    return "notice", {"title": sms_templates.clip(filled)}


def _queue_email(notification_id: int) -> None:
    """Hand the e-mail to the task queue. When the queue is unreachable the notification is still in the
    site (its `emailed_at` stays empty) and the page that caused it does not fail."""
    from laborbrand.accounts.tasks import send_notification_email

    try:
        send_notification_email.delay(notification_id)
    except (KombuError, RedisError, OSError):
        logger.warning("notification %s not e-mailed: the task queue is unreachable", notification_id)


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: User) -> int:
    return user.notifications.unread().update(read_at=timezone.now())


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    real_name: str = "",
    phone: str = "",
    id_number: str = "",
    county=None,
    department: str = "",
    privacy_consent: bool = False,
    phone_verified: bool = False,
) -> User:
    user = User(
        username=username,
        role=role,
        email=email,
        real_name=real_name,
        phone=pii.normalize_phone(phone) if phone else "",
        id_number=pii.normalize_id_number(id_number) if id_number else "",
        county=county,
        department=department,
        privacy_consent_at=timezone.now() if privacy_consent else None,
        phone_verified_at=timezone.now() if phone and phone_verified else None,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user


@transaction.atomic
def worker_record_claim(
    *, record: User, username: str = "", phone: str, email: str = "", password_hash: str | None = None
) -> User:
    """The owner of a worker record without a sign-in (laborbrand/accounts/records.py) registers: the same
    row becomes their account — a user name (the record's generated one when none is given), the verified
    phone, the privacy consent, the password hash if any — so the practitioner entries, enrolments and
    certificates kept for them stay theirs. The record's name and ID number stay as they are. Raises
    InvalidTransition when someone registered with it a moment ago; IntegrityError when the user name or
    phone was taken meanwhile."""
    claimed = User.objects.select_for_update().get(pk=record.pk)
    if claimed.registered:
        raise InvalidTransition(
            _("An account with this ID number already exists. Each person may register once.")
        )
    now = timezone.now()
    claimed.username = username or claimed.username
    claimed.email = email
    claimed.phone = pii.normalize_phone(phone)
    claimed.phone_verified_at = now
    claimed.privacy_consent_at = now
    claimed.registered = True
    if password_hash is not None:
        claimed.password = password_hash
    claimed.save(
        update_fields=[
            "username",
            "email",
            "phone",
            "phone_verified_at",
            "privacy_consent_at",
            "registered",
            "password",
        ]
    )
    return claimed


@transaction.atomic
def worker_register(
    *,
    username: str,
    password_hash: str,
    real_name: str,
    id_number: str,
    phone: str,
    email: str = "",
) -> User:
    """Open the account of a worker whose number the registration code just verified — or, when a record
    without a sign-in holds their ID number under the same name, take that record over
    (`worker_record_claim`). The password was hashed at the first step and is never kept in clear; a blank
    user name gets a generated one. Raises InvalidTransition or IntegrityError when the ID number, phone or
    user name was registered in the meantime."""
    record = claimable_record(real_name=real_name, id_number=id_number)
    if record is not None:
        user = worker_record_claim(
            record=record, username=username, phone=phone, email=email, password_hash=password_hash
        )
    else:
        user = user_create(
            username=username or generated_username(),
            password=None,
            role=User.Role.WORKER,
            email=email,
            real_name=real_name,
            phone=phone,
            id_number=id_number,
            privacy_consent=True,
            phone_verified=True,
        )
        user.password = password_hash
        user.save(update_fields=["password"])
    notify(
        recipient=user,
        title=_("Welcome to the labour-brand employment service portal"),
        body=_(
            "Your worker account is ready. Keep your profile up to date so employers and training "
            "institutions can find you."
        ),
    )
    return user


@transaction.atomic
def official_create(
    *, username: str, password: str, real_name: str, county, email: str = "", phone: str = ""
) -> User:
    user = user_create(
        username=username,
        password=password,
        role=User.Role.COUNTY_OFFICIAL,
        email=email,
        real_name=real_name,
        phone=phone,
        county=county,
    )
    notify(
        recipient=user,
        title=_("Your county official account has been created"),
        body=_(
            "The city bureau created an official account for %(county)s. Please change the initial "
            "password after you first sign in."
        )
        % {"county": county.name},
    )
    return user


def official_update(*, official: User, real_name: str, county, email: str, phone: str) -> User:
    official.real_name = real_name
    official.county = county
    official.email = email
    official.phone = pii.normalize_phone(phone) if phone else ""
    official.save(update_fields=["real_name", "county", "email", "phone"])
    return official


def staff_set_active(*, account: User, active: bool) -> User:
    """Deactivate or reactivate a staff account the city manages (an official's, a leading-group member's):
    accounts are never deleted, so their history stays."""
    account.is_active = active
    account.save(update_fields=["is_active"])
    return account


@transaction.atomic
def leading_member_create(
    *, username: str, password: str, real_name: str, department: str, email: str = ""
) -> User:
    user = user_create(
        username=username,
        password=password,
        role=User.Role.LEADING_GROUP,
        email=email,
        real_name=real_name,
        department=department,
    )
    notify(
        recipient=user,
        title=_("Your leading-group account has been created"),
        body=_(
            "The city bureau created a read-only account for you: the programme's dashboards, records and "
            "monthly reports. Please change the initial password after you first sign in."
        ),
    )
    return user


def leading_member_update(*, member: User, real_name: str, department: str, email: str) -> User:
    member.real_name = real_name
    member.department = department
    member.email = email
    member.save(update_fields=["real_name", "department", "email"])
    return member


@transaction.atomic
def organisation_staff_register(*, account: dict, organisation, role: str, welcome: str) -> User:
    """Register an organisation (its ModelForm, saved here) with its first staff account, and welcome them.

    Used by institutions (training) and employers (jobs), which pass their own role and welcome text.
    """
    org = organisation.save()
    user = user_create(
        username=account["username"],
        password=account["password1"],
        role=role,
        email=account.get("email", ""),
        real_name=org.contact_name,
    )
    org.staff.add(user)
    notify(
        recipient=user,
        title=_("Welcome to the labour-brand employment service portal"),
        body=welcome % {"name": org.name},
    )
    return user


def notify_many(
    *,
    notices: list[tuple[int, str, str, str, tuple[str, dict[str, str]] | None]],
    kind: str = Notification.Kind.GENERAL,
) -> list[Notification]:
    """`notify` for many recipients at once (the job alerts): `notices` are (recipient id, title, body, url,
    sms) with `sms` as notify's. The notifications are created in bulk; each recipient's channels follow
    `channels`' rules, with every recipient's preference for the kind read in one query; e-mails are queued
    after the transaction commits, texts through texting.send_sms (held in the quiet hours, within budget)."""
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient_id=recipient_id, title=title, body=body, url=url, kind=kind)
            for recipient_id, title, body, url, _sms in notices
        ],
        batch_size=2000,
    )
    if _unmailed.get() or not notices:
        return notifications
    ids = {notice[0] for notice in notices}
    # As channels(): no preference row means the kind's defaults; other kinds are e-mail only.
    preferences = {}
    if kind in WORKER_KINDS:
        preferences = {
            user_id: (sms, email)
            for user_id, sms, email in NotificationPreference.objects.filter(
                user_id__in=ids, kind=kind
            ).values_list("user_id", "sms", "email")
        }
    default = (DEFAULT_SMS[kind], True) if kind in WORKER_KINDS else (False, True)
    by_email = {user_id for user_id in ids if preferences.get(user_id, default)[1]}
    by_sms = {user_id for user_id in ids if preferences.get(user_id, default)[0]}
    with_address = set(User.objects.filter(pk__in=by_email).exclude(email="").values_list("pk", flat=True))
    mailed = [n.pk for n in notifications if n.recipient_id in with_address]
    if mailed:
        transaction.on_commit(lambda: [_queue_email(pk) for pk in mailed])
    if by_sms:
        # Only these recipients' phone numbers are read (and decrypted).
        phones = {
            user.pk: user
            for user in User.objects.filter(pk__in=by_sms, phone_verified_at__isnull=False).only(
                "pk", "phone", "phone_verified_at"
            )
            if user.phone_verified
        }
        for recipient_id, title, _body, _url, sms in notices:
            if (user := phones.get(recipient_id)) is not None:
                template, params = sms or ("notice", {"title": title})
                texting.send_sms(
                    phone=user.phone, template=template, params=params, recipient=user, kind=kind
                )
    return notifications
