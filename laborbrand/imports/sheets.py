"""The workbooks an import hands out: the template to fill in, and a checked file's error report.

Both are written with openpyxl through laborbrand/spreadsheets.py, whose `safe_cell` quotes any text a
spreadsheet would read as a formula: a name typed as `=HYPERLINK(...)` comes back as that text.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from laborbrand.imports import files
from laborbrand.imports.engine import HEADER_ROW, REQUIRED_MARK, Column, Importer, cell_text, normalise_header
from laborbrand.imports.models import ImportBatch
from laborbrand.spreadsheets import FORMULA_STARTS, fill_sheet, safe_cell, sheet_title, workbook_bytes

# Sheet names and the report's added columns are Chinese, as the columns' headers are, whoever downloads.
INSTRUCTIONS_SHEET = "填写说明"
OPTIONS_SHEET = "选项"
ERRORS_HEADER = "错误"
ROW_HEADER = "行号"
TEXT_FORMAT = "@"
# Excel keeps an in-cell list ("a,b,c") to 255 characters; a longer list goes to the hidden options sheet.
INLINE_LIST_LIMIT = 250


def header_text(column: Column) -> str:
    return column.header + (REQUIRED_MARK if column.required else "")


def template_workbook(importer: Importer) -> bytes:
    """The import's template: its columns' headers (required ones marked "*") over one example row, text
    format where Excel would mangle numbers, a drop-down list wherever the values are fixed, and a second
    sheet saying how to fill it in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(importer.title)
    columns = importer.columns
    fill_sheet(sheet, headers=[header_text(c) for c in columns], rows=[[c.example for c in columns]])
    last_row = settings.IMPORT_MAX_ROWS + HEADER_ROW
    options: Worksheet | None = None
    choices_of: dict[str, Sequence[str]] = {}
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        if column.text:
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            sheet.cell(row=HEADER_ROW + 1, column=position).number_format = TEXT_FORMAT
        choices = [str(choice) for choice in importer.column_choices(column) or ()]
        if not choices:
            continue
        choices_of[column.field] = choices
        if _fits_inline(choices):
            formula = '"' + ",".join(choices) + '"'
        else:
            if options is None:
                options = workbook.create_sheet(OPTIONS_SHEET)
                options.sheet_state = "hidden"
            options.cell(row=1, column=position, value=safe_cell(column.header))
            for row, choice in enumerate(choices, start=2):
                options.cell(row=row, column=position, value=safe_cell(choice))
            formula = f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not in the list"),
            error=_("Choose a value from the list."),
        )
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{last_row}")
        sheet.add_data_validation(validation)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), importer, choices_of)
    # The instructions second, after the sheet to fill in; the hidden options (if any) last.
    workbook.move_sheet(INSTRUCTIONS_SHEET, offset=1 - workbook.sheetnames.index(INSTRUCTIONS_SHEET))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fits_inline(choices: Sequence[str]) -> bool:
    return (
        len(",".join(choices)) <= INLINE_LIST_LIMIT
        and not any("," in choice or '"' in choice for choice in choices)
        and not any(choice.startswith(FORMULA_STARTS) for choice in choices)
    )


def _instructions(sheet: Worksheet, importer: Importer, choices_of: dict[str, Sequence[str]]) -> None:
    target = importer.target_label()
    lines = [
        str(importer.title),
        _("Imported into: %(target)s") % {"target": target} if target else "",
        "",
        _(
            "Fill in one row per record on the first sheet, under its header row. Keep the header row as it "
            "is; the columns may be in any order, and other columns are ignored."
        ),
        _("Columns whose header ends in * must be filled in."),
        _("The second row is an example: replace it with your own rows. Left unchanged, it is not imported."),
        _(
            "ID numbers, phone numbers and certificate numbers must be text (their columns are formatted as "
            "text): typed into a number cell, Excel drops their last digits."
        ),
        _("Where a column has a drop-down list, choose one of its values."),
        _("Cells are read as they are written: a formula is read as its text and never calculated."),
        _(
            "At most %(rows)s rows and %(size)s per file. Save as an Excel workbook (.xlsx), without a "
            "password and without macros; CSV, .xls and .xlsm files are refused."
        )
        % {"rows": settings.IMPORT_MAX_ROWS, "size": filesizeformat(settings.IMPORT_MAX_BYTES)},
        _(
            "After the upload every row is checked with the same rules as the form on the site, and you see "
            "how many rows would be created, updated or left unchanged, and which are refused and why. "
            "Nothing is imported until every row is accepted and you confirm; then all rows are written at "
            "once."
        ),
        _(
            "An import can be undone by whoever made it within %(days)s days, as long as nothing has come to "
            "depend on its records."
        )
        % {"days": settings.IMPORT_UNDO_DAYS},
    ]
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["D"].width = 60
    for text in lines:
        sheet.append([safe_cell(text)])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4)
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("Example"), _("Allowed values")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in importer.columns:
        allowed = choices_of.get(column.field, ())
        shown = "、".join(allowed[:30]) + ("……" if len(allowed) > 30 else "")
        sheet.append(
            [
                safe_cell(column.header),
                _("yes") if column.required else _("no"),
                safe_cell(column.example),
                safe_cell(shown),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def error_report(batch: ImportBatch, content: bytes) -> bytes:
    """The uploaded sheet as it was read (each non-empty row with its number in the file, every column but an
    earlier report's), with a column "错误" holding each refused row's reasons. Corrected, the same file
    can be uploaded again: the added columns are ignored."""
    reasons = {entry["row"]: "；".join(entry["errors"]) for entry in batch.refused_rows}
    with files.open_cells(io.BytesIO(content)) as (cells, _claimed):
        rows = iter(cells)
        header = next(rows, None) or ()
        added = (ERRORS_HEADER, ROW_HEADER)
        keep = [i for i, text in enumerate(header) if normalise_header(text) not in added]
        headers = [ROW_HEADER, *(cell_text(header[i]) for i in keep), ERRORS_HEADER]

        def body() -> Iterator[list]:
            for number, row in enumerate(rows, start=HEADER_ROW + 1):
                values = [cell_text(row[i]) if i < len(row) else "" for i in keep]
                if any(values):
                    yield [number, *values, reasons.get(number, "")]

        return workbook_bytes(sheet_title=_("Checked rows"), headers=headers, rows=body())
