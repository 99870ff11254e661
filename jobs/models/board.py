"""The job board's records: employers and their verification, workers' profiles, job postings and
applications with their steps."""

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

# Where a company stands with the city's verification: waiting for the city (new, or corrected after a
# refusal: correcting clears the reason), refused and waiting for the company's corrections, or verified.
_AWAITING_VERIFICATION = models.Q(verified_at__isnull=True, rejection_reason="")
_REFUSED = models.Q(verified_at__isnull=True) & ~models.Q(rejection_reason="")
_VERIFIED = models.Q(verified_at__isnull=False)


class EmployerQuerySet(models.QuerySet):
    def awaiting_verification(self) -> EmployerQuerySet:
        return self.filter(_AWAITING_VERIFICATION)

    def refused(self) -> EmployerQuerySet:
        return self.filter(_REFUSED)

    def verified(self) -> EmployerQuerySet:
        return self.filter(_VERIFIED)

    def verification_counts(self) -> dict[str, int]:
        """How many companies wait for the city, are refused, are verified, and in all (one query)."""
        return self.aggregate(
            waiting=models.Count("pk", filter=_AWAITING_VERIFICATION),
            refused=models.Count("pk", filter=_REFUSED),
            verified=models.Count("pk", filter=_VERIFIED),
            all=models.Count("pk"),
        )


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
