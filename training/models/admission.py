"""Admission (准入): an institution's application judged on faculty, facilities and employment channels, its
files of evidence, every move of its status, and the city's decision on each round."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from laborbrand.dates import DateWindow
from training.models.institutions import QUALIFICATION_YEARS, Institution


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
