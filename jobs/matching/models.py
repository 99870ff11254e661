"""The matching's records: the weights city admins set, the runs with their chunks, the recommendations a
run keeps, and employers' invitations to apply. Part of the jobs app (jobs/models/__init__.py imports them);
the columns of a weight or a fit per component are named by weights.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jobs.matching.weights import COMPONENTS, WEIGHTS, Component


def _per_component(name: str, field: Callable[[Component], models.Field]) -> type[models.Model]:
    """An abstract model with a field per component of the score, named after it, in weights.py's order."""
    meta = type("Meta", (), {"abstract": True})
    fields = {component.name: field(component) for component in WEIGHTS}
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **fields})


WeightColumns = _per_component(
    "WeightColumns",
    lambda component: models.PositiveSmallIntegerField(
        component.label, default=component.default, validators=[MaxValueValidator(100)]
    ),
)
FitColumns = _per_component("FitColumns", lambda component: models.PositiveSmallIntegerField(default=0))


class MatchWeights(WeightColumns):
    """How much each component counts in the match score (scoring.py): a weight per component, 0–100. One
    row, edited by city admins; every change is kept in its history. A run records the weights it used."""

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated = models.DateTimeField(_("changed"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("match weights")
        verbose_name_plural = _("match weights")

    def __str__(self):
        return ", ".join(f"{name} {value}" for name, value in self.as_dict().items())

    @classmethod
    def current(cls) -> MatchWeights:
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COMPONENTS}


class MatchRun(models.Model):
    """One matching of every seeking worker against the open postings (runs.py). Its work is split
    into chunks that Celery workers process in parallel; readers see the latest completed run only. At most
    one run is active at a time (the partial unique constraint on `active` is the lock)."""

    class Status(models.TextChoices):
        RUNNING = "running", pgettext_lazy("match run status", "Running")
        COMPLETED = "completed", pgettext_lazy("match run status", "Completed")
        FAILED = "failed", pgettext_lazy("match run status", "Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Nightly schedule")
        MANUAL = "manual", _("Started by a city admin")
        COMMAND = "command", _("Management command")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    active = models.BooleanField(default=True, editable=False)
    trigger = models.CharField(_("started by"), max_length=20, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last progress"), default=timezone.now)
    scoring_date = models.DateField(_("scored as of"))
    weights = models.JSONField(_("weights used"))
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    workers = models.PositiveIntegerField(_("workers scored"), default=0)
    postings = models.PositiveIntegerField(_("open postings"), default=0)
    pairs = models.PositiveBigIntegerField(_("pairs scored"), default=0)
    recommendations = models.PositiveBigIntegerField(_("recommendations written"), default=0)
    seconds = models.JSONField(_("seconds per phase"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_match_run"
            )
        ]
        indexes = [models.Index(fields=["status", "-finished_at"], name="match_run_status_idx")]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")

    def __str__(self):
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def progress(self) -> int:
        """Chunks done, as a whole percentage."""
        return round(100 * self.chunks_done / self.chunks_total) if self.chunks_total else 0

    @property
    def duration(self) -> datetime.timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None


class MatchChunk(models.Model):
    """A share of a run's work: either a range of worker ids (each worker's best postings) or a set of
    occupation categories (each posting's best workers). Done is recorded in the same transaction as the
    chunk's recommendations, so a retried chunk never writes twice."""

    class Kind(models.TextChoices):
        WORKERS = "workers", _("Workers")
        POSTINGS = "postings", _("Postings")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    spec = models.JSONField(help_text="workers: [first id, last id]; postings: category ids")
    done_at = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="unique_chunk_per_run")]

    def __str__(self):
        return f"{self.run_id}/{self.number} {self.kind}"


class Recommendation(FitColumns):
    """A scored worker × posting pair a run kept: among the worker's best postings (worker_rank > 0) or the
    posting's best workers (posting_rank > 0). The component fits (0–1000, per mille, a column each) explain
    the score with the run's weights. Written in bulk by the run (binary COPY on PostgreSQL); the foreign keys
    have no database constraint because the rows are derived and removed with their run."""

    run = models.ForeignKey(
        MatchRun, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    chunk = models.PositiveIntegerField()
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    posting = models.ForeignKey(
        "jobs.JobPosting", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    score = models.FloatField(_("score"))
    worker_rank = models.PositiveSmallIntegerField(default=0)
    posting_rank = models.PositiveSmallIntegerField(default=0)
    held_level = models.PositiveSmallIntegerField(default=0, help_text="the worker's certificate level, 0–5")

    class Meta:
        # Readers always name the run, so it leads every index (a new run's rows go to the end of each) and
        # the foreign keys get no index of their own; the two readers' indexes hold only their side's rows
        # (every row is on at least one side). docs/benchmarks.md: this halves a run's write time.
        indexes = [
            models.Index(
                fields=["run", "worker", "worker_rank"],
                condition=models.Q(worker_rank__gt=0),
                name="recommendation_worker_idx",
            ),
            models.Index(
                fields=["run", "posting", "posting_rank"],
                condition=models.Q(posting_rank__gt=0),
                name="recommendation_posting_idx",
            ),
            models.Index(fields=["run", "chunk", "id"], name="recommendation_run_idx"),
        ]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self):
        return f"{self.worker_id} × {self.posting_id}: {self.score:.1f}"

    def fits(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COMPONENTS}


class MatchInvitation(models.Model):
    """An employer invited a recommended candidate to apply; the worker is notified once per posting."""

    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="invitations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_invitations"
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "worker"], name="one_invitation_per_worker_and_posting"
            )
        ]
        verbose_name = _("invitation to apply")
        verbose_name_plural = _("invitations to apply")

    def __str__(self):
        return f"{self.posting} → {self.worker}"
