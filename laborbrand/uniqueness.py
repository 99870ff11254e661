"""Simultaneous identical submissions.

A form checks that a user name, ID number, credit code or brand name is free, and a moment later the
service saves it. When two people submit the same value at the same moment, both checks pass and the
database's unique constraint refuses the second save. `save_or_form_errors` turns that refusal into the
form error the second person would have got a moment later, instead of an IntegrityError (a 500).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from django import forms
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

T = TypeVar("T")

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
SQLITE_UNIQUE_PREFIX = "UNIQUE constraint failed: "


def is_unique_violation(error: IntegrityError) -> bool:
    cause = error.__cause__
    sqlstate = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if sqlstate is not None:
        return sqlstate == UNIQUE_VIOLATION
    return str(error).startswith(SQLITE_UNIQUE_PREFIX)


def violated_columns(error: IntegrityError) -> frozenset[str]:
    """The columns of the unique constraint that refused a save (empty when unknown). Call it after the
    failed statement's transaction or savepoint has been rolled back."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None and diag.constraint_name:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, diag.table_name)
        return frozenset(constraints.get(diag.constraint_name, {}).get("columns") or ())
    message = str(error)
    if message.startswith(SQLITE_UNIQUE_PREFIX):  # "…: table.column, table.column"
        return frozenset(part.rpartition(".")[2] for part in message[len(SQLITE_UNIQUE_PREFIX) :].split(", "))
    return frozenset()


def save_or_form_errors(
    bound: forms.BaseForm | Sequence[forms.BaseForm], action: Callable[[], T]
) -> T | None:
    """Run `action` — the service call that saves what the valid form(s) hold — in a savepoint, and return
    its result. If a unique constraint refuses the save, return None with the error on the form instead.

    By then the other submission has committed, so validating the forms again gives exactly the error a
    later, sequential submission gets. Should a form not check that constraint itself, the error is put on
    the field of the same name, or on the form.
    """
    bound = [bound] if isinstance(bound, forms.BaseForm) else list(bound)
    try:
        with transaction.atomic():
            return action()
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        columns = violated_columns(error)
    for form in bound:
        form.full_clean()
    if all(form.is_valid() for form in bound):
        logger.warning(
            "a unique constraint on %s is not checked by %s", sorted(columns), type(bound[0]).__name__
        )
        form = next((f for f in bound if columns & set(f.fields)), bound[0])
        field = next((name for name in sorted(columns) if name in form.fields), None)
        form.add_error(
            field,
            forms.ValidationError(
                _("Someone else saved the same details a moment ago. Please check them and try again."),
                code="duplicate",
            ),
        )
    return None
