from __future__ import annotations

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from brands.models import Brand
from laborbrand.accounts.models import User
from laborbrand.dates import DateWindowsMixin, window_date_field
from laborbrand.forms import FilterForm, KeyChoiceField, KeyMultipleChoiceField, ModelForm
from laborbrand.reference.models import County, Occupation, SkillLevel
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH, CreditCodeField
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationReview,
    Assessment,
    EthicsSession,
    Institution,
    PartnerAgreement,
    TrainingProgram,
    is_well_formed_certificate_number,
    normalize_certificate_number,
)
from training.permissions import agreement_brands, ethics_session_brands, program_brands
from training.services import ATTACHMENT_MAX_BYTES


class InstitutionForm(ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "kind", "county", "credit_code", "contact_name", "contact_phone", "address"]
        field_classes = {"credit_code": CreditCodeField}


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


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


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


class AgreementForm(DateWindowsMixin, ModelForm):
    class Meta:
        model = PartnerAgreement
        fields = ["institution", "brands", "signed_on", "filed_on", "document"]
        widgets = {
            "signed_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "filed_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "brands": forms.CheckboxSelectMultiple,
            "document": forms.FileInput(attrs={"accept": "application/pdf"}),
        }
        help_texts = {"document": _("The signed agreement as a PDF, at most 10 MB.")}

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.qualified()
        self.fields["brands"].queryset = agreement_brands(county)

    def clean_document(self):
        upload = self.cleaned_data["document"]
        checked_upload(upload, allowed={"application/pdf": "PDF"})
        return upload

    def clean(self):
        data = super().clean()
        # Neither date may lie in the future: the model fields' date windows say so.
        signed, filed = data.get("signed_on"), data.get("filed_on")
        if signed and filed and filed < signed:
            self.add_error(
                "filed_on",
                ValidationError(
                    _("An agreement is filed on or after the day it is signed."), code="before_signing"
                ),
            )
        return data


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


class WalkInForm(WorkerLookupMixin, forms.Form):
    identifier = forms.CharField(
        label=_("Trainee's ID number or mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_("The trainee must have a worker account on the portal."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def score_form_field(label: str, initial=None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, max_digits=4, decimal_places=1, initial=initial
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


class ResultsForm(forms.Form):
    """The final examination's theory and practical scores for every trainee of a class, in one form; the
    pass follows from them (services.results_record)."""

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollments = list(enrollments)
        for enrollment in self.enrollments:
            name = enrollment.worker.display_name
            self.fields[f"theory_{enrollment.pk}"] = score_form_field(
                _("Theory score of %(name)s") % {"name": name}, enrollment.theory_score
            )
            self.fields[f"practical_{enrollment.pk}"] = score_form_field(
                _("Practical score of %(name)s") % {"name": name}, enrollment.practical_score
            )

    def rows(self):
        return [(e, self[f"theory_{e.pk}"], self[f"practical_{e.pk}"]) for e in self.enrollments]

    def results(self) -> dict:
        data = self.cleaned_data
        return {e.pk: (data[f"theory_{e.pk}"], data[f"practical_{e.pk}"]) for e in self.enrollments}


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


class AssessmentForm(DateWindowsMixin, WorkerLookupMixin, forms.Form):
    """An assessment of one worker. From a programme's trainee list the worker, occupation and level are
    given; otherwise the worker is found by ID or mobile number."""

    identifier = forms.CharField(
        label=_("Worker's ID number or mobile number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    occupation = KeyChoiceField(label=_("Occupation"), queryset=Occupation.objects.none())
    level = KeyChoiceField(
        label=pgettext_lazy("certificate", "Skill level"), queryset=SkillLevel.objects.all()
    )
    assessed_on = window_date_field(Assessment, "assessed_on", label=_("Assessed on"))
    theory_score = score_form_field(_("Theory score"))
    practical_score = score_form_field(_("Practical score"))

    def __init__(self, *args, institution: Institution, enrollment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollment = enrollment
        self.fields["occupation"].queryset = institution.occupations.select_related("category")
        self.fields["assessed_on"].initial = timezone.localdate()
        self.fields["theory_score"].help_text = self.fields["practical_score"].help_text = _(
            "0–100. Both scores must reach %(mark)d for a pass."
        ) % {"mark": Assessment.PASS_MARK}
        if enrollment is not None:
            del self.fields["identifier"]
            self.worker = enrollment.worker
            self.fields["occupation"].initial = enrollment.program.occupation_id
            self.fields["level"].initial = enrollment.program.target_level_id

    def assessment_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "worker": self.worker,
            "occupation": data["occupation"],
            "level": data["level"],
            "assessed_on": data["assessed_on"],
            "theory_score": data["theory_score"],
            "practical_score": data["practical_score"],
            "program": self.enrollment.program if self.enrollment else None,
        }


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The holder is told this reason. The public check shows only that the certificate was revoked."
        ),
    )


class CertificateVerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=30,
        help_text=_("As printed on the certificate, e.g. LA202600000121."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    holder_name = forms.CharField(
        label=_("Holder's name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        number = normalize_certificate_number(self.cleaned_data["number"])
        if not is_well_formed_certificate_number(number):
            raise ValidationError(
                _(
                    "This is not a certificate number of the portal: check it against the certificate "
                    "(LA followed by 12 digits)."
                ),
                code="malformed",
            )
        return number
