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
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from laborbrand.accounts import pii
from laborbrand.accounts.models import User

BATCH_SIZE = 1000


def generated_username() -> str:
    """A user name for a worker who has none (left blank at registration, opened at a counter, or a record
    opened from a staff list): "w" and 8 digits, unused in any case. Workers sign in with their phone; the
    name is shown to them."""
    while True:
        username = _username_candidate()
        if not User.objects.filter(username__iexact=username).exists():
            return username


def _username_candidate() -> str:
    return "w" + "".join(secrets.choice(string.digits) for _ in range(8))


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


# What a look-up of a worker by ID number reads: enough to vet the name and role.
VETTED_FIELDS = ("pk", "role", "real_name", "registered")


def vetted_worker(worker: User, *, real_name: str) -> User:
    """`worker` (found by ID number) when it is a worker under this name; else ValidationError, as
    `known_worker` raises it."""
    if worker.role != User.Role.WORKER:
        raise ValidationError(
            _("This ID number belongs to a staff account, not to a worker."), code="id_number_staff"
        )
    if not _same_name(worker.real_name, real_name):
        raise ValidationError(
            _("The name does not match the name registered with this ID number."), code="name_mismatch"
        )
    return worker


def known_worker(*, real_name: str, id_number: str) -> User | None:
    """The worker record with this ID number (registered or not), or None when there is none yet.

    Raises ValidationError when the number belongs to a staff account, or to a worker under another name:
    the same check a form makes, so a list with a typing error in either column is refused, not merged into
    someone else's record. The message does not say whose the number is."""
    worker = User.objects.by_id_number(id_number).only(*VETTED_FIELDS).first()
    return None if worker is None else vetted_worker(worker, real_name=real_name)


def users_by_id_number(id_numbers: Iterable[str]) -> dict[str, User]:
    """The accounts and records holding these ID numbers (normalised, as validate_id_number returns them), by
    number, read in one query: an import looks up a thousand rows at once, then vets each row's with
    `vetted_worker`."""
    by_hash = {pii.pii_hash(number): number for number in id_numbers}
    holders = User.objects.filter(id_number_hash__in=by_hash).only(*VETTED_FIELDS, "id_number_hash")
    return {by_hash[holder.id_number_hash]: holder for holder in holders}


def new_worker_record(*, real_name: str, id_number: str) -> User:
    """A record without a sign-in for a person a staff list names, not saved yet: `worker_record` saves one,
    `open_worker_records` many."""
    id_number = pii.normalize_id_number(id_number)
    record = User(role=User.Role.WORKER, real_name=real_name.strip(), id_number=id_number, registered=False)
    record.set_unusable_password()
    return record


def worker_record(*, real_name: str, id_number: str) -> tuple[User, bool]:
    """The worker with this ID number and name, opening a record without a sign-in when there is none; and
    whether it was opened now. Safe when two lists name the same new person at once (the second finds the
    first's record). Raises ValidationError as `known_worker` does."""
    id_number = pii.normalize_id_number(id_number)
    real_name = real_name.strip()
    worker = known_worker(real_name=real_name, id_number=id_number)
    if worker is not None:
        return worker, False
    record = new_worker_record(real_name=real_name, id_number=id_number)
    record.username = generated_username()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        worker = known_worker(real_name=real_name, id_number=id_number)
        if worker is None:
            raise
        return worker, False
    return record, True


def open_worker_records(records: list[User], *, actor: User | None = None) -> None:
    """Save many records made by `new_worker_record` at once (an import's new people, a thousand at a time):
    each with a generated user name, in two bulk statements with their history. Raises IntegrityError when one
    of the ID numbers was registered meanwhile; the caller then opens them one by one with `worker_record`."""
    if not records:
        return
    names: set[str] = set()
    while len(names) < len(records):
        wanted = len(records) - len(names)
        candidates = {"w" + "".join(secrets.choice(string.digits) for _ in range(8)) for _ in range(wanted)}
        candidates -= names
        taken = {
            name.lower()
            for name in User.objects.filter(username__in=candidates).values_list("username", flat=True)
        }
        names |= {name for name in candidates if name not in taken}
    for record, username in zip(records, names, strict=True):
        record.username = username
        # What User.save() keeps in step, and bulk_create does not call it.
        record.id_number_hash = pii.pii_hash(record.id_number)
    bulk_create_with_history(records, User, batch_size=BATCH_SIZE, default_user=actor)


def claimable_record(*, real_name: str, id_number: str) -> User | None:
    """The unregistered record a person registering with this ID number and name takes over, if there is
    one."""
    worker = User.objects.by_id_number(id_number).filter(registered=False, role=User.Role.WORKER).first()
    if worker is not None and _same_name(worker.real_name, real_name):
        return worker
    return None
