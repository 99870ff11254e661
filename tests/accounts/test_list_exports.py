"""Keyword search and Excel export of the city admins' lists of staff accounts (county officials, the leading
group; laborbrand/listings.py staff_list, the columns in laborbrand/accounts/listings.py), as a table: the
keyword narrows the page and the export alike; the export holds exactly the filtered rows of every page under
the expected headers; a name starting with `=` exports as text; phone numbers are masked as on the page;
roles refused the page are refused the export; no query string makes a 500; a fixed number of queries."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from laborbrand.pages import PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Spec:
    url: str
    add: Callable  # (real name, **fields) -> one account of the list
    headers: tuple[str, ...]


LISTS = {
    "county officials": Spec(
        reverse("accounts:official_list"),
        lambda name, **fields: factories.OfficialFactory(real_name=name, **fields),
        ("User name", "Real name", "County/district", "Mobile number (masked)", "Status"),
    ),
    "leading group": Spec(
        reverse("accounts:leading_group_list"),
        lambda name, **fields: factories.LeadingGroupMemberFactory(real_name=name, **fields),
        ("User name", "Real name", "Department", "E-mail", "Status"),
    ),
}


@pytest.fixture
def admin(client, city_admin):
    client.force_login(city_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page_names(client, spec: Spec, **params) -> list[str]:
    names, number = [], 1
    while True:
        response = client.get(spec.url, {**params, "page": number})
        assert response.status_code == 200
        page = response.context["page_obj"]
        names += [user.real_name for user in page]
        if not page.has_next():
            return names
        number += 1


def export_rows(client, spec: Spec, **params) -> list[tuple]:
    response = client.get(spec.url, {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return list(load_workbook(io.BytesIO(response.content)).active.values)


@pytest.mark.parametrize("name", LISTS)
def test_the_keyword_narrows_the_page_and_the_export_alike(name, admin):
    spec = LISTS[name]
    for real_name in ("鑫淼甲", "其他乙", "鑫淼丙"):
        spec.add(real_name)

    shown = page_names(admin, spec, q="鑫淼")

    assert sorted(shown) == ["鑫淼丙", "鑫淼甲"]
    assert [row[1] for row in export_rows(admin, spec, q="鑫淼")[1:]] == shown
    html = admin.get(spec.url, {"q": "鑫淼"}).content.decode()
    assert 'value="鑫淼"' in html
    assert 'href="?q=%E9%91%AB%E6%B7%BC&amp;export=xlsx"' in html


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("county officials", "username", "official_xin"),
        ("county officials", "county", "霍山县"),
        ("leading group", "username", "leader_xin"),
        ("leading group", "department", "市教育局"),
    ],
)
def test_the_keyword_searches_user_names_counties_and_departments(name, field, value, admin):
    spec = LISTS[name]
    fields = {"county": factories.make_county("341525")} if field == "county" else {field: value}
    spec.add("要找的", **fields)
    spec.add("别的人")

    keyword = value[-3:]
    assert page_names(admin, spec, q=keyword) == ["要找的"]
    assert [row[1] for row in export_rows(admin, spec, q=keyword)[1:]] == ["要找的"]


@pytest.mark.parametrize("name", LISTS)
def test_the_export_holds_every_row_of_every_page_under_its_headers(name, admin):
    spec = LISTS[name]
    for n in range(PAGE_SIZE + 2):
        spec.add(f"人{n:02d}")

    shown = page_names(admin, spec)
    rows = export_rows(admin, spec)

    assert len(shown) >= PAGE_SIZE + 2
    assert rows[0] == spec.headers
    assert [row[1] for row in rows[1:]] == shown


@pytest.mark.parametrize("name", LISTS)
def test_a_name_starting_with_equals_exports_as_text(name, admin):
    spec = LISTS[name]
    spec.add("=1+2")
    response = admin.get(spec.url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    (cell,) = [row[1] for row in sheet.iter_rows(min_row=2) if "1+2" in str(row[1].value)]
    assert (cell.value, cell.data_type) == ("'=1+2", "s")


def test_officials_export_their_phone_masked_and_their_status(admin):
    official = factories.OfficialFactory(real_name="赵敏", phone="13655556666", is_active=False)

    (row,) = export_rows(admin, LISTS["county officials"], q="赵敏")[1:]

    assert row == (official.username, "赵敏", official.county.name, official.masked_phone, "Deactivated")
    assert "13655556666" not in str(row)


def test_leading_group_members_export_their_department_and_email(admin):
    member = factories.LeadingGroupMemberFactory(real_name="钱教育", department="市教育局")

    (row,) = export_rows(admin, LISTS["leading group"], q="钱教育")[1:]

    assert row == (member.username, "钱教育", "市教育局", member.email, "Active")


@pytest.mark.parametrize(
    "persona", ["county_official", "institution_staff", "employer", "worker", "leading_group"]
)
@pytest.mark.parametrize("name", LISTS)
def test_only_city_admins_read_or_export_the_lists(name, persona, client, personas):
    spec = LISTS[name]
    spec.add("不给看的")
    client.force_login(personas[persona])
    assert client.get(spec.url).status_code == 403
    response = client.get(spec.url, {"export": "xlsx", "q": "不给看"})
    assert response.status_code == 403
    assert response["Content-Type"] != XLSX


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_visitors_are_sent_to_sign_in_for_the_export(name, client):
    response = client.get(LISTS[name].url, {"export": "xlsx"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


GARBAGE = [
    {"q": "\x00"},
    {"q": "鑫" * 500},
    {"q": "%_\\"},
    {"page": "abc"},
    {"page": "99999999999999999999"},
    {"export": "csv"},
    {"export": "xlsx", "page": "-1", "q": "\x00"},
]


@pytest.mark.parametrize("name", LISTS)
def test_garbage_in_the_query_string_is_never_a_500(name, admin):
    spec = LISTS[name]
    spec.add("鑫淼")
    for params in GARBAGE:
        assert admin.get(spec.url, params).status_code == 200, params


def _queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path, params).status_code == 200
    return len(context)


@pytest.mark.parametrize("export", [False, True], ids=["page", "export"])
@pytest.mark.parametrize("name", LISTS)
def test_the_query_count_does_not_grow_with_the_rows(name, export, admin):
    spec = LISTS[name]
    params = {"export": "xlsx"} if export else {}
    spec.add("一")
    few = _queries(admin, spec.url, params)
    other_county = {"county": factories.make_county("341525")} if name == "county officials" else {}
    for n in range(5):
        spec.add(f"多{n}", **other_county)
    assert _queries(admin, spec.url, params) == few
