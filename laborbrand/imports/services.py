"""Every move a person makes on an import: upload, confirm, ask to undo. Views call these.

The slow work each move starts (checking every row, writing them, undoing) runs as a Celery task (tasks.py,
whose bodies are in work.py and undo.py), handed over once the move is committed: without a broker (the
embedded default) it runs in-process at once; with one, in the worker, while the batch's page shows its
progress.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition
from laborbrand.imports import tasks
from laborbrand.imports.engine import Importer
from laborbrand.imports.models import ImportBatch
from laborbrand.imports.work import Status, log_failure, move, step_back

# --- upload -------------------------------------------------------------------------------------------------


def batch_start(*, importer: Importer, upload: UploadedFile) -> ImportBatch:
    """Keep an upload (already through files.check_upload) as a new batch and have its rows checked."""
    target = importer.target
    with transaction.atomic():
        batch = ImportBatch(
            importer=importer.key,
            target_id=target.pk if target is not None else None,
            target_label=importer.target_label()[:200],
            user=importer.user,
            file_name=_display_name(upload.name),
        )
        batch.file.save("upload.xlsx", upload, save=False)
        batch.save()
        _hand_over("validate", batch)
    batch.refresh_from_db()
    return batch


def _display_name(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-255:] or "upload.xlsx"


# --- confirm ------------------------------------------------------------------------------------------------


def cannot_confirm(batch: ImportBatch) -> str | None:
    """Why the batch cannot be imported now, or None."""
    if batch.status == Status.COMMITTING:
        return _("This import is already being written.")
    if batch.status in (Status.COMMITTED, Status.UNDOING, Status.UNDONE):
        return _("This file has already been imported.")
    if batch.status != Status.VALIDATED:
        return _("This file cannot be imported.")
    if batch.refused:
        return _(
            "Rows were refused: correct them in the file and upload it again. Nothing is imported until "
            "every row is accepted."
        )
    return None


def batch_confirm(*, batch: ImportBatch, user: User) -> ImportBatch:
    """The importer confirms a checked batch: its rows are written by the commit task. Raises
    InvalidTransition when it cannot be (rows refused, already confirmed or imported)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.user_id != user.pk:
            raise InvalidTransition(_("Only the person who uploaded the file may import it."))
        refusal = cannot_confirm(batch)
        if refusal:
            raise InvalidTransition(refusal)
        batch.message = ""
        move(batch, Status.COMMITTING, "message")
        _hand_over("commit", batch)
    batch.refresh_from_db()
    return batch


# --- undo ---------------------------------------------------------------------------------------------------


def cannot_undo(batch: ImportBatch, user: User, *, now: datetime.datetime | None = None) -> str | None:
    """Why `user` cannot undo the batch by the simple rules (who, which step, how long ago), or None. What
    depends on its rows is asked by the undo task (undo.undo_blockers)."""
    now = now or timezone.now()
    if batch.user_id != user.pk:
        return _("Only the person who imported the file may undo the import.")
    if batch.status == Status.UNDONE:
        return _("This import has already been undone.")
    if batch.status == Status.UNDOING:
        return _("This import is already being undone.")
    if batch.status != Status.COMMITTED:
        return _("Only an import that was written can be undone.")
    if batch.undo_until is None or now > batch.undo_until:
        return ngettext(
            "An import can be undone for %(days)s day after it was written; this one is older.",
            "An import can be undone for %(days)s days after it was written; this one is older.",
            settings.IMPORT_UNDO_DAYS,
        ) % {"days": settings.IMPORT_UNDO_DAYS}
    return None


def batch_undo_request(*, batch: ImportBatch, user: User) -> ImportBatch:
    """The importer asks to undo a committed batch: refused (InvalidTransition, saying why) by the simple
    rules; else the undo task asks what depends on the rows (which takes as long as the batch is large) and
    either undoes it or puts it back with the reason on its page."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        refusal = cannot_undo(batch, user)
        if refusal:
            raise InvalidTransition(refusal)
        batch.undone_by = user
        batch.message = ""
        move(batch, Status.UNDOING, "undone_by", "message")
        _hand_over("undo", batch)
    batch.refresh_from_db()
    return batch


# --- handing work to the tasks ------------------------------------------------------------------------------


def _hand_over(step: str, batch: ImportBatch) -> None:
    """Have the step's task run once the current transaction is committed (the worker must see the batch)."""
    batch_id = batch.pk
    transaction.on_commit(lambda: _send(step, batch_id))


def _send(step: str, batch_id: int) -> None:
    task = {"validate": tasks.validate_batch, "commit": tasks.commit_batch, "undo": tasks.undo_batch}[step]
    try:
        task.delay(batch_id)
    except Exception as error:
        # The broker is unreachable (or, eagerly, the task itself failed past its own guard): the batch goes
        # back a step with a message, never a 500.
        log_failure(step, batch_id, error)
        message = _("The work could not be started just now. Try again in a few minutes.")
        step_back(step, ImportBatch.objects.filter(pk=batch_id), message)


def latest_batches(user: User, key: str, target_id: int | None, *, count: int = 10) -> list[ImportBatch]:
    """The user's latest batches of one import into one target, newest first."""
    return list(ImportBatch.objects.of(user, key, target_id)[:count])
