from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from laborbrand.accounts import pii
from laborbrand.reference.models import SkillLevel


class BrandQuerySet(models.QuerySet):
    def public(self) -> BrandQuerySet:
        return self.filter(status__in=Brand.PUBLIC_STATUSES)

    def in_county(self, county) -> BrandQuerySet:
        return self.filter(county=county)

    def awaiting_decision(self) -> BrandQuerySet:
        return self.filter(status=Brand.Status.SUBMITTED)


def logo_upload_to(instance: Brand, filename: str) -> str:
    # The stored name never carries the uploader's file name.
    return f"brands/logos/{timezone.now():%Y/%m}/{instance.county_id}-{timezone.now():%H%M%S%f}.png"


class Brand(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the city")
        RETURNED = "returned", _("Returned for changes")
        CULTIVATING = "cultivating", _("Cultivation target")
        RECOGNISED = "recognised", _("Recognised brand")
        REJECTED = "rejected", _("Rejected")
        RETIRED = "retired", _("Retired")

    PUBLIC_STATUSES = (Status.CULTIVATING, Status.RECOGNISED)
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    name = models.CharField(_("brand name"), max_length=50)
    slug = models.SlugField(_("web address"), max_length=80, unique=True, allow_unicode=True, editable=False)
    county = models.ForeignKey(
        "reference.County", verbose_name=_("county/district"), on_delete=models.PROTECT, related_name="brands"
    )
    township = models.ForeignKey(
        "reference.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brands",
        help_text=_("Optional: for a one-township-one-speciality brand."),
    )
    category = models.ForeignKey(
        "reference.OccupationCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="brands",
    )
    occupations = models.ManyToManyField(
        "reference.Occupation", verbose_name=_("occupations"), related_name="brands"
    )
    slogan = models.CharField(_("slogan / regional mark"), max_length=100, blank=True)
    description = models.TextField(_("story and description"), max_length=5000)
    logo = models.ImageField(_("logo"), upload_to=logo_upload_to, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed = models.DateTimeField(_("status changed"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = BrandQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["status_changed"], m2m_fields=[occupations])

    class Meta:
        ordering = ["county__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="unique_brand_name_per_county")
        ]
        indexes = [models.Index(fields=["status", "county"], name="brand_status_county_idx")]
        verbose_name = _("labour brand")
        verbose_name_plural = _("labour brands")

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class BrandEvent(models.Model):
    """One lifecycle step of a brand: who moved it from which status to which, when, and why."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="events")
    old_status = models.CharField(_("from"), max_length=20, choices=Brand.Status.choices, blank=True)
    new_status = models.CharField(_("to"), max_length=20, choices=Brand.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    # A recognition of a brand that missed recognition criteria: each missed one as it stood then,
    # {"metric", "threshold", "figure"} (figure None: not recorded in the portal).
    missed_criteria = models.JSONField(_("recognition criteria missed"), default=list, blank=True)
    created = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("brand event")
        verbose_name_plural = _("brand events")

    def __str__(self):
        return f"{self.brand}: {self.old_status} → {self.new_status}"

    def missed(self) -> list[dict]:
        """The missed criteria with their names, for pages."""
        metrics = dict(RecognitionCriterion.Metric.choices)
        return [{**row, "label": metrics.get(row["metric"], row["metric"])} for row in self.missed_criteria]


class BrandStandard(models.Model):
    class Dimension(models.TextChoices):
        ETHICS = "ethics", _("Professional ethics")
        SKILL = "skill", _("Skill level")
        SERVICE = "service", _("Service norms")

    class Measure(models.TextChoices):
        MIN_TRAINING_MONTHS = "min_training_months", _("Minimum training length")
        MIN_PRACTICAL_SHARE = "min_practical_share", _("Minimum share of practical hours")
        MIN_CERTIFICATE_LEVEL = "min_certificate_level", _("Minimum certificate level")
        MIN_ETHICS_HOURS = "min_ethics_hours", _("Minimum professional-ethics training")

    # The range a target of each measure may take.
    MEASURE_RANGES = {
        Measure.MIN_TRAINING_MONTHS: (1, 36),
        Measure.MIN_PRACTICAL_SHARE: (1, 100),
        Measure.MIN_CERTIFICATE_LEVEL: (1, 5),
        Measure.MIN_ETHICS_HOURS: (1, 200),
    }

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="standards")
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    requirement = models.TextField(_("requirement"), max_length=500)
    measure = models.CharField(_("measurable target"), max_length=30, choices=Measure.choices, blank=True)
    target = models.PositiveSmallIntegerField(
        _("target value"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["brand", "dimension", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(measure="") & models.Q(target__isnull=True))
                | (~models.Q(measure="") & models.Q(target__isnull=False)),
                name="standard_measure_has_target",
            ),
            models.UniqueConstraint(
                fields=["brand", "measure"], condition=~models.Q(measure=""), name="one_target_per_measure"
            ),
        ]
        verbose_name = _("brand standard")
        verbose_name_plural = _("brand standards")

    def __str__(self):
        return self.requirement[:50]

    def target_text(self, levels: Mapping[int, SkillLevel]) -> str:
        """The target in words with its unit ("3 months", "60%", "四级/中级工 or above"), never a bare code;
        `levels` are the skill levels by rank, for a certificate-level target."""
        target = self.target
        if self.measure == self.Measure.MIN_TRAINING_MONTHS:
            return ngettext("%(count)d month", "%(count)d months", target) % {"count": target}
        if self.measure == self.Measure.MIN_PRACTICAL_SHARE:
            return gettext("%(share)d%% of all hours") % {"share": target}
        if self.measure == self.Measure.MIN_CERTIFICATE_LEVEL:
            return gettext("%(level)s or above") % {"level": levels.get(target, target)}
        if self.measure == self.Measure.MIN_ETHICS_HOURS:
            return ngettext("%(count)d hour", "%(count)d hours", target) % {"count": target}
        return ""


class BrandNewsQuerySet(models.QuerySet):
    def published(self) -> BrandNewsQuerySet:
        return self.filter(status=BrandNews.Status.PUBLISHED)

    def public(self) -> BrandNewsQuerySet:
        return self.published().filter(brand__status__in=Brand.PUBLIC_STATUSES)


class BrandNews(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    brand = models.ForeignKey(Brand, verbose_name=_("brand"), on_delete=models.CASCADE, related_name="news")
    title = models.CharField(_("title"), max_length=100)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    body = models.TextField(_("text"), max_length=20000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(_("created"), default=timezone.now)

    objects = BrandNewsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-created", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="news_status_published_idx")]
        verbose_name = _("brand news item")
        verbose_name_plural = _("brand news")

    def __str__(self):
        return self.title


class RecognitionCriterion(models.Model):
    """A threshold the city sets for recognising a brand (品牌认定). The brand's own figure next to it always
    comes from the portal's records (see brands/figures.py), never typed in."""

    class Metric(models.TextChoices):
        TRAINED_PER_YEAR = "trained_per_year", _("Trainee-times completed in the last 12 months")
        CERTIFIED_MEMBERS = "certified_members", _("Brand members holding a valid certificate")
        CERTIFICATE_RATE = "certificate_rate", _("Certificate-holding rate of brand members (%)")
        PLACEMENTS = "placements", _("Placements through the platform in the last 12 months")
        PUBLISHED_NEWS = "published_news", _("Published brand news items")

    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices, unique=True)
    threshold = models.PositiveIntegerField(_("threshold"), validators=[MinValueValidator(1)])
    active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recognition criterion")
        verbose_name_plural = _("recognition criteria")

    def __str__(self):
        return self.get_metric_display()


class PractitionerQuerySet(models.QuerySet):
    def active(self) -> PractitionerQuerySet:
        return self.filter(removed_at__isnull=True)

    def removed(self) -> PractitionerQuerySet:
        return self.filter(removed_at__isnull=False)

    def registered_by(self, moment) -> PractitionerQuerySet:
        """The entries that stood at `moment` (an aware datetime): registered before it and not removed by
        then. A month's figures read the register as of the first moment after the month."""
        return self.filter(created__lt=moment).filter(
            models.Q(removed_at__isnull=True) | models.Q(removed_at__gte=moment)
        )


class Practitioner(models.Model):
    """One entry of a brand's practitioner register (从业人员台账): a person working in the brand's trade in
    the county, kept by the county's officials (typed on the page or imported from their Excel list).

    The person is a worker record (laborbrand/accounts/records.py): the account of the registered worker with
    that ID number, or a record without a sign-in its owner claims by registering. A practitioner who leaves
    the trade is removed, never deleted: past months keep counting them, up to the removal (docs/decisions.md,
    "Issue 16: the practitioner register and membership")."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered on the page")
        IMPORTED = "imported", _("Imported from Excel")

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="practitioners"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="practitioner_entries",
    )
    occupation = models.ForeignKey(
        "reference.Occupation", verbose_name=_("occupation"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.CharField(_("employed at"), max_length=100, blank=True)
    self_employed = models.BooleanField(_("self-employed"), default=False)
    township = models.ForeignKey(
        "reference.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    since = models.DateField(_("in the trade since"))
    # The number the county lists for the person, encrypted like User.phone. Not the account's number: it
    # signs nobody in and receives no codes or notifications (docs/decisions.md, issue 16). "" is stored as
    # NULL.
    contact_phone = EncryptedCharField(_("contact phone"), max_length=11, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ENTERED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created = models.DateTimeField(_("registered"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(_("reason for removal"), max_length=500, blank=True)

    objects = PractitionerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["brand", "-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "worker"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_practitioner_per_brand",
            ),
            # Employed somewhere or self-employed: exactly one of the two.
            models.CheckConstraint(
                condition=models.Q(self_employed=True, employer="")
                | (models.Q(self_employed=False) & ~models.Q(employer="")),
                name="practitioner_employer_or_self_employed",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removal_reason="")
                | (models.Q(removed_at__isnull=False) & ~models.Q(removal_reason="")),
                name="practitioner_removal_has_reason",
            ),
        ]
        indexes = [
            # The register page (newest first) and a month's members (registered before the month's end).
            models.Index(fields=["brand", "created"], name="practitioner_brand_created_idx"),
        ]
        verbose_name = _("brand practitioner")
        verbose_name_plural = _("brand practitioners")

    def __str__(self):
        return f"{self.worker} · {self.brand}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def masked_contact_phone(self) -> str:
        return pii.mask_phone(self.contact_phone)

    @property
    def workplace(self) -> str:
        return gettext("Self-employed") if self.self_employed else self.employer
