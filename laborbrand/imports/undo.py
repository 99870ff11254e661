"""Undoing a committed import: what may stop it, and the undo itself (the undo task's work).

An import may be undone by its importer within settings.IMPORT_UNDO_DAYS when nothing depends on its rows: no
record it wrote was changed since (django-simple-history says when each record last changed), and deleting
what it created would delete, change or be blocked by nothing it did not create (Django's deletion collector,
as the admin's delete page uses it). The undo deletes what the batch created, the last written first, and puts
back what it changed as the history recorded it before the commit, all in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError
from simple_history.models import HistoricalChanges
from simple_history.utils import get_history_model_for_model

from laborbrand.imports.models import ImportBatch
from laborbrand.imports.work import CHUNK, Status, acting_as, move


@dataclass
class _Written:
    model: type[models.Model]
    created: list[int]
    updated: list[int]
    last: int  # the last ImportedObject of the model: models are undone in reverse order of writing


def _written(batch: ImportBatch) -> list[_Written]:
    groups: dict[int, _Written] = {}
    rows = batch.written.values_list("content_type_id", "object_id", "created", "pk").order_by("pk")
    for type_id, object_id, created, pk in rows.iterator(chunk_size=CHUNK):
        group = groups.get(type_id)
        if group is None:
            model = ContentType.objects.get_for_id(type_id).model_class()
            group = groups[type_id] = _Written(model, [], [], pk)
        (group.created if created else group.updated).append(object_id)
        group.last = pk
    return sorted((g for g in groups.values() if g.model is not None), key=lambda g: g.last, reverse=True)


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _names(counts: dict[type[models.Model], int]) -> str:
    return "、".join(
        _("%(what)s (%(count)s)") % {"what": model._meta.verbose_name_plural, "count": count}
        for model, count in counts.items()
    )


def _changed_by_commit(batch: ImportBatch, group: _Written) -> list[int]:
    """The updated objects the commit really changed (it wrote a history record for them)."""
    history = _history_model(group.model)
    pk_name = group.model._meta.pk.attname
    changed = []
    for chunk in _chunks(group.updated):
        changed += (
            history.objects.filter(
                **{f"{pk_name}__in": chunk},
                history_date__gte=batch.commit_started_at,
                history_date__lte=batch.committed_at,
            )
            .values_list(pk_name, flat=True)
            .distinct()
        )
    return changed


def undo_blockers(batch: ImportBatch) -> str | None:
    """Why undoing the batch would harm records it did not write, or None:
    - a record it wrote was changed after the commit (its latest history record is newer): the undo would
      lose that change;
    - deleting what it created would delete, change or be blocked by a record it did not create (the
      deletion's collector, as the admin's delete page uses; history records do not count);
    - it changed a record that keeps no history, or one with no earlier version, which cannot be put back."""
    groups = _written(batch)
    changed: dict[type[models.Model], int] = defaultdict(int)
    not_revertible: dict[type[models.Model], int] = defaultdict(int)
    for group in groups:
        history = _history_model(group.model)
        pk_name = group.model._meta.pk.attname
        if history is None:
            if group.updated:
                not_revertible[group.model] += len(group.updated)
            continue
        # A record the import only found (a worker's existing record) may change since without harm.
        changed_by_commit = _changed_by_commit(batch, group)
        for chunk in _chunks(group.created + changed_by_commit):
            changed[group.model] += (
                history.objects.filter(**{f"{pk_name}__in": chunk}, history_date__gt=batch.committed_at)
                .values(pk_name)
                .distinct()
                .count()
            )
        for chunk in _chunks(changed_by_commit):
            before = (
                history.objects.filter(**{f"{pk_name}__in": chunk}, history_date__lt=batch.commit_started_at)
                .values(pk_name)
                .distinct()
                .count()
            )
            not_revertible[group.model] += len(chunk) - before
    changed = {model: count for model, count in changed.items() if count}
    if changed:
        return _(
            "Records this import wrote have been changed since (%(records)s): undoing it would lose those "
            "changes."
        ) % {"records": _names(changed)}
    not_revertible = {model: count for model, count in not_revertible.items() if count}
    if not_revertible:
        return _(
            "This import changed records whose earlier versions are not kept (%(records)s), so it cannot be "
            "undone."
        ) % {"records": _names(not_revertible)}
    dependants = _dependants(groups)
    if dependants:
        return _(
            "Other records now depend on the records this import created (%(records)s): undoing it would "
            "delete or change them, so it cannot be undone."
        ) % {"records": _names(dependants)}
    return None


def _is_own_row(model: type[models.Model]) -> bool:
    """History records and many-to-many link rows belong to the objects they describe or link."""
    return issubclass(model, HistoricalChanges) or model._meta.auto_created


def _dependants(groups: list[_Written]) -> dict[type[models.Model], int]:
    created: set[tuple[type[models.Model], int]] = set()
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    for group in groups:
        concrete = group.model._meta.concrete_model
        created.update((concrete, pk) for pk in group.created)
        for chunk in _chunks(group.created):
            objs = list(group.model._base_manager.filter(pk__in=chunk))
            if objs:
                collector.collect(objs)

    def foreign(objs: Iterable[models.Model]) -> Iterator[models.Model]:
        for obj in objs:
            model = type(obj)._meta.concrete_model
            if not _is_own_row(model) and (model, obj.pk) not in created:
                yield obj

    found: dict[type[models.Model], int] = defaultdict(int)
    for model, objs in collector.model_objs.items():
        for _obj in foreign(objs):
            found[model._meta.concrete_model] += 1
    for obj in foreign(collector.protected):
        found[type(obj)._meta.concrete_model] += 1
    for (field, _value), updates in collector.field_updates.items():
        if _is_own_row(field.model):
            continue
        for objs in updates:
            for _obj in foreign(objs):
                found[field.model._meta.concrete_model] += 1
    return dict(found)


def batch_undo(batch_id: int) -> None:
    """The undo task's work, in one transaction: asked again what depends on the rows (it may have changed
    since the request), then every object the batch created deleted (the last written first) and every object
    it changed put back as it was before the commit, each with a history record naming who undid it."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != Status.UNDOING:
            return
        refusal = undo_blockers(batch)
        if refusal:
            batch.message = refusal
            batch.undone_by = None
            move(batch, Status.COMMITTED, "message", "undone_by")
            return
        reason = _("import #%(number)s undone") % {"number": batch.pk}
        with acting_as(batch.undone_by):
            for group in _written(batch):
                _undo_group(batch, group, reason)
        batch.undone_at = timezone.now()
        move(batch, Status.UNDONE, "undone_at")


def _undo_group(batch: ImportBatch, group: _Written, reason: str) -> None:
    for chunk in _chunks(group.created[::-1]):
        group.model._base_manager.filter(pk__in=chunk).delete()
    if not group.updated:
        return
    history = _history_model(group.model)
    pk_name = group.model._meta.pk.attname
    fields = [
        field
        for field in group.model._meta.concrete_fields
        if not field.primary_key and any(f.attname == field.attname for f in history._meta.concrete_fields)
    ]
    for pk in reversed(_changed_by_commit(batch, group)):
        before = (
            history.objects.filter(**{pk_name: pk}, history_date__lt=batch.commit_started_at)
            .order_by("-history_date", "-history_id")
            .first()
        )
        obj = group.model._base_manager.select_for_update().get(pk=pk)
        for field in fields:
            setattr(obj, field.attname, getattr(before, field.attname))
        obj._change_reason = reason
        obj.save()
