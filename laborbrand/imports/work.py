"""What the import's tasks do (tasks.py calls these; services.py makes the moves that start them).

Each step takes the batch's row lock and checks the batch is still at the step, so a task delivered twice
does nothing the second time; an unexpected error moves the batch back a step with a message
(`run_guarded`), so its page never waits on a task that has died.

Moves:  upload → validating → validated | failed;  validated (no refused row) → committing → committed, or
back to validated when the commit finds refused rows (the records changed since the check: nothing written);
committed → undoing → undone (undo.py), or back to committed when the undo finds something now depends on
the rows.
"""

from __future__ import annotations

import datetime
import io
import logging
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition
from laborbrand.imports import files
from laborbrand.imports.engine import Action, Importer, ImportFileError, ImportRefused, RowResult
from laborbrand.imports.models import ImportBatch, ImportedObject
from laborbrand.imports.permissions import importer_of

logger = logging.getLogger(__name__)

Status = ImportBatch.Status
ALLOWED = {
    Status.VALIDATING: {Status.VALIDATED, Status.FAILED},
    Status.VALIDATED: {Status.COMMITTING},
    Status.COMMITTING: {Status.COMMITTED, Status.VALIDATED, Status.FAILED},
    Status.COMMITTED: {Status.UNDOING},
    Status.UNDOING: {Status.UNDONE, Status.COMMITTED},
}
CHUNK = 1000


def move(batch: ImportBatch, status: str, *fields: str) -> None:
    if status not in ALLOWED.get(batch.status, ()):
        raise InvalidTransition(_("This import is no longer at that step."))
    batch.status = status
    batch.status_changed = timezone.now()
    batch.save(update_fields=["status", "status_changed", *fields])


# --- progress (read by the page while a task works) ---------------------------------------------------------


def _progress_key(batch_id: int) -> str:
    return f"imports:batch:{batch_id}:done"


def progress(batch: ImportBatch) -> int:
    """The rows the batch's task has got through. The commit works inside one transaction, where a count
    written to the batch's row would be seen by nobody else until the end: the live count lives in the cache
    (shared with the worker through Redis), and the batch keeps the final one."""
    if batch.status not in (Status.VALIDATING, Status.COMMITTING):
        return batch.rows_done
    done = cache.get(_progress_key(batch.pk))
    return batch.rows_done if done is None else min(done, batch.rows_total or done)


def counted(rows: Iterable, batch_id: int) -> Iterator:
    every = settings.IMPORT_PROGRESS_EVERY
    cache.set(_progress_key(batch_id), 0, timeout=3600)
    for done, row in enumerate(rows, start=1):
        if done % every == 0:
            cache.set(_progress_key(batch_id), done, timeout=3600)
        yield row


# --- reading the stored file --------------------------------------------------------------------------------


def stored_bytes(batch: ImportBatch) -> bytes:
    if not batch.file:
        raise ImportFileError(_("The uploaded file is no longer kept. Upload it again."))
    try:
        with batch.file.open("rb") as stored:
            return stored.read()
    except (OSError, ValueError):
        raise ImportFileError(_("The uploaded file is no longer kept. Upload it again.")) from None


def sheet_data_rows(importer: Importer, content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's data rows, the template's untouched example row left out."""
    with files.open_rows(io.BytesIO(content), importer.columns) as rows:
        for number, values in rows:
            if not importer.is_example(values):
                yield number, values


def count_rows(importer: Importer, content: bytes) -> int:
    """The file's data rows, counted before they are checked (for the progress bar); ImportFileError when it
    has none, or only the template's example row."""
    rows = examples = 0
    with files.open_rows(io.BytesIO(content), importer.columns) as read:
        for _number, values in read:
            rows += 1
            examples += importer.is_example(values)
    if rows == 0:
        raise ImportFileError(_("The sheet has no rows under its column headers."))
    if rows == examples:
        raise ImportFileError(
            _("The sheet holds only the template's example row. Replace it with your own rows.")
        )
    return rows - examples


@contextmanager
def acting_as(user: User) -> Iterator[None]:
    """Records written here name `user` in their history (django-simple-history reads the user from the
    request the middleware keeps; a Celery task has none)."""
    context = HistoricalRecords.context
    had = hasattr(context, "request")
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if had:
            context.request = previous
        else:
            del context.request


def tally(batch: ImportBatch, results: Iterable[RowResult]) -> None:
    """Count the rows' actions onto the batch and keep the refused rows' reasons (the results are read as
    they come, never held)."""
    counts = dict.fromkeys(Action.values, 0)
    refused = []
    for result in results:
        counts[result.action] += 1
        if result.action == Action.REFUSED:
            refused.append({"row": result.number, "errors": list(result.errors)})
    batch.to_create = counts[Action.CREATE]
    batch.to_update = counts[Action.UPDATE]
    batch.unchanged = counts[Action.UNCHANGED]
    batch.refused = counts[Action.REFUSED]
    batch.refused_rows = refused
    batch.rows_done = sum(counts.values())


COUNT_FIELDS = ("to_create", "to_update", "unchanged", "refused", "refused_rows", "rows_done", "rows_total")


# --- checking -----------------------------------------------------------------------------------------------


def batch_validate(batch_id: int) -> None:
    """The check task's work: every row through the import's rules, counted, nothing written. It runs outside
    a transaction, so the page sees the number of rows as soon as they are counted; the result is recorded
    under the batch's lock, if the batch is still being checked."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != Status.VALIDATING:
        return
    refusal = None
    try:
        importer = importer_of(batch)
        content = stored_bytes(batch)
        batch.rows_total = count_rows(importer, content)
        ImportBatch.objects.filter(pk=batch.pk).update(rows_total=batch.rows_total)
        tally(batch, importer.validate(counted(sheet_data_rows(importer, content), batch.pk)))
    except ImportFileError as error:
        refusal = str(error)
    except Http404:
        refusal = _("You may no longer import into this.")
    with transaction.atomic():
        if not ImportBatch.objects.select_for_update().filter(pk=batch.pk, status=Status.VALIDATING).exists():
            return  # delivered twice, and the other delivery finished first
        if refusal is not None:
            fail(batch, refusal)
        else:
            move(batch, Status.VALIDATED, *COUNT_FIELDS, "message")


def fail(batch: ImportBatch, message: str) -> None:
    """A file refused: the message kept, the file (which nothing will read again) deleted."""
    batch.message = message
    delete_file(batch)
    move(batch, Status.FAILED, "message", "file")


def delete_file(batch: ImportBatch) -> None:
    if batch.file:
        name, storage = batch.file.name, batch.file.storage
        transaction.on_commit(lambda: storage.delete(name))
        batch.file = ""


# --- committing ---------------------------------------------------------------------------------------------


def batch_commit(batch_id: int) -> None:
    """The commit task's work: every row checked again and written in one transaction with the objects it
    wrote recorded; or, one row refused, nothing written and the batch back to "checked" with the reasons."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != Status.COMMITTING:
            return
        try:
            importer = importer_of(batch)
            content = stored_bytes(batch)
            batch.commit_started_at = timezone.now()
            with acting_as(batch.user):
                results = importer.commit(counted(sheet_data_rows(importer, content), batch.pk))
        except ImportRefused as refused:
            tally(batch, refused.results)
            batch.message = ngettext(
                "The records changed since the file was checked: %(count)s row is now refused. Nothing was "
                "imported.",
                "The records changed since the file was checked: %(count)s rows are now refused. Nothing was "
                "imported.",
                batch.refused,
            ) % {"count": batch.refused}
            batch.commit_started_at = None
            move(batch, Status.VALIDATED, *COUNT_FIELDS, "message", "commit_started_at")
            return
        except ImportFileError as refusal:
            batch.commit_started_at = None
            fail(batch, str(refusal))
            return
        except Http404:
            batch.commit_started_at = None
            fail(batch, _("You may no longer import into this."))
            return
        record_written(batch, results)
        tally(batch, results)
        batch.committed_at = timezone.now()
        move(batch, Status.COMMITTED, *COUNT_FIELDS, "commit_started_at", "committed_at")


def record_written(batch: ImportBatch, results: list[RowResult]) -> None:
    written: dict[tuple[int, int], bool] = {}
    for result in results:
        for obj, created in result.written:
            content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
            key = (content_type.pk, obj.pk)
            written[key] = written.get(key, False) or created
    ImportedObject.objects.bulk_create(
        (
            ImportedObject(batch=batch, content_type_id=type_id, object_id=pk, created=created)
            for (type_id, pk), created in written.items()
        ),
        batch_size=CHUNK,
    )


# --- a task's guard -----------------------------------------------------------------------------------------

# Where a step goes back to when its task cannot finish: (the step's status, the one before, fields reset).
STEP_BACK = {
    "validate": (Status.VALIDATING, Status.FAILED, {}),
    "commit": (Status.COMMITTING, Status.VALIDATED, {"commit_started_at": None}),
    "undo": (Status.UNDOING, Status.COMMITTED, {"undone_by": None}),
}


def step_back(step: str, batches: QuerySet[ImportBatch], message: str) -> int:
    """Move batches still at `step` back to the status before it, with a message saying why."""
    current, back, reset = STEP_BACK[step]
    return batches.filter(status=current).update(
        status=back, status_changed=timezone.now(), message=message, **reset
    )


def log_failure(step: str, batch_id: int, error: BaseException) -> None:
    """Log a failure without its message, which may quote a row's values (a database error's detail does):
    the exception's type and where it was raised."""
    where = "".join(traceback.format_tb(error.__traceback__)[-5:])
    logger.error("import batch %s: %s failed with %s\n%s", batch_id, step, type(error).__name__, where)


def run_guarded(step: str, batch_id: int, work: Callable[[int], None]) -> None:
    """A task's body: the work, and on an unexpected error the batch moved back a step with a message (the
    error logged without personal data), so the page never waits on a task that has died."""
    try:
        work(batch_id)
    except Exception as error:
        log_failure(step, batch_id, error)
        message = {
            "validate": _("The file could not be checked because of an error on the site. Upload it again."),
            "commit": _(
                "The import stopped because of an error on the site; nothing was written. Try again."
            ),
            "undo": _("The undo stopped because of an error on the site; nothing was changed. Try again."),
        }[step]
        step_back(step, ImportBatch.objects.filter(pk=batch_id), message)


# --- nightly clean-up ---------------------------------------------------------------------------------------


def batches_prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Nightly: batches whose task died mid-way go back a step; the uploaded files (which hold personal data)
    are deleted IMPORT_KEEP_FILES_DAYS after the upload, together with the batches never imported. A written
    (or undone) batch stays as the record of who imported what and when."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.IMPORT_STALE_MINUTES)
    messages = {
        "validate": _("Checking the file did not finish. Upload it again."),
        "commit": _("The import did not finish; nothing was written. Try again."),
        "undo": _("The undo did not finish; nothing was changed. Try again."),
    }
    stalled = sum(
        step_back(step, ImportBatch.objects.filter(status_changed__lt=stale), message)
        for step, message in messages.items()
    )
    old = ImportBatch.objects.filter(
        created__lt=now - datetime.timedelta(days=settings.IMPORT_KEEP_FILES_DAYS)
    )
    deleted = 0
    for batch in old.filter(status__in=[Status.VALIDATED, Status.FAILED]).iterator(chunk_size=CHUNK):
        if batch.file:
            batch.file.storage.delete(batch.file.name)
        batch.delete()
        deleted += 1
    emptied = 0
    for batch in old.exclude(file="").exclude(status__in=ImportBatch.WORKING).iterator(chunk_size=CHUNK):
        batch.file.storage.delete(batch.file.name)
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        emptied += 1
    return {"stalled": stalled, "deleted": deleted, "files_deleted": emptied}
