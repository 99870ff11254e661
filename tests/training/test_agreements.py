"""Partner agreements (签约备案): a county official records an agreement of their county and its brands with
a qualified institution; filed after the year's deadline it is late; city admins see, per county, the
agreements on time, late and missing."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from laborbrand.exceptions import InvalidTransition
from laborbrand.reference.models import County
from tests import factories
from training.models import Institution, PartnerAgreement, filing_deadline
from training.services.agreements import agreement_record

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1  # a whole past year: every date in it is allowed
LIST = reverse("training:agreement_list")
CREATE = reverse("training:agreement_create")
OVERVIEW = reverse("training:agreement_overview")


@pytest.fixture
def qualified():
    return factories.QualifiedInstitutionFactory(name="金寨县技工学校")


@pytest.fixture
def own_brand(official_a):
    return factories.CultivatingBrandFactory(
        name="金寨红嫂家政", county=official_a.county, created_by=official_a
    )


def record(actor, institution, brands, signed=datetime.date(YEAR, 3, 1), filed=datetime.date(YEAR, 3, 5)):
    return agreement_record(
        actor=actor,
        institution=institution,
        brands=brands,
        signed_on=signed,
        filed_on=filed,
        document=factories.pdf_file("协议.pdf"),
    )


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


# --- Deadline and lateness ------------------------------------------------------------------------------


def test_the_default_deadline_is_30_june(settings):
    assert settings.AGREEMENT_FILING_DEADLINE == (6, 30)
    assert filing_deadline(2026) == datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("filed", "late"),
    [
        (datetime.date(YEAR, 3, 1), False),
        (datetime.date(YEAR, 6, 30), False),
        (datetime.date(YEAR, 7, 1), True),
        (datetime.date(YEAR, 12, 31), True),
        (datetime.date(YEAR + 1, 1, 15), True),
    ],
)
def test_an_agreement_filed_after_the_deadline_of_its_signing_year_is_late(filed, late):
    agreement = factories.PartnerAgreementFactory(signed_on=datetime.date(YEAR, 3, 1), filed_on=filed)

    assert agreement.deadline == datetime.date(YEAR, 6, 30)
    assert agreement.is_late is late


def test_signed_after_the_deadline_is_late_even_when_filed_the_same_day():
    agreement = factories.PartnerAgreementFactory(
        signed_on=datetime.date(YEAR, 8, 1), filed_on=datetime.date(YEAR, 8, 1)
    )

    assert agreement.is_late


def test_the_deadline_is_a_setting(settings):
    settings.AGREEMENT_FILING_DEADLINE = (3, 31)
    agreement = factories.PartnerAgreementFactory(
        signed_on=datetime.date(YEAR, 3, 1), filed_on=datetime.date(YEAR, 4, 1)
    )

    assert agreement.deadline == datetime.date(YEAR, 3, 31)
    assert agreement.is_late


# --- Recording (service) --------------------------------------------------------------------------------


def test_an_official_records_an_agreement_for_their_county(official_a, qualified, own_brand):
    agreement = record(official_a, qualified, [own_brand])

    agreement.refresh_from_db()
    assert agreement.county == official_a.county
    assert agreement.institution == qualified
    assert list(agreement.brands.all()) == [own_brand]
    assert agreement.created_by == official_a
    assert (agreement.signed_on, agreement.filed_on) == (datetime.date(YEAR, 3, 1), datetime.date(YEAR, 3, 5))
    assert agreement.document.name.startswith(f"training/agreements/{official_a.county_id}/")
    assert agreement.document.read() == factories.PDF_BYTES
    assert agreement.history.count() >= 1


@pytest.mark.parametrize(
    "traits", [{}, {"suspended": True}, {"expired": True}], ids=["registered", "suspended", "expired"]
)
def test_only_a_qualified_institution_can_be_party(official_a, own_brand, traits):
    institution = factories.InstitutionFactory(**traits)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        record(official_a, institution, [own_brand])

    assert str(excinfo.value) == "Only a qualified institution can be party to a partner agreement."
    assert not PartnerAgreement.objects.exists()


def test_an_institution_whose_date_passed_cannot_be_party(official_a, own_brand):
    institution = factories.QualifiedInstitutionFactory(qualified_until=TODAY - datetime.timedelta(days=1))

    with pytest.raises(InvalidTransition):
        record(official_a, institution, [own_brand])

    assert not PartnerAgreement.objects.exists()


def test_another_countys_brand_is_refused(official_a, official_b, qualified, own_brand):
    other = factories.CultivatingBrandFactory(county=official_b.county, created_by=official_b)

    with pytest.raises(PermissionDenied):
        record(official_a, qualified, [own_brand, other])

    assert not PartnerAgreement.objects.exists()


@pytest.mark.parametrize("who", ["city_admin", "institution_staff", "employer", "worker"])
def test_only_county_officials_record_agreements(request, qualified, own_brand, who):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(who), qualified, [own_brand])

    assert not PartnerAgreement.objects.exists()


# --- Recording (page) -----------------------------------------------------------------------------------


@pytest.fixture
def client_a(client, official_a):
    client.force_login(official_a)
    return client


def agreement_data(institution, brands, document=None, **overrides):
    data = {
        "institution": institution.pk,
        "brands": [b.pk for b in brands],
        "signed_on": datetime.date(YEAR, 3, 1).isoformat(),
        "filed_on": datetime.date(YEAR, 3, 5).isoformat(),
        "document": document or SimpleUploadedFile("协议.pdf", factories.PDF_BYTES, "application/pdf"),
    }
    data.update(overrides)
    return data


def test_the_form_offers_only_qualified_institutions_and_own_brands(
    client_a, official_b, qualified, own_brand
):
    registered = factories.InstitutionFactory()
    other_brand = factories.CultivatingBrandFactory(county=official_b.county, created_by=official_b)

    response = client_a.get(CREATE)

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["institution"].queryset) == [qualified]
    assert registered not in form.fields["institution"].queryset
    assert list(form.fields["brands"].queryset) == [own_brand]
    content = response.content.decode()
    assert qualified.name in content
    assert other_brand.name not in content


def test_recording_an_agreement_on_time(client_a, official_a, qualified, own_brand):
    with translation.override("en"):
        response = client_a.post(CREATE, agreement_data(qualified, [own_brand]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response.url == LIST
    agreement = PartnerAgreement.objects.get()
    assert agreement.county == official_a.county
    assert not agreement.is_late
    assert messages_of(response)[-1][0] == "success"


def test_recording_a_late_agreement_warns_it_is_late(client_a, qualified, own_brand):
    response = client_a.post(
        CREATE,
        agreement_data(
            qualified,
            [own_brand],
            signed_on=datetime.date(YEAR, 5, 1).isoformat(),
            filed_on=datetime.date(YEAR, 7, 15).isoformat(),
        ),
    )

    assert response.status_code == 302
    agreement = PartnerAgreement.objects.get()
    assert agreement.is_late
    level, text = messages_of(response)[-1]
    assert level == "warning"
    assert datetime.date(YEAR, 6, 30).isoformat() in text


BAD_AGREEMENTS = {
    "signed in the future": ({"signed_on": (TODAY + datetime.timedelta(days=3)).isoformat()}, "signed_on"),
    "filed before signed": (
        {
            "signed_on": datetime.date(YEAR, 3, 5).isoformat(),
            "filed_on": datetime.date(YEAR, 3, 1).isoformat(),
        },
        "filed_on",
    ),
    "not a date": ({"signed_on": "2025-02-30"}, "signed_on"),
    "no brands": ({"brands": []}, "brands"),
    "unknown institution": ({"institution": "987654"}, "institution"),
    "an image as the document": (
        {"document": SimpleUploadedFile("协议.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "application/pdf")},
        "document",
    ),
    "an executable as the document": (
        {"document": SimpleUploadedFile("协议.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf")},
        "document",
    ),
    "an empty document": ({"document": SimpleUploadedFile("协议.pdf", b"", "application/pdf")}, "document"),
}


@pytest.mark.parametrize(("overrides", "field"), BAD_AGREEMENTS.values(), ids=BAD_AGREEMENTS.keys())
def test_bad_input_shows_the_form_again_and_saves_nothing(client_a, qualified, own_brand, overrides, field):
    response = client_a.post(CREATE, {**agreement_data(qualified, [own_brand]), **overrides})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not PartnerAgreement.objects.exists()


@pytest.mark.parametrize(
    "traits", [{}, {"suspended": True}, {"expired": True}], ids=["registered", "suspended", "expired"]
)
def test_a_non_qualified_institution_cannot_be_chosen(client_a, own_brand, qualified, traits):
    institution = factories.InstitutionFactory(**traits)

    response = client_a.post(CREATE, agreement_data(institution, [own_brand]))

    assert response.status_code == 200
    assert response.context["form"].has_error("institution", "invalid_choice")
    assert not PartnerAgreement.objects.exists()


def test_another_countys_brand_cannot_be_chosen(client_a, official_b, qualified, own_brand):
    other = factories.CultivatingBrandFactory(county=official_b.county, created_by=official_b)

    response = client_a.post(CREATE, agreement_data(qualified, [own_brand, other]))

    assert response.status_code == 200
    assert response.context["form"].has_error("brands", "invalid_choice")
    assert not PartnerAgreement.objects.exists()


def test_an_institution_suspended_while_the_form_was_open_is_refused_with_a_message(
    client_a, qualified, own_brand, monkeypatch
):
    """The form saw it qualified; the service re-checks and refuses, as a message rather than a 500."""
    original = agreement_record

    def suspend_first(**kwargs):
        Institution.objects.filter(pk=qualified.pk).update(status=Institution.Status.SUSPENDED)
        kwargs["institution"].refresh_from_db()
        return original(**kwargs)

    monkeypatch.setattr("training.services.agreements.agreement_record", suspend_first)

    response = client_a.post(CREATE, agreement_data(qualified, [own_brand]))

    assert response.status_code == 200
    assert messages_of(response)[-1][0] == "error"
    assert not PartnerAgreement.objects.exists()


# --- The list -------------------------------------------------------------------------------------------


def test_an_official_lists_only_their_countys_agreements(client_a, official_a, official_b):
    own = factories.PartnerAgreementFactory(county=official_a.county, institution__name="金寨职业学院")
    other = factories.PartnerAgreementFactory(county=official_b.county, institution__name="霍山职业学院")

    response = client_a.get(LIST)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [own]
    content = response.content.decode()
    assert "金寨职业学院" in content
    assert "霍山职业学院" not in content
    assert reverse("training:agreement_document", args=[own.pk]) in content
    assert reverse("training:agreement_document", args=[other.pk]) not in content


def test_institution_staff_list_the_agreements_they_are_party_to(
    client, institution_staff, official_a, official_b
):
    institution = institution_staff.institutions.get()
    Institution.objects.filter(pk=institution.pk).update(
        status=Institution.Status.QUALIFIED, qualified_until=TODAY + datetime.timedelta(days=100)
    )
    ours = factories.PartnerAgreementFactory(county=official_b.county, institution=institution)
    factories.PartnerAgreementFactory(county=official_a.county)
    client.force_login(institution_staff)

    response = client.get(LIST)

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [ours]


def query_count(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context)


def test_list_query_count_does_not_grow_with_agreements(client_a, official_a):
    brands = [factories.CultivatingBrandFactory(county=official_a.county) for _ in range(2)]
    factories.PartnerAgreementFactory(county=official_a.county, brands=brands)
    few = query_count(client_a, LIST)

    for _ in range(6):
        factories.PartnerAgreementFactory(county=official_a.county, brands=brands)

    assert query_count(client_a, LIST) == few


@pytest.mark.parametrize("page", ["abc", "-1", "99999", "1.5"])
def test_a_bad_page_number_still_shows_a_page(client_a, page):
    assert client_a.get(LIST, {"page": page}).status_code == 200


# --- The city's overview --------------------------------------------------------------------------------


@pytest.fixture
def client_admin(client, city_admin):
    client.force_login(city_admin)
    return client


def row_for(response, county):
    return next(row for row in response.context["rows"] if row["county"] == county)


def test_overview_shows_per_county_on_time_late_and_missing(client_admin, official_a, official_b):
    on_time = factories.PartnerAgreementFactory(
        county=official_a.county, signed_on=datetime.date(YEAR, 2, 1), filed_on=datetime.date(YEAR, 6, 30)
    )
    late = factories.PartnerAgreementFactory(
        county=official_a.county, signed_on=datetime.date(YEAR, 2, 1), filed_on=datetime.date(YEAR, 7, 1)
    )
    only_late = factories.PartnerAgreementFactory(
        county=official_b.county, signed_on=datetime.date(YEAR, 5, 1), filed_on=datetime.date(YEAR, 9, 1)
    )
    factories.PartnerAgreementFactory(  # another year's agreement does not count
        county=official_b.county,
        signed_on=datetime.date(YEAR - 1, 3, 1),
        filed_on=datetime.date(YEAR - 1, 3, 2),
    )

    response = client_admin.get(OVERVIEW, {"year": YEAR})

    assert response.status_code == 200
    assert response.context["year"] == YEAR
    assert response.context["deadline"] == datetime.date(YEAR, 6, 30)
    assert response.context["deadline_passed"] is True
    a, b = row_for(response, official_a.county), row_for(response, official_b.county)
    assert (a["on_time"], a["late"], a["missing"]) == (1, 1, False)
    assert set(a["agreements"]) == {on_time, late}
    assert (b["on_time"], b["late"], b["missing"]) == (0, 1, False)
    assert b["agreements"] == [only_late]
    others = [
        row for row in response.context["rows"] if row["county"] not in (official_a.county, official_b.county)
    ]
    assert others
    assert all(row["missing"] and row["on_time"] == row["late"] == 0 for row in others)
    assert len(response.context["rows"]) == County.objects.count()


def test_overview_defaults_to_this_year(client_admin, official_a):
    factories.PartnerAgreementFactory(county=official_a.county, signed_on=TODAY, filed_on=TODAY)

    response = client_admin.get(OVERVIEW)

    assert response.status_code == 200
    assert response.context["year"] == TODAY.year
    assert row_for(response, official_a.county)["missing"] is False


@pytest.mark.parametrize("year", ["abc", "", "0", "-5", "99999", "2026.5", "1e3", "２０２５"])
def test_a_bad_year_falls_back_to_this_year(client_admin, year):
    response = client_admin.get(OVERVIEW, {"year": year})

    assert response.status_code == 200
    assert response.context["year"] in (TODAY.year, 2025)  # full-width digits are digits to int()
    assert response.context["deadline"] == filing_deadline(response.context["year"])


def test_overview_names_the_missing_counties(client_admin, official_a, official_b):
    factories.PartnerAgreementFactory(
        county=official_a.county, signed_on=datetime.date(YEAR, 2, 1), filed_on=datetime.date(YEAR, 2, 2)
    )

    response = client_admin.get(OVERVIEW, {"year": YEAR})

    assert response.status_code == 200
    assert row_for(response, official_b.county)["missing"] is True
    assert official_b.county.name in response.content.decode()


def test_overview_query_count_does_not_grow_with_agreements(client_admin, official_a, official_b):
    brand = factories.CultivatingBrandFactory(county=official_a.county)
    factories.PartnerAgreementFactory(
        county=official_a.county,
        signed_on=datetime.date(YEAR, 2, 1),
        filed_on=datetime.date(YEAR, 2, 2),
        brands=[brand],
    )
    few = query_count(client_admin, OVERVIEW, {"year": YEAR})

    for county in (official_a.county, official_b.county):
        for _ in range(3):
            factories.PartnerAgreementFactory(
                county=county,
                signed_on=datetime.date(YEAR, 2, 1),
                filed_on=datetime.date(YEAR, 8, 2),
                brands=[brand],
            )

    assert query_count(client_admin, OVERVIEW, {"year": YEAR}) == few
