"""Help at a county's service counter (线下): a county official registers a worker who is present with their
ID card, and applies to a job on a worker's behalf. Each act needs a fresh code sent to the worker's phone,
which the worker reads out as their consent; each is recorded as a CounterAct in the same transaction, and
shown to the worker (docs/decisions.md, "Issue 15: Service counter").

Who may work the counter is decided here (`may_work_counter`), with the scoping of the record
(`visible_counter_acts`); the views enter through the same roles.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import services
from jobs.models import Application, CounterAct, JobPosting, WorkerProfile
from jobs.permissions import public_postings
from laborbrand.accounts import codes, pii, sealed, texting
from laborbrand.accounts.models import PhoneCode, User
from laborbrand.accounts.records import claimable_record
from laborbrand.accounts.services import generated_username, notify, user_create, worker_record_claim
from laborbrand.exceptions import InvalidTransition

logger = logging.getLogger(__name__)

Role = User.Role
Kind = CounterAct.Kind

# Who works the counter (acts for workers), and who reads the counter's record.
COUNTER_ROLES = (Role.COUNTY_OFFICIAL,)
RECORD_ROLES = (Role.COUNTY_OFFICIAL, Role.CITY_ADMIN)


class CodeRejected(InvalidTransition):
    """The code typed in is not the worker's newest unused code for this act, or it expired."""


def may_work_counter(user: User) -> bool:
    return user.is_authenticated and user.role in COUNTER_ROLES and user.county_id is not None


def _assert_counter_staff(staff: User) -> None:
    if not may_work_counter(staff) or not staff.is_active:
        raise PermissionDenied


def visible_counter_acts(user: User) -> QuerySet[CounterAct]:
    """The counter's record: an official sees their county's acts, a city admin every county's, a worker the
    acts done for them; nobody else any."""
    acts = CounterAct.objects.select_related("staff", "worker", "county", "posting", "posting__employer")
    if not user.is_authenticated:
        return acts.none()
    if user.role == Role.CITY_ADMIN:
        return acts
    if user.role == Role.COUNTY_OFFICIAL:
        return acts.filter(county_id=user.county_id)
    if user.role == Role.WORKER:
        return acts.filter(worker=user)
    return acts.none()


def counter_place(county) -> str:
    """How the counter names itself on the pages."""
    return _("%(county)s service counter") % {"county": county.name}


def sms_place(county) -> str:
    """The welcome SMS's place: its template is registered with the provider in Chinese, whatever language
    the official's pages are in."""
    return f"{county.name}服务窗口"


def registration_consent_text(county) -> str:
    """What the official reads to the worker before the worker reads out the code."""
    return _(
        "I ask the %(place)s to open an account for me on the labour-brand employment service portal, with "
        "my real name, my ID number and this mobile number, which is mine. I have been told the privacy "
        "notice and agree to the processing of my personal information described there. I give this "
        "consent by reading out the code sent to my phone."
    ) % {"place": counter_place(county)}


def registration_subject(id_number: str) -> str:
    """Binds a registration code to the person (their ID number, as a keyed hash) as well as the phone."""
    return "register:" + pii.pii_hash(pii.normalize_id_number(id_number))[:40]


def on_behalf_subject(*, posting: JobPosting, worker: User) -> str:
    return f"apply:{posting.pk}:{worker.pk}"


def sms_site() -> str:
    """The portal's address as the welcome SMS gives it: the site alone (a template variable holds at most
    35 characters), whose sign-in page offers the code sign-in."""
    return settings.SITE_URL.rstrip("/")


# --- The pending registration, kept in the session between the two steps -----------------------------------

PENDING_REGISTRATION = "counter.registration"


def pending_registration_save(session, data: dict) -> None:
    sealed.save(session, PENDING_REGISTRATION, data)


def pending_registration(session) -> dict | None:
    return sealed.load(session, PENDING_REGISTRATION)


def pending_registration_clear(session) -> None:
    session.pop(PENDING_REGISTRATION, None)


# --- Registering a worker -----------------------------------------------------------------------------------


def registration_request_code(*, staff: User, phone: str, id_number: str) -> PhoneCode:
    """Send the consent code to the phone of the person at the counter. Raises CodeRefused (the resend wait,
    the phone's daily cap). Staff are signed in and named, so no address cap or image challenge applies; the
    phone's own limits do."""
    _assert_counter_staff(staff)
    logger.info("counter code (registration) asked by staff %s", staff.pk)
    return codes.request_code(
        phone=phone, purpose=PhoneCode.Purpose.COUNTER, address=None, subject=registration_subject(id_number)
    )


def worker_register_at_counter(
    *,
    staff: User,
    code: str,
    real_name: str,
    id_number: str,
    phone: str,
    home_county,
    desired_occupations,
) -> User:
    """Open the account of the worker at the counter once they read out the code sent to their phone: the
    phone is verified by it, the account has no password (the worker signs in by code), the privacy consent
    the official read is recorded, and a first-sign-in SMS goes out. Raises CodeRejected,
    InvalidTransition."""
    _assert_counter_staff(staff)
    # The code is checked (and its try counted) before the transaction, so a refusal below cannot undo it.
    if not codes.check_code(
        phone=phone, purpose=PhoneCode.Purpose.COUNTER, code=code, subject=registration_subject(id_number)
    ):
        raise CodeRejected(
            _("The code is wrong or has expired. Check it with the worker, or send a new one.")
        )
    with transaction.atomic():
        # A record without a sign-in under the same name is taken over: its register entries, enrolments and
        # certificates stay the worker's (laborbrand/accounts/records.py).
        record = claimable_record(real_name=real_name, id_number=id_number)
        if record is None and User.objects.by_id_number(id_number).exists():
            raise InvalidTransition(
                _("An account with this ID number already exists. Each person may register once.")
            )
        if User.objects.by_phone(phone).exists():
            raise InvalidTransition(_("This mobile number is already registered."))
        if record is not None:
            worker = worker_record_claim(record=record, phone=phone)
        else:
            worker = user_create(
                username=generated_username(),
                password=None,
                role=Role.WORKER,
                real_name=real_name,
                phone=phone,
                id_number=id_number,
                privacy_consent=True,
                phone_verified=True,
            )
        services.profile_save(
            user=worker,
            desired_occupations=desired_occupations,
            preferred_provinces=[],
            home_county=home_county,
        )
        CounterAct.objects.create(staff=staff, worker=worker, kind=Kind.REGISTERED, county=staff.county)
        notify(
            recipient=worker,
            title=_("Welcome to the labour-brand employment service portal"),
            body=_(
                "%(staff)s opened your account at the %(place)s. Sign in with your mobile number and a code "
                "sent to it."
            )
            % {"staff": staff.display_name, "place": counter_place(staff.county)},
            url=reverse("jobs:counter_done_for_me"),
            email=False,
        )
        # Sent at once, like a code: the worker is at the counter and learns here how to sign in.
        texting.send_sms(
            phone=worker.phone,
            template="welcome",
            params={"place": sms_place(staff.county), "site": sms_site()},
            recipient=worker,
            kind="welcome",
            urgent=True,
        )
    return worker


# --- Acting on a worker's behalf ----------------------------------------------------------------------------


def _counter_workers():
    """Workers the counter acts for: registered ones (a record without a sign-in has no phone to consent
    with; registering the person at the counter takes it over)."""
    return User.objects.with_role(Role.WORKER).active().filter(registered=True)


def find_worker(number: str) -> User | None:
    """The active registered worker with exactly this mobile number or ID number (no browsing)."""
    return _counter_workers().by_id_or_phone(number).first()


def counter_worker(pk: int | None) -> User | None:
    if not pk:
        return None
    return _counter_workers().filter(pk=pk).first()


def counter_posting(pk: int | None) -> JobPosting | None:
    if not pk:
        return None
    return public_postings().select_related("employer").filter(pk=pk).first()


def _assert_may_apply(worker: User, posting: JobPosting) -> None:
    """The apply service's rules, worded for the official, checked before a code is spent on them."""
    if not worker.phone_verified:
        raise InvalidTransition(
            _("This worker's mobile number is not verified, so no code can be sent to it for their consent.")
        )
    if Application.objects.filter(posting=posting, worker=worker).exists():
        raise InvalidTransition(_("This worker has already applied to this job."))
    if not posting.accepts_applications:
        raise InvalidTransition(_("This job is no longer taking applications."))
    profile = WorkerProfile.objects.filter(user=worker).first()
    if profile is None or not profile.is_complete:
        raise InvalidTransition(
            _(
                "This worker's profile has no home county or desired occupation yet; the worker completes it "
                "after signing in, then can apply."
            )
        )


def apply_request_code(*, staff: User, worker: User, posting: JobPosting) -> PhoneCode:
    """Send the worker a code for this one application (bound to the posting and the worker). Raises
    InvalidTransition when the application could not be made, CodeRefused when no code can be sent now."""
    _assert_counter_staff(staff)
    _assert_may_apply(worker, posting)
    logger.info("counter code (application %s) asked by staff %s", posting.pk, staff.pk)
    return codes.request_code(
        phone=worker.phone,
        purpose=PhoneCode.Purpose.ON_BEHALF,
        address=None,
        subject=on_behalf_subject(posting=posting, worker=worker),
        recipient=worker,
    )


COUNTER_CONSENT_NOTE = gettext_lazy(
    "Given at the %(place)s, read out to %(staff)s with a code sent to the worker's mobile number."
)


def apply_at_counter(*, staff: User, worker: User, posting: JobPosting, code: str) -> Application:
    """Apply for the worker with the separate consent they gave at the counter (the same consent text as an
    application of their own, with where and to whom it was given), through the apply service. Only the
    fresh code sent for this posting and this worker confirms it, whichever county the worker is from."""
    _assert_counter_staff(staff)
    if worker.role != Role.WORKER or not worker.phone_verified:
        raise PermissionDenied
    if not codes.check_code(
        phone=worker.phone,
        purpose=PhoneCode.Purpose.ON_BEHALF,
        code=code,
        subject=on_behalf_subject(posting=posting, worker=worker),
    ):
        raise CodeRejected(
            _("The code is wrong or has expired. Check it with the worker, or send a new one.")
        )
    with transaction.atomic():
        application = services.application_submit(posting=posting, worker=worker, consent=True)
        note = COUNTER_CONSENT_NOTE % {"place": counter_place(staff.county), "staff": staff.display_name}
        application.consent_text = f"{application.consent_text} {note}"
        application.save(update_fields=["consent_text"])
        CounterAct.objects.create(
            staff=staff,
            worker=worker,
            kind=Kind.APPLIED,
            posting=posting,
            application=application,
            county=staff.county,
        )
        notify(
            recipient=worker,
            title=_("%(staff)s applied to “%(title)s” for you at the %(place)s")
            % {"staff": staff.display_name, "title": posting.title, "place": counter_place(staff.county)},
            url=reverse("jobs:counter_done_for_me"),
        )
    return application
