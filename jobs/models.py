from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand.reference.validators import validate_credit_code


class Employer(models.Model):
    """A company that posts jobs. Verification by a city admin arrives with the job board."""

    name = models.CharField(_("company name"), max_length=100)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    province = models.ForeignKey(
        "reference.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="employers"
    )
    city_name = models.CharField(_("city"), max_length=50)
    industry = models.CharField(_("industry"), max_length=50)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact telephone"), max_length=20)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="employers", blank=True)
    created = models.DateTimeField(_("registered"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self):
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Apprenticeship(models.Model):
    """企业新型学徒制: a worker trained on the job by an employer together with a qualified institution,
    toward a target skill level. Either party records it; both see and update it. It lives in jobs, not
    training, because it needs the employer and jobs sits above training."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended early")

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="apprenticeships"
    )
    institution = models.ForeignKey(
        "training.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="apprenticeships",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="apprenticeships"
    )
    occupation = models.ForeignKey(
        "reference.Occupation", verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    target_level = models.ForeignKey(
        "reference.SkillLevel",
        verbose_name=_("target skill level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("recorded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="apprenticeship_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["worker"], condition=models.Q(status="active"), name="one_active_apprenticeship"
            ),
        ]
        verbose_name = _("apprenticeship")
        verbose_name_plural = _("apprenticeships")

    def __str__(self):
        return f"{self.worker} – {self.employer} ({self.occupation})"
