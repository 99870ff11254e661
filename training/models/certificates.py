"""Skill-level assessments (职业技能等级认定), the certificates a pass issues and their numbering, and the
national certificates the portal records without issuing them (docs/decisions.md, "Issue 16: national skill
certificates")."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum import luhn

from laborbrand.dates import DateWindow
from laborbrand.reference.validators import compact
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


def normalize_certificate_number(value: str | None) -> str:
    """Upper case, in ASCII, without spaces, hyphens or dots: what people type from a printed certificate."""
    return compact(value).upper()


def is_well_formed_certificate_number(value: str) -> bool:
    """Whether `value` is a number of the portal's own (LA, year, serial, Luhn check digit)."""
    match = CERTIFICATE_NUMBER_RE.match(value)
    return bool(match) and luhn.is_valid(match[1] + match[2] + match[3])


# A national number as printed (the evaluation body's): letters and digits once normalised. A national
# skill-level certificate has 22 (S or Y, then 21 digits), an older vocational qualification certificate 16
# digits; the bounds leave room for other schemes and catch a number cut short or two run together.
NATIONAL_NUMBER_MIN = 6
NATIONAL_NUMBER_MAX = 30
NATIONAL_NUMBER_RE = re.compile(r"^[A-Z0-9]+$")
# Every portal number starts with LA and a digit, and no national scheme does: a national number of that
# shape is refused, so the two kinds never meet in the one unique column.
PORTAL_SHAPE_RE = re.compile(r"^LA\d")


def has_portal_shape(number: str) -> bool:
    """Whether a normalised number is meant as one of the portal's own (well formed or mistyped)."""
    return bool(PORTAL_SHAPE_RE.match(number))


def validate_national_certificate_number(value: str | None) -> str:
    """A national certificate number as printed, normalised; ValidationError saying what is wrong."""
    number = normalize_certificate_number(value)
    if has_portal_shape(number):
        raise ValidationError(
            _(
                "Numbers starting with LA and a digit are the portal's own certificate numbers, which the "
                "portal issues itself: enter the number the evaluation body printed."
            ),
            code="portal_number",
        )
    if not NATIONAL_NUMBER_MIN <= len(number) <= NATIONAL_NUMBER_MAX:
        raise ValidationError(
            _("A certificate number has %(min)d to %(max)d characters; this one has %(count)d."),
            code="number_length",
            params={"min": NATIONAL_NUMBER_MIN, "max": NATIONAL_NUMBER_MAX, "count": len(number)},
        )
    if not NATIONAL_NUMBER_RE.match(number):
        raise ValidationError(
            _("A certificate number has only letters and digits (spaces and hyphens may be left out)."),
            code="number_characters",
        )
    return number


def is_well_formed_national_number(value: str) -> bool:
    try:
        return validate_national_certificate_number(value) == value
    except ValidationError:
        return False


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
    """A skill-level certificate (职业技能等级证书) the portal knows of: one it issued after a passed
    assessment (`source` PORTAL, numbered LA…), or a national certificate an evaluation body issued, recorded
    here as printed (RECORDED one at a time, IMPORTED from a list) so that its holder counts.

    `institution` is the portal institution answerable for the record: the issuer of a portal certificate,
    the institution that recorded or imported a national one; none when the city bureau did. A national
    certificate recorded after the institution's own assessment on the portal `replaces` the portal
    certificate of that assessment (which then has the status REPLACED): one qualification, one valid
    certificate."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced by its national certificate")

    class Source(models.TextChoices):
        PORTAL = "portal", _("Issued by the portal")
        RECORDED = "recorded", _("National certificate, recorded")
        IMPORTED = "imported", _("National certificate, imported")

    number = models.CharField(_("certificate number"), max_length=NATIONAL_NUMBER_MAX, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="certificate", null=True, blank=True
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="certificates",
        null=True,
        blank=True,
    )
    # The registered evaluation body (职业技能等级认定机构) as printed; for a portal certificate, its issuer.
    evaluation_body = models.CharField(_("evaluation body"), max_length=100, default="")
    occupation = models.ForeignKey(
        "reference.Occupation", verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "reference.SkillLevel", verbose_name=_("skill level"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), validators=[DateWindow()])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    # When the certificate stopped being valid: revoked, or replaced by its national certificate.
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoke_reason = models.TextField(_("reason for revocation"), max_length=2000, blank=True)

    objects = CertificateQuerySet.as_manager()
    history = HistoricalRecords()

    # What a list of national certificates says about one, besides its number and holder (an import
    # compares these).
    RECORDED_FACTS = ("occupation", "level", "issued_on", "evaluation_body")

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="valid", revoked_at__isnull=True)
                | models.Q(status__in=["revoked", "replaced"], revoked_at__isnull=False),
                name="certificate_revoked_has_time",
            ),
            models.UniqueConstraint(
                fields=["worker", "occupation", "level"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate_per_occupation_and_level",
            ),
            # A portal certificate is its assessment's, issued by an institution; a national one is
            # linked to an assessment only through the portal certificate it replaces.
            models.CheckConstraint(
                condition=models.Q(
                    source="portal",
                    assessment__isnull=False,
                    institution__isnull=False,
                    replaces__isnull=True,
                )
                | (~models.Q(source="portal") & models.Q(assessment__isnull=True)),
                name="certificate_portal_has_assessment",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="replaced") | models.Q(source="portal"),
                name="certificate_only_portal_replaced",
            ),
        ]
        indexes = [
            # Brand membership (training/membership.py): the holders of valid certificates in an occupation.
            models.Index(
                fields=["occupation", "worker"],
                condition=models.Q(status="valid"),
                name="certificate_valid_holder_idx",
            ),
            # The certificate lists, newest first: a city admin's (all) and an institution's.
            models.Index(fields=["-issued_on", "-id"], name="certificate_newest_idx"),
            models.Index(fields=["institution", "-issued_on", "-id"], name="certificate_institution_idx"),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def is_national(self) -> bool:
        return self.source != self.Source.PORTAL

    def differs_from(self, facts: dict) -> bool:
        """Whether `facts` (RECORDED_FACTS by name) say something else than this certificate."""
        return any(getattr(self, name) != facts[name] for name in self.RECORDED_FACTS)
