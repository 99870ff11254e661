"""Professional-ethics sessions (职业道德专题培训) for brand workers and their attendance."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand.dates import DateWindow
from laborbrand.queries import count_of
from training.models.institutions import Institution


class EthicsSessionQuerySet(models.QuerySet):
    def with_attendee_count(self) -> EthicsSessionQuerySet:
        """Each session with `attendee_count`, counted for the rows of the page only
        (laborbrand.queries.count_of)."""
        return self.annotate(
            attendee_count=count_of(EthicsAttendance.objects.filter(session=models.OuterRef("pk")))
        )


class EthicsSession(models.Model):
    """职业道德专题培训: a professional-ethics session for brand workers, organised by the city bureau, a
    county or an institution, with its attendance. Its hours count toward a brand's ethics standard."""

    held_on = models.DateField(_("date"), validators=[DateWindow(years_ahead=1)])
    topic = models.CharField(_("topic"), max_length=200)
    speaker = models.CharField(_("speaker"), max_length=50)
    speaker_title = models.CharField(
        _("speaker's title"),
        max_length=100,
        help_text=_("For example: national model worker, Jianghuai craftsman."),
    )
    place = models.CharField(_("place"), max_length=200)
    hours = models.DecimalField(
        _("hours"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)],
    )
    brands = models.ManyToManyField("brands.Brand", verbose_name=_("brands"), related_name="ethics_sessions")
    # The organiser: a county, an institution, or (neither) the city bureau.
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("organising county/district"),
        on_delete=models.PROTECT,
        related_name="ethics_sessions",
        null=True,
        blank=True,
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("organising institution"),
        on_delete=models.PROTECT,
        related_name="ethics_sessions",
        null=True,
        blank=True,
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="EthicsAttendance", related_name="ethics_sessions"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = EthicsSessionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[brands])

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(county__isnull=True) | models.Q(institution__isnull=True),
                name="ethics_session_has_one_organiser",
            ),
        ]
        verbose_name = _("ethics session")
        verbose_name_plural = _("ethics sessions")

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @property
    def organiser(self) -> str:
        if self.institution_id:
            return str(self.institution)
        if self.county_id:
            return str(self.county)
        return str(_("City human resources bureau"))


class EthicsAttendance(models.Model):
    session = models.ForeignKey(EthicsSession, on_delete=models.CASCADE, related_name="attendance")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ethics_attendance"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "worker"], name="one_attendance_per_session_and_worker"
            )
        ]
        verbose_name = _("ethics attendance")
        verbose_name_plural = _("ethics attendance")

    def __str__(self):
        return f"{self.worker} @ {self.session}"
