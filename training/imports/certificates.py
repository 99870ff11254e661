"""Importing national skill certificates from Excel: a city admin's list (the city bureau's, no institution)
or an institution's own. Each row is a certificate as printed and its holder by real name and ID number,
checked by the record form's own rules (NationalCertificateForm, with the occupation and level named as the
template's drop-down lists name them), and written through the same service as the form; a holder the portal
does not know gets a worker record without a sign-in.

A row is found by its certificate number. The same number for the same holder compares the printed facts
(occupation, level, date, evaluation body): the same is unchanged, anything else updates the certificate
when the importer manages it (its institution's, or any for a city admin) and it is still valid. The number
of another person's certificate is refused, without saying whose."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from laborbrand.exceptions import InvalidTransition
from laborbrand.forms import KeyChoiceField
from laborbrand.imports.engine import Column, Importer, register
from laborbrand.reference.models import Occupation, SkillLevel
from training.forms.certificates import NationalCertificateForm, national_certificate_fields
from training.models import Certificate
from training.permissions import certificate_import_target, visible_certificates
from training.services.certificates import national_certificate_record, national_certificate_update

# The row's messages do not repeat its certificate number: the import's pages mask long runs of digits in
# them (laborbrand/imports), and the row is shown beside its reasons anyway.

# Dates as people type them in a sheet's text cell (a date cell arrives as YYYY-MM-DD already).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class SkillLevelByNameField(forms.ModelChoiceField):
    """A skill level as a sheet names it: the drop-down's "三级/高级工", or its grade or name alone."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = "".join(str(value).split())
        for level in self.queryset:
            if text in (str(level), level.grade, level.name):
                return level
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class NationalCertificateRowForm(NationalCertificateForm):
    """One row of the sheet: NationalCertificateForm's rules, the occupation and level by name, and a number
    already recorded let through for its own holder, so the row can be compared (Importer.differs)."""

    occupation = KeyChoiceField(
        label=gettext_lazy("Occupation"),
        queryset=Occupation.objects.all(),
        to_field_name="name",
        error_messages={
            "invalid_choice": gettext_lazy("Choose an occupation from the template's drop-down list.")
        },
    )
    level = SkillLevelByNameField(
        label=pgettext_lazy("certificate", "Skill level"),
        queryset=SkillLevel.objects.all(),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose one of the five levels from the template's drop-down list, e.g. 三级/高级工."
            )
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["issued_on"].input_formats = DATE_INPUT_FORMATS

    def check_existing(self, data: dict) -> None:
        existing = self.existing
        if existing is None:
            return
        if self.worker is None or existing.worker_id != self.worker.pk:
            self.add_error(
                "number",
                ValidationError(
                    _("This certificate number is already recorded for another person."),
                    code="number_other_holder",
                ),
            )
            return
        facts = {name: data.get(name) for name in Certificate.RECORDED_FACTS}
        if None in facts.values() or not existing.differs_from(facts):
            return
        if not existing.is_valid:
            self.add_error(
                "number",
                ValidationError(
                    _("This certificate is revoked on the portal; a list no longer changes it."),
                    code="number_revoked",
                ),
            )
        elif not visible_certificates(self.user).filter(pk=existing.pk).exists():
            self.add_error(
                "number",
                ValidationError(
                    _(
                        "This certificate was recorded by someone else with other details; ask them or the "
                        "city bureau to correct it."
                    ),
                    code="number_not_yours",
                ),
            )


def _occupation_names() -> list[str]:
    return list(Occupation.objects.values_list("name", flat=True))


def _level_names() -> list[str]:
    return [str(level) for level in SkillLevel.objects.all()]


@register
class NationalCertificateImporter(Importer):
    key = "national_certificates"
    title = gettext_lazy("National skill certificates")
    columns = (
        Column("number", "证书编号", example="S000034000001232300012", text=True),
        Column("real_name", "姓名", example="王秀兰"),
        Column("id_number", "身份证号", example="341524198803120043", text=True),
        Column(
            "occupation",
            "职业（工种）",
            example="养老护理员",
            choices=_occupation_names,
        ),
        Column(
            "level", "等级", example="四级/中级工", choices=lambda: [str(x) for x in SkillLevel.objects.all()]
        ),
        Column("evaluation_body", "评价机构", example="六安市职业技能等级认定中心"),
        Column("issued_on", "发证日期", example="2024-06-18"),
    )
    form_class = NationalCertificateRowForm

    @classmethod
    def target_for(cls, user, target_id: int | None):
        return certificate_import_target(user, target_id)

    def back_url(self) -> str:
        return reverse("training:certificate_list")

    def target_label(self) -> str:
        return self.target.name if self.target is not None else _("City bureau")

    def form_kwargs(self) -> dict:
        return {"institution": self.target, "user": self.user}

    def row_key(self, cleaned: dict) -> str:
        return cleaned["number"]

    def find(self, cleaned: dict) -> Certificate | None:
        return Certificate.objects.filter(number=cleaned["number"]).first()

    def differs(self, existing: Certificate, cleaned: dict) -> bool:
        return existing.differs_from(cleaned)

    def write(self, cleaned: dict, existing: Certificate | None) -> list:
        """What the row wrote, in order: the worker record opened for it, the institution's portal
        certificate it replaced (changed), the new certificate; or the corrected certificate. A refusal the
        services make at the last moment (a record saved meanwhile) refuses the row, as a form error would."""
        try:
            if existing is not None:
                fields = {name: cleaned[name] for name in Certificate.RECORDED_FACTS}
                return [(national_certificate_update(certificate=existing, actor=self.user, **fields), False)]
            certificate, opened = national_certificate_record(
                actor=self.user,
                institution=self.target,
                source=Certificate.Source.IMPORTED,
                tell_holder=False,
                **national_certificate_fields(cleaned),
            )
        except InvalidTransition as refusal:
            raise ValidationError(str(refusal)) from refusal
        written = [(certificate.worker, True)] if opened else []
        if certificate.replaces is not None:
            written.append((certificate.replaces, False))
        return [*written, (certificate, True)]
