"""The engine's pure pieces: cells as text, headers, personal numbers masked, the example row."""

import datetime

import pytest
from django.utils import translation

from laborbrand.imports.engine import (
    ImportFileError,
    LostDigits,
    cell_text,
    map_headers,
    sheet_rows,
    without_personal_data,
)
from tests.imports.importer import StandardsImporter


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "是"),
        (13900000001.0, "13900000001"),  # a phone typed as a number
        (1.5, "1.5"),
        (datetime.datetime(2024, 3, 1), "2024-03-01"),  # noqa: DTZ001  (Excel cells are naive)
        (datetime.datetime(2024, 3, 1, 8, 30), "2024-03-01 08:30:00"),  # noqa: DTZ001
        (datetime.date(2024, 3, 1), "2024-03-01"),
        ("  张三  ", "张三"),
        ("=1+1", "=1+1"),  # a formula, as its text
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_headers_are_found_in_any_order_with_or_without_the_required_mark():
    positions = map_headers(["备注", "维度", " 要 求* ", "错误"], StandardsImporter.columns)

    assert positions == {1: "dimension", 2: "requirement"}


def test_missing_required_headers_are_named():
    with translation.override("en"), pytest.raises(ImportFileError, match="Missing: 要求、维度"):
        map_headers(["联系人"], StandardsImporter.columns)


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("“341524200001010001” is not one of the choices.", "“***” is not one of the choices."),
        ("34152420000101001X is wrong", "*** is wrong"),
        ("Call 13900000001 or 139 0000 0001 or 139-0000-0001.", "Call *** or *** or ***."),
        (
            "Row 12345 is the same record as row 2 of this file.",
            "Row 12345 is the same record as row 2 of this file.",
        ),
        ("Give a date such as 2024-03-01.", "Give a date such as 2024-03-01."),
    ],
)
def test_personal_numbers_are_masked_in_messages(message, shown):
    assert without_personal_data(message) == shown


@pytest.mark.parametrize(
    ("values", "example"),
    [
        (
            {
                "requirement": "遵守职业道德",
                "dimension": "ethics",
                "contact_name": "",
                "contact_id_number": "",
            },
            True,
        ),
        (
            {
                "requirement": "遵守职业道德",
                "dimension": "skill",
                "contact_name": "",
                "contact_id_number": "",
            },
            False,
        ),
        (
            {
                "requirement": "遵守职业道德",
                "dimension": "ethics",
                "contact_name": "张三",
                "contact_id_number": "",
            },
            False,
        ),
    ],
)
def test_the_untouched_example_row_is_recognised(values, example):
    assert StandardsImporter(user=None, target=None).is_example(values) is example


@pytest.mark.parametrize(
    ("cell", "lost"),
    [
        (341524199001011234.0, True),  # an 18-digit ID number typed as a number: Excel kept 15 digits
        (3415241990010112345, True),
        ("341524199001011234", False),  # typed as text
        (13800000001, False),  # a phone fits in 15 digits
    ],
)
def test_a_long_number_typed_as_a_number_is_refused_not_matched(cell, lost):
    header = [column.header for column in StandardsImporter.columns]
    row = ["遵守职业道德", "ethics", "张三", cell]
    [(number, values)] = list(sheet_rows([header, row], StandardsImporter.columns, max_rows=10))

    assert number == 2
    assert isinstance(values["contact_id_number"], LostDigits) == lost
    if lost:
        result, cleaned = StandardsImporter(user=None).check_row(number, values, {})
        assert result.action == "refused" and cleaned is None
        assert "15" in result.errors[0]
