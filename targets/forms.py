"""The year's targets and deadlines, as one form: a city target for every metric, every county's share of a
count (or its own rate), and the two deadlines. An empty input means the default (targets/services.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from laborbrand import metrics
from laborbrand.reference.models import County, ProgrammeYear
from targets.plan import Plan
from targets.services import Values


def plain(value: Decimal | None) -> str:
    """A target as typed: 15000, 95, 97.5 (never 15000.0)."""
    if value is None:
        return ""
    return str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize())


# Target.value holds 8 digits before the decimal point.
LARGEST = Decimal(99_999_999)


class TargetField(forms.DecimalField):
    """A target: not below zero; a rate at most 100 %, a count whole. Empty means the default."""

    def __init__(self, *, unit: str, label: str, **kwargs):
        self.unit = unit
        percent = unit == metrics.PERCENT
        widget = forms.NumberInput(
            attrs={
                "class": "form-control form-control-sm",
                "aria-label": label,
                "min": "0",
                "step": "0.1" if percent else "1",
                "inputmode": "decimal" if percent else "numeric",
                **({"max": "100"} if percent else {}),
            }
        )
        super().__init__(label=label, max_digits=9, decimal_places=1, required=False, widget=widget, **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise ValidationError(_("A target cannot be below zero."), code="negative")
        if self.unit == metrics.PERCENT and value > 100:
            raise ValidationError(_("A rate cannot be above 100 %."), code="above_100")
        if value > LARGEST:
            raise ValidationError(
                _("A target cannot be above %(largest)s.") % {"largest": plain(LARGEST)}, code="too_large"
            )
        if self.unit == metrics.COUNT and value != value.to_integral_value():
            raise ValidationError(_("A count is a whole number."), code="not_whole")


@dataclass
class PlanRow:
    """One metric's line of the form, ready for the template."""

    metric: metrics.Metric
    is_count: bool
    city: forms.BoundField
    city_is_default: bool
    counties: list[forms.BoundField]
    city_target: Decimal | None
    share_total: Decimal | None

    @property
    def shares_match(self) -> bool:
        return self.share_total is not None and self.share_total == self.city_target


class PlanForm(forms.Form):
    def __init__(
        self,
        data=None,
        *,
        plan: Plan,
        counties: list[County],
        programme_year: ProgrammeYear,
    ):
        super().__init__(data)
        self.plan = plan
        self.year = plan.year
        self.counties = counties
        self.metrics = metrics.defined()
        city_name = gettext("City")
        for metric in self.metrics:
            label = gettext("%(scope)s — %(metric)s") % {"scope": city_name, "metric": metric.name}
            self.fields[self.city_name(metric)] = TargetField(
                unit=metric.unit, label=label, initial=plain(plan.city.get(metric.key))
            )
            for county in counties:
                label = gettext("%(scope)s — %(metric)s") % {"scope": county.name, "metric": metric.name}
                field = TargetField(
                    unit=metric.unit,
                    label=label,
                    initial=plain(plan.counties.get((metric.key, county.pk))),
                )
                if metric.unit == metrics.PERCENT:
                    # An empty county rate holds the city's.
                    field.widget.attrs["placeholder"] = plain(plan.city.get(metric.key))
                self.fields[self.county_name(metric, county)] = field
        for name, label in (
            ("selection_deadline", _("Brand selection deadline")),
            ("filing_deadline", _("Partner agreement filing deadline")),
        ):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                initial=getattr(programme_year, name),
                help_text=_("A day in %(year)s; empty: the default day.") % {"year": self.year},
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )

    @staticmethod
    def city_name(metric: metrics.Metric) -> str:
        return f"city-{metric.key}"

    @staticmethod
    def county_name(metric: metrics.Metric, county: County) -> str:
        return f"county-{metric.key}-{county.pk}"

    def _clean_deadline(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        if day is not None and day.year != self.year:
            raise ValidationError(
                _("The deadline must fall in %(year)s.") % {"year": self.year}, code="outside_year"
            )
        return day

    def clean_selection_deadline(self):
        return self._clean_deadline("selection_deadline")

    def clean_filing_deadline(self):
        return self._clean_deadline("filing_deadline")

    def targets(self) -> Values:
        values: Values = {}
        for metric in self.metrics:
            values[(metric.key, None)] = self.cleaned_data[self.city_name(metric)]
            for county in self.counties:
                values[(metric.key, county.pk)] = self.cleaned_data[self.county_name(metric, county)]
        return values

    def rows(self) -> list[PlanRow]:
        self._mark_invalid()
        rows = []
        for metric in self.metrics:
            is_count = metric.unit == metrics.COUNT
            rows.append(
                PlanRow(
                    metric=metric,
                    is_count=is_count,
                    city=self[self.city_name(metric)],
                    city_is_default=(metric.key, None) not in self.plan.set_by_admin,
                    counties=[self[self.county_name(metric, county)] for county in self.counties],
                    city_target=self.plan.city.get(metric.key),
                    share_total=self.plan.county_total(metric.key) if is_count else None,
                )
            )
        return rows

    def _mark_invalid(self) -> None:
        """Inputs in a table carry their own error state: Bootstrap's is-invalid, aria-invalid, and the
        message (shown under the input) as their description."""
        if not self.is_bound:
            return
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', 'form-control')} is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}-error"
