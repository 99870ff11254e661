"""Bulk import from Excel: the rules every import shares.

An import reads the rows of an uploaded .xlsx (openpyxl, read-only: the sheet is streamed, never held whole in
memory), validates each row with the same Django form the page uses for one record, and says for each row
what it would do — create, update, leave unchanged, or refuse with the reasons. Confirmed, every row is
validated again and written inside one transaction: one refused row then writes nothing at all. Importing the
same file twice leaves every row "unchanged" the second time.

Each kind of import is an `Importer` subclass beside its models (brands/imports.py, training/imports.py),
registered with `register`. The file is checked before openpyxl opens it (laborbrand/imports/files.py).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

# The sheet's first row names the columns; data starts on the second.
HEADER_ROW = 1
# A header may mark its column as required with a trailing asterisk (the template does).
REQUIRED_MARK = "*"


class ImportFileError(Exception):
    """The file cannot be imported at all (not a real .xlsx, too large, columns missing …): the message says
    why, in the user's language, and nothing was read into the database."""


class ImportRefused(Exception):
    """Raised inside the commit's transaction when a row is refused, so nothing is written."""

    def __init__(self, results: list[RowResult]):
        super().__init__("refused rows")
        self.results = results


class Action(models.TextChoices):
    CREATE = "create", _("to create")
    UPDATE = "update", _("to update")
    UNCHANGED = "unchanged", _("unchanged")
    REFUSED = "refused", _("refused")


@dataclass(frozen=True)
class Column:
    """One column of an import's sheet, filling the row form's field of the same name."""

    field: str
    # The header as printed in the template. Headers are Chinese whatever the page's language: a county's
    # sheet is the same file whoever uploads it.
    header: str
    required: bool = True
    example: str = ""
    # Fixed values (levels, yes/no …): a drop-down list in the template.
    choices: Callable[[], Sequence[str]] | None = None
    # Kept as text in the template (ID numbers, phones, certificate numbers: Excel would round 18 digits).
    text: bool = False


@dataclass
class RowResult:
    number: int  # the row's number in the sheet, as Excel shows it
    action: str
    errors: list[str] = field(default_factory=list)
    # What was written (commit only): (object, created) pairs, worker records opened for the row among them.
    written: list[tuple[models.Model, bool]] = field(default_factory=list)
    # The record an "update" row found (so the commit does not look it up twice).
    existing: models.Model | None = field(default=None, repr=False, compare=False)


class Importer:
    """One kind of import. A subclass names its columns and row form and says how a row finds, compares and
    writes its record; an instance is bound to the user importing and the target imported into (a brand, a
    programme, a session, or None for a city-wide list)."""

    key: ClassVar[str]
    title: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    form_class: ClassVar[type[forms.Form]]

    # Each row's write runs in a savepoint, so the database refusing one row refuses that row only. An
    # importer whose `write` only queues its rows for a bulk write of its own turns it off (two queries a row
    # saved).
    row_savepoints: ClassVar[bool] = True

    def __init__(self, *, user, target=None):
        self.user = user
        self.target = target

    # --- scoping: who imports into what ---

    @classmethod
    def target_for(cls, user, target_id: int | None):
        """The object `user` imports into, found through the app's scoping layer: Http404 when the user may
        not import into it (or it does not exist), as any other party's object."""
        raise NotImplementedError

    def back_url(self) -> str:
        """The page the import is reached from (the brand's register, the programme, the session …)."""
        raise NotImplementedError

    def target_label(self) -> str:
        """What the rows are imported into, as the import's pages name it."""
        return str(self.target) if self.target is not None else ""

    def column_choices(self, column: Column) -> Sequence[str] | None:
        """The fixed values of a column (its template drop-down), which may depend on the target: a brand's
        occupations, say."""
        return column.choices() if column.choices is not None else None

    # --- one row ---

    def form_kwargs(self) -> dict[str, Any]:
        """Extra keyword arguments for the row form (the target, the user …)."""
        return {}

    def row_key(self, cleaned: dict) -> Hashable:
        """What makes two rows the same record: a second row with the same key in one file is refused."""
        raise NotImplementedError

    def find(self, cleaned: dict) -> models.Model | None:
        """The record the row would update, when there is one."""
        raise NotImplementedError

    def differs(self, existing: models.Model, cleaned: dict) -> bool:
        """Whether writing the row would change `existing`."""
        raise NotImplementedError

    def write(self, cleaned: dict, existing: models.Model | None) -> list[tuple[models.Model, bool]]:
        """Create or update the row's record; return every object written and whether it was created (a
        worker record opened for the row included), so the batch can be undone."""
        raise NotImplementedError

    def is_example(self, values: dict[str, str]) -> bool:
        """Whether a row is the template's example row left as it was: such a row is not imported."""
        examples = {column.field: column.example for column in self.columns}
        return any(examples.values()) and all(values.get(name, "") == text for name, text in examples.items())

    # --- the engine ---

    def check_row(
        self, number: int, values: dict[str, str], seen: dict[Hashable, int]
    ) -> tuple[RowResult, dict | None]:
        lost = [c.header for c in self.columns if isinstance(values.get(c.field), LostDigits)]
        if lost:
            message = _(
                "%(column)s: Excel stored this number as a number and kept only its first 15 digits. Format "
                "the column as text and type the number again."
            )
            return RowResult(number, Action.REFUSED, [message % {"column": header} for header in lost]), None
        form = self.form_class(data=values, **self.form_kwargs())
        if not form.is_valid():
            return RowResult(number, Action.REFUSED, form_errors(form, self.columns)), None
        cleaned = form.cleaned_data
        key = self.row_key(cleaned)
        if key in seen:
            message = _("Row %(row)s is the same record as row %(first)s of this file.") % {
                "row": number,
                "first": seen[key],
            }
            return RowResult(number, Action.REFUSED, [message]), None
        seen[key] = number
        existing = self.find(cleaned)
        if existing is None:
            return RowResult(number, Action.CREATE), cleaned
        if self.differs(existing, cleaned):
            return RowResult(number, Action.UPDATE, existing=existing), cleaned
        return RowResult(number, Action.UNCHANGED), cleaned

    def validate(self, rows: Iterable[tuple[int, dict[str, str]]]) -> Iterator[RowResult]:
        """What each row would do, without writing anything."""
        seen: dict[Hashable, int] = {}
        for number, values in rows:
            yield self.check_row(number, values, seen)[0]

    def commit(self, rows: Iterable[tuple[int, dict[str, str]]]) -> list[RowResult]:
        """Validate every row again and write them all in one transaction, each row seeing the ones before
        it. Raises ImportRefused (nothing written) when any row is refused."""
        results: list[RowResult] = []
        refused = False
        with transaction.atomic():
            seen: dict[Hashable, int] = {}
            for number, values in rows:
                result, cleaned = self.check_row(number, values, seen)
                if result.action == Action.REFUSED:
                    refused = True
                elif not refused and result.action != Action.UNCHANGED:
                    refused = not self._write_row(result, cleaned)
                results.append(result)
            if refused:
                raise ImportRefused(results)
        return results

    def _write_row(self, result: RowResult, cleaned: dict) -> bool:
        """Write one row in a savepoint. A row the database refuses at the last moment (a record saved
        meanwhile by someone else breaks a unique rule, a check `write` makes) is refused like any other,
        so the commit writes nothing and says which row."""
        try:
            with transaction.atomic() if self.row_savepoints else nullcontext():
                result.written = self.write(cleaned, result.existing)
        except ValidationError as error:
            result.action, result.written = Action.REFUSED, []
            result.errors = [without_personal_data(message) for message in error.messages]
            return False
        except IntegrityError:
            result.action, result.written = Action.REFUSED, []
            result.errors = [
                _("This row clashes with a record saved meanwhile. Check the file and try again.")
            ]
            return False
        return True


# A message never repeats an ID number or a phone number a row held (a field's "X is not one of the choices"
# would): runs of seven digits or more (an ID number, a phone, with or without its check character) and
# phones written in groups are masked. Row numbers, years and dates have fewer digits in a run.
PERSONAL_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{7,}[0-9Xx]?|1[0-9]{2}[ -][0-9]{4}[ -][0-9]{4})(?![0-9])")


def without_personal_data(message: str) -> str:
    return PERSONAL_NUMBER.sub("***", str(message))


def form_errors(form: forms.Form, columns: Sequence[Column]) -> list[str]:
    """A row form's errors as sentences naming the column: "身份证号: Enter a valid ID number." Numbers that
    could be an ID number or a phone are masked (`without_personal_data`): the reasons are stored with the
    batch and shown on pages."""
    headers = {column.field: column.header for column in columns}
    messages = []
    for name, errors in form.errors.items():
        prefix = f"{headers[name]}: " if name in headers else ""
        messages.extend(without_personal_data(prefix + str(error)) for error in errors)
    return messages


# --- reading the sheet --------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the text a form field receives: numbers without a spurious ".0" (an ID number or a phone
    typed as a number), dates as YYYY-MM-DD, a formula as its own text (never evaluated)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


class LostDigits(str):
    """The text of a number cell in a column kept as text (an ID number) whose number has more digits than
    Excel keeps (15): its last digits are already gone, and the row is refused rather than matched to
    somebody else's number."""


# Excel keeps 15 significant digits of a number.
EXCEL_DIGITS = 15


def column_text(value: Any, column: Column) -> str:
    text = cell_text(value)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if column.text and numeric and len(text.lstrip("-")) > EXCEL_DIGITS:
        return LostDigits(text)
    return text


def normalise_header(text: Any) -> str:
    return "".join(cell_text(text).split()).rstrip(REQUIRED_MARK)


def map_headers(header_row: Sequence[Any], columns: Sequence[Column]) -> dict[int, str]:
    """Which cell position fills which field, by header text (in any order; unknown columns — an "错误" column
    of an error report among them — are ignored). Raises ImportFileError naming the missing columns."""
    by_header = {normalise_header(column.header): column for column in columns}
    positions = {}
    for position, text in enumerate(header_row):
        column = by_header.get(normalise_header(text))
        if column is not None and column.field not in positions.values():
            positions[position] = column.field
    missing = [c.header for c in columns if c.required and c.field not in positions.values()]
    if missing:
        raise ImportFileError(
            _("The first row of the sheet must name the columns of the template. Missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    return positions


def sheet_rows(
    cells: Iterable[Sequence[Any]], columns: Sequence[Column], *, max_rows: int
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {field: text}) for each non-empty row under the header. Raises ImportFileError past
    `max_rows` data rows (counted as they are read, not from the file's own claim)."""
    rows = iter(cells)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The sheet is empty."))
    positions = map_headers(header, columns)
    by_field = {column.field: column for column in columns}
    count = 0
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        values = {
            name: column_text(row[pos], by_field[name]) if pos < len(row) else ""
            for pos, name in positions.items()
        }
        if not any(values.values()):
            continue
        count += 1
        if count > max_rows:
            raise ImportFileError(
                _("The sheet has more than %(max)s rows. Split it into smaller files.") % {"max": max_rows}
            )
        yield number, values


def open_sheet(file: IO[bytes]):
    """The first worksheet of a checked .xlsx, opened read-only with formulas as their text."""
    from openpyxl import load_workbook

    workbook = load_workbook(file, read_only=True, data_only=False, keep_links=False)
    return workbook, workbook.worksheets[0]


# --- the importers ------------------------------------------------------------------------------------------

REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Class decorator: make an import available under its key."""
    REGISTRY[importer.key] = importer
    return importer
