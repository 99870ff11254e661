"""The service counter's record: every act a county official did for a worker who was present, with the
worker's code as consent (jobs/counter.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models.board import Application, JobPosting


class CounterActQuerySet(models.QuerySet):
    def in_county(self, county) -> CounterActQuerySet:
        return self.filter(county=county)


class CounterAct(models.Model):
    """One act at a county's service counter on a worker's behalf: who did it, for whom, where and when. It
    is written in the same transaction as the act, and shown to the worker ("Done for me at the counter")."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Opened the account")
        APPLIED = "applied", _("Applied to a job")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="counter_acts_done",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="counter_acts",
    )
    kind = models.CharField(_("act"), max_length=20, choices=Kind.choices)
    posting = models.ForeignKey(
        JobPosting,
        verbose_name=_("job posting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("job application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counter_act",
    )
    # The counter's county (the staff member's when they acted: an official may later move county).
    county = models.ForeignKey(
        "reference.County", verbose_name=_("county/district"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("when"), default=timezone.now)

    objects = CounterActQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="applied", posting__isnull=False, application__isnull=False)
                    | Q(kind="registered", posting__isnull=True, application__isnull=True)
                ),
                name="counter_act_application_iff_applied",
            )
        ]
        indexes = [models.Index(fields=["county", "-created"], name="counter_act_county_idx")]
        verbose_name = _("service-counter act")
        verbose_name_plural = _("service-counter acts")

    def __str__(self):
        return f"{self.staff} → {self.worker}: {self.kind}"
