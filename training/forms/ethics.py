"""An ethics session and its attendance."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laborbrand.accounts.models import User
from laborbrand.dates import DateWindowsMixin
from laborbrand.forms import KeyMultipleChoiceField, ModelForm
from training.forms.common import find_worker
from training.models import (
    EthicsSession,
)
from training.permissions import ethics_session_brands


class EthicsSessionForm(DateWindowsMixin, ModelForm):
    class Meta:
        model = EthicsSession
        fields = ["held_on", "topic", "speaker", "speaker_title", "place", "hours", "brands"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "brands": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brands"].queryset = ethics_session_brands(user).select_related("county")


class AttendanceForm(forms.Form):
    """Many attendees at once: tick trainees of the session's brands, or type others' numbers."""

    workers = KeyMultipleChoiceField(
        label=_("Trainees of the session's brands"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    identifiers = forms.CharField(
        label=_("Other attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("ID numbers or mobile numbers of worker accounts, one per line."),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = candidates
        self.fields["workers"].label_from_instance = lambda user: user.display_name

    def clean_identifiers(self):
        lines = [line.strip() for line in self.cleaned_data["identifiers"].splitlines() if line.strip()]
        if len(lines) > 200:
            raise ValidationError(_("Enter at most 200 numbers at a time."), code="too_many")
        found, missing = [], []
        for number, line in enumerate(lines, start=1):
            worker = find_worker(line)
            if worker is None:
                missing.append(str(number))
            else:
                found.append(worker)
        if missing:
            raise ValidationError(
                _("No worker account has the number on line %(lines)s; nothing was recorded.")
                % {"lines": ", ".join(missing)},
                code="not_found",
            )
        self.typed_workers = found
        return self.cleaned_data["identifiers"]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("workers") and not getattr(self, "typed_workers", []):
            raise ValidationError(_("Tick or enter at least one attendee."), code="empty")
        return data

    def attendees(self) -> list[User]:
        return [*self.cleaned_data["workers"], *self.typed_workers]
