"""An employer's job postings, and a city admin taking one down."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from jobs.forms.applications import occupations_by_category
from jobs.models import JobPosting
from laborbrand.dates import DateWindowsMixin
from laborbrand.forms import FilterForm, ModelForm
from laborbrand.reference.models import City, County, Occupation, Province, SkillLevel

MAX_HEADCOUNT = 10000
SALARY_BOUNDS = {"min": 1000, "max": 200000, "step": 100}


class PostingForm(DateWindowsMixin, ModelForm):
    """A posting's content. `creating` says whether it is a new posting: a new one's open-until date must not
    be in the past (an existing one may keep a passed date, e.g. an expired posting being marked filled)."""

    class Meta:
        model = JobPosting
        fields = [
            "title",
            "occupation",
            "min_level",
            "brand",
            "headcount",
            "salary_min",
            "salary_max",
            "province",
            "city_name",
            "county",
            "housing",
            "meals",
            "social_insurance",
            "description",
            "open_until",
        ]
        widgets = {
            # ISO format: a date input ignores the zh-hans rendering (2026/03/01) and would show empty.
            "open_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "headcount": forms.NumberInput(attrs={"min": 1, "max": MAX_HEADCOUNT}),
            "salary_min": forms.NumberInput(attrs=SALARY_BOUNDS),
            "salary_max": forms.NumberInput(attrs=SALARY_BOUNDS),
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "description": _(
                "The work, shifts, requirements and how to get there. Plain text: line breaks are kept, "
                "HTML is shown as typed."
            ),
            "open_until": _("The posting leaves the public job board after this day."),
            "county": _("For jobs in this city; leave empty for jobs elsewhere."),
        }

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        occupation = self.fields["occupation"]
        occupation.queryset = Occupation.objects.all()
        occupation.choices = [("", "---------"), *occupations_by_category()]  # validation uses the queryset
        self.fields["min_level"].queryset = SkillLevel.objects.all()
        self.fields["min_level"].empty_label = _("No certificate required")
        # Public brands only; a posting keeps the brand it has even if the brand has been retired since.
        brands = Brand.objects.public()
        if self.instance.brand_id:
            brands = brands | Brand.objects.filter(pk=self.instance.brand_id)
        self.fields["brand"].queryset = brands.select_related("county").order_by("name")
        self.fields["brand"].empty_label = _("No particular brand")
        self.fields["province"].queryset = Province.objects.all()
        self.fields["county"].queryset = County.objects.select_related("city")
        self.fields["county"].empty_label = _("Not in this city / not applicable")
        headcount = self.fields["headcount"]
        headcount.min_value = 1
        headcount.validators = [
            MinValueValidator(1, message=_("Enter how many people you hire: at least 1.")),
            MaxValueValidator(MAX_HEADCOUNT),
        ]
        headcount.error_messages["invalid"] = _("Enter how many people you hire as a whole number.")
        if not self.instance.pk and not self.is_bound:
            city = City.objects.first()
            if city is not None:
                self.initial.setdefault("province", city.province_id)
                self.initial.setdefault("city_name", city.name)

    def clean_open_until(self):
        open_until = self.cleaned_data["open_until"]
        if open_until < timezone.localdate() and (self.creating or "open_until" in self.changed_data):
            raise ValidationError(_("The open-until date cannot be in the past."), code="open_until_past")
        return open_until

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "salary_max",
                ValidationError(
                    _("The maximum salary cannot be below the minimum (%(low)s)."),
                    code="salary_range",
                    params={"low": low},
                ),
            )
        province, county = data.get("province"), data.get("county")
        if province is not None and county is not None and county.city.province_id != province.pk:
            self.add_error(
                "county",
                ValidationError(
                    _("%(county)s is not in %(province)s: choose the province it is in, or no county."),
                    code="county_province",
                    params={"county": county.name, "province": province.name},
                ),
            )
        return data


class PostingFilterForm(FilterForm):
    lookups = {"status": "status"}

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *JobPosting.Status.choices]
    )


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for taking the posting down"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The employer is told this reason and sees it on the posting."),
    )
