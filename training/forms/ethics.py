"""An ethics session and its attendance: attendees ticked or typed on the session's page, or a row of an
attendance sheet; both name people by the same rules (training.forms.common)."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laborbrand.accounts.models import User
from laborbrand.dates import DateWindowsMixin
from laborbrand.forms import KeyMultipleChoiceField, ModelForm
from training.forms.common import (
    NamedWorker,
    NamedWorkerForm,
    find_worker,
    identify_worker,
    refusal_as_error,
)
from training.models import (
    EthicsSession,
)
from training.permissions import ethics_session_brands
from training.services.ethics import check_attendance_open

# A typed line: a number alone, or a name and an ID number in either order (two columns pasted from a sheet
# arrive separated by a tab). A number starts with a digit (or + and brackets) and holds only digits, X and
# what people put between digits; the name is the rest, without the separators around it.
_NUMBER = r"[+(]*\d[\dXx\s\-\u2010-\u2015\u2212.()+]*"
_BETWEEN = r"[\s,;:，、；：]+"
NAME_THEN_NUMBER_RE = re.compile(rf"^(?P<name>.*?\D){_BETWEEN}?(?P<number>{_NUMBER})$")
NUMBER_THEN_NAME_RE = re.compile(rf"^(?P<number>{_NUMBER}){_BETWEEN}(?P<name>\D.*)$")


def split_line(line: str) -> tuple[str, str]:
    """(name, number) of a typed attendance line; the name is "" when the line is a number alone."""
    line = unicodedata.normalize("NFKC", line).strip()
    if re.fullmatch(_NUMBER, line):
        return "", line
    match = NAME_THEN_NUMBER_RE.match(line) or NUMBER_THEN_NAME_RE.match(line)
    if match is None:
        return "", line
    name = match["name"].strip(" \t,;:，、；：")
    return name, match["number"].strip()


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
        help_text=_(
            "One attendee per line: the ID or mobile number of a worker account, or, for someone without an "
            "account, the real name and the ID number (two columns pasted from a sheet will do)."
        ),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = candidates
        self.fields["workers"].label_from_instance = lambda user: user.display_name

    def clean_identifiers(self):
        lines = [line.strip() for line in self.cleaned_data["identifiers"].splitlines() if line.strip()]
        if len(lines) > 200:
            raise ValidationError(_("Enter at most 200 numbers at a time."), code="too_many")
        found: list[User] = []
        to_open: list[NamedWorker] = []
        missing, errors = [], []
        for number, line in enumerate(lines, start=1):
            name, typed = split_line(line)
            if not name:
                # A number alone names an account, as it always did; its refusals are gathered on one line.
                worker = find_worker(typed)
                if worker is None:
                    missing.append(str(number))
                else:
                    found.append(worker)
                continue
            try:
                named = identify_worker(typed, name)
            except ValidationError as error:
                errors.extend(
                    ValidationError(
                        _("Line %(line)s: %(error)s") % {"line": number, "error": message}, code=e.code
                    )
                    for e in error.error_list
                    for message in e
                )
                continue
            if named.worker is not None:
                found.append(named.worker)
            else:
                to_open.append(named)
        if missing:
            errors.insert(
                0,
                ValidationError(
                    _("No worker account has the number on line %(lines)s; nothing was recorded.")
                    % {"lines": ", ".join(missing)},
                    code="not_found",
                ),
            )
        if errors:
            raise ValidationError(errors)
        self.typed_workers = found
        self.typed_people = to_open
        return self.cleaned_data["identifiers"]

    def clean(self):
        data = super().clean()
        typed = [*getattr(self, "typed_workers", []), *getattr(self, "typed_people", [])]
        if not self.errors and not data.get("workers") and not typed:
            raise ValidationError(_("Tick or enter at least one attendee."), code="empty")
        return data

    def attendees(self) -> list[User]:
        return [*self.cleaned_data["workers"], *self.typed_workers]

    def people(self) -> list[tuple[str, str]]:
        """(real name, ID number) of the typed attendees who have no worker record yet: the service opens
        theirs."""
        return [(p.real_name, p.id_number) for p in self.typed_people]


class AttendanceRowForm(NamedWorkerForm):
    """An attendance sheet's row: the person attended the session (which must have taken place). An attendee
    already recorded is found (`cleaned_data["attendance"]`) and left as they are."""

    def __init__(self, *args, session: EthicsSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session

    def clean(self):
        with refusal_as_error("not_held"):
            check_attendance_open(self.session)
        data = super().clean()
        named = data.get("named")
        if named is not None:
            data["attendance"] = (
                self.session.attendance.filter(worker=named.worker).first() if named.worker else None
            )
        return data
