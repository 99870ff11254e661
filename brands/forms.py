from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, BrandNews, BrandStandard, Practitioner, RecognitionCriterion
from brands.services import LOGO_MAX_BYTES
from laborbrand.accounts import pii
from laborbrand.accounts.records import known_worker
from laborbrand.forms import FilterForm, KeyChoiceField, ModelForm
from laborbrand.reference.models import County, Occupation, OccupationCategory, Township
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH

# The largest uploaded logo, in pixels per side, that is decoded at all (it is then scaled to 512).
LOGO_MAX_SOURCE_SIDE = 4096


class BrandForm(ModelForm):
    """Create or edit a brand of the official's own county (the county is never a form field)."""

    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 2 MB; it is shown at most 512×512 pixels."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Brand
        fields = ["name", "township", "category", "occupations", "slogan", "description", "logo"]
        widgets = {
            "occupations": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.county = county
        self.fields["township"].queryset = Township.objects.filter(county=county)
        self.fields["category"].queryset = OccupationCategory.objects.all()
        self.fields["occupations"].queryset = Occupation.objects.select_related("category")
        self.fields["occupations"].help_text = _("Hold Ctrl (or ⌘) to choose several.")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        duplicate = Brand.objects.filter(county=self.county, name=name).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise ValidationError(_("Your county already has a brand with this name."), code="duplicate_name")
        return name

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "image"):
            return None  # no new upload: the brand keeps its logo
        if logo.size > LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo is %(size)s; at most %(max)s is allowed.")
                % {"size": filesizeformat(logo.size), "max": filesizeformat(LOGO_MAX_BYTES)},
                code="logo_too_large",
            )
        if logo.image.format not in {"PNG", "JPEG", "WEBP"}:
            raise ValidationError(_("Upload a PNG, JPEG or WebP image."), code="logo_format")
        width, height = logo.image.size
        if max(width, height) > LOGO_MAX_SOURCE_SIDE:
            # A few kilobytes of PNG can declare a huge canvas; decoding it would take gigabytes of memory.
            raise ValidationError(
                _("The logo is %(width)d × %(height)d pixels; at most %(max)d on each side is allowed.")
                % {"width": width, "height": height, "max": LOGO_MAX_SOURCE_SIDE},
                code="logo_too_many_pixels",
            )
        return logo


class StandardForm(ModelForm):
    class Meta:
        model = BrandStandard
        fields = ["dimension", "requirement", "measure", "target"]
        widgets = {"requirement": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "target": _(
                "In the measure's unit: months of training, per cent of practical hours, hours of "
                "professional-ethics training; for a certificate level, its rank from 1 (五级/初级工) to "
                "5 (一级/高级技师)."
            )
        }

    def __init__(self, *args, brand: Brand, **kwargs):
        super().__init__(*args, **kwargs)
        self.brand = brand

    def clean(self):
        data = super().clean()
        measure, target = data.get("measure"), data.get("target")
        if measure and target is None:
            self.add_error(
                "target", ValidationError(_("Give the target value of this measure."), code="required")
            )
        elif target is not None and not measure:
            self.add_error(
                "measure", ValidationError(_("Choose what the target value measures."), code="required")
            )
        elif measure:
            low, high = BrandStandard.MEASURE_RANGES[measure]
            if not low <= target <= high:
                self.add_error(
                    "target",
                    ValidationError(
                        _("For this measure the target must be between %(low)d and %(high)d.")
                        % {"low": low, "high": high},
                        code="out_of_range",
                    ),
                )
            elif self.brand.standards.filter(measure=measure).exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "measure",
                    ValidationError(
                        _("This brand already has a target for this measure."), code="duplicate_measure"
                    ),
                )
        return data


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to the county. Required when returning, rejecting or retiring a brand, and when "
            "recognising a brand that misses a recognition criterion."
        ),
    )


class NewsForm(ModelForm):
    class Meta:
        model = BrandNews
        fields = ["brand", "title", "summary", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, brands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brand"].queryset = brands


class CriterionForm(ModelForm):
    class Meta:
        model = RecognitionCriterion
        fields = ["threshold", "active"]


# edit_only: the metrics are fixed rows; a crafted POST with extra forms must not add (metric-less) criteria.
CriterionFormSet = forms.modelformset_factory(
    RecognitionCriterion, form=CriterionForm, extra=0, edit_only=True
)


class ShowcaseFilterForm(FilterForm):
    lookups = {"q": "name__icontains", "county": "county", "category": "category"}

    q = forms.CharField(label=_("Search by name"), max_length=50, required=False)
    county = KeyChoiceField(
        label=_("County/district"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
    )
    category = KeyChoiceField(
        label=_("Category"),
        queryset=OccupationCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )


class ReviewFilterForm(ShowcaseFilterForm):
    # The queue's keyword is the staff list's own (`q`, brands/listings.py BRAND_SEARCH), wider than the name.
    lookups = {"county": "county", "category": "category", "status": "status"}
    q = None

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Brand.Status.choices]
    )


# --- The practitioner register --------------------------------------------------------------------------

# How a date started in the trade may be written: the date picker's form, and the ways a county's sheet writes
# one (brands/imports.py reads the same field).
SINCE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class PractitionerDetailsForm(forms.Form):
    """What the register says about a practitioner's work: occupation (one of the brand's), where employed or
    self-employed (one of the two), township (of the brand's county), since when, and the contact phone the
    county lists. Editing an entry changes only these."""

    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        required=False,
        help_text=_(
            "Optional: the mobile number the county lists for the person. It is not an account's number: "
            "nobody signs in with it and no messages are sent to it. Shown to others only masked."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    occupation = KeyChoiceField(label=_("Occupation"), queryset=Occupation.objects.none())
    employer = forms.CharField(
        label=_("Employed at"),
        max_length=100,
        required=False,
        help_text=_("The company or organisation the person works for; leave it blank if self-employed."),
    )
    self_employed = forms.BooleanField(label=_("Self-employed"), required=False)
    township = KeyChoiceField(
        label=_("Township"), queryset=Township.objects.none(), required=False, empty_label=_("Not given")
    )
    since = forms.DateField(
        label=_("In the trade since"),
        input_formats=SINCE_FORMATS,
        help_text=_("The date the person started working in the trade (not the date of this entry)."),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, brand: Brand, practitioner: Practitioner | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.brand = brand
        self.practitioner = practitioner
        self.limit_choices(brand)
        if practitioner is not None and not self.is_bound:
            self.initial = {
                "contact_phone": practitioner.contact_phone or "",
                "occupation": practitioner.occupation_id,
                "employer": practitioner.employer,
                "self_employed": practitioner.self_employed,
                "township": practitioner.township_id,
                "since": practitioner.since,
                **self.initial,
            }

    def limit_choices(self, brand: Brand) -> None:
        """The brand's occupations and its county's townships."""
        self.fields["occupation"].queryset = brand.occupations.all()
        self.fields["township"].queryset = Township.objects.filter(county_id=brand.county_id)

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"]
        return pii.validate_mobile(value) if value.strip() else ""

    def clean_employer(self) -> str:
        return " ".join(self.cleaned_data["employer"].split())

    def clean_since(self) -> datetime.date:
        since = self.cleaned_data["since"]
        if since > timezone.localdate():
            raise ValidationError(
                _("The date started in the trade cannot be in the future."), code="since_future"
            )
        return since

    def birth_date(self) -> datetime.date | None:
        """The practitioner's date of birth, when known (from the ID number)."""
        if self.practitioner is not None and self.practitioner.worker.id_number:
            return pii.birth_date_from_id(self.practitioner.worker.id_number)
        return None

    def clean(self):
        data = super().clean()
        employer, self_employed = data.get("employer"), data.get("self_employed")
        if employer is not None and self_employed is not None:
            if employer and self_employed:
                self.add_error(
                    "employer",
                    ValidationError(
                        _("A self-employed practitioner has no employer: clear one of the two."),
                        code="employer_and_self_employed",
                    ),
                )
            elif not employer and not self_employed:
                self.add_error(
                    "employer",
                    ValidationError(
                        _("Give where the practitioner is employed, or mark them self-employed."),
                        code="no_employer",
                    ),
                )
        since, birth = data.get("since"), self.birth_date()
        if since is not None and birth is not None and since < birth:
            self.add_error(
                "since",
                ValidationError(
                    _("The date started in the trade is before the date of birth in the ID number."),
                    code="since_before_birth",
                ),
            )
        return data

    def details(self) -> dict:
        """The cleaned details, as the register's services take them."""
        data = self.cleaned_data
        return {
            field: data[field]
            for field in ("occupation", "since", "employer", "self_employed", "township", "contact_phone")
        }


class PractitionerForm(PractitionerDetailsForm):
    """Put a person on a brand's register: their real name and ID number (checked as the registration form
    checks them) with the details. The person's worker record is the one with that ID number — the name must
    match it — or a new one without a sign-in. brands/imports.py validates each row of a sheet with this
    form's rules."""

    real_name = forms.CharField(label=_("Real name"), max_length=50, help_text=_("As on the ID card."))
    id_number = forms.CharField(
        label=_("National ID number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_(
            "18 characters (or a Hong Kong, Macao or Taiwan residence permit number). Stored encrypted and "
            "shown only masked."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    field_order = [
        "real_name",
        "id_number",
        "contact_phone",
        "occupation",
        "employer",
        "self_employed",
        "township",
        "since",
    ]
    # The page refuses a person already on the register; an imported row updates their entry instead.
    refuse_listed = True

    def clean_real_name(self) -> str:
        name = " ".join(self.cleaned_data["real_name"].split())
        if not name:
            raise ValidationError(_("Enter the practitioner's real name."), code="required")
        return name

    def clean_id_number(self) -> str:
        number = pii.validate_id_number(self.cleaned_data["id_number"])
        if pii.age_on(pii.birth_date_from_id(number), timezone.localdate()) < pii.MINIMUM_WORKER_AGE:
            raise ValidationError(
                _("By this ID number the person is under %(age)d: too young to be a practitioner.")
                % {"age": pii.MINIMUM_WORKER_AGE},
                code="too_young",
            )
        return number

    def birth_date(self) -> datetime.date | None:
        number = self.cleaned_data.get("id_number")
        return pii.birth_date_from_id(number) if number else None

    def find_worker(self, *, real_name: str, id_number: str):
        """The worker record with this ID number (or None), refusing a staff number or another name."""
        return known_worker(real_name=real_name, id_number=id_number)

    def clean(self):
        data = super().clean()
        name, number = data.get("real_name"), data.get("id_number")
        data["worker"] = None
        if not (name and number):
            return data
        try:
            worker = self.find_worker(real_name=name, id_number=number)
        except ValidationError as error:
            self.add_error("real_name" if error.code == "name_mismatch" else "id_number", error)
            return data
        data["worker"] = worker
        if self.refuse_listed and worker is not None and self._listed(worker):
            self.add_error(
                "id_number",
                ValidationError(
                    _("This person is on the brand's register already: edit their entry instead."),
                    code="already_listed",
                ),
            )
        return data

    def _listed(self, worker) -> bool:
        return self.brand.practitioners.active().filter(worker=worker).exists()


class RemovalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the person left the register, e.g. changed trade, moved away. Kept with the entry."),
    )
