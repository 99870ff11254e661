"""The year's targets, city-wide and split by county, and the snapshots that freeze the figures measured
against them (a month's, on the 1st of the next; or today's, on demand)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand import metrics
from laborbrand.reference.models import County


class Target(models.Model):
    """What the city means to reach in a year on one metric: city-wide (no county) or a county's share. A
    count is the year's total, a rate the per cent to reach. Every edit is kept in history."""

    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("metric"), max_length=40)
    county = models.ForeignKey(
        County, verbose_name=_("county/district"), on_delete=models.PROTECT, null=True, blank=True
    )
    value = models.DecimalField(
        _("target"), max_digits=9, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )
    updated = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "metric", "county__code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            # Two partial constraints rather than nulls_distinct, which SQLite (the embedded default) lacks.
            models.UniqueConstraint(
                fields=["year", "metric"], condition=Q(county__isnull=True), name="one_city_target_per_metric"
            ),
            models.UniqueConstraint(
                fields=["year", "metric", "county"],
                condition=Q(county__isnull=False),
                name="one_county_target_per_metric",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} {self.metric} {self.county or ''}".strip()

    def clean(self):
        try:
            metric = metrics.get(self.metric)
        except KeyError:
            raise ValidationError({"metric": _("There is no such metric.")}) from None
        if self.value is not None:
            if self.value < 0:
                raise ValidationError({"value": _("A target cannot be below zero.")})
            if metric.unit == metrics.PERCENT and self.value > 100:
                raise ValidationError({"value": _("A rate cannot be above 100 %.")})
            if metric.unit == metrics.COUNT and self.value != self.value.to_integral_value():
                raise ValidationError({"value": _("A count is a whole number.")})


class SnapshotQuerySet(models.QuerySet):
    def kept(self) -> SnapshotQuerySet:
        """The snapshots the reports and charts read: monthly and on-demand, never the dashboards' cache."""
        return self.exclude(kind=Snapshot.Kind.CURRENT)

    def monthly(self) -> SnapshotQuerySet:
        return self.filter(kind=Snapshot.Kind.MONTHLY)

    # A kept snapshot is never changed or deleted, in bulk either: only the dashboards' cache may go.
    def update(self, **kwargs):
        if self.kept().exists():
            raise ValidationError(_("A snapshot is never changed."))
        return super().update(**kwargs)

    def delete(self):
        if self.kept().exists():
            raise ValidationError(_("A snapshot is never deleted."))
        return super().delete()


class Snapshot(models.Model):
    """The figures of every metric for the city, every county and every brand, as they stood on `as_of`.

    A monthly snapshot freezes a past month (one per month: taking it again returns the one there is); an
    on-demand snapshot freezes today for a city admin. Neither is ever edited or deleted. `current` snapshots
    are the dashboards' figures, recomputed every few minutes and replaced, never shown as a record."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ON_DEMAND = "on_demand", _("On demand")
        CURRENT = "current", _("Dashboard figures")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    as_of = models.DateField(_("figures as of"))
    taken_at = models.DateTimeField(_("taken at"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-month", "-taken_at"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"], condition=Q(kind="monthly"), name="one_monthly_snapshot_per_month"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="snapshot_month_in_year"),
        ]
        indexes = [models.Index(fields=["kind", "year", "-taken_at"], name="snapshot_latest_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.as_of}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A snapshot is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.kind != self.Kind.CURRENT:
            raise ValidationError(_("A snapshot is never deleted."))
        return super().delete(*args, **kwargs)


class SnapshotFigureQuerySet(models.QuerySet):
    """A snapshot's figures are never changed; only the dashboards' cache (a current snapshot's) is deleted,
    with its snapshot."""

    def update(self, **kwargs):
        raise ValidationError(_("A snapshot is never changed."))

    def delete(self):
        if self.exclude(snapshot__kind=Snapshot.Kind.CURRENT).exists():
            raise ValidationError(_("A snapshot is never deleted."))
        return super().delete()


class SnapshotFigure(models.Model):
    """One metric's figure for one scope in a snapshot: for the year up to `as_of` and for the month up to
    it, with a rate's two counts, and the target that held when it was taken."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField(_("metric"), max_length=40)
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year_value = models.DecimalField(max_digits=12, decimal_places=1, null=True)
    year_numerator = models.PositiveIntegerField(null=True)
    year_denominator = models.PositiveIntegerField(null=True)
    month_value = models.DecimalField(max_digits=12, decimal_places=1, null=True)
    month_numerator = models.PositiveIntegerField(null=True)
    month_denominator = models.PositiveIntegerField(null=True)
    target = models.DecimalField(max_digits=9, decimal_places=1, null=True)

    objects = SnapshotFigureQuerySet.as_manager()

    class Meta:
        ordering = ["snapshot", "metric", "county__code", "brand__name"]
        verbose_name = _("snapshot figure")
        verbose_name_plural = _("snapshot figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(county__isnull=True) | Q(brand__isnull=True), name="figure_scope_county_or_brand"
            ),
        ]
        indexes = [models.Index(fields=["snapshot", "metric"], name="snapshot_figure_metric_idx")]

    def __str__(self):
        return f"{self.metric} {self.scope.kind} {self.county_id or self.brand_id or ''}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A snapshot is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.snapshot.kind != Snapshot.Kind.CURRENT:
            raise ValidationError(_("A snapshot is never deleted."))
        return super().delete(*args, **kwargs)

    @property
    def scope(self) -> metrics.Scope:
        return metrics.Scope(county_id=self.county_id, brand_id=self.brand_id)
