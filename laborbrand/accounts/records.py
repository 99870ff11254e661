"""Workers known from the lists staff keep, before they register themselves.

A county's practitioner register, an institution's class roster or a list of national certificates names
people by real name and ID number. Each such person is one worker record: the account of the registered worker
with that ID number, or else a record without a sign-in (`User.registered` False: no password, no phone) that
its owner claims later by registering with the same ID number and real name and verifying their phone
(`claimable_record`, used by the registration forms). Staff lists never change a record's name or ID number,
and never touch a registered worker's account.
"""

from __future__ import annotations

import secrets
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from laborbrand.accounts import pii
from laborbrand.accounts.models import User


def generated_username() -> str:
    """A user name for a worker who has none (left blank at registration, opened at a counter, or a record
    opened from a staff list): "w" and 8 digits, unused in any case. Workers sign in with their phone; the
    name is shown to them."""
    while True:
        username = "w" + "".join(secrets.choice(string.digits) for _ in range(8))
        if not User.objects.filter(username__iexact=username).exists():
            return username


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


def known_worker(*, real_name: str, id_number: str) -> User | None:
    """The worker record with this ID number (registered or not), or None when there is none yet.

    Raises ValidationError when the number belongs to a staff account, or to a worker under another name:
    the same check a form makes, so a list with a typing error in either column is refused, not merged into
    someone else's record. The message does not say whose the number is."""
    worker = User.objects.by_id_number(id_number).only("pk", "role", "real_name", "registered").first()
    if worker is None:
        return None
    if worker.role != User.Role.WORKER:
        raise ValidationError(
            _("This ID number belongs to a staff account, not to a worker."), code="id_number_staff"
        )
    if not _same_name(worker.real_name, real_name):
        raise ValidationError(
            _("The name does not match the name registered with this ID number."), code="name_mismatch"
        )
    return worker


def worker_record(*, real_name: str, id_number: str) -> tuple[User, bool]:
    """The worker with this ID number and name, opening a record without a sign-in when there is none; and
    whether it was opened now. Safe when two lists name the same new person at once (the second finds the
    first's record). Raises ValidationError as `known_worker` does."""
    id_number = pii.normalize_id_number(id_number)
    real_name = real_name.strip()
    worker = known_worker(real_name=real_name, id_number=id_number)
    if worker is not None:
        return worker, False
    record = User(
        username=generated_username(),
        role=User.Role.WORKER,
        real_name=real_name,
        id_number=id_number,
        registered=False,
    )
    record.set_unusable_password()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        worker = known_worker(real_name=real_name, id_number=id_number)
        if worker is None:
            raise
        return worker, False
    return record, True


def claimable_record(*, real_name: str, id_number: str) -> User | None:
    """The unregistered record a person registering with this ID number and name takes over, if there is
    one."""
    worker = User.objects.by_id_number(id_number).filter(registered=False, role=User.Role.WORKER).first()
    if worker is not None and _same_name(worker.real_name, real_name):
        return worker
    return None
