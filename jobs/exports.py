"""Excel exports of the job board. Pure functions from rows to .xlsx bytes: the views load and scope the rows.

Cells are written as values, never formulas: a text starting with a character a spreadsheet reads as the
start of a formula (=, +, -, @, tab, carriage return) is prefixed with an apostrophe and stored as text
(OWASP "CSV injection"), so a worker who calls themselves `=HYPERLINK(...)` exports as that text.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from jobs.models import Application

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


def workbook_bytes(*, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ILLEGAL_CHARACTERS_RE.sub("", sheet_title)[:31] or "Sheet1"
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def applicant_headers() -> list[str]:
    return [
        pgettext("a person's name", "Full name"),
        _("Mobile number"),
        _("National ID number (masked)"),
        _("Home county/district"),
        _("Desired occupations"),
        _("Valid skill certificates"),
        _("Status"),
        _("Applied at"),
    ]


def applicant_row(application: Application, *, show_phone: bool) -> list:
    """One applicant. Expects `worker__profile__home_county` selected, `worker__profile__desired_occupations`
    prefetched and the worker's valid certificates prefetched as `valid_certificates`."""
    worker = application.worker
    profile = getattr(worker, "profile", None)
    certificates = getattr(worker, "valid_certificates", [])
    return [
        worker.display_name,
        (worker.phone or "") if show_phone else worker.masked_phone,
        worker.masked_id_number,
        profile.home_county.name if profile and profile.home_county else "",
        "、".join(o.name for o in profile.desired_occupations.all()) if profile else "",
        "、".join(f"{c.occupation.name} {c.level}" for c in certificates),
        application.get_status_display(),
        application.created,
    ]


def applicants_xlsx(applications: Iterable[Application], *, show_phone: bool) -> bytes:
    return workbook_bytes(
        sheet_title=_("Applicants"),
        headers=applicant_headers(),
        rows=(applicant_row(a, show_phone=show_phone) for a in applications),
    )


def attachment_disposition(ascii_name: str, display_name: str) -> str:
    """`Content-Disposition` for a download: a plain ASCII `filename` every client understands, and the
    readable (Chinese) name as RFC 5987 `filename*` for those that read it."""
    display_name = "".join(ch for ch in display_name if ch.isprintable() and ch not in '/\\"')
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(display_name, safe='')}"
