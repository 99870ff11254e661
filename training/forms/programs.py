"""A programme's form, the public programme search, and the reason for completing a programme early."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from laborbrand.dates import DateWindowsMixin
from laborbrand.forms import FilterForm, KeyChoiceField, ModelForm
from laborbrand.reference.models import County, Occupation, SkillLevel
from training.models import (
    Institution,
    TrainingProgram,
)
from training.permissions import program_brands


class ProgramForm(DateWindowsMixin, ModelForm):
    class Meta:
        model = TrainingProgram
        fields = [
            "title",
            "brand",
            "occupation",
            "target_level",
            "theory_hours",
            "ethics_hours",
            "practical_hours",
            "practice_hours",
            "start_date",
            "end_date",
            "capacity",
            "place",
            "fee",
        ]
        widgets = {
            # ISO format: a date input ignores the zh-hans rendering (2026/03/01) and would show empty.
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the institution can run: the occupations it is admitted for, and the public brands
        # of those occupations.
        self.fields["brand"].queryset = program_brands(institution).select_related("county")
        self.fields["occupation"].queryset = institution.occupations.select_related("category")
        self.fields["occupation"].help_text = _(
            "One of the brand's occupations that your institution is admitted for."
        )
        self.fields["target_level"].queryset = SkillLevel.objects.all()
        self.fields["fee"].required = False  # left empty: free of charge

    def clean_fee(self) -> int:
        return self.cleaned_data.get("fee") or 0

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                ValidationError(_("The programme cannot end before it starts."), code="ends_before_start"),
            )
        brand, occupation = data.get("brand"), data.get("occupation")
        if brand and occupation and not brand.occupations.filter(pk=occupation.pk).exists():
            self.add_error(
                "occupation",
                ValidationError(
                    _("Choose one of the brand's occupations: %(names)s.")
                    % {"names": "、".join(o.name for o in brand.occupations.all())},
                    code="not_a_brand_occupation",
                ),
            )
        hours = [data.get(f) for f in ("theory_hours", "practical_hours", "practice_hours")]
        if all(h is not None for h in hours) and sum(hours) == 0:
            self.add_error(
                "theory_hours", ValidationError(_("A programme needs some hours."), code="no_hours")
            )
        theory, ethics = data.get("theory_hours"), data.get("ethics_hours")
        if theory is not None and ethics is not None and ethics > theory:
            self.add_error(
                "ethics_hours",
                ValidationError(
                    _("The ethics hours are part of the theory hours and cannot exceed them."),
                    code="more_than_theory",
                ),
            )
        return data


class ProgramSearchForm(FilterForm):
    lookups = {
        "brand": "brand",
        "occupation": "occupation",
        "county": "brand__county",
        "level": "target_level",
        "starts_from": "start_date__gte",
        "starts_until": "start_date__lte",
    }

    brand = KeyChoiceField(
        label=_("Brand"), queryset=Brand.objects.public(), required=False, empty_label=_("All brands")
    )
    occupation = KeyChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.all(),
        required=False,
        empty_label=_("All occupations"),
    )
    county = KeyChoiceField(
        label=_("County/district"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
    )
    level = KeyChoiceField(
        label=_("Target skill level"),
        queryset=SkillLevel.objects.all(),
        required=False,
        empty_label=_("All levels"),
    )
    starts_from = forms.DateField(
        label=_("Starting from"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    starts_until = forms.DateField(
        label=_("Starting until"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class CompleteEarlyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for completing early"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For example: the class finished all its hours ahead of plan. Kept in the programme's history."
        ),
    )
