"""Staff lists (laborbrand/listings.py): the keyword narrows a list, and the export holds exactly the rows
the filters show, every page of them, as values a spreadsheet never runs."""

from __future__ import annotations

import io

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from laborbrand.accounts.models import User
from laborbrand.listings import KEYWORD_MAX, Column, Listing, keyword, keyword_filter, staff_list
from tests import factories

pytestmark = pytest.mark.django_db

USERS = Listing(
    columns=(Column("Name", lambda u: u.real_name), Column("Role", lambda u: u.role)), ordering=("pk",)
)


def _list(query: str):
    request = RequestFactory().get("/staff/" + query)
    request.user = factories.CityAdminFactory()
    queryset = User.objects.filter(role=User.Role.WORKER)
    return staff_list(
        request,
        queryset,
        USERS,
        "includes/_list_search.html",
        {},
        search=("real_name",),
        export_name=("w", "工人"),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", ""), ("  焊工 ", "焊工"), ("a\x00b", "ab"), ("x" * 80, "x" * KEYWORD_MAX)],
)
def test_the_keyword_is_trimmed_cut_and_cleaned(raw, expected):
    assert keyword(RequestFactory().get("/", {"q": raw})) == expected


def test_an_empty_keyword_keeps_every_row():
    factories.WorkerFactory.create_batch(2)
    assert keyword_filter(User.objects.all(), "", ("real_name",)).count() == User.objects.count()


def test_the_export_holds_every_filtered_row_as_text():
    for n in range(25):  # more than one page
        factories.WorkerFactory(real_name=f"焊工{n:02d}")
    factories.WorkerFactory(real_name="=HYPERLINK(1)焊工")
    factories.WorkerFactory(real_name="电工")

    response = _list("?q=焊工&export=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Role")
    names = [row[0] for row in rows[1:]]
    assert len(names) == 26 and "电工" not in names
    assert "'=HYPERLINK(1)焊工" in names
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row)


def test_the_page_keeps_the_other_filters_and_offers_the_export_of_them():
    factories.WorkerFactory(real_name="焊工")

    response = _list("?q=焊工&status=open&page=2")

    html = response.content.decode()
    assert 'name="status" value="open"' in html
    assert 'name="page"' not in html
    assert "export=xlsx" in html and "status=open" in html
