from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from jobs.search import tokens_document
from laborbrand.dates import DateWindow
from laborbrand.reference.models import City
from laborbrand.reference.validators import validate_credit_code


class EmployerQuerySet(models.QuerySet):
    def awaiting_verification(self) -> EmployerQuerySet:
        """Waiting for the city: new, or corrected after a refusal (correcting clears the reason)."""
        return self.filter(verified_at__isnull=True, rejection_reason="")

    def refused(self) -> EmployerQuerySet:
        """Refused and not corrected yet: waiting for the company, not for the city."""
        return self.filter(verified_at__isnull=True).exclude(rejection_reason="")


class Employer(models.Model):
    """A company that posts jobs, local or in a partner province. A city admin verifies it (checks the
    company against its unified social credit code) before its postings are published."""

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
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    rejection_reason = models.TextField(
        _("why verification was refused"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Set when a city admin refuses verification; the employer corrects its details and asks again."
        ),
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="employers", blank=True)
    created = models.DateTimeField(_("registered"), default=timezone.now)

    objects = EmployerQuerySet.as_manager()
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

    @property
    def is_local(self) -> bool:
        return self.province_id == home_province_id()


def home_province_id() -> int | None:
    """The province of the portal's city (the reference data holds one city)."""
    return City.objects.values_list("province_id", flat=True).first()


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


class WorkerProfile(models.Model):
    """What a worker tells employers and the matching about themselves. Name, ID and phone numbers and the
    privacy consent live on the account (encrypted, masked); this holds the job-seeking side."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    home_county = models.ForeignKey(
        "reference.County",
        verbose_name=_("home county/district"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    desired_occupations = models.ManyToManyField(
        "reference.Occupation", verbose_name=_("desired occupations"), related_name="+"
    )
    experience_years = models.PositiveSmallIntegerField(
        _("years of work experience"), default=0, validators=[MaxValueValidator(60)]
    )
    experience = models.TextField(_("work experience"), max_length=2000, blank=True)
    preferred_provinces = models.ManyToManyField(
        "reference.Province",
        verbose_name=_("preferred provinces"),
        related_name="+",
        blank=True,
        help_text=_("Leave empty for no preference."),
    )
    accepts_other_province = models.BooleanField(_("willing to work in another province"), default=False)
    expected_salary = models.PositiveIntegerField(
        _("expected monthly salary (CNY)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(200000)],
    )
    seeking = models.BooleanField(_("looking for work"), default=True)
    personalised = models.BooleanField(
        _("personalised job recommendations"),
        default=True,
        help_text=_(
            "When on, the nightly matching suggests jobs for you and suggests you to employers. When off, "
            "you see the newest jobs for everyone and employers are not shown your profile as a candidate."
        ),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[desired_occupations, preferred_provinces])

    class Meta:
        verbose_name = _("worker profile")
        verbose_name_plural = _("worker profiles")

    def __str__(self):
        return str(self.user)

    @property
    def is_complete(self) -> bool:
        """Enough for an employer to judge an application: home county and at least one desired occupation
        (the account already has the name, ID and phone numbers)."""
        return self.home_county_id is not None and self.desired_occupations.exists()


class PostingQuerySet(models.QuerySet):
    def public(self, today: datetime.date | None = None) -> PostingQuerySet:
        """Open postings of verified employers, until their open-until date has passed."""
        today = today or timezone.localdate()
        return self.filter(
            status=JobPosting.Status.OPEN, open_until__gte=today, employer__verified_at__isnull=False
        )

    def in_other_provinces(self) -> PostingQuerySet:
        return self.exclude(province_id=home_province_id())


class JobPosting(models.Model):
    """A job an employer offers. draft → open → closed / filled; an open posting past its open-until date
    is expired (it leaves the public list by itself; the nightly task records the status); a city admin can
    take a posting down with a reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("job posting status", "Open")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")
        EXPIRED = "expired", _("Expired")
        TAKEN_DOWN = "taken_down", _("Taken down")

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="postings"
    )
    title = models.CharField(_("job title"), max_length=100)
    occupation = models.ForeignKey(
        "reference.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="postings",
    )
    min_level = models.ForeignKey(
        "reference.SkillLevel",
        verbose_name=_("minimum skill level"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Leave empty when no certificate is required."),
    )
    brand = models.ForeignKey(
        "brands.Brand",
        verbose_name=_("labour brand"),
        on_delete=models.PROTECT,
        related_name="postings",
        null=True,
        blank=True,
        help_text=_("The brand whose workers the job is meant for, if any."),
    )
    headcount = models.PositiveSmallIntegerField(
        _("number of hires"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    salary_min = models.PositiveIntegerField(
        _("monthly salary from (CNY)"), validators=[MinValueValidator(1000), MaxValueValidator(200000)]
    )
    salary_max = models.PositiveIntegerField(
        _("monthly salary to (CNY)"), validators=[MinValueValidator(1000), MaxValueValidator(200000)]
    )
    province = models.ForeignKey(
        "reference.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="postings"
    )
    city_name = models.CharField(_("city"), max_length=50)
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("county/district"),
        on_delete=models.PROTECT,
        related_name="postings",
        null=True,
        blank=True,
        help_text=_("For jobs in this city."),
    )
    housing = models.BooleanField(_("housing provided"), default=False)
    meals = models.BooleanField(_("meals provided"), default=False)
    social_insurance = models.BooleanField(_("social insurance"), default=False)
    description = models.TextField(_("description"), max_length=5000)
    open_until = models.DateField(_("open until"), validators=[DateWindow(years_ahead=1)])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    taken_down_reason = models.TextField(_("reason for taking down"), max_length=2000, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    # The keyword search's index (jobs/search.py): derived from SEARCHED_FIELDS and the employer's name, kept
    # current by save() and by employer_update(); not history.
    search_tokens = SearchVectorField(null=True, editable=False)

    objects = PostingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_tokens"])

    SEARCHED_FIELDS = frozenset({"title", "description", "employer", "occupation"})

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__lte=models.F("salary_max")), name="posting_salary_range"
            ),
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="posting_headcount_positive"),
        ]
        indexes = [
            # The public search: open postings newest first or by salary, then narrowed by filters.
            # (open_until is a range filter, so it stays out of the index: the newest-first scan reads
            # open postings in order and skips the lapsed ones.)
            models.Index(fields=["status", "-published_at", "-id"], name="posting_public_newest_idx"),
            models.Index(fields=["status", "-salary_max", "-id"], name="posting_public_salary_idx"),
            # A filter's count reads only these indexes (PostgreSQL; SQLite ignores the included columns).
            models.Index(
                fields=["occupation", "status"],
                include=["province", "county", "salary_min", "salary_max", "open_until", "employer"],
                name="posting_occupation_idx",
            ),
            models.Index(
                fields=["province", "status"],
                include=["occupation", "county", "salary_min", "salary_max", "open_until", "employer"],
                name="posting_province_idx",
            ),
            models.Index(
                fields=["county", "status"],
                include=["occupation", "province", "salary_min", "salary_max", "open_until", "employer"],
                name="posting_county_idx",
            ),
            # The keyword search; only open postings are searched (PostgreSQL only, see the migration).
            GinIndex(
                fields=["search_tokens"], condition=models.Q(status="open"), name="posting_search_tokens_idx"
            ),
        ]
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A derived column of the row itself, so every way of saving a posting keeps it current.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or self.SEARCHED_FIELDS.intersection(update_fields):
            self.set_search_tokens()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "search_tokens"}
        super().save(*args, **kwargs)

    def set_search_tokens(self) -> None:
        self.search_tokens = tokens_document(
            (self.title, self.description, self.employer.name, self.occupation.name)
        )

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED or (
            self.status == self.Status.OPEN and self.open_until < timezone.localdate()
        )

    @property
    def accepts_applications(self) -> bool:
        return self.status == self.Status.OPEN and not self.is_expired and self.employer.is_verified


class ApplicationQuerySet(models.QuerySet):
    def hired(self) -> ApplicationQuerySet:
        return self.filter(status=Application.Status.HIRED)


class Application(models.Model):
    """A worker's application to a posting, one per worker and posting, with the separate consent the
    privacy law asks for before personal data goes to the employer. Every move is an ApplicationEvent."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VIEWED = "viewed", _("Viewed by the employer")
        INTERVIEW = "interview", _("Interview")
        OFFERED = "offered", _("Offered")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Not successful")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    posting = models.ForeignKey(JobPosting, on_delete=models.PROTECT, related_name="applications")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="job_applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    consent_at = models.DateTimeField(_("consent given"))
    consent_text = models.TextField(_("consent given to"))
    recommendation = models.BooleanField(
        _("from a recommendation"),
        default=False,
        help_text=_("The worker applied from a match recommendation."),
    )
    created = models.DateTimeField(_("applied"), default=timezone.now)
    status_changed = models.DateTimeField(_("status changed"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "worker"], name="one_application_per_worker_and_posting"
            )
        ]
        indexes = [models.Index(fields=["status", "status_changed"], name="application_status_idx")]
        verbose_name = _("job application")
        verbose_name_plural = _("job applications")

    def __str__(self):
        return f"{self.worker} → {self.posting}"


class ApplicationEvent(models.Model):
    """One step of an application: who moved it, when, from what to what, with the employer's note."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(_("from"), max_length=20, choices=Application.Status.choices, blank=True)
    new_status = models.CharField(_("to"), max_length=20, choices=Application.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")

    def __str__(self):
        return f"{self.application}: {self.old_status} → {self.new_status}"


class PartnerRegion(models.Model):
    """劳务协作: a region the city has a labour-cooperation agreement with, and its yearly target."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    province = models.ForeignKey(
        "reference.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.TextField(_("agreement"), max_length=2000, help_text=_("What the agreement covers."))
    signed_on = models.DateField(_("signed on"), validators=[DateWindow()])
    target_placements = models.PositiveIntegerField(
        _("placement target per year"), validators=[MaxValueValidator(1000000)]
    )
    active = models.BooleanField(_("in force"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = _("partner region")
        verbose_name_plural = _("partner regions")

    def __str__(self):
        return self.name


class DockingFair(models.Model):
    """对接会: a fair where employers of a partner region meet the city's workers. Hires that follow are
    counted from the applications to the fair's postings."""

    title = models.CharField(_("title"), max_length=100)
    held_on = models.DateField(_("date"), validators=[DateWindow(years_ahead=1)])
    place = models.CharField(_("place"), max_length=200)
    partner = models.ForeignKey(
        PartnerRegion, verbose_name=_("partner region"), on_delete=models.PROTECT, related_name="fairs"
    )
    county = models.ForeignKey(
        "reference.County",
        verbose_name=_("organising county/district"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    employers = models.ManyToManyField(Employer, verbose_name=_("employers"), related_name="fairs")
    postings = models.ManyToManyField(
        JobPosting, verbose_name=_("postings"), related_name="fairs", blank=True
    )
    attendance = models.PositiveIntegerField(
        _("workers attending"), null=True, blank=True, validators=[MaxValueValidator(1000000)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords(m2m_fields=[employers, postings])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("docking fair")
        verbose_name_plural = _("docking fairs")

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


# --- Matching -----------------------------------------------------------------------------------------------


class MatchWeights(models.Model):
    """How much each component counts in the match score (jobs/matching.py). One row, edited by city admins;
    every change is kept in its history. A run records the weights it used."""

    occupation = models.PositiveSmallIntegerField(
        _("occupation fit"), default=30, validators=[MaxValueValidator(100)]
    )
    level = models.PositiveSmallIntegerField(
        _("skill level"), default=20, validators=[MaxValueValidator(100)]
    )
    brand = models.PositiveSmallIntegerField(
        _("brand membership"), default=10, validators=[MaxValueValidator(100)]
    )
    location = models.PositiveSmallIntegerField(
        _("location"), default=15, validators=[MaxValueValidator(100)]
    )
    salary = models.PositiveSmallIntegerField(_("salary"), default=10, validators=[MaxValueValidator(100)])
    freshness = models.PositiveSmallIntegerField(
        _("freshness of the posting"), default=5, validators=[MaxValueValidator(100)]
    )
    fairness = models.PositiveSmallIntegerField(
        _("few applicants so far"), default=10, validators=[MaxValueValidator(100)]
    )
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
        from jobs.matching import COMPONENTS

        return {name: getattr(self, name) for name in COMPONENTS}


class MatchRun(models.Model):
    """One matching of every seeking worker against the open postings (jobs/matchrun.py). Its work is split
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


class Recommendation(models.Model):
    """A scored worker × posting pair a run kept: among the worker's best postings (worker_rank > 0) or the
    posting's best workers (posting_rank > 0). The component fits (0–1000, per mille) explain the score
    with the run's weights. Written in bulk by the run (binary COPY on PostgreSQL); the foreign keys have no
    database constraint because the rows are derived and removed with their run."""

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
        JobPosting, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    score = models.FloatField(_("score"))
    worker_rank = models.PositiveSmallIntegerField(default=0)
    posting_rank = models.PositiveSmallIntegerField(default=0)
    held_level = models.PositiveSmallIntegerField(default=0, help_text="the worker's certificate level, 0–5")
    occupation = models.PositiveSmallIntegerField(default=0)
    level = models.PositiveSmallIntegerField(default=0)
    brand = models.PositiveSmallIntegerField(default=0)
    location = models.PositiveSmallIntegerField(default=0)
    salary = models.PositiveSmallIntegerField(default=0)
    freshness = models.PositiveSmallIntegerField(default=0)
    fairness = models.PositiveSmallIntegerField(default=0)

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
        from jobs.matching import COMPONENTS

        return {name: getattr(self, name) for name in COMPONENTS}


class MatchInvitation(models.Model):
    """An employer invited a recommended candidate to apply; the worker is notified once per posting."""

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="invitations")
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
