"""Date windows: every date a user types is refused before the portal's records could exist and absurdly far
ahead (docs/decisions.md, "Bad data refused").

One validator, `DateWindow`, sits on each model date field and carries that field's window. ModelForms
enforce it through the model's field validation; plain forms build their date fields with `window_date_field`;
services that are called directly (the demo data, other services) call `check_dates`. `DateWindowsMixin`
gives every windowed date input the window as its `min` and `max`, so the browser's date picker offers
nothing else.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laborbrand.exceptions import InvalidTransition

# No record the portal keeps can be older than this: it leaves room for old partner agreements and history
# brought in from paper, and catches the slips people make (0001, 1900, a two-digit year read as 00xx).
RECORDS_START = datetime.date(2000, 1, 1)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


@deconstructible
class DateWindow:
    """A date from RECORDS_START up to `years_ahead` years after today (0: not in the future). The window
    moves with today, so a date that was valid when saved stays valid."""

    def __init__(self, *, years_ahead: int = 0):
        self.years_ahead = years_ahead

    def __eq__(self, other) -> bool:
        return isinstance(other, DateWindow) and other.years_ahead == self.years_ahead

    def __hash__(self) -> int:
        return hash(self.years_ahead)

    def __repr__(self) -> str:
        return f"DateWindow(years_ahead={self.years_ahead})"

    @property
    def earliest(self) -> datetime.date:
        return RECORDS_START

    @property
    def latest(self) -> datetime.date:
        return add_years(timezone.localdate(), self.years_ahead)

    def __call__(self, value: datetime.date) -> None:
        if value < self.earliest:
            raise ValidationError(
                _("Enter a date from %(earliest)s on: the portal keeps no records from before then.")
                % {"earliest": self.earliest.isoformat()},
                code="too_early",
            )
        if value > self.latest:
            if self.years_ahead == 0:
                raise ValidationError(_("The date cannot be in the future."), code="future")
            raise ValidationError(
                ngettext(
                    "Enter a date at most %(years)d year ahead, on or before %(latest)s.",
                    "Enter a date at most %(years)d years ahead, on or before %(latest)s.",
                    self.years_ahead,
                )
                % {"years": self.years_ahead, "latest": self.latest.isoformat()},
                code="too_late",
            )


def windows_of(field) -> list[DateWindow]:
    return [v for v in getattr(field, "validators", []) if isinstance(v, DateWindow)]


def window_date_field(model: type[models.Model], name: str, **kwargs) -> forms.DateField:
    """A plain form's date field with the window of the model field it ends up in."""
    model_field = model._meta.get_field(name)
    kwargs.setdefault("label", capfirst(model_field.verbose_name))
    return forms.DateField(
        validators=windows_of(model_field),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class DateWindowsMixin:
    """Sets each windowed date input's `min` and `max` (per request: the window moves with today)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            if not isinstance(field, forms.DateField):
                continue
            windows = windows_of(field)
            if not windows and model is not None:
                try:
                    windows = windows_of(model._meta.get_field(name))
                except LookupError:
                    windows = []
            if windows:
                field.widget.attrs["min"] = max(w.earliest for w in windows).isoformat()
                field.widget.attrs["max"] = min(w.latest for w in windows).isoformat()


def check_dates(instance: models.Model, *names: str) -> None:
    """Raise InvalidTransition, naming each field, when a date of `instance` (all its windowed date fields,
    or those named) is outside its window."""
    problems = []
    for field in instance._meta.concrete_fields:
        if names and field.name not in names:
            continue
        value = getattr(instance, field.attname)
        if not isinstance(field, models.DateField) or value is None:
            continue
        for window in windows_of(field):
            try:
                window(value)
            except ValidationError as exc:
                problems.extend(
                    _("%(field)s: %(error)s") % {"field": capfirst(field.verbose_name), "error": message}
                    for message in exc.messages
                )
    if problems:
        raise InvalidTransition(" ".join(problems))
