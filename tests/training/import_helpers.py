"""Helpers for the training imports' tests (tests/training/test_import_*.py): sheets built with openpyxl and
read back through the engine, the preview's counts and refusals, and the people rows name."""

from __future__ import annotations

from collections import Counter
from io import BytesIO

from openpyxl import Workbook

from laborbrand.accounts.models import User
from laborbrand.imports.engine import open_sheet, sheet_rows
from tests import factories


def xlsx(headers: list[str], rows: list[list]) -> bytes:
    """An .xlsx whose first sheet has these headers and rows (cells as given: text, numbers …)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(importer_class, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of a sheet as the engine reads an upload."""
    workbook, sheet = open_sheet(BytesIO(data))
    try:
        return list(sheet_rows(sheet.iter_rows(values_only=True), importer_class.columns, max_rows=50_000))
    finally:
        workbook.close()


def rows(*values: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    """Rows numbered as in a sheet (data from row 2)."""
    return list(enumerate(values, start=2))


def person(worker: User, **extra) -> dict[str, str]:
    return {"real_name": worker.real_name, "id_number": worker.id_number, **extra}


_stranger_numbers = iter(range(700_000, 800_000))


def stranger(name: str = "李四", **extra) -> dict[str, str]:
    """A row naming someone the portal does not know yet (a valid, unused ID number)."""
    return {"real_name": name, "id_number": factories.make_id_number(next(_stranger_numbers)), **extra}


def counts(results) -> dict[str, int]:
    return dict(Counter(result.action for result in results))


def refusals(results) -> dict[int, list[str]]:
    return {result.number: result.errors for result in results if result.errors}


def only(results):
    (result,) = list(results)
    return result
