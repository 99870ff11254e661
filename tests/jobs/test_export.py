"""The Excel export of a posting's applicants (the applicant list's `?export=xlsx`; the earlier address
applicants.xlsx leads there): its content (full phone for the posting's employer, masked ID), a safe download
(attachment, ASCII filename plus the RFC 5987 Chinese one, nosniff, not cached), formula injection
neutralised, the status filter, a fixed number of queries, and who may download it."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobs.models import Application
from laborbrand.spreadsheets import attachment_disposition, safe_cell, workbook_bytes
from tests import factories
from tests.jobs.factories_apps import (
    apply,
    employer_b,
    logged_in,
    move_to,
    url,
    verified_company,
    worker_with_profile,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Full name",
    "Mobile number",
    "National ID number (masked)",
    "Home county/district",
    "Desired occupations",
    "Valid skill certificates",
    "Status",
    "Applied at",
]


@pytest.fixture
def posting(employer):
    return factories.JobPostingFactory(employer=verified_company(employer), title="数控车工（两班倒）")


@pytest.fixture
def employer_client(client, employer):
    return logged_in(client, employer)


def export(client, posting, **filters):
    return client.get(url("applicant_list", posting.pk), {**filters, "export": "xlsx"})


def sheet_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def test_export_lists_the_applicants_with_full_phone_and_masked_id(employer_client, posting, worker):
    application = apply(posting, worker)
    certificate = factories.CertificateFactory(assessment__worker=worker)
    sheet = sheet_of(export(employer_client, posting))
    rows = list(sheet.values)
    assert list(rows[0]) == HEADERS
    assert len(rows) == 2
    name, phone, id_number, county, occupations, certificates, status, applied = rows[1]
    assert (name, phone, id_number) == (worker.real_name, worker.phone, worker.masked_id_number)
    assert id_number != worker.id_number
    assert county == worker.profile.home_county.name
    assert occupations == worker.profile.desired_occupations.get().name
    assert certificates == f"{certificate.occupation.name} {certificate.level}"
    assert status == "Submitted"
    local = timezone.localtime(application.created).replace(tzinfo=None)
    assert abs(applied - local) < datetime.timedelta(seconds=1)
    assert sheet["H2"].number_format == "yyyy-mm-dd hh:mm"


def test_export_is_a_safe_download(employer_client, posting):
    response = export(employer_client, posting)
    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == XLSX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="applicants-{posting.pk}-{today}.xlsx"; ')
    assert disposition.isascii()
    assert (
        f"filename*=UTF-8''{quote('Applicants of 数控车工（两班倒）-' + today + '.xlsx', safe='')}"
        in disposition
    )


def test_export_without_applicants_has_the_headers_only(employer_client, posting):
    assert list(sheet_of(export(employer_client, posting)).values) == [tuple(HEADERS)]


NASTY_NAMES = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def test_formula_like_values_are_written_as_quoted_text(employer_client, posting):
    for n, name in enumerate(NASTY_NAMES):
        apply(posting, factories.WorkerFactory(real_name=name, username=f"nasty{n}"))
    sheet = sheet_of(export(employer_client, posting))
    cells = {cell.value[1:]: cell for cell in sheet["A"][1:]}
    assert set(cells) == {name.replace("\r", "\n") for name in NASTY_NAMES}  # XML reads CR back as LF
    for cell in cells.values():
        assert cell.data_type == "s"
        assert cell.value.startswith("'")


def test_the_status_filter_of_the_list_applies(employer_client, posting):
    apply(posting, worker_with_profile(real_name="张三"))
    move_to(apply(posting, worker_with_profile(real_name="李四")), Status.INTERVIEW)
    sheet = sheet_of(export(employer_client, posting, status="interview"))
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["李四"]


def _count_queries(client, posting) -> int:
    with CaptureQueriesContext(connection) as context:
        assert export(client, posting).status_code == 200
    return len(context)


def test_export_query_count_does_not_grow_with_rows(employer_client, posting):
    for _ in range(2):
        factories.CertificateFactory(assessment__worker=apply(posting, worker_with_profile()).worker)
    few = _count_queries(employer_client, posting)
    for _ in range(6):
        factories.CertificateFactory(assessment__worker=apply(posting, worker_with_profile()).worker)
    assert _count_queries(employer_client, posting) == few


def test_the_earlier_address_leads_to_the_lists_export_with_its_filters(employer_client, posting):
    response = employer_client.get(url("applicant_export", posting.pk), {"status": "interview", "q": "李"})
    assert response.status_code == 302
    assert response.url == f"{url('applicant_list', posting.pk)}?status=interview&q=%E6%9D%8E&export=xlsx"


def _both_addresses(posting):
    return [url("applicant_export", posting.pk), f"{url('applicant_list', posting.pk)}?export=xlsx"]


def test_employer_b_gets_404_on_employer_as_export(client, posting, worker):
    apply(posting, worker)
    logged_in(client, employer_b())
    for path in _both_addresses(posting):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("persona", ["worker", "official_a", "institution_staff", "city_admin"])
def test_only_employers_export(client, request, posting, persona):
    logged_in(client, request.getfixturevalue(persona))
    for path in _both_addresses(posting):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_sign_in_for_the_export(client, posting):
    for path in _both_addresses(posting):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- The builder on its own ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+86 139", "'+86 139"),
        ("-", "'-"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("张三", "张三"),
        ("a=b", "a=b"),
        ("", ""),
        (5, 5),
        (None, None),
        ("bad\x00\x07char", "badchar"),
    ],
)
def test_safe_cell(value, written):
    assert safe_cell(value) == written


def test_workbook_never_holds_a_formula():
    content = workbook_bytes(sheet_title="x", headers=["=A1", "b"], rows=[["=SUM(1)", "@cmd"], [1, "ok"]])
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert sheet["A2"].value == "'=SUM(1)"


def test_attachment_disposition_keeps_the_header_ascii_and_safe():
    header = attachment_disposition("a.xlsx", '报名"人员/名单\r\n.xlsx')
    assert header.isascii()
    assert "\r" not in header and "\n" not in header
    assert header.startswith("attachment; filename=\"a.xlsx\"; filename*=UTF-8''")
    assert "%2F" not in header and "%22" not in header
