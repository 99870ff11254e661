"""企业新型学徒制: apprenticeships an employer and a qualified institution record together."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jobs.models.board import Employer
from laborbrand.dates import DateWindow


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
    # Recorded at most a year ahead, and at most three years long.
    start_date = models.DateField(_("starts"), validators=[DateWindow(years_ahead=1)])
    end_date = models.DateField(_("ends"), validators=[DateWindow(years_ahead=4)])
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
        # The city admins' list of every apprenticeship, newest first.
        indexes = [models.Index(fields=["-start_date", "-id"], name="apprenticeship_newest_idx")]
        verbose_name = _("apprenticeship")
        verbose_name_plural = _("apprenticeships")

    def __str__(self):
        return f"{self.worker} – {self.employer} ({self.occupation})"
