"""What several training forms share: an upload judged by its content, a worker account found by ID or
mobile number, a person named by real name and ID number (who may have no account yet), a score field, a
service's refusal told as a form error."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from laborbrand.accounts import pii
from laborbrand.accounts.models import User
from laborbrand.accounts.records import known_worker
from laborbrand.exceptions import InvalidTransition
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH
from training.services.admission import ATTACHMENT_MAX_BYTES


def checked_upload(upload, *, allowed: dict[str, str]) -> str:
    """The MIME type of an upload judged by its content, not its name; raise if empty, too big or not allowed.

    `allowed` maps MIME type to a readable name for the error message.
    """
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; at most %(max)s is allowed.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(ATTACHMENT_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in allowed:
        raise ValidationError(
            _("This file is not a %(kinds)s file.") % {"kinds": " / ".join(allowed.values())},
            code="file_type",
        )
    return kind.mime


def find_worker(identifier: str) -> User | None:
    """The active worker account with this ID number or mobile number."""
    return User.objects.with_role(User.Role.WORKER).active().by_id_or_phone(identifier).first()


class WorkerLookupMixin:
    """A form whose `identifier` field names a worker account by ID or mobile number; sets `self.worker`."""

    def clean_identifier(self):
        value = self.cleaned_data["identifier"].strip()
        self.worker = find_worker(value)
        if self.worker is None:
            raise ValidationError(_("No worker account has this ID or mobile number."), code="not_found")
        return value


def score_form_field(label: str, initial=None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, max_digits=4, decimal_places=1, initial=initial
    )


# --- A person named by staff: an account, or a record to open ------------------------------------------

REAL_NAME_MAX_LENGTH = 50


@dataclass(frozen=True)
class NamedWorker:
    """Whom staff named on a form or in a sheet: the worker found (`worker`: an account or a record without a
    sign-in), or — `worker` None — someone unknown yet, whose worker record the service opens with this real
    name and ID number."""

    worker: User | None
    real_name: str = ""
    id_number: str = ""


def clean_real_name(value: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise ValidationError(_("Enter the real name."), code="required")
    return name


def named_worker(*, real_name: str, id_number: str) -> NamedWorker:
    """The person with this real name and ID number (call with a number pii.validate_id_number accepted):
    the worker with the number, whose name must be this one (records.known_worker: a staff account's number
    or another name is refused), or someone whose record is yet to be opened."""
    return NamedWorker(known_worker(real_name=real_name, id_number=id_number), real_name, id_number)


def identify_worker(number: str, real_name: str = "") -> NamedWorker:
    """The rule of every page where staff name one person: without a name, the ID or mobile number of an
    active worker account (find_worker); with a name, a valid ID number, as a row of a sheet names people
    (named_worker), so someone without an account can be recorded too."""
    real_name = " ".join((real_name or "").split())
    if not real_name:
        worker = find_worker(number)
        if worker is None:
            raise ValidationError(
                _(
                    "No worker account has this ID or mobile number. To record someone without an account, "
                    "give their real name with their ID number."
                ),
                code="not_found",
            )
        return NamedWorker(worker)
    if pii.is_mobile(number):
        raise ValidationError(
            _("With a real name, give the ID number, not the mobile number."), code="name_with_phone"
        )
    return named_worker(real_name=real_name, id_number=pii.validate_id_number(number))


# Which field a refusal of identify_worker / named_worker belongs to; the rest concern the number.
NAME_ERROR_CODES = frozenset({"name_mismatch"})


def identity_error_field(error: ValidationError, *, number_field: str, name_field: str) -> str:
    codes = {e.code for e in error.error_list}
    return name_field if codes & NAME_ERROR_CODES else number_field


class NamedWorkerForm(forms.Form):
    """One person named by real name and ID number, as a row of a class roster, a results sheet or an
    attendance sheet names them. Valid, `cleaned_data["named"]` is the NamedWorker."""

    real_name = forms.CharField(label=_("Real name"), max_length=REAL_NAME_MAX_LENGTH)
    id_number = forms.CharField(
        label=_("National ID number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_real_name(self) -> str:
        return clean_real_name(self.cleaned_data["real_name"])

    def clean_id_number(self) -> str:
        return pii.validate_id_number(self.cleaned_data["id_number"])

    def clean(self):
        data = super().clean()
        if "real_name" in data and "id_number" in data:
            try:
                data["named"] = named_worker(real_name=data["real_name"], id_number=data["id_number"])
            except ValidationError as error:
                field = identity_error_field(error, number_field="id_number", name_field="real_name")
                self.add_error(field, error)
        return data


@contextmanager
def refusal_as_error(code: str) -> Iterator[None]:
    """A service's check (InvalidTransition) told as a form error, so a form refuses what the service would:
    `with refusal_as_error("full"): check_walk_in(program, worker)` inside a form's clean()."""
    try:
        yield
    except InvalidTransition as exc:
        raise ValidationError(str(exc), code=code) from exc
