"""Admission forms: the institution's application and its files of evidence; the city's review queue
filter and its decision on a round."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from laborbrand.dates import DateWindowsMixin
from laborbrand.forms import FilterForm, KeyChoiceField, ModelForm
from laborbrand.reference.models import County, Occupation
from training.forms.common import checked_upload
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationReview,
    Institution,
)


class ApplicationForm(ModelForm):
    class Meta:
        model = AdmissionApplication
        fields = [
            "teacher_count",
            "double_qualified_share",
            "senior_title_count",
            "training_space_m2",
            "equipment",
            "partner_employers",
            "placement_rate",
            "occupations",
        ]
        widgets = {
            "equipment": forms.Textarea(attrs={"rows": 4}),
            "partner_employers": forms.Textarea(attrs={"rows": 4}),
            "occupations": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupations"].queryset = Occupation.objects.select_related("category")
        self.fields["occupations"].help_text = _("Hold Ctrl (or ⌘) to choose several.")

    def clean(self):
        data = super().clean()
        teachers, senior = data.get("teacher_count"), data.get("senior_title_count")
        if teachers is not None and senior is not None and senior > teachers:
            self.add_error(
                "senior_title_count",
                ValidationError(_("Cannot exceed the number of teachers."), code="more_than_teachers"),
            )
        return data


class AttachmentForm(forms.Form):
    ALLOWED = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}

    criterion = forms.ChoiceField(label=_("Evidence for"), choices=ApplicationAttachment.Criterion.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = checked_upload(upload, allowed=self.ALLOWED)
        return upload


class ReviewForm(DateWindowsMixin, ModelForm):
    class Meta:
        model = ApplicationReview
        fields = [
            "faculty_verdict",
            "faculty_comment",
            "facilities_verdict",
            "facilities_comment",
            "employment_verdict",
            "employment_comment",
            "decision",
            "reason",
            "qualified_until",
        ]
        widgets = {
            "faculty_verdict": forms.RadioSelect,
            "facilities_verdict": forms.RadioSelect,
            "employment_verdict": forms.RadioSelect,
            "decision": forms.RadioSelect,
            "faculty_comment": forms.Textarea(attrs={"rows": 2}),
            "facilities_comment": forms.Textarea(attrs={"rows": 2}),
            "employment_comment": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "qualified_until": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        help_texts = {"qualified_until": _("Required when approving: the last day the admission is valid.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons without the blank "---------" choice: an unanswered one is a required-field error.
        for name in ("faculty_verdict", "facilities_verdict", "employment_verdict"):
            self.fields[name].choices = ApplicationReview.Verdict.choices
        self.fields["decision"].choices = ApplicationReview.Decision.choices

    def clean(self):
        data = super().clean()
        if data.get("decision") == ApplicationReview.Decision.APPROVE:
            until = data.get("qualified_until")
            if until is None:
                self.add_error(
                    "qualified_until",
                    ValidationError(_("Give the date the admission is valid until."), code="required"),
                )
            elif until <= timezone.localdate():
                self.add_error(
                    "qualified_until", ValidationError(_("The date must be in the future."), code="past")
                )
        return data


class ReviewFilterForm(FilterForm):
    lookups = {
        "status": "status",
        "county": "institution__county",
        "kind": "institution__kind",
        "submitted_from": "submitted_at__date__gte",
        "submitted_to": "submitted_at__date__lte",
    }

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *AdmissionApplication.Status.choices],
    )
    county = KeyChoiceField(
        label=_("County/district"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("All counties"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Institution.Kind.choices]
    )
    submitted_from = forms.DateField(
        label=_("Submitted from"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
