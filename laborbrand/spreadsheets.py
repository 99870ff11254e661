"""Excel workbooks from rows: pure functions from rows to .xlsx bytes, for every export of the portal.

Cells are written as values, never formulas: a text starting with a character a spreadsheet reads as the
start of a formula (=, +, -, @, tab, carriage return) is prefixed with an apostrophe and stored as text
(OWASP "CSV injection"), so a worker who calls themselves `=HYPERLINK(...)` exports as that text.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def safe_cell(value):
    """A value as it may go into a cell: text that could start a formula is quoted, characters XML cannot
    hold are dropped, aware datetimes become local (Excel has no time zones)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            value = "'" + value
        return value
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", str(title))
    cleaned = "".join(ch for ch in cleaned if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet1"


def fill_sheet(sheet: Worksheet, *, headers: Sequence[str], rows: Iterable[Sequence]) -> Worksheet:
    """Write a header row (bold, frozen) and the rows, as safe values, and size the columns."""
    sheet.append([safe_cell(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # defence in depth: safe_cell leaves nothing openpyxl reads as one
                cell.data_type = "s"
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = DATETIME_FORMAT
    sheet.freeze_panes = "A2"
    for column, header in zip(sheet.columns, headers, strict=False):
        width = max([len(str(header)) * 2, *(len(str(c.value or "")) for c in column)])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return sheet


def workbook_bytes(*, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A workbook of one sheet."""
    return workbook_of_sheets([(sheet_title, headers, rows)])


def workbook_of_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, headers, rows), in order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        fill_sheet(workbook.create_sheet(sheet_title(title)), headers=headers, rows=rows)
    if not workbook.worksheets:
        workbook.create_sheet("Sheet1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment_disposition(ascii_name: str, display_name: str) -> str:
    """`Content-Disposition` for a download: a plain ASCII `filename` every client understands, and the
    readable (Chinese) name as RFC 5987 `filename*` for those that read it."""
    display_name = "".join(ch for ch in display_name if ch.isprintable() and ch not in '/\\"')
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(display_name, safe='')}"


def xlsx_response(content: bytes, *, ascii_name: str, display_name: str) -> HttpResponse:
    """A download of an .xlsx workbook, never cached by a shared cache."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_disposition(ascii_name, display_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
