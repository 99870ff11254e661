from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum import luhn

from laborbrand.dates import DateWindow
from laborbrand.queries import count_of
from laborbrand.reference.validators import validate_credit_code

# An admission is granted for at most this many years at a time.
QUALIFICATION_YEARS = 5


class InstitutionQuerySet(models.QuerySet):
    def qualified(self, on: datetime.date | None = None) -> InstitutionQuerySet:
        on = on or timezone.localdate()
        return self.filter(status=Institution.Status.QUALIFIED, qualified_until__gte=on)


class Institution(models.Model):
    """A training institution. It is qualified (准入) once the city approves an admission application, until
    `qualified_until`; the city can suspend it, and it expires by itself when the date passes."""

    class Kind(models.TextChoices):
        VOCATIONAL_COLLEGE = "vocational_college", _("Vocational college")
        TECHNICAL_SCHOOL = "technical_school", _("Technical school")
        ENTERPRISE_CENTRE = "enterprise_centre", _("Enterprise training centre")
        PRIVATE = "private", _("Private training organisation")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered, not yet admitted")
        QUALIFIED = "qualified", _("Qualified")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Expired")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("county/district"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact telephone"), max_length=20)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    qualified_until = models.DateField(
        _("qualified until"), null=True, blank=True, validators=[DateWindow(years_ahead=QUALIFICATION_YEARS)]
    )
    occupations = models.ManyToManyField(
        "reference.Occupation",
        verbose_name=_("admitted occupations"),
        related_name="institutions",
        blank=True,
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="institutions", blank=True)
    created = models.DateTimeField(_("registered"), default=timezone.now)

    objects = InstitutionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[occupations])

    class Meta:
        ordering = ["name"]
        verbose_name = _("training institution")
        verbose_name_plural = _("training institutions")

    def __str__(self):
        return self.name

    @property
    def is_qualified(self) -> bool:
        return (
            self.status == self.Status.QUALIFIED
            and self.qualified_until is not None
            and self.qualified_until >= timezone.localdate()
        )


# The national rule for skill-level assessment (职业技能等级认定): a part is passed with at least 60 points. A
# programme's class results follow the same rule (docs/decisions.md).
PASS_MARK = 60


def passes(theory_score, practical_score) -> bool:
    return theory_score >= PASS_MARK and practical_score >= PASS_MARK


def pass_follows_from_scores(prefix: str) -> models.CheckConstraint:
    """`passed` is true exactly when both scores reach PASS_MARK (and is unset, with both scores, until
    there is a result)."""
    # Spelled out with IS NOT NULL: a CHECK whose condition is NULL (a missing score) would pass.
    both_given = models.Q(theory_score__isnull=False, practical_score__isnull=False)
    both_reach = models.Q(theory_score__gte=PASS_MARK, practical_score__gte=PASS_MARK)
    one_misses = models.Q(theory_score__lt=PASS_MARK) | models.Q(practical_score__lt=PASS_MARK)
    return models.CheckConstraint(
        condition=models.Q(passed__isnull=True, theory_score__isnull=True, practical_score__isnull=True)
        | (models.Q(passed=True) & both_given & both_reach)
        | (models.Q(passed=False) & both_given & one_misses),
        name=f"{prefix}_pass_follows_from_scores",
    )


def score_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        **kwargs,
    )


def percent_field(verbose_name):
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Percent, 0–100."),
    )


class ApplicationQuerySet(models.QuerySet):
    def open(self) -> ApplicationQuerySet:
        return self.exclude(status__in=AdmissionApplication.CLOSED_STATUSES)


class AdmissionApplication(models.Model):
    """An institution's application for admission (准入), judged on three criteria: faculty, facilities and
    employment channels. One open application per institution; every round is kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    CLOSED_STATUSES = (Status.APPROVED, Status.REJECTED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED)

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    # Faculty
    teacher_count = models.PositiveSmallIntegerField(
        _("number of teachers"), validators=[MaxValueValidator(5000)]
    )
    double_qualified_share = percent_field(_("double-qualified (双师型) teachers, %"))
    senior_title_count = models.PositiveSmallIntegerField(
        _("teachers with senior titles"), validators=[MaxValueValidator(5000)]
    )
    # Facilities
    training_space_m2 = models.PositiveIntegerField(
        _("practical training space (m²)"), validators=[MaxValueValidator(1_000_000)]
    )
    equipment = models.TextField(
        _("main equipment"),
        max_length=3000,
        help_text=_("e.g. 12 CNC lathes, 4 industrial robots, one per line."),
    )
    # Employment channels
    partner_employers = models.TextField(_("partner employers"), max_length=3000)
    placement_rate = percent_field(_("placement rate of past trainees, %"))
    occupations = models.ManyToManyField(
        "reference.Occupation", verbose_name=_("occupations applied for"), related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[occupations])

    class Meta:
        ordering = ["-submitted_at", "-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=~models.Q(status__in=["approved", "rejected"]),
                name="one_open_application_per_institution",
            ),
        ]
        verbose_name = _("admission application")
        verbose_name_plural = _("admission applications")

    def __str__(self):
        return f"{self.institution} #{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def editing_round(self) -> int:
        """The round the institution is preparing: the current one while a draft, the next one once changes
        were requested (the current round's files were decided on and stay as submitted)."""
        return self.round + 1 if self.status == self.Status.CHANGES_REQUESTED else self.round


def attachment_upload_to(instance: ApplicationAttachment, filename: str) -> str:
    # Stored under a generated name; the uploader's name is kept only as display text.
    stamp = timezone.now()
    return f"training/applications/{instance.application_id}/{stamp:%Y%m%d%H%M%S%f}.{instance.extension}"


class ApplicationAttachment(models.Model):
    class Criterion(models.TextChoices):
        FACULTY = "faculty", _("Faculty")
        FACILITIES = "facilities", _("Facilities")
        EMPLOYMENT = "employment", _("Employment channels")
        OTHER = "other", _("Other")

    EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

    application = models.ForeignKey(
        AdmissionApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    criterion = models.CharField(_("evidence for"), max_length=20, choices=Criterion.choices)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size"))
    round = models.PositiveSmallIntegerField(_("round"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["criterion", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.content_type, "bin")


class ApplicationEvent(models.Model):
    application = models.ForeignKey(AdmissionApplication, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(
        _("from"), max_length=20, choices=AdmissionApplication.Status.choices, blank=True
    )
    new_status = models.CharField(_("to"), max_length=20, choices=AdmissionApplication.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self):
        return f"{self.application}: {self.old_status} → {self.new_status}"


class ApplicationReview(models.Model):
    """A city admin's decision on one round of an application: a verdict and comment per criterion, and
    an overall decision with its reason. One decision per round."""

    class Verdict(models.TextChoices):
        MEETS = "meets", _("Meets the requirement")
        PARTLY = "partly", _("Partly meets it")
        FAILS = "fails", _("Does not meet it")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REJECT = "reject", _("Reject")

    application = models.ForeignKey(AdmissionApplication, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("round"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    faculty_verdict = models.CharField(_("faculty"), max_length=10, choices=Verdict.choices)
    faculty_comment = models.TextField(_("comment on faculty"), max_length=2000, blank=True)
    facilities_verdict = models.CharField(_("facilities"), max_length=10, choices=Verdict.choices)
    facilities_comment = models.TextField(_("comment on facilities"), max_length=2000, blank=True)
    employment_verdict = models.CharField(_("employment channels"), max_length=10, choices=Verdict.choices)
    employment_comment = models.TextField(_("comment on employment channels"), max_length=2000, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("reason"), max_length=4000)
    qualified_until = models.DateField(
        _("qualified until"), null=True, blank=True, validators=[DateWindow(years_ahead=QUALIFICATION_YEARS)]
    )
    created = models.DateTimeField(_("decided"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-round", "-created"]
        constraints = [
            models.UniqueConstraint(fields=["application", "round"], name="one_decision_per_round"),
        ]
        verbose_name = _("application review")
        verbose_name_plural = _("application reviews")

    def __str__(self):
        return f"{self.application} round {self.round}: {self.decision}"


def agreement_upload_to(instance: PartnerAgreement, filename: str) -> str:
    return f"training/agreements/{instance.county_id}/{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class PartnerAgreementQuerySet(models.QuerySet):
    def signed_in(self, year: int) -> PartnerAgreementQuerySet:
        return self.filter(signed_on__year=year)


class PartnerAgreement(models.Model):
    """签约备案: a county's agreement with a qualified institution to train for its brands, filed with the
    city. Filed after the year's deadline (settings.AGREEMENT_FILING_DEADLINE, month and day) is late."""

    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("county/district"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="agreements"
    )
    brands = models.ManyToManyField("brands.Brand", verbose_name=_("brands"), related_name="agreements")
    signed_on = models.DateField(_("signed on"), validators=[DateWindow()])
    filed_on = models.DateField(_("filed on"), validators=[DateWindow()])
    document = models.FileField(_("signed agreement (PDF)"), upload_to=agreement_upload_to, max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = PartnerAgreementQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[brands])

    class Meta:
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filed_on__gte=models.F("signed_on")), name="agreement_filed_after_signing"
            ),
        ]
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")

    def __str__(self):
        return f"{self.county} – {self.institution} ({self.signed_on:%Y-%m-%d})"

    @property
    def deadline(self) -> datetime.date:
        return filing_deadline(self.signed_on.year)

    @property
    def is_late(self) -> bool:
        return self.filed_on > self.deadline


def filing_deadline(year: int) -> datetime.date:
    month, day = settings.AGREEMENT_FILING_DEADLINE
    return datetime.date(year, month, day)


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
