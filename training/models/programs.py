"""Training programmes, the steps of their lifecycle, and the workers enrolled in them with their class
results."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand.dates import DateWindow
from laborbrand.queries import count_of
from training.models.institutions import Institution
from training.models.scores import pass_follows_from_scores, score_field


class ProgramQuerySet(models.QuerySet):
    def listed(self) -> ProgramQuerySet:
        """What workers can find: programmes enrolling or running, of public brands."""
        return self.filter(
            status__in=[TrainingProgram.Status.ENROLLING, TrainingProgram.Status.RUNNING],
            brand__status__in=["cultivating", "recognised"],
        )

    def with_places(self) -> ProgramQuerySet:
        """Each programme with `taken` (accepted and completed enrolments) and `places_left`, in its own
        query; counted for the rows of the page only (laborbrand.queries.count_of)."""
        taking = Enrollment.objects.filter(
            program=models.OuterRef("pk"), status__in=Enrollment.TAKING_A_PLACE
        )
        return self.annotate(taken=count_of(taking)).annotate(
            places_left=models.F("capacity") - models.F("taken")
        )

    def with_pending(self) -> ProgramQuerySet:
        """Each programme with `pending`, its applications waiting for a decision, counted for the rows of the
        page only."""
        applied = Enrollment.objects.filter(program=models.OuterRef("pk"), status=Enrollment.Status.APPLIED)
        return self.annotate(pending=count_of(applied))


class TrainingProgram(models.Model):
    """A course a qualified institution runs for a brand and occupation. It must meet the brand's
    measurable standards (training months, practical-hours share, target level)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ENROLLING = "enrolling", _("Enrolling")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="programs"
    )
    brand = models.ForeignKey(
        "brands.Brand", verbose_name=_("brand"), on_delete=models.PROTECT, related_name="programs"
    )
    occupation = models.ForeignKey(
        "reference.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="programs",
    )
    target_level = models.ForeignKey(
        "reference.SkillLevel",
        verbose_name=_("target skill level"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=100)
    theory_hours = models.PositiveSmallIntegerField(_("theory hours"), validators=[MaxValueValidator(2000)])
    ethics_hours = models.PositiveSmallIntegerField(
        _("of which professional ethics (职业道德) hours"),
        default=0,
        validators=[MaxValueValidator(2000)],
        help_text=_(
            "Theory hours spent on professional ethics; the brand's ethics standard is checked on them."
        ),
    )
    practical_hours = models.PositiveSmallIntegerField(
        _("practical (实训) hours"), validators=[MaxValueValidator(2000)]
    )
    practice_hours = models.PositiveSmallIntegerField(
        _("workplace practice hours"), validators=[MaxValueValidator(2000)]
    )
    # Planned at most a year ahead, and at most three years long.
    start_date = models.DateField(_("starts"), validators=[DateWindow(years_ahead=1)])
    end_date = models.DateField(_("ends"), validators=[DateWindow(years_ahead=4)])
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    place = models.CharField(_("place"), max_length=200)
    # What the trainee pays in all; most brand training is subsidised and free to the trainee (0).
    fee = models.PositiveIntegerField(
        _("fee for the trainee (CNY)"),
        default=0,
        validators=[MaxValueValidator(100_000)],
        help_text=_(
            "What a trainee pays in all, in yuan; 0 if the training is free to them (e.g. subsidised)."
        ),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = ProgramQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="program_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=models.Q(ethics_hours__lte=models.F("theory_hours")),
                name="program_ethics_hours_within_theory",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"], name="program_status_start_idx")]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self):
        return self.title

    @property
    def is_listed(self) -> bool:
        """Whether workers can find it (as ProgramQuerySet.listed). Reads the brand: load it with the row."""
        return self.status in (self.Status.ENROLLING, self.Status.RUNNING) and self.brand.is_public

    @property
    def total_hours(self) -> int:
        return self.theory_hours + self.practical_hours + self.practice_hours

    @property
    def practical_share(self) -> float:
        """Practical (实训) and workplace practice hours as a percentage of all hours."""
        total = self.total_hours
        return 0.0 if total == 0 else 100 * (self.practical_hours + self.practice_hours) / total

    def has_ended(self, today: datetime.date | None = None) -> bool:
        """From its last day on, the class can sit its final examination."""
        return self.end_date <= (today or timezone.localdate())

    @property
    def results_open(self) -> bool:
        """Whether the class's results can be recorded: the programme has ended (it has reached its end
        date, or it was completed, early with a reason or on time)."""
        return self.status == self.Status.COMPLETED or (
            self.status == self.Status.RUNNING and self.has_ended()
        )

    @property
    def months(self) -> int:
        """Whole months from start to end (a programme from 1 March to 31 May is 3 months)."""
        end = self.end_date + datetime.timedelta(days=1)
        months = (end.year - self.start_date.year) * 12 + end.month - self.start_date.month
        return months - (1 if end.day < self.start_date.day else 0)


class ProgramEvent(models.Model):
    """One step of a programme's lifecycle: who moved it, when, and — for completing it before its end
    date — why."""

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(
        _("from"), max_length=20, choices=TrainingProgram.Status.choices, blank=True
    )
    new_status = models.CharField(_("to"), max_length=20, choices=TrainingProgram.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    early = models.BooleanField(_("completed before its end date"), default=False)
    created = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("programme event")
        verbose_name_plural = _("programme events")

    def __str__(self):
        return f"{self.program}: {self.old_status} → {self.new_status}"


class EnrollmentQuerySet(models.QuerySet):
    def taking_a_place(self) -> EnrollmentQuerySet:
        return self.filter(status__in=Enrollment.TAKING_A_PLACE)

    def completed(self) -> EnrollmentQuerySet:
        return self.filter(status=Enrollment.Status.COMPLETED)


class Enrollment(models.Model):
    """A worker in a programme. A completed enrolment is one trainee-time (人次)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        COMPLETED = "completed", _("Completed")

    TAKING_A_PLACE = (Status.ACCEPTED, Status.COMPLETED)
    # The worker may withdraw until the programme's result is recorded.
    WITHDRAWABLE = (Status.APPLIED, Status.ACCEPTED)

    program = models.ForeignKey(TrainingProgram, on_delete=models.CASCADE, related_name="enrollments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    walk_in = models.BooleanField(_("recorded by the institution"), default=False)
    # The class result: the final examination's theory and practical scores; `passed` follows from them.
    theory_score = score_field(_("theory score"), null=True, blank=True)
    practical_score = score_field(_("practical score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = EnrollmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "worker"], name="one_enrollment_per_worker_and_program"
            ),
            models.CheckConstraint(
                condition=models.Q(theory_score__isnull=True)
                | models.Q(theory_score__gte=0, theory_score__lte=100),
                name="enrollment_theory_score_0_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(practical_score__isnull=True)
                | models.Q(practical_score__gte=0, practical_score__lte=100),
                name="enrollment_practical_score_0_to_100",
            ),
            pass_follows_from_scores("enrollment"),
        ]
        indexes = [
            # Places taken and applications waiting, counted per programme on the programme lists.
            models.Index(fields=["program", "status"], name="enrollment_program_status_idx"),
            # Brand membership (training/membership.py): the passed trainees of a brand's programmes.
            models.Index(
                fields=["program", "worker"],
                condition=models.Q(status="completed", passed=True),
                name="enrollment_passed_idx",
            ),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return f"{self.worker} – {self.program}"
