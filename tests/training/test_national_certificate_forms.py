"""The forms that guard national certificates: recording one (every field's bad input, the number already
recorded, the name and ID number against the portal's records, a second valid certificate), the certificate
list's filters, and the public check's number."""

import datetime

import pytest
from django.utils.translation import override

from tests import factories
from tests.factories.training import NationalCertificateFactory
from tests.training.national_certificate_helpers import BODY, ID_NUMBER, LAST_YEAR, NAME, NUMBER, TODAY
from training.forms.certificates import (
    CertificateFilterForm,
    CertificateVerifyForm,
    NationalCertificateForm,
    national_certificate_fields,
)
from training.models import Certificate

pytestmark = pytest.mark.django_db

MISTYPED_ID_NUMBER = ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2")


def data(**overrides) -> dict:
    values = {
        "number": NUMBER,
        "real_name": NAME,
        "id_number": ID_NUMBER,
        "occupation": factories.make_occupations(1)[0].pk,
        "level": factories.make_level(3).pk,
        "issued_on": LAST_YEAR.isoformat(),
        "evaluation_body": BODY,
    }
    values.update(overrides)
    return values


def test_a_certificate_of_someone_unknown_is_valid_and_gives_the_services_facts():
    form = NationalCertificateForm(data(number=" s0000-3400-0001-2323-00012 ", real_name=" 王  秀兰 "))

    assert form.is_valid(), form.errors
    assert form.worker is None
    fields = national_certificate_fields(form.cleaned_data)
    assert fields["number"] == NUMBER
    assert fields["real_name"] == "王 秀兰"
    assert (fields["id_number"], fields["replaces"], fields["evaluation_body"]) == (ID_NUMBER, None, BODY)


def test_a_registered_worker_is_found_by_name_and_id_number(worker):
    form = NationalCertificateForm(data(real_name=worker.real_name, id_number=worker.id_number))
    assert form.is_valid(), form.errors
    assert form.worker == worker


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"number": ""}, "number", "required"),
        ({"number": "LA202600000121"}, "number", "portal_number"),
        ({"number": "la-2026-0000012-1"}, "number", "portal_number"),
        ({"number": "S0000/3400"}, "number", "number_characters"),
        ({"number": "S1"}, "number", "number_length"),
        ({"number": "S" * 61}, "number", "max_length"),
        ({"real_name": ""}, "real_name", "required"),
        ({"real_name": "   "}, "real_name", "required"),
        ({"real_name": "王" * 51}, "real_name", "max_length"),
        ({"id_number": ""}, "id_number", "required"),
        ({"id_number": "3415241988"}, "id_number", "id_number_length"),
        (
            {"id_number": ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2")},
            "id_number",
            "id_number_check",
        ),
        ({"occupation": ""}, "occupation", "required"),
        ({"occupation": "999999"}, "occupation", "invalid_choice"),
        ({"occupation": "99999999999999999999999"}, "occupation", "invalid_choice"),
        ({"occupation": "车工"}, "occupation", "invalid_choice"),
        ({"level": ""}, "level", "required"),
        ({"level": "999999"}, "level", "invalid_choice"),
        ({"issued_on": ""}, "issued_on", "required"),
        ({"issued_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "issued_on", "future"),
        ({"issued_on": "1999-12-31"}, "issued_on", "too_early"),
        ({"issued_on": "2024-02-30"}, "issued_on", "invalid"),
        ({"issued_on": "99999-01-01"}, "issued_on", "invalid"),
        ({"evaluation_body": ""}, "evaluation_body", "required"),
        ({"evaluation_body": "   "}, "evaluation_body", "required"),
        ({"evaluation_body": "中" * 101}, "evaluation_body", "max_length"),
    ],
)
def test_bad_input_gives_a_field_error(overrides, field, code):
    form = NationalCertificateForm(data(**overrides))
    assert not form.is_valid()
    assert form.has_error(field, code), form.errors.as_data()


def test_a_number_recorded_already_is_a_form_error():
    NationalCertificateFactory(number=NUMBER)
    with override("en"):
        form = NationalCertificateForm(data(number="s000034000001232300012"))
        assert not form.is_valid()
        assert form.has_error("number", "number_taken")
        assert f"Certificate number {NUMBER} is already recorded" in str(form.errors["number"])


def test_a_name_that_does_not_match_the_id_number_is_a_form_error(worker):
    form = NationalCertificateForm(data(real_name="李四", id_number=worker.id_number))
    assert not form.is_valid()
    assert form.has_error("real_name", "name_mismatch")


def test_a_staff_accounts_id_number_is_a_form_error(official_a):
    official_a.id_number = ID_NUMBER
    official_a.save()
    form = NationalCertificateForm(data())
    assert not form.is_valid()
    assert form.has_error("id_number", "id_number_staff")


def test_a_second_valid_certificate_for_the_same_qualification_is_a_form_error(worker):
    held = NationalCertificateFactory(worker=worker, institution=None, level=factories.make_level(3))
    form = NationalCertificateForm(
        data(real_name=worker.real_name, id_number=worker.id_number, occupation=held.occupation.pk)
    )
    assert not form.is_valid()
    assert form.has_error("__all__", "already_held")


def test_the_institution_is_offered_as_the_evaluation_body(qualified_institution_a):
    form = NationalCertificateForm(institution=qualified_institution_a)
    assert form.fields["evaluation_body"].initial == qualified_institution_a.name


def test_the_institutions_own_portal_certificate_for_the_qualification_is_replaced(
    qualified_institution_a, worker
):
    portal = factories.CertificateFactory(
        assessment__institution=qualified_institution_a, assessment__worker=worker
    )
    form = NationalCertificateForm(
        data(
            real_name=worker.real_name,
            id_number=worker.id_number,
            occupation=portal.occupation.pk,
            level=portal.level.pk,
        ),
        institution=qualified_institution_a,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["replaces"] == portal


def test_another_institutions_portal_certificate_is_not_replaced_but_refused(qualified_institution_a, worker):
    portal = factories.CertificateFactory(assessment__worker=worker)  # issued by another institution
    form = NationalCertificateForm(
        data(
            real_name=worker.real_name,
            id_number=worker.id_number,
            occupation=portal.occupation.pk,
            level=portal.level.pk,
        ),
        institution=qualified_institution_a,
    )
    assert not form.is_valid()
    assert form.has_error("__all__", "already_held")


def test_in_place_of_a_portal_certificate_the_holder_and_qualification_are_that_certificates(
    qualified_institution_a, worker
):
    portal = factories.CertificateFactory(
        assessment__institution=qualified_institution_a, assessment__worker=worker
    )
    form = NationalCertificateForm(
        {"number": NUMBER, "issued_on": TODAY.isoformat(), "evaluation_body": BODY},
        institution=qualified_institution_a,
        replaces=portal,
    )

    assert set(form.fields) == {"number", "issued_on", "evaluation_body"}
    assert form.is_valid(), form.errors
    assert form.worker == worker
    fields = national_certificate_fields(form.cleaned_data)
    assert (fields["occupation"], fields["level"], fields["replaces"]) == (
        portal.occupation,
        portal.level,
        portal,
    )


# --- The certificate list's filters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"source": "recorded"}, {"recorded"}),
        ({"source": "portal"}, {"portal"}),
        ({"status": "revoked"}, {"revoked"}),
        ({"source": "bogus"}, {"portal", "recorded", "revoked"}),  # a bad value is dropped on its own
        ({"occupation": "99999999999999999999999"}, {"portal", "recorded", "revoked"}),
        ({"source": "recorded", "status": "bogus"}, {"recorded"}),
    ],
)
def test_the_filters_narrow_the_list_and_ignore_bad_values(query, expected):
    made = {
        "portal": factories.CertificateFactory(),
        "recorded": NationalCertificateFactory(),
        "revoked": NationalCertificateFactory(revoked=True, imported=True),
    }
    shown = CertificateFilterForm(query).filter(Certificate.objects.all())
    assert set(shown) == {made[name] for name in expected}


# --- The public check's number --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("LA202600000121", "LA202600000121"),
        (" s0000 3400 0001 2323 00012 ", NUMBER),
        ("1234-0000-0012-3456", "1234000000123456"),
    ],
)
def test_the_check_takes_both_kinds_of_number(typed, number):
    form = CertificateVerifyForm({"number": typed, "holder_name": NAME})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == number


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("LA202600000125", "not a certificate number of the portal"),  # a portal number with a typo
        ("S0000/3400", "6 to 30 letters and digits"),
        ("S1", "6 to 30 letters and digits"),
    ],
)
def test_the_check_refuses_what_is_no_number_saying_which_kind_it_looks_like(typed, says):
    with override("en"):
        form = CertificateVerifyForm({"number": typed, "holder_name": NAME})
        assert not form.is_valid()
        assert form.has_error("number", "malformed")
        assert says in str(form.errors["number"])
