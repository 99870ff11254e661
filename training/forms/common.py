"""What several training forms share: an upload judged by its content, a worker account found by ID or
mobile number, a score field."""

from __future__ import annotations

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from laborbrand.accounts.models import User
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
