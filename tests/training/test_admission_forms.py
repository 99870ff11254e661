"""Form validation of the admission workflow: attachments judged by content and size, the application
figures, the review decision and its date, the filter form, and partner agreements (only qualified
institutions, only the county's own brands, sensible dates, a real PDF)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from tests import factories
from training.forms.admission import ApplicationForm, AttachmentForm, ReviewFilterForm, ReviewForm
from training.forms.agreements import AgreementForm
from training.models import ApplicationReview, Institution

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TEN_MB = 10 * 1024 * 1024
Decision = ApplicationReview.Decision
Verdict = ApplicationReview.Verdict


def image_bytes(fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


# Files that are not what their names say.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 64
    + b"This program cannot be run"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 48
TEXT = "这是一个文本文件，不是图片。\n".encode()
HTML = b"<html><script>alert(1)</script></html>"


def upload(content: bytes, name="evidence.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def attachment_form(file, criterion="faculty"):
    return AttachmentForm({"criterion": criterion}, {"file": file})


# --- AttachmentForm -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "mime"),
    [
        (factories.PDF_BYTES, "师资名册.pdf", "application/pdf"),
        (image_bytes("JPEG"), "实训车间.jpg", "image/jpeg"),
        (image_bytes("PNG"), "设备.png", "image/png"),
        # Judged by content: a real PDF with an odd name is still a PDF.
        (factories.PDF_BYTES, "scan.PDF.bin", "application/pdf"),
        (image_bytes("PNG"), "no-extension", "image/png"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_by_their_content(content, name, mime):
    form = attachment_form(upload(content, name, content_type="application/octet-stream"))

    assert form.is_valid(), form.errors
    assert form.content_type == mime


BAD_FILES = {
    "renamed Windows executable": (EXE, "evidence.pdf", "file_type"),
    "renamed Linux executable": (ELF, "evidence.pdf", "file_type"),
    "text named .png": (TEXT, "photo.png", "file_type"),
    "HTML named .jpg": (HTML, "photo.jpg", "file_type"),
    "a GIF": (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        "a.gif",
        "file_type",
    ),
    "empty file": (b"", "evidence.pdf", "empty"),
}


@pytest.mark.parametrize(("content", "name", "code"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_files_are_refused_with_a_clear_error(content, name, code):
    form = attachment_form(upload(content, name))

    assert not form.is_valid()
    assert form.has_error("file", code), form.errors.as_data()


def test_the_type_error_names_the_allowed_kinds():
    with translation.override("en"):
        form = attachment_form(upload(EXE))

        assert form.errors["file"] == ["This file is not a PDF / JPEG / PNG file."]


def test_a_file_over_10_mb_is_refused():
    big = upload(b"%PDF-1.4\n" + b"0" * (TEN_MB + 1 - 9))
    assert big.size == TEN_MB + 1

    with translation.override("en"):
        form = attachment_form(big)

        assert not form.is_valid()
        assert form.has_error("file", "too_large")
        assert form.errors["file"] == ["The file is 10.0\xa0MB; at most 10.0\xa0MB is allowed."]


def test_a_file_of_exactly_10_mb_is_accepted():
    form = attachment_form(upload(b"%PDF-1.4\n" + b"0" * (TEN_MB - 9)))

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("criterion", ["", "salary", "<b>faculty</b>"])
def test_the_criterion_must_be_one_of_the_three_or_other(criterion):
    form = attachment_form(upload(factories.PDF_BYTES), criterion=criterion)

    assert not form.is_valid()
    assert "criterion" in form.errors


def test_a_missing_file_is_refused():
    form = AttachmentForm({"criterion": "faculty"}, {})

    assert not form.is_valid()
    assert form.has_error("file", "required")


# --- ApplicationForm ------------------------------------------------------------------------------------


def application_data(**overrides):
    data = {
        "teacher_count": "40",
        "double_qualified_share": "60",
        "senior_title_count": "8",
        "training_space_m2": "3200",
        "equipment": "数控车床 12 台\n工业机器人 4 台",
        "partner_employers": "安徽合力股份有限公司",
        "placement_rate": "92",
        "occupations": [o.pk for o in factories.make_occupations(2)],
    }
    data.update(overrides)
    return data


def test_application_form_accepts_good_input():
    form = ApplicationForm(application_data())

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("teacher_count", "", "required"),
        ("teacher_count", "-1", "min_value"),
        ("teacher_count", "abc", "invalid"),
        ("double_qualified_share", "101", "max_value"),
        ("double_qualified_share", "-5", "min_value"),
        ("placement_rate", "100.5", "invalid"),
        ("placement_rate", "150", "max_value"),
        ("training_space_m2", "1000001", "max_value"),
        ("equipment", "", "required"),
        ("equipment", "设" * 3001, "max_length"),
        ("partner_employers", "", "required"),
        ("occupations", [], "required"),
        ("occupations", ["99999"], "invalid_choice"),
        ("occupations", ["abc"], "invalid_pk_value"),
    ],
)
def test_application_form_bad_input(field, value, code):
    form = ApplicationForm(application_data(**{field: value}))

    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()


def test_senior_titles_cannot_outnumber_the_teachers():
    with translation.override("en"):
        form = ApplicationForm(application_data(teacher_count="5", senior_title_count="6"))

        assert not form.is_valid()
        assert form.has_error("senior_title_count", "more_than_teachers")
        assert form.errors["senior_title_count"] == ["Cannot exceed the number of teachers."]


def test_boundary_values_are_accepted():
    form = ApplicationForm(
        application_data(
            teacher_count="5", senior_title_count="5", double_qualified_share="100", placement_rate="0"
        )
    )

    assert form.is_valid(), form.errors


# --- ReviewForm -----------------------------------------------------------------------------------------


def review_data(**overrides):
    data = {
        "faculty_verdict": Verdict.MEETS,
        "faculty_comment": "",
        "facilities_verdict": Verdict.PARTLY,
        "facilities_comment": "实训场地略小",
        "employment_verdict": Verdict.MEETS,
        "employment_comment": "",
        "decision": Decision.APPROVE,
        "reason": "符合准入条件",
        "qualified_until": (TODAY + datetime.timedelta(days=365)).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_review_form_accepts_an_approval_with_a_future_date():
    form = ReviewForm(review_data())

    assert form.is_valid(), form.errors


@pytest.mark.parametrize("decision", [Decision.REJECT, Decision.REQUEST_CHANGES])
def test_rejecting_or_requesting_changes_needs_no_date(decision):
    form = ReviewForm(review_data(decision=decision, qualified_until=""))

    assert form.is_valid(), form.errors


def test_approving_without_a_date_is_refused():
    with translation.override("en"):
        form = ReviewForm(review_data(qualified_until=""))

        assert not form.is_valid()
        assert form.has_error("qualified_until", "required")
        assert form.errors["qualified_until"] == ["Give the date the admission is valid until."]


@pytest.mark.parametrize("days", [0, -1, -400], ids=["today", "yesterday", "last year"])
def test_approving_until_a_past_date_is_refused(days):
    with translation.override("en"):
        form = ReviewForm(review_data(qualified_until=(TODAY + datetime.timedelta(days=days)).isoformat()))

        assert not form.is_valid()
        assert form.has_error("qualified_until", "past")
        assert form.errors["qualified_until"] == ["The date must be in the future."]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("faculty_verdict", None, "required"),
        ("facilities_verdict", None, "required"),
        ("employment_verdict", None, "required"),
        ("faculty_verdict", "excellent", "invalid_choice"),
        ("decision", None, "required"),
        ("decision", "approve_all", "invalid_choice"),
        ("reason", "", "required"),
        ("reason", "理" * 4001, "max_length"),
        ("faculty_comment", "评" * 2001, "max_length"),
        ("qualified_until", "2026-13-45", "invalid"),
        ("qualified_until", "明年", "invalid"),
    ],
)
def test_review_form_bad_input(field, value, code):
    form = ReviewForm(review_data(**{field: value}))

    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()


def test_missing_verdicts_are_each_reported():
    form = ReviewForm(review_data(faculty_verdict=None, facilities_verdict=None, employment_verdict=None))

    assert not form.is_valid()
    assert {"faculty_verdict", "facilities_verdict", "employment_verdict"} <= set(form.errors)


# --- ReviewFilterForm -----------------------------------------------------------------------------------


def test_filter_form_accepts_nothing_and_everything(official_a):
    assert ReviewFilterForm({}).is_valid()
    form = ReviewFilterForm(
        {
            "status": "submitted",
            "county": official_a.county.pk,
            "kind": Institution.Kind.PRIVATE,
            "submitted_from": "2026-01-01",
            "submitted_to": "2026-12-31",
        }
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "nonsense"),
        ("county", "99999"),
        ("county", "abc"),
        ("kind", "university"),
        ("submitted_from", "yesterday"),
    ],
)
def test_filter_form_refuses_unknown_values(field, value):
    form = ReviewFilterForm({field: value})

    assert not form.is_valid()
    assert field in form.errors


# --- AgreementForm --------------------------------------------------------------------------------------


@pytest.fixture
def qualified():
    return factories.QualifiedInstitutionFactory()


@pytest.fixture
def own_brand(official_a):
    return factories.CultivatingBrandFactory(county=official_a.county, created_by=official_a)


def agreement_form(county, institution, brands, document=None, **overrides):
    data = {
        "institution": institution.pk,
        "brands": [b.pk for b in brands],
        "signed_on": (TODAY - datetime.timedelta(days=10)).isoformat(),
        "filed_on": (TODAY - datetime.timedelta(days=5)).isoformat(),
    }
    data.update(overrides)
    files = {"document": document if document is not None else upload(factories.PDF_BYTES, "协议.pdf")}
    return AgreementForm(data, files, county=county)


def test_agreement_form_accepts_good_input(official_a, qualified, own_brand):
    form = agreement_form(official_a.county, qualified, [own_brand])

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    "traits",
    [{}, {"suspended": True}, {"expired": True}],
    ids=["registered", "suspended", "expired"],
)
def test_only_qualified_institutions_are_selectable(official_a, own_brand, traits):
    institution = factories.InstitutionFactory(**traits)

    form = agreement_form(official_a.county, institution, [own_brand])

    assert institution not in form.fields["institution"].queryset
    assert not form.is_valid()
    assert form.has_error("institution", "invalid_choice")


def test_an_institution_whose_date_passed_is_not_selectable_before_the_nightly_run(official_a, own_brand):
    institution = factories.QualifiedInstitutionFactory(qualified_until=TODAY - datetime.timedelta(days=1))

    form = agreement_form(official_a.county, institution, [own_brand])

    assert not form.is_valid()
    assert form.has_error("institution", "invalid_choice")


def test_brands_of_another_county_are_not_selectable(official_a, official_b, qualified, own_brand):
    other = factories.CultivatingBrandFactory(county=official_b.county, created_by=official_b)

    form = agreement_form(official_a.county, qualified, [own_brand, other])

    assert other not in form.fields["brands"].queryset
    assert not form.is_valid()
    assert form.has_error("brands", "invalid_choice")


@pytest.mark.parametrize("status", ["rejected", "retired"])
def test_rejected_and_retired_brands_are_not_selectable(official_a, qualified, status):
    brand = factories.BrandFactory(county=official_a.county, created_by=official_a, status=status)

    form = agreement_form(official_a.county, qualified, [brand])

    assert not form.is_valid()
    assert form.has_error("brands", "invalid_choice")


def test_at_least_one_brand_is_needed(official_a, qualified):
    form = agreement_form(official_a.county, qualified, [])

    assert not form.is_valid()
    assert form.has_error("brands", "required")


def test_signed_in_the_future_is_refused(official_a, qualified, own_brand):
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    with translation.override("en"):
        form = agreement_form(
            official_a.county, qualified, [own_brand], signed_on=tomorrow, filed_on=tomorrow
        )

        assert not form.is_valid()
        assert form.has_error("signed_on", "future")
        assert form.has_error("filed_on", "future")
        assert form.errors["signed_on"] == ["The date cannot be in the future."]


def test_filed_before_signed_is_refused(official_a, qualified, own_brand):
    with translation.override("en"):
        form = agreement_form(
            official_a.county,
            qualified,
            [own_brand],
            signed_on=(TODAY - datetime.timedelta(days=2)).isoformat(),
            filed_on=(TODAY - datetime.timedelta(days=3)).isoformat(),
        )

        assert not form.is_valid()
        assert form.has_error("filed_on", "before_signing")
        assert form.errors["filed_on"] == ["An agreement is filed on or after the day it is signed."]


def test_filed_on_the_day_it_is_signed_is_fine(official_a, qualified, own_brand):
    form = agreement_form(
        official_a.county, qualified, [own_brand], signed_on=TODAY.isoformat(), filed_on=TODAY.isoformat()
    )

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (image_bytes("PNG"), "协议.png", "file_type"),
        (image_bytes("JPEG"), "协议.pdf", "file_type"),
        (EXE, "协议.pdf", "file_type"),
        (ELF, "协议.pdf", "file_type"),
        (TEXT, "协议.pdf", "file_type"),
        (b"", "协议.pdf", "empty"),
        (b"%PDF-1.4\n" + b"0" * (TEN_MB + 1 - 9), "协议.pdf", "too_large"),
    ],
    ids=["png", "jpeg named pdf", "exe", "elf", "text", "empty", "over 10 MB"],
)
def test_the_document_must_be_a_pdf_of_at_most_10_mb(official_a, qualified, own_brand, content, name, code):
    form = agreement_form(official_a.county, qualified, [own_brand], document=upload(content, name))

    assert not form.is_valid()
    assert form.has_error("document", code), form.errors.as_data()


def test_the_document_is_required(official_a, qualified, own_brand):
    form = AgreementForm(
        {
            "institution": qualified.pk,
            "brands": [own_brand.pk],
            "signed_on": TODAY.isoformat(),
            "filed_on": TODAY.isoformat(),
        },
        {},
        county=official_a.county,
    )

    assert not form.is_valid()
    assert form.has_error("document", "required")


@pytest.mark.parametrize(
    ("field", "value"), [("signed_on", "2026-02-30"), ("filed_on", "not a date"), ("signed_on", "")]
)
def test_bad_dates_are_refused(official_a, qualified, own_brand, field, value):
    form = agreement_form(official_a.county, qualified, [own_brand], **{field: value})

    assert not form.is_valid()
    assert field in form.errors
