"""Skill-level assessments (职业技能等级认定), the certificates a pass issues, and their numbering."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum import luhn

from laborbrand.dates import DateWindow
from training.models.institutions import Institution
from training.models.programs import TrainingProgram
from training.models.scores import PASS_MARK, pass_follows_from_scores, score_field


class Assessment(models.Model):
    """A skill-level assessment (职业技能等级认定) by a qualified institution in one of its admitted
    occupations. It is passed when both the theory and the practical score reach PASS_MARK; a pass issues a
    certificate."""

    PASS_MARK = PASS_MARK

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="assessments"
    )
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    occupation = models.ForeignKey(
        "reference.Occupation", verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "reference.SkillLevel", verbose_name=_("skill level"), on_delete=models.PROTECT, related_name="+"
    )
    program = models.ForeignKey(
        TrainingProgram,
        verbose_name=_("after programme"),
        on_delete=models.PROTECT,
        related_name="assessments",
        null=True,
        blank=True,
    )
    assessed_on = models.DateField(_("assessed on"), validators=[DateWindow()])
    theory_score = score_field(_("theory score"))
    practical_score = score_field(_("practical score"))
    passed = models.BooleanField(_("passed"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theory_score__gte=0, theory_score__lte=100)
                & models.Q(practical_score__gte=0, practical_score__lte=100),
                name="assessment_scores_0_to_100",
            ),
            pass_follows_from_scores("assessment"),
        ]
        indexes = [
            # The assessment lists, newest first: a city admin's (all) and an institution's.
            models.Index(fields=["-assessed_on", "-id"], name="assessment_newest_idx"),
            models.Index(fields=["institution", "-assessed_on", "-id"], name="assessment_institution_idx"),
        ]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.worker} – {self.occupation} {self.level} ({self.assessed_on:%Y-%m-%d})"


CERTIFICATE_PREFIX = "LA"
CERTIFICATE_NUMBER_RE = re.compile(r"^LA(\d{4})(\d{7})(\d)$")


def certificate_number(year: int, serial: int) -> str:
    """The certificate number format (docs/decisions.md): "LA", the year of issue, a 7-digit serial of that
    year, and a Luhn check digit over the eleven digits, e.g. LA202600000121."""
    digits = f"{year:04d}{serial:07d}"
    return f"{CERTIFICATE_PREFIX}{digits}{luhn.calc_check_digit(digits)}"


def normalize_certificate_number(value: str) -> str:
    """Upper case, without spaces or hyphens: what people type from a printed certificate."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def is_well_formed_certificate_number(value: str) -> bool:
    match = CERTIFICATE_NUMBER_RE.match(value)
    return bool(match) and luhn.is_valid(match[1] + match[2] + match[3])


class CertificateSerial(models.Model):
    """The last serial issued in a year; the row is locked while a number is drawn."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate serial")
        verbose_name_plural = _("certificate serials")

    def __str__(self):
        return f"{self.year}: {self.last}"


class CertificateQuerySet(models.QuerySet):
    def valid(self) -> CertificateQuerySet:
        return self.filter(status=Certificate.Status.VALID)


class Certificate(models.Model):
    """A skill-level certificate (职业技能等级证书), issued by a passed assessment. Only its issuer revokes
    it."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="certificate")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="certificates"
    )
    occupation = models.ForeignKey(
        "reference.Occupation", verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "reference.SkillLevel", verbose_name=_("skill level"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoke_reason = models.TextField(_("reason for revocation"), max_length=2000, blank=True)

    objects = CertificateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="valid", revoked_at__isnull=True)
                | models.Q(status="revoked", revoked_at__isnull=False),
                name="certificate_revoked_has_time",
            ),
            models.UniqueConstraint(
                fields=["worker", "occupation", "level"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate_per_occupation_and_level",
            ),
        ]
        indexes = [
            # Brand membership (training/membership.py): the holders of valid certificates in an occupation.
            models.Index(
                fields=["occupation", "worker"],
                condition=models.Q(status="valid"),
                name="certificate_valid_holder_idx",
            ),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID
