"""The checks every staff list's keyword search and Excel export answers (laborbrand/listings.py staff_list),
shared by tests/brands/test_list_exports.py and tests/training/test_list_exports.py.

Each list is a `ListCase`: who reads it, its URL, how to add one of its rows under a name (and one row under
a name it must never show: another county's, another institution's, another programme's), the export column
holding that name, the export's headers, and the roles refused. The checks read the export with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import openpyxl
from openpyxl.cell.cell import Cell

from laborbrand.pages import PAGE_SIZE
from laborbrand.spreadsheets import XLSX_TYPE

# A name a spreadsheet would read as a formula: exported, it stays text.
FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")'
KEYWORD = "茶艺"
MATCHING = ["茶艺甲班", "乙茶艺"]
OTHER = "焊工丙"

# Query strings a crafted or stale link may carry: none of them is a 500.
GARBAGE_QUERIES = [
    {"page": "0"},
    {"page": "-1"},
    {"page": "abc"},
    {"page": "9" * 30},
    {"q": "x" * 500},
    {"q": "茶\x00艺"},
    {"q": "%_\\"},
    {"q": "' OR 1=1 --"},
    {"q": "   "},
    {"export": "csv"},
    {"export": "xlsx", "page": "9" * 30, "q": "\x00"},
    {"export": ["xlsx", "xlsx"]},
]


@dataclass(frozen=True)
class ListCase:
    who: str  # the fixture of the user who reads the list
    url: Callable[[World], str]
    add: Callable[[World, str], Any]  # one row the list shows, named `name`
    label: Callable[[Any], str]  # the name of one of the page's rows
    key: str  # the export's column holding the name
    headers: tuple[str, ...]
    hidden: Callable[[World, str], Any] | None = None  # a row the reader must never see
    refused: tuple[str, ...] = ()  # fixtures of users the list answers 403


class World:
    """The test's fixtures (personas) by attribute; a test module's subclass adds the rows its nested lists
    live in (a programme, a session) as cached properties, made when first asked for."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._request.getfixturevalue(name)


@dataclass
class Export:
    headers: list[str]
    cells: list[list[Cell]]

    def column(self, header: str) -> list:
        index = self.headers.index(header)
        return [row[index].value for row in self.cells]

    def cell(self, row: int, header: str) -> Cell:
        return self.cells[row][self.headers.index(header)]


def read_export(response) -> Export:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=False).worksheets[0]
    rows = list(sheet.iter_rows())
    return Export(headers=[cell.value for cell in rows[0]], cells=[list(row) for row in rows[1:]])


def export_of(client, url: str, params: dict | None = None) -> Export:
    return read_export(client.get(url, {**(params or {}), "export": "xlsx"}))


def sign_in(client, user):
    """Signs `user` in, reading the pages (and the exports' headers) in English."""
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def signed_in(case: ListCase, world: World, client):
    return sign_in(client, getattr(world, case.who))


# --- The checks -------------------------------------------------------------------------------------------


def check_keyword_narrows_page_and_export(case: ListCase, world: World, client) -> None:
    for name in [*MATCHING, OTHER]:
        case.add(world, name)
    signed_in(case, world, client)
    url = case.url(world)

    page = client.get(url, {"q": KEYWORD})
    export = export_of(client, url, {"q": KEYWORD})
    everything = export_of(client, url)

    assert page.status_code == 200
    assert page.context["q"] == KEYWORD
    assert sorted(case.label(row) for row in page.context["page_obj"]) == sorted(MATCHING)
    assert sorted(export.column(case.key)) == sorted(MATCHING)
    assert sorted(everything.column(case.key)) == sorted([*MATCHING, OTHER])
    content = page.content.decode()
    assert 'data-testid="list-search"' in content
    assert "export=xlsx" in content  # the export link keeps the keyword
    assert parse_qs(page.context["export_query"]) == {"q": [KEYWORD], "export": ["xlsx"]}


def check_export_holds_every_page(case: ListCase, world: World, client) -> None:
    names = [f"{KEYWORD}{n:02d}" for n in range(PAGE_SIZE + 1)]
    for name in names:
        case.add(world, name)
    signed_in(case, world, client)
    url = case.url(world)

    page = client.get(url)
    export = export_of(client, url)

    assert len(page.context["page_obj"]) == PAGE_SIZE
    assert export.headers == list(case.headers)
    assert sorted(export.column(case.key)) == names
    second = client.get(url, {"page": 2})
    shown = [case.label(row) for row in page.context["page_obj"]] + [
        case.label(row) for row in second.context["page_obj"]
    ]
    assert export.column(case.key) == shown  # the export keeps the page's order


def check_formula_exported_as_text(case: ListCase, world: World, client) -> None:
    case.add(world, FORMULA_NAME)
    signed_in(case, world, client)

    export = export_of(client, case.url(world))

    cell = export.cell(0, case.key)
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA_NAME


def check_hidden_rows_stay_out(case: ListCase, world: World, client) -> None:
    case.add(world, MATCHING[0])
    case.hidden(world, MATCHING[1])
    signed_in(case, world, client)
    url = case.url(world)

    page = client.get(url)
    export = export_of(client, url)
    searched = export_of(client, url, {"q": MATCHING[1]})

    assert [case.label(row) for row in page.context["page_obj"]] == [MATCHING[0]]
    assert export.column(case.key) == [MATCHING[0]]
    assert searched.cells == []


def check_refused_alike(case: ListCase, world: World, client, who: str) -> None:
    case.add(world, MATCHING[0])
    url = case.url(world)
    client.force_login(getattr(world, who))

    page = client.get(url)
    export = client.get(url, {"export": "xlsx"})

    assert page.status_code == export.status_code == 403
    assert MATCHING[0] not in export.content.decode(errors="replace")


def check_garbage_never_500(case: ListCase, world: World, client, params: dict) -> None:
    case.add(world, MATCHING[0])
    signed_in(case, world, client)

    response = client.get(case.url(world), params)

    assert response.status_code == 200
    if params.get("export") in ("xlsx", ["xlsx", "xlsx"]):
        read_export(response)


def check_export_queries_constant(case: ListCase, world: World, client, assert_max_queries) -> None:
    case.add(world, f"{KEYWORD}0")
    signed_in(case, world, client)
    url = case.url(world)
    with assert_max_queries(50) as few:
        export_of(client, url, {"q": KEYWORD})
    for n in range(1, 5):
        case.add(world, f"{KEYWORD}{n}")
    with assert_max_queries(len(few)):
        export = export_of(client, url, {"q": KEYWORD})
    assert len(export.cells) == 5
