"""Recording an assessment, recording a national certificate, the certificate list's filters, revoking a
certificate, and the public certificate check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from laborbrand.accounts import pii
from laborbrand.accounts.records import known_worker
from laborbrand.dates import DateWindowsMixin, window_date_field
from laborbrand.forms import FilterForm, KeyChoiceField
from laborbrand.reference.models import Occupation, SkillLevel
from laborbrand.reference.validators import TYPED_NUMBER_MAX_LENGTH
from training.forms.common import WorkerLookupMixin, score_form_field
from training.models import (
    NATIONAL_NUMBER_MAX,
    NATIONAL_NUMBER_MIN,
    Assessment,
    Certificate,
    Institution,
    has_portal_shape,
    is_well_formed_certificate_number,
    is_well_formed_national_number,
    normalize_certificate_number,
    validate_national_certificate_number,
)

# Room in a number field for a certificate number as typed from paper, spaces and hyphens included.
TYPED_CERTIFICATE_NUMBER_MAX_LENGTH = 60


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


class NationalCertificateForm(DateWindowsMixin, forms.Form):
    """A national certificate (issued by a registered evaluation body) as printed, and its holder by real
    name and ID number — a person the portal may not know yet. After one of the institution's own
    assessments (`replaces`: the portal certificate it issued) the holder, occupation and level are that
    certificate's. The import's row form (training/imports/certificates.py) is this form with the occupation
    and level named in words, so every row of a sheet meets these same rules."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=TYPED_CERTIFICATE_NUMBER_MAX_LENGTH,
        help_text=_(
            "Exactly as printed on the certificate, e.g. S000034000001232300012 (letters and digits; spaces "
            "and hyphens may be left out)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    real_name = forms.CharField(
        label=_("Holder's real name"), max_length=50, help_text=_("As on the ID card.")
    )
    id_number = forms.CharField(
        label=_("Holder's national ID number"),
        max_length=TYPED_NUMBER_MAX_LENGTH,
        help_text=_(
            "Someone without an account gets a worker record, which they claim by registering with the same "
            "ID number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    occupation = KeyChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.all(), empty_label=_("Choose an occupation")
    )
    level = KeyChoiceField(
        label=pgettext_lazy("certificate", "Skill level"),
        queryset=SkillLevel.objects.all(),
        empty_label=_("Choose a level"),
    )
    issued_on = window_date_field(Certificate, "issued_on", label=_("Issued on"))
    evaluation_body = forms.CharField(
        label=_("Evaluation body"),
        max_length=100,
        help_text=_(
            "The registered evaluation body (职业技能等级认定机构) named on the certificate, as printed."
        ),
    )

    # The facts a portal certificate gives when the national certificate replaces it.
    FROM_REPLACED = ("real_name", "id_number", "occupation", "level")

    def __init__(
        self,
        *args,
        institution: Institution | None = None,
        replaces: Certificate | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.institution = institution
        self.replaces = replaces
        self.worker = replaces.worker if replaces is not None else None
        self.existing: Certificate | None = None
        if institution is not None:
            self.fields["evaluation_body"].initial = institution.name
        if replaces is not None:
            for name in self.FROM_REPLACED:
                del self.fields[name]
            self.fields["issued_on"].initial = replaces.issued_on

    def clean_number(self) -> str:
        return validate_national_certificate_number(self.cleaned_data["number"])

    def clean_real_name(self) -> str:
        name = " ".join(self.cleaned_data["real_name"].split())
        if not name:
            raise ValidationError(_("Enter the holder's real name."), code="required")
        return name

    def clean_id_number(self) -> str:
        return pii.validate_id_number(self.cleaned_data["id_number"])

    def clean_evaluation_body(self) -> str:
        body = " ".join(self.cleaned_data["evaluation_body"].split())
        if not body:
            raise ValidationError(_("Enter the evaluation body named on the certificate."), code="required")
        return body

    def clean(self):
        data = super().clean()
        if self.replaces is not None:
            data.update(occupation=self.replaces.occupation, level=self.replaces.level)
        elif "real_name" in data and "id_number" in data:
            try:
                self.worker = known_worker(real_name=data["real_name"], id_number=data["id_number"])
            except ValidationError as exc:
                self.add_error("real_name" if exc.code == "name_mismatch" else "id_number", exc)
        if "number" in data:
            self.existing = Certificate.objects.filter(number=data["number"]).first()
            self.check_existing(data)
        # A certificate recorded already (the import's row for it) replaces nothing: it is only compared.
        found = self.own_portal_certificate(data) if self.existing is None else None
        data["replaces"] = self.replaces or found
        self.check_one_valid(data)
        return data

    def check_existing(self, data: dict) -> None:
        """A number is recorded once: a number on the portal already is refused (the import's row form lets
        the same holder's row through, to compare)."""
        if self.existing is not None:
            self.add_error(
                "number",
                ValidationError(
                    _("Certificate number %(number)s is already recorded on the portal."),
                    code="number_taken",
                    params={"number": data["number"]},
                ),
            )

    def own_portal_certificate(self, data: dict) -> Certificate | None:
        """The valid portal certificate the institution issued this holder for this occupation and level:
        the national certificate of the same assessment takes its place."""
        if (
            self.institution is None
            or self.worker is None
            or not data.get("occupation")
            or not data.get("level")
        ):
            return None
        return (
            Certificate.objects.valid()
            .filter(
                source=Certificate.Source.PORTAL,
                institution=self.institution,
                worker=self.worker,
                occupation=data["occupation"],
                level=data["level"],
            )
            .first()
        )

    def check_one_valid(self, data: dict) -> None:
        occupation, level = data.get("occupation"), data.get("level")
        if self.worker is None or occupation is None or level is None:
            return
        held = Certificate.objects.valid().filter(worker=self.worker, occupation=occupation, level=level)
        # The certificate being replaced, or the holder's own row being compared, is no second certificate.
        for own in (data.get("replaces"), self.existing):
            if own is not None and own.worker_id == self.worker.pk:
                held = held.exclude(pk=own.pk)
        if held.exists():
            self.add_error(
                None,
                ValidationError(
                    _("%(name)s already holds a valid certificate for %(occupation)s at %(level)s."),
                    code="already_held",
                    params={"name": self.worker.display_name, "occupation": occupation, "level": level},
                ),
            )


def national_certificate_fields(cleaned: dict) -> dict:
    """A valid NationalCertificateForm's (or row form's) facts, as services.national_certificate_record
    takes them."""
    fields = ("number", "occupation", "level", "issued_on", "evaluation_body", "replaces")
    return {
        **{name: cleaned[name] for name in fields},
        "real_name": cleaned.get("real_name", ""),
        "id_number": cleaned.get("id_number", ""),
    }


class CertificateFilterForm(FilterForm):
    lookups = {"source": "source", "status": "status", "occupation": "occupation"}

    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Certificate.Source.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Certificate.Status.choices]
    )
    occupation = KeyChoiceField(
        label=_("Occupation"),
        queryset=Occupation.objects.all(),
        required=False,
        empty_label=_("All occupations"),
    )


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
        max_length=TYPED_CERTIFICATE_NUMBER_MAX_LENGTH,
        help_text=_(
            "As printed on the certificate: a portal certificate's, e.g. LA202600000121, or a national "
            "certificate's, e.g. S000034000001232300012."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    holder_name = forms.CharField(
        label=_("Holder's name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        number = normalize_certificate_number(self.cleaned_data["number"])
        if is_well_formed_certificate_number(number) or is_well_formed_national_number(number):
            return number
        if has_portal_shape(number):
            raise ValidationError(
                _(
                    "This is not a certificate number of the portal: check it against the certificate "
                    "(LA followed by 12 digits)."
                ),
                code="malformed",
            )
        raise ValidationError(
            _(
                "This is not a certificate number: check it against the certificate (%(min)d to %(max)d "
                "letters and digits)."
            ),
            code="malformed",
            params={"min": NATIONAL_NUMBER_MIN, "max": NATIONAL_NUMBER_MAX},
        )
