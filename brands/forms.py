from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, BrandNews, BrandStandard, RecognitionCriterion
from brands.services import LOGO_MAX_BYTES
from laborbrand.forms import FilterForm, KeyChoiceField, ModelForm
from laborbrand.reference.models import County, Occupation, OccupationCategory, Township

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
