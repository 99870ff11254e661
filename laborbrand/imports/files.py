"""An uploaded file, checked before openpyxl opens it, and opened safely once checked.

`check_upload` looks only at the file's size, its first bytes and the zip archive's directory (zipfile's
infolist: names and declared sizes), so nothing a hostile file holds is decompressed or parsed: a renamed text
file or an old .xls, an encrypted workbook, a zip that is not a workbook, a macro-enabled workbook and a zip
bomb are refused with a message saying what to do. Each refusal is an ImportFileError; nothing is stored.

`open_rows` then opens the checked workbook with openpyxl in read-only mode with formulas kept as their text
(engine.open_sheet), and turns whatever openpyxl raises on a damaged file into an ImportFileError too.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from laborbrand.imports.engine import Column, ImportFileError, open_sheet, sheet_rows

# An OLE compound document: an old .xls, or any Office file saved with a password (Office encrypts a
# workbook by wrapping it in one).
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
# A workbook has a few dozen parts; a zip of thousands of entries is not one.
MAX_MEMBERS = 10_000
# [Content_Types].xml lists the parts' types in a few kilobytes; it is read (as bytes, to look for a
# macro-enabled type) only below this size.
MAX_CONTENT_TYPES_BYTES = 1_000_000
# Members smaller than this are not judged by their compression ratio (a tiny XML part compresses well).
RATIO_FLOOR_BYTES = 1_000_000


def _refuse_workbook_password() -> ImportFileError:
    return ImportFileError(
        _(
            "This file is protected with a password or is an old Excel 97–2003 (.xls) workbook. Open it in "
            "Excel or WPS, save it as an Excel workbook (.xlsx) without a password, and upload that."
        )
    )


def _not_xlsx() -> ImportFileError:
    return ImportFileError(
        _(
            "This file is not an Excel workbook (.xlsx). Download the template, fill it in and save it as an "
            "Excel workbook (.xlsx), not as CSV or text."
        )
    )


def _damaged() -> ImportFileError:
    return ImportFileError(
        _(
            "The workbook could not be read: it may be damaged. Open it in Excel or WPS, save it again as an "
            "Excel workbook (.xlsx) and upload it again."
        )
    )


def check_upload(file: IO[bytes], *, size: int | None = None) -> None:
    """Refuse a file that is not a plain .xlsx workbook of sensible size, without decompressing any of it.
    Raises ImportFileError with a message for the uploader. The file is left at its start."""
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(max)s, the most one import takes. Split it into smaller files.")
            % {"max": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(OLE_MAGIC):
        raise _refuse_workbook_password()
    if not head.startswith(ZIP_MAGIC):
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            _check_members(members)
            content_types = archive.read(CONTENT_TYPES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise _damaged() from None
    finally:
        file.seek(0)
    if b"macroenabled" in content_types.lower():
        raise _macros()


def _macros() -> ImportFileError:
    return ImportFileError(
        _(
            "This workbook contains macros (.xlsm), which are never imported. Save it as an Excel workbook "
            "(.xlsx) without macros and upload that."
        )
    )


def _check_members(members: Sequence[zipfile.ZipInfo]) -> None:
    names = {member.filename for member in members}
    if len(members) > MAX_MEMBERS:
        raise _bomb()
    if any(member.flag_bits & 0x1 for member in members):  # an encrypted zip entry
        raise _refuse_workbook_password()
    if CONTENT_TYPES not in names or WORKBOOK not in names:
        raise _not_xlsx()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _macros()
    content_types = next(member for member in members if member.filename == CONTENT_TYPES)
    if content_types.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _bomb()
    if sum(member.file_size for member in members) > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise _bomb()
    for member in members:
        if member.file_size > RATIO_FLOOR_BYTES and (
            member.file_size > max(member.compress_size, 1) * settings.IMPORT_MAX_COMPRESSION_RATIO
        ):
            raise _bomb()


def _bomb() -> ImportFileError:
    return ImportFileError(
        _(
            "This file unpacks to far more data than a workbook of %(rows)s rows holds, so it is not "
            "imported. Save the sheet again as a plain Excel workbook (.xlsx), or split it into smaller "
            "files."
        )
        % {"rows": settings.IMPORT_MAX_ROWS}
    )


@contextmanager
def open_cells(file: IO[bytes]) -> Iterator[tuple[Iterator[Sequence[Any]], int | None]]:
    """The first sheet's rows of values (a checked file, opened read-only with formulas as their text) and the
    number of rows the sheet says it has (None when it does not say). Whatever openpyxl raises on a damaged
    file, while opening or while reading, comes out as ImportFileError."""
    file.seek(0)
    try:
        workbook, sheet = open_sheet(file)
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises anything from KeyError to XML errors on a damaged file
        raise _damaged() from None
    try:
        try:
            claimed = sheet.max_row
        except Exception:
            claimed = None
        yield _guarded(sheet.iter_rows(values_only=True)), claimed
    finally:
        workbook.close()


def _guarded(rows: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    try:
        yield from rows
    except Exception:
        raise _damaged() from None


@contextmanager
def open_rows(file: IO[bytes], columns: Sequence[Column]) -> Iterator[Iterator[tuple[int, dict[str, str]]]]:
    """The sheet's data rows as the engine reads them (`sheet_rows`), at most settings.IMPORT_MAX_ROWS."""
    with open_cells(file) as (cells, _claimed):
        yield sheet_rows(cells, columns, max_rows=settings.IMPORT_MAX_ROWS)
