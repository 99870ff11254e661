"""Recording an assessment, revoking a certificate, and the public certificate check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laborbrand.dates import DateWindowsMixin, window_date_field
from laborbrand.forms import KeyChoiceField
from laborbrand.reference.models import Occupation, SkillLevel
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH
from training.forms.common import WorkerLookupMixin, score_form_field
from training.models import (
    Assessment,
    Institution,
    is_well_formed_certificate_number,
    normalize_certificate_number,
)


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
