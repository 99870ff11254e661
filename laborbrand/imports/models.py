"""An import batch: one uploaded file, what checking it found, and what committing it wrote.

A batch moves validating → validated | failed, then (confirmed) committing → committed, and a committed batch
may be undone (undoing → undone) by its importer within settings.IMPORT_UNDO_DAYS. Every object a commit wrote
is an ImportedObject row, so the batch can be undone and anyone can see which import wrote a record.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def batch_file_name(instance: ImportBatch, filename: str) -> str:
    # A random name: the uploader's file name (which may hold a person's name) is kept only in file_name,
    # and nothing can guess the stored path. The storage is the private default one, never served.
    return f"imports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.xlsx"


class ImportBatchQuerySet(models.QuerySet):
    def of(self, user, key: str, target_id: int | None) -> ImportBatchQuerySet:
        return self.filter(user=user, importer=key, target_id=target_id)

    def in_progress(self) -> ImportBatchQuerySet:
        return self.filter(status__in=ImportBatch.WORKING)


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking the file")
        VALIDATED = "validated", _("Checked, not yet imported")
        FAILED = "failed", _("File refused")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        UNDOING = "undoing", _("Undoing")
        UNDONE = "undone", _("Undone")

    # A task is working on the batch: the page shows the progress bar.
    WORKING = (Status.VALIDATING, Status.COMMITTING, Status.UNDOING)

    importer = models.CharField(_("import"), max_length=50)
    target_id = models.PositiveBigIntegerField(_("imported into (id)"), null=True, blank=True)
    target_label = models.CharField(_("imported into"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="import_batches",
    )
    created = models.DateTimeField(_("uploaded"), default=timezone.now)
    file = models.FileField(_("file"), upload_to=batch_file_name, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.VALIDATING)
    status_changed = models.DateTimeField(_("status changed"), default=timezone.now)
    # Why the file was refused, why a commit or an undo was refused: shown on the batch's page.
    message = models.TextField(_("message"), blank=True)
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    # [{"row": 5, "errors": ["身份证号: …", …]}, …]: the refused rows' numbers in the sheet and the reasons.
    # The reasons never hold an ID number or a phone (engine.without_personal_data).
    refused_rows = models.JSONField(_("refused rows"), default=list, blank=True)
    commit_started_at = models.DateTimeField(_("import started"), null=True, blank=True)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImportBatchQuerySet.as_manager()
    # Who moved the batch when (confirmed, undone …); the rows' reasons and the live count are not copied.
    history = HistoricalRecords(excluded_fields=["refused_rows", "rows_done", "status_changed"])

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["user", "importer", "target_id", "-created"], name="import_batch_owner_idx"),
            models.Index(fields=["status", "created"], name="import_batch_status_idx"),
        ]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"#{self.pk} {self.importer} {self.file_name}"

    @property
    def is_working(self) -> bool:
        return self.status in self.WORKING

    @property
    def rows_read(self) -> int:
        return self.to_create + self.to_update + self.unchanged + self.refused

    @property
    def undo_until(self) -> datetime.datetime | None:
        if self.committed_at is None:
            return None
        return self.committed_at + datetime.timedelta(days=settings.IMPORT_UNDO_DAYS)

    @property
    def percent(self) -> int | None:
        """How far the task has got, 0–100, or None when the number of rows is not known yet."""
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)


class ImportedObject(models.Model):
    """One object a commit wrote: created, or updated (a record found and changed, or a worker record found
    for a row, which the commit may not have changed)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="written")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    created = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="imported_object_idx")]
        verbose_name = _("imported object")
        verbose_name_plural = _("imported objects")

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
