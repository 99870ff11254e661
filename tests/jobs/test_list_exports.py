"""Keyword search and Excel export of the job board's staff lists (laborbrand/listings.py staff_list, the
columns in jobs/listings.py): apprenticeships, employers, postings, a posting's applicants, partner regions
and docking fairs. For each list, as a table: the keyword narrows the page and the export alike; the export
holds exactly the filtered rows of every page, in the page's order, under the expected headers; a name
starting with `=` exports as text; the export keeps the page's scoping and refusals; no query string makes a
500; and the page and the export each cost a fixed number of queries."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Application, JobPosting
from laborbrand.pages import PAGE_SIZE
from tests import factories
from tests.jobs.factories_apps import employer_b, logged_in, verified_company
from tests.jobs.factories_coop import DockingFairFactory, PartnerRegionFactory

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(city_admin, official_a, employer, qualified_institution_a, leading_member, worker):
    company = verified_company(employer)
    return SimpleNamespace(
        city_admin=city_admin,
        official_a=official_a,
        employer=employer,
        institution_staff=qualified_institution_a.staff.get(),
        leading_member=leading_member,
        worker=worker,
        company=company,
        institution=qualified_institution_a,
        posting=factories.JobPostingFactory(employer=company, title="数控车工（两班倒）"),
    )


def _worker(name: str):
    return factories.WorkerProfileFactory(user=factories.WorkerFactory(real_name=name)).user


def _apprenticeship(w, name: str):
    factories.ApprenticeshipFactory(employer=w.company, institution=w.institution, worker=_worker(name))


def _applicant(w, name: str):
    factories.ApplicationFactory(posting=w.posting, worker=_worker(name))


@dataclass(frozen=True)
class Spec:
    who: str  # the persona signed in
    url: Callable  # world -> the list's path
    add: Callable  # (world, name) -> one row of the list named so
    name: Callable  # a record of the page -> its name
    headers: tuple[str, ...]  # the export's headers
    name_column: int = 0  # the export's column holding the name


APPRENTICESHIP_HEADERS = (
    "Apprentice",
    "Employer",
    "Institution",
    "Occupation",
    "Target level",
    "Starts",
    "Ends",
    "Status",
)
POSTING_HEADERS = (
    "Job title",
    "Company",
    "Occupation",
    "Location",
    "Minimum monthly salary (CNY)",
    "Maximum monthly salary (CNY)",
    "Openings",
    "Status",
    "Applicants",
    "New applicants",
    "Open until",
    "Created",
)
PARTNER_HEADERS = (
    "Partner region",
    "Province",
    "Signed on",
    "In force",
    "Placement target per year",
    "Placements this year",
    "Share of the target (%)",
    "Docking fairs this year",
    "Agreement",
)
FAIR_HEADERS = (
    "Date",
    "Title",
    "Place",
    "Partner region",
    "Province",
    "Organiser",
    "Employers",
    "Postings",
    "Attendance",
    "Resulting hires",
)


def _url(name: str) -> Callable:
    return lambda w: reverse(f"jobs:{name}")


LISTS = {
    "apprenticeships, employer": Spec(
        "employer",
        _url("apprenticeship_list"),
        _apprenticeship,
        lambda a: a.worker.real_name,
        APPRENTICESHIP_HEADERS,
    ),
    "apprenticeships, institution": Spec(
        "institution_staff",
        _url("apprenticeship_list"),
        _apprenticeship,
        lambda a: a.worker.real_name,
        APPRENTICESHIP_HEADERS,
    ),
    "apprenticeships, city admin": Spec(
        "city_admin",
        _url("apprenticeship_list"),
        _apprenticeship,
        lambda a: a.worker.real_name,
        APPRENTICESHIP_HEADERS,
    ),
    "employers, city admin": Spec(
        "city_admin",
        _url("employer_queue"),
        lambda w, name: factories.EmployerFactory(name=name),
        lambda e: e.name,
        (
            "Company name",
            "Unified social credit code",
            "Province",
            "City",
            "Industry",
            "Contact person",
            "Contact telephone",
            "Registered",
            "Verification",
            "Verified at",
            "Verified by",
            "Reason for refusal",
            "Staff accounts",
        ),
    ),
    "postings, employer": Spec(
        "employer",
        _url("posting_manage_list"),
        lambda w, name: factories.JobPostingFactory(employer=w.company, title=name),
        lambda p: p.title,
        POSTING_HEADERS,
    ),
    "postings, city admin": Spec(
        "city_admin",
        _url("posting_manage_list"),
        lambda w, name: factories.JobPostingFactory(employer=w.company, title=name),
        lambda p: p.title,
        POSTING_HEADERS,
    ),
    "applicants, employer": Spec(
        "employer",
        lambda w: reverse("jobs:applicant_list", args=[w.posting.pk]),
        _applicant,
        lambda a: a.worker.real_name,
        (
            "Full name",
            "Mobile number",
            "National ID number (masked)",
            "Home county/district",
            "Desired occupations",
            "Valid skill certificates",
            "Status",
            "Applied at",
        ),
    ),
    "partner regions, official": Spec(
        "official_a",
        _url("partner_list"),
        lambda w, name: PartnerRegionFactory(name=name),
        lambda r: r.name,
        PARTNER_HEADERS,
    ),
    "partner regions, city admin": Spec(
        "city_admin",
        _url("partner_list"),
        lambda w, name: PartnerRegionFactory(name=name),
        lambda r: r.name,
        PARTNER_HEADERS,
    ),
    "docking fairs, official": Spec(
        "official_a",
        _url("fair_list"),
        lambda w, name: DockingFairFactory(title=name, county=w.official_a.county, employers=[w.company]),
        lambda f: f.title,
        FAIR_HEADERS,
        name_column=1,
    ),
    "docking fairs, city admin": Spec(
        "city_admin",
        _url("fair_list"),
        lambda w, name: DockingFairFactory(title=name, employers=[w.company]),
        lambda f: f.title,
        FAIR_HEADERS,
        name_column=1,
    ),
}


def client_for(client, world, spec: Spec):
    return logged_in(client, getattr(world, spec.who))


def page_names(client, spec: Spec, world, **params) -> list[str]:
    """The names on every page of the list, in order."""
    names, number = [], 1
    while True:
        response = client.get(spec.url(world), {**params, "page": number})
        assert response.status_code == 200
        page = response.context["page_obj"]
        names += [spec.name(record) for record in page]
        if not page.has_next():
            return names
        number += 1


def export_sheet(client, spec: Spec, world, **params):
    response = client.get(spec.url(world), {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment; ")
    return load_workbook(io.BytesIO(response.content)).active


def export_names(sheet, name: str) -> list[str]:
    column = LISTS[name].name_column
    return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]


# --- The keyword --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_the_keyword_narrows_the_page_and_the_export_alike(name, world, client):
    spec = LISTS[name]
    for row in ("鑫淼甲", "其他乙", "鑫淼丙"):
        spec.add(world, row)
    client_for(client, world, spec)

    response = client.get(spec.url(world), {"q": " 鑫淼 "})
    shown = [spec.name(record) for record in response.context["page_obj"]]
    assert sorted(shown) == ["鑫淼丙", "鑫淼甲"]
    assert response.context["q"] == "鑫淼"
    html = response.content.decode()
    assert 'name="q"' in html
    assert 'value="鑫淼"' in html
    assert 'data-testid="list-export"' in html
    assert 'href="?q=+%E9%91%AB%E6%B7%BC+&amp;export=xlsx"' in html  # the export link: the same query

    assert export_names(export_sheet(client, spec, world, q="鑫淼"), name) == shown


# --- The export holds what the filters show, every page of it ----------------------------------------------


@pytest.mark.parametrize("name", LISTS)
def test_the_export_holds_every_filtered_row_of_every_page_under_its_headers(name, world, client):
    spec = LISTS[name]
    for n in range(PAGE_SIZE + 2):
        spec.add(world, f"行{n:02d}")
    client_for(client, world, spec)

    shown = page_names(client, spec, world)
    sheet = export_sheet(client, spec, world)

    assert len(shown) >= PAGE_SIZE + 2
    assert [cell.value for cell in sheet[1]] == list(spec.headers)
    assert export_names(sheet, name) == shown


@pytest.mark.parametrize("name", LISTS)
def test_a_name_starting_with_equals_exports_as_text(name, world, client):
    spec = LISTS[name]
    formula = '=HYPERLINK("http://evil.example","x")'
    spec.add(world, formula)
    client_for(client, world, spec)

    sheet = export_sheet(client, spec, world)

    column = spec.name_column
    (cell,) = [row[column] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[column].value)]
    assert cell.value == "'" + formula
    assert cell.data_type == "s"
    for row in sheet.iter_rows():
        assert all(c.data_type != "f" for c in row)


# --- Filters of the pages' own ------------------------------------------------------------------------------

FILTERED = {
    # list: (the filter, a row it keeps, a row it drops)
    "postings, employer": (
        {"status": JobPosting.Status.DRAFT},
        lambda w, name: factories.JobPostingFactory(employer=w.company, title=name, draft=True),
        lambda w, name: factories.JobPostingFactory(employer=w.company, title=name),
    ),
    "postings, city admin": (
        {"status": JobPosting.Status.TAKEN_DOWN},
        lambda w, name: factories.JobPostingFactory(title=name, taken_down=True),
        lambda w, name: factories.JobPostingFactory(title=name),
    ),
    "applicants, employer": (
        {"status": Application.Status.INTERVIEW},
        lambda w, name: factories.ApplicationFactory(
            posting=w.posting, worker=_worker(name), status=Application.Status.INTERVIEW
        ),
        _applicant,
    ),
    "employers, city admin": (
        {"status": "refused"},
        lambda w, name: factories.EmployerFactory(name=name, rejection_reason="营业执照不清晰。"),
        lambda w, name: factories.EmployerFactory(name=name),
    ),
}


@pytest.mark.parametrize("name", FILTERED)
def test_the_pages_filter_narrows_the_export_too(name, world, client):
    spec = LISTS[name]
    params, kept, dropped = FILTERED[name]
    kept(world, "留下的")
    dropped(world, "滤掉的")
    client_for(client, world, spec)

    assert page_names(client, spec, world, **params) == ["留下的"]
    assert export_names(export_sheet(client, spec, world, **params), name) == ["留下的"]
    # The search box keeps the filter, and the export link carries both.
    html = client.get(spec.url(world), {**params, "q": "留"}).content.decode()
    (field, value) = next(iter(params.items()))
    assert f'<input type="hidden" name="{field}" value="{value}">' in html
    assert f"{field}={value}&amp;q=%E7%95%99&amp;export=xlsx" in html


# --- Scoping and refusals -----------------------------------------------------------------------------------


def _another_company_posting(w, name):
    factories.JobPostingFactory(employer=employer_b().employers.get(), title=name)


def _another_posting_applicant(w, name):
    factories.ApplicationFactory(
        posting=factories.JobPostingFactory(employer=w.company), worker=_worker(name)
    )


def _another_company_applicant(w, name):
    factories.ApplicationFactory(posting=factories.JobPostingFactory(), worker=_worker(name))


def _another_employer_apprentice(w, name):
    factories.ApprenticeshipFactory(institution=w.institution, worker=_worker(name))


def _another_institution_apprentice(w, name):
    factories.ApprenticeshipFactory(employer=w.company, worker=_worker(name))


def _another_county_fair(w, name):
    DockingFairFactory(title=name, county=factories.make_county("341525"), employers=[w.company])


OUT_OF_SCOPE = [
    ("postings, employer", _another_company_posting),
    ("applicants, employer", _another_posting_applicant),
    ("applicants, employer", _another_company_applicant),
    ("apprenticeships, employer", _another_employer_apprentice),
    ("apprenticeships, institution", _another_institution_apprentice),
    ("docking fairs, official", _another_county_fair),
    ("employers, city admin", lambda w, name: factories.VerifiedEmployerFactory(name=name)),  # not waiting
]


@pytest.mark.parametrize(("name", "add_foreign"), OUT_OF_SCOPE)
def test_rows_the_page_does_not_show_are_not_exported(name, add_foreign, world, client):
    spec = LISTS[name]
    spec.add(world, "自家的")
    add_foreign(world, "别家的")
    client_for(client, world, spec)

    assert "别家的" not in page_names(client, spec, world)
    assert "别家的" not in page_names(client, spec, world, q="别家")
    assert export_names(export_sheet(client, spec, world), name).count("自家的") == 1
    assert "别家的" not in export_names(export_sheet(client, spec, world, q="别家"), name)
    assert "别家的" not in export_names(export_sheet(client, spec, world), name)


REFUSED = [
    # (list, who asks, the answer of the page and of its export)
    ("apprenticeships, city admin", "official_a", 403),
    ("apprenticeships, city admin", "worker", 403),
    ("apprenticeships, city admin", "leading_member", 403),
    ("employers, city admin", "employer", 403),
    ("employers, city admin", "official_a", 403),
    ("employers, city admin", "leading_member", 403),
    ("postings, employer", "official_a", 403),
    ("postings, employer", "institution_staff", 403),
    ("postings, employer", "worker", 403),
    ("postings, employer", "leading_member", 403),
    ("applicants, employer", "city_admin", 403),
    ("applicants, employer", "official_a", 403),
    ("applicants, employer", "worker", 403),
    ("applicants, employer", "employer_b", 404),
    ("partner regions, official", "employer", 403),
    ("partner regions, official", "institution_staff", 403),
    ("partner regions, official", "leading_member", 403),
    ("docking fairs, official", "employer", 403),
    ("docking fairs, official", "worker", 403),
    ("docking fairs, official", "leading_member", 403),
]


@pytest.mark.parametrize(("name", "who", "status"), REFUSED)
def test_roles_refused_the_page_are_refused_its_export_alike(name, who, status, world, client):
    spec = LISTS[name]
    spec.add(world, "不给看的")
    logged_in(client, employer_b() if who == "employer_b" else getattr(world, who))

    assert client.get(spec.url(world)).status_code == status
    response = client.get(spec.url(world), {"export": "xlsx", "q": "不给看"})
    assert response.status_code == status
    assert response["Content-Type"] != XLSX


@pytest.mark.parametrize("name", ["postings, employer", "employers, city admin", "docking fairs, official"])
def test_anonymous_visitors_are_sent_to_sign_in_for_the_export(name, world, client):
    response = client.get(LISTS[name].url(world), {"export": "xlsx"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Bad input ----------------------------------------------------------------------------------------------

GARBAGE = [
    {"q": "\x00"},
    {"q": "鑫" * 500},
    {"q": "%_\\"},
    {"q": "' OR 1=1 --"},
    {"q": ""},
    {"page": "abc"},
    {"page": "99999999999999999999"},
    {"page": "-1"},
    {"status": "nonsense"},
    {"status": "\x00"},
    {"export": "csv"},
    {"export": ["xlsx", "csv"]},
    {"export": "xlsx", "page": "-1", "q": "\x00", "status": "x"},
]


@pytest.mark.parametrize("name", LISTS)
def test_garbage_in_the_query_string_is_never_a_500(name, world, client):
    spec = LISTS[name]
    spec.add(world, "鑫淼")
    client_for(client, world, spec)
    for params in GARBAGE:
        assert client.get(spec.url(world), params).status_code == 200, params


# --- Query counts -------------------------------------------------------------------------------------------


def _queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path, params).status_code == 200
    return len(context)


@pytest.mark.parametrize("export", [False, True], ids=["page", "export"])
@pytest.mark.parametrize("name", LISTS)
def test_the_query_count_does_not_grow_with_the_rows(name, export, world, client):
    spec = LISTS[name]
    params = {"export": "xlsx"} if export else {}
    client_for(client, world, spec)
    spec.add(world, "一")
    few = _queries(client, spec.url(world), params)
    for n in range(4):
        spec.add(world, f"多{n}")
    assert _queries(client, spec.url(world), params) == few


# --- What each list shows of its own ------------------------------------------------------------------------


def test_city_admins_list_every_companys_postings_leading_to_their_public_page(world, client):
    other = factories.JobPostingFactory(employer=employer_b().employers.get(), title="别家岗位", draft=True)
    logged_in(client, world.city_admin)

    response = client.get(reverse("jobs:posting_manage_list"))

    assert {p.pk for p in response.context["page_obj"]} == {world.posting.pk, other.pk}
    html = response.content.decode()
    assert reverse("jobs:posting_detail", args=[other.pk]) in html
    assert reverse("jobs:posting_manage_detail", args=[other.pk]) not in html
    assert reverse("jobs:posting_create") not in html
    rows = list(export_sheet(client, LISTS["postings, city admin"], world, q="别家").values)
    assert rows[1][:2] == ("别家岗位", "别家制造有限公司")
    assert rows[1][7] == "Draft"


def test_an_open_posting_past_its_date_exports_as_expired(world, client):
    factories.JobPostingFactory(employer=world.company, title="过期岗位", lapsed=True)
    logged_in(client, world.employer)
    (row,) = list(export_sheet(client, LISTS["postings, employer"], world, q="过期").values)[1:]
    assert row[7] == "Expired"


def test_the_posting_export_counts_applicants_as_the_page_does(world, client):
    factories.ApplicationFactory(posting=world.posting, worker=_worker("甲"))
    factories.ApplicationFactory(posting=world.posting, worker=_worker("乙"), status=Application.Status.HIRED)
    logged_in(client, world.employer)

    (posting,) = client.get(reverse("jobs:posting_manage_list")).context["page_obj"]
    (row,) = list(export_sheet(client, LISTS["postings, employer"], world).values)[1:]

    assert (posting.applicant_count, posting.new_count) == (2, 1)
    assert (row[8], row[9]) == (2, 1)


EMPLOYER_FILTERS = [
    ({}, ["新注册的"]),
    ({"status": ""}, ["新注册的"]),
    ({"status": "refused"}, ["被退回的"]),
    ({"status": "verified"}, None),  # the world's companies, verified, and 已核验的
    ({"status": "all"}, None),
    ({"status": "bogus"}, ["新注册的"]),
]


@pytest.mark.parametrize(("params", "expected"), EMPLOYER_FILTERS)
def test_the_employer_list_shows_the_queue_or_the_companies_chosen(params, expected, world, client):
    factories.EmployerFactory(name="新注册的")
    factories.EmployerFactory(name="被退回的", rejection_reason="请上传清晰的营业执照。")
    factories.VerifiedEmployerFactory(name="已核验的", verified_by=world.city_admin)
    spec = LISTS["employers, city admin"]
    logged_in(client, world.city_admin)

    shown = page_names(client, spec, world, **params)
    exported = export_names(export_sheet(client, spec, world, **params), "employers, city admin")

    assert exported == shown
    if expected is not None:
        assert shown == expected
    elif params["status"] == "verified":
        assert "已核验的" in shown
        assert not {"新注册的", "被退回的"} & set(shown)
    else:
        assert {"新注册的", "被退回的", "已核验的", world.company.name} <= set(shown)


def test_the_employer_export_says_where_each_company_stands(world, client):
    factories.EmployerFactory(name="新注册的", staff=[factories.EmployerStaffFactory(real_name="钱会计")])
    factories.EmployerFactory(name="被退回的", rejection_reason="请上传清晰的营业执照。")
    factories.VerifiedEmployerFactory(name="已核验的", verified_by=world.city_admin)
    logged_in(client, world.city_admin)

    sheet = export_sheet(client, LISTS["employers, city admin"], world, status="all", q="的")
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert rows["新注册的"][8] == "Waiting for verification"
    assert rows["新注册的"][12].startswith("钱会计 (")
    assert (rows["被退回的"][8], rows["被退回的"][11]) == (
        "Refused, waiting for corrections",
        "请上传清晰的营业执照。",
    )
    assert (rows["已核验的"][8], rows["已核验的"][10]) == ("Verified", world.city_admin.real_name)
    assert rows["已核验的"][9] is not None


def test_the_queue_alone_shows_the_refused_and_the_recently_verified_beside_it(world, client):
    factories.EmployerFactory(name="被退回的", rejection_reason="请上传清晰的营业执照。")
    logged_in(client, world.city_admin)

    queue = client.get(reverse("jobs:employer_queue"))
    searched = client.get(reverse("jobs:employer_queue"), {"q": "被退回"})
    verified = client.get(reverse("jobs:employer_queue"), {"status": "verified"})

    assert [e.name for e in queue.context["refused"]] == ["被退回的"]
    assert [e.name for e in queue.context["recent"]] == [world.company.name]
    for response in (searched, verified):
        assert "refused" not in response.context
        assert "recent" not in response.context
    assert [e.name for e in verified.context["page_obj"]] == [world.company.name]
    html = verified.content.decode()
    assert reverse("jobs:employer_verify", args=[world.company.pk]) not in html


def test_an_applicants_phone_is_exported_in_full_to_its_employer_and_the_id_number_masked(world, client):
    applicant = _worker("张三")
    factories.ApplicationFactory(posting=world.posting, worker=applicant)
    logged_in(client, world.employer)

    (row,) = list(export_sheet(client, LISTS["applicants, employer"], world).values)[1:]

    assert row[:3] == ("张三", applicant.phone, applicant.masked_id_number)
    assert applicant.id_number not in str(row)


def test_apprenticeships_export_no_personal_identifier(world, client):
    apprentice = _worker("李学徒")
    factories.ApprenticeshipFactory(employer=world.company, institution=world.institution, worker=apprentice)
    logged_in(client, world.city_admin)

    rows = list(export_sheet(client, LISTS["apprenticeships, city admin"], world).values)

    assert rows[1][0] == "李学徒"
    assert apprentice.phone not in str(rows)
    assert apprentice.id_number not in str(rows)


def test_partner_regions_export_the_placements_the_page_shows(world, client):
    region = PartnerRegionFactory(name="苏州工业园区", target_placements=8)
    in_jiangsu = factories.JobPostingFactory(province=region.province, county=None, city_name="苏州市")
    factories.ApplicationFactory.create_batch(2, posting=in_jiangsu, status=Application.Status.HIRED)
    DockingFairFactory(partner=region, employers=[world.company])
    logged_in(client, world.official_a)

    (shown,) = client.get(reverse("jobs:partner_list")).context["page_obj"]
    (row,) = list(export_sheet(client, LISTS["partner regions, official"], world).values)[1:]

    assert (shown.placements, shown.percent, shown.fairs_this_year) == (2, 25, 1)
    assert row[:2] == ("苏州工业园区", "江苏省")
    assert row[3:8] == ("Yes", 8, 2, 25, 1)


def test_docking_fairs_export_their_organiser_employers_and_results(world, client):
    DockingFairFactory(
        title="城市对接会", employers=[world.company], postings=[world.posting], attendance=120
    )
    DockingFairFactory(title="县里对接会", county=world.official_a.county, employers=[world.company])
    logged_in(client, world.official_a)

    response = client.get(reverse("jobs:fair_list"))
    sheet = export_sheet(client, LISTS["docking fairs, official"], world)
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert {f.title: f.can_edit for f in response.context["page_obj"]} == {
        "城市对接会": False,
        "县里对接会": True,
    }
    assert rows["城市对接会"][5:10] == ("City bureau", world.company.name, 1, 120, 0)
    assert rows["县里对接会"][5] == world.official_a.county.name
