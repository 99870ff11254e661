"""Setting a year's targets and deadlines. Every change is one history row (django-simple-history), with
who made it; an unchanged value writes nothing.

A value left empty means "the default": a city target or a county's rate returns to the default
(targets/defaults.py, design.md), a county's share of a count to no share (or, for brands selected, to the
default of one). Such a target has no row, so a later change of the defaults reaches it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from laborbrand.accounts.models import User
from laborbrand.reference.models import ProgrammeYear
from targets.models import Target
from targets.plan import defaults_for

# (metric key, county id or None for the city) → the value to hold, or None for the default.
Values = dict[tuple[str, int | None], Decimal | None]


@transaction.atomic
def plan_save(
    *,
    year: int,
    targets: Values,
    selection_deadline: datetime.date | None,
    filing_deadline: datetime.date | None,
    user: User,
) -> int:
    """Set the year's targets and deadlines; return the number of rows changed. All or nothing: the caller
    validated every value; a unique constraint refusing a row (another admin inserted it a moment ago) rolls
    back the whole save."""
    return targets_set(year=year, targets=targets, user=user) + deadlines_set(
        year=year, selection_deadline=selection_deadline, filing_deadline=filing_deadline, user=user
    )


def targets_set(*, year: int, targets: Values, user: User) -> int:
    defaults = defaults_for(year)
    # Locking the year's rows makes two admins' changes to the same row wait for each other.
    rows = {
        (row.metric, row.county_id): row
        for row in Target.objects.select_for_update().filter(year=year).order_by()
    }
    changed = 0
    for (metric, county_id), value in targets.items():
        row = rows.get((metric, county_id))
        if value is None:
            if row is not None:
                row._history_user = user
                row.delete()
                changed += 1
            continue
        if row is None:
            if value == defaults.own(metric, county_id):
                continue
            row = Target(year=year, metric=metric, county_id=county_id, value=value, updated_by=user)
            row._history_user = user
            row.save()
            changed += 1
        elif row.value != value:
            row.value, row.updated, row.updated_by = value, timezone.now(), user
            row._history_user = user
            row.save(update_fields=["value", "updated", "updated_by"])
            changed += 1
    return changed


def deadlines_set(
    *,
    year: int,
    selection_deadline: datetime.date | None,
    filing_deadline: datetime.date | None,
    user: User,
) -> int:
    """Set the year's deadlines (None: the default day)."""
    default = ProgrammeYear.default(year)
    wanted = {
        "selection_deadline": selection_deadline or default.selection_deadline,
        "filing_deadline": filing_deadline or default.filing_deadline,
    }
    row = ProgrammeYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        if all(getattr(default, field) == day for field, day in wanted.items()):
            return 0
        row = ProgrammeYear(year=year, **wanted)
        row._history_user = user
        row.clean()
        row.save()
        return 1
    fields = [field for field, day in wanted.items() if getattr(row, field) != day]
    if not fields:
        return 0
    for field in fields:
        setattr(row, field, wanted[field])
    row._history_user = user
    row.clean()
    row.save(update_fields=fields)
    return 1
