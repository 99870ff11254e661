"""Who imports what. The importer decides who may import into which target (`Importer.target_for`, through
its own app's scoping); a batch is seen only by the person who uploaded it, and only while they may still
import into its target. Anything else answers 404, like a missing page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from laborbrand.accounts.models import User
from laborbrand.imports.engine import REGISTRY, Importer
from laborbrand.imports.models import ImportBatch


def importer_class(key: str) -> type[Importer]:
    try:
        return REGISTRY[key]
    except KeyError:
        raise Http404("no such import") from None


def get_importer_for(user: User, key: str, target_id: int | None) -> Importer:
    """The import `key` into the target `target_id`, bound to `user`: 404 for an unknown import, and for a
    target the user may not import into (the importer's own scoping)."""
    cls = importer_class(key)
    return cls(user=user, target=cls.target_for(user, target_id))


def importer_of(batch: ImportBatch) -> Importer:
    """The batch's import, bound to its importer and target as they stand now: 404 when the importer may no
    longer import into the target (moved to another county, the target gone), or the import is gone."""
    return get_importer_for(batch.user, batch.importer, batch.target_id)


def visible_batches(user: User) -> QuerySet[ImportBatch]:
    if not user.is_authenticated:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(user=user)


def get_batch_for(user: User, pk: int) -> tuple[ImportBatch, Importer]:
    """The user's own batch and its import: another user's batch is 404, as a missing one."""
    batch = get_object_or_404(visible_batches(user), pk=pk)
    return batch, importer_of(batch)


def can_undo(user: User, batch: ImportBatch) -> bool:
    return batch.user_id == user.pk
