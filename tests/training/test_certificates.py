"""Assessments and certificates below the pages: the certificate number format, recording an assessment (a
pass on both scores issues a numbered certificate, each refusal saves nothing), revoking by the issuer only,
the public look-up by number and name, and the forms that guard the input."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories
from training.forms.certificates import AssessmentForm, CertificateVerifyForm, RevokeForm
from training.models import (
    CERTIFICATE_NUMBER_RE,
    Assessment,
    Certificate,
    CertificateSerial,
    certificate_number,
    is_well_formed_certificate_number,
    normalize_certificate_number,
)
from training.permissions import public_certificate
from training.services.certificates import assessment_record, certificate_issue, certificate_revoke

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


@pytest.fixture
def assessor(qualified_institution_a, program_a):
    """institution_a, qualified and admitted to assess program_a's occupation."""
    qualified_institution_a.occupations.add(program_a.occupation)
    return qualified_institution_a


def record(institution, actor, worker, **overrides):
    fields = {
        "institution": institution,
        "actor": actor,
        "worker": worker,
        "occupation": institution.occupations.order_by("pk").first(),
        "level": factories.make_level(3),
        "assessed_on": YESTERDAY,
        "theory_score": Decimal("80"),
        "practical_score": Decimal("70"),
    }
    fields.update(overrides)
    return assessment_record(**fields)


def serial_of(number: str) -> tuple[int, int]:
    match = CERTIFICATE_NUMBER_RE.match(number)
    return int(match[1]), int(match[2])


def nothing_saved():
    return not Assessment.objects.exists() and not Certificate.objects.exists()


# --- The number format ----------------------------------------------------------------------------------


def test_a_number_is_la_the_year_a_7_digit_serial_and_a_luhn_check_digit():
    number = certificate_number(2026, 12)
    assert number == "LA202600000121"
    assert is_well_formed_certificate_number(number)


def test_generated_numbers_are_well_formed_and_unique():
    numbers = [certificate_number(year, serial) for year in (2025, 2026) for serial in range(1, 1001)]
    assert all(is_well_formed_certificate_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_the_check_digit_catches_any_one_mistyped_digit():
    number = certificate_number(2026, 4711)
    for position in range(2, len(number)):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1 :]
                assert not is_well_formed_certificate_number(typo), typo


def test_the_check_digit_catches_swapped_neighbours():
    number = certificate_number(2026, 1234)
    swapped = number[:8] + number[9] + number[8] + number[10:]
    assert swapped != number
    assert not is_well_formed_certificate_number(swapped)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "LA20260000012",
        "LA2026000001211",
        "XA202600000121",
        "la202600000121",
        "LA2026OOOOO121",
        "202600000121",
    ],
)
def test_other_shapes_are_not_well_formed(value):
    assert not is_well_formed_certificate_number(value)


@pytest.mark.parametrize(
    "typed",
    ["LA202600000121", " la202600000121 ", "la 2026 0000012 1", "LA-2026-0000012-1", "La2026\t0000012-1"],
)
def test_normalisation_drops_spaces_and_hyphens_and_upper_cases(typed):
    assert normalize_certificate_number(typed) == "LA202600000121"
    assert is_well_formed_certificate_number(normalize_certificate_number(typed))


def test_normalising_nothing_gives_an_empty_string():
    assert normalize_certificate_number(None) == ""


def test_the_example_number_shown_to_the_public_is_well_formed():
    """The help text tells visitors what a number looks like; its example must pass the check itself."""
    with override("en"):
        help_text = str(CertificateVerifyForm().fields["number"].help_text)
    example = re.search(r"LA\d{12}", help_text)[0]
    assert is_well_formed_certificate_number(example), example


def test_serials_count_up_within_a_year_and_start_again_each_year(assessor, institution_staff):
    this_year, last_year = datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year - 1, 6, 1)
    occupation = assessor.occupations.get()
    numbers = []
    for assessed_on in (this_year, this_year, last_year, this_year):
        assessment = record(
            assessor,
            institution_staff,
            factories.WorkerFactory(),
            assessed_on=assessed_on,
            occupation=occupation,
        )
        numbers.append(assessment.certificate.number)
    assert [serial_of(n) for n in numbers] == [
        (TODAY.year, 1),
        (TODAY.year, 2),
        (TODAY.year - 1, 1),
        (TODAY.year, 3),
    ]
    assert dict(CertificateSerial.objects.values_list("year", "last")) == {TODAY.year: 3, TODAY.year - 1: 1}


# --- Recording assessments ------------------------------------------------------------------------------


def test_a_pass_issues_a_certificate_and_tells_the_worker(assessor, institution_staff, worker):
    assessment = record(assessor, institution_staff, worker, assessed_on=YESTERDAY)

    assessment.refresh_from_db()
    assert assessment.passed
    assert assessment.created_by == institution_staff
    certificate = Certificate.objects.get()
    assert certificate.assessment == assessment
    assert (
        certificate.worker,
        certificate.institution,
        certificate.occupation,
        certificate.level,
        certificate.issued_on,
        certificate.status,
    ) == (worker, assessor, assessment.occupation, assessment.level, YESTERDAY, Certificate.Status.VALID)
    assert is_well_formed_certificate_number(certificate.number)
    assert serial_of(certificate.number) == (YESTERDAY.year, 1)
    note = Notification.objects.get(recipient=worker)
    assert certificate.number in note.body
    assert note.url == reverse("training:my_training")
    assert certificate.history.get().history_type == "+"


def test_a_fail_issues_no_certificate_and_tells_no_one(assessor, institution_staff, worker):
    assessment = record(assessor, institution_staff, worker, theory_score=Decimal("45"))

    assessment.refresh_from_db()
    assert not assessment.passed
    assert assessment.theory_score == Decimal("45")
    assert not Certificate.objects.exists()
    assert not CertificateSerial.objects.exists()
    assert not Notification.objects.filter(recipient=worker).exists()


@pytest.mark.parametrize(
    ("theory", "practical", "passed"),
    [
        ("60", "60", True),
        ("100", "100", True),
        ("59.9", "100", False),
        ("100", "59.9", False),
        ("0", "0", False),
    ],
)
def test_both_scores_must_reach_60(assessor, institution_staff, worker, theory, practical, passed):
    assessment = record(
        assessor, institution_staff, worker, theory_score=Decimal(theory), practical_score=Decimal(practical)
    )
    assert assessment.passed is passed
    assert Certificate.objects.filter(assessment=assessment).exists() is passed


@pytest.mark.parametrize(
    ("theory", "practical"),
    [("-1", "80"), ("100.1", "80"), ("80", "-0.5"), ("80", "101")],
)
def test_a_score_outside_0_to_100_is_refused_and_nothing_saved(
    assessor, institution_staff, worker, theory, practical
):
    with pytest.raises(InvalidTransition, match="0"):
        record(
            assessor,
            institution_staff,
            worker,
            theory_score=Decimal(theory),
            practical_score=Decimal(practical),
        )
    assert nothing_saved()


def test_a_future_date_is_refused(assessor, institution_staff, worker):
    with pytest.raises(InvalidTransition):
        record(assessor, institution_staff, worker, assessed_on=TODAY + datetime.timedelta(days=1))
    assert nothing_saved()


def test_today_is_not_the_future(assessor, institution_staff, worker):
    assert record(assessor, institution_staff, worker, assessed_on=TODAY).passed


def test_an_occupation_the_institution_is_not_admitted_for_is_refused(assessor, institution_staff, worker):
    other = factories.make_occupations(3)[-1]
    assert not assessor.occupations.filter(pk=other.pk).exists()
    with pytest.raises(InvalidTransition):
        record(assessor, institution_staff, worker, occupation=other)
    assert nothing_saved()


@pytest.mark.parametrize("state", ["registered", "suspended", "expired"])
def test_an_institution_that_is_not_qualified_cannot_assess(institution_a, institution_staff, worker, state):
    institution_a.occupations.add(*factories.make_occupations(1))
    if state == "suspended":
        institution_a.status = institution_a.Status.SUSPENDED
        institution_a.qualified_until = factories._qualified_until()
    elif state == "expired":
        institution_a.status = institution_a.Status.QUALIFIED
        institution_a.qualified_until = YESTERDAY
    institution_a.save()
    with pytest.raises(InvalidTransition):
        record(institution_a, institution_staff, worker)
    assert nothing_saved()


@pytest.mark.parametrize("persona", ["official_a", "employer", "institution_b_staff", "city_admin"])
def test_only_worker_accounts_are_assessed(request, assessor, institution_staff, persona):
    with pytest.raises(InvalidTransition):
        record(assessor, institution_staff, request.getfixturevalue(persona))
    assert nothing_saved()


@pytest.mark.parametrize("persona", ["institution_b_staff", "city_admin", "official_a", "worker"])
def test_only_the_institutions_staff_record_its_assessments(request, assessor, persona):
    with pytest.raises(PermissionDenied):
        record(assessor, request.getfixturevalue(persona), factories.WorkerFactory())
    assert nothing_saved()


def test_an_assessment_after_a_programme_needs_one_of_its_trainees(assessor, institution_staff, program_a):
    trainee = factories.EnrollmentFactory(program=program_a, accepted=True).worker
    assessment = record(assessor, institution_staff, trainee, program=program_a)
    assert assessment.program == program_a

    for outsider in (
        factories.WorkerFactory(),
        factories.EnrollmentFactory(program=program_a).worker,  # applied, never accepted
        factories.EnrollmentFactory(program=program_a, declined=True).worker,
    ):
        with pytest.raises(InvalidTransition):
            record(assessor, institution_staff, outsider, program=program_a)
    assert Assessment.objects.count() == 1


def test_a_completed_trainee_may_be_assessed_after_the_programme(assessor, institution_staff, program_a):
    trainee = factories.EnrollmentFactory(program=program_a, completed=True).worker
    assert record(assessor, institution_staff, trainee, program=program_a).program == program_a


def test_another_institutions_programme_is_refused(assessor, institution_staff):
    other_program = factories.TrainingProgramFactory(enrolling=True, occupation=assessor.occupations.get())
    trainee = factories.EnrollmentFactory(program=other_program, accepted=True).worker
    with pytest.raises(InvalidTransition):
        record(assessor, institution_staff, trainee, program=other_program)
    assert nothing_saved()


def test_a_second_valid_certificate_for_the_same_occupation_and_level_is_refused(
    assessor, institution_staff, worker
):
    first = record(assessor, institution_staff, worker)
    with pytest.raises(InvalidTransition):
        record(assessor, institution_staff, worker)
    assert Assessment.objects.get() == first
    assert Certificate.objects.count() == 1


def test_a_higher_level_or_a_revoked_certificate_does_not_block_a_new_one(
    assessor, institution_staff, worker
):
    first = record(assessor, institution_staff, worker)
    record(assessor, institution_staff, worker, level=factories.make_level(4))
    certificate_revoke(certificate=first.certificate, actor=institution_staff, reason="材料不实")
    again = record(assessor, institution_staff, worker)
    assert again.certificate.is_valid
    assert Certificate.objects.filter(worker=worker).count() == 3
    assert Certificate.objects.valid().filter(worker=worker).count() == 2


def test_a_certificate_another_institution_issued_also_counts(assessor, institution_staff, worker):
    factories.CertificateFactory(
        assessment__worker=worker,
        assessment__institution=factories.QualifiedInstitutionFactory(occupations=assessor.occupations.all()),
    )
    with pytest.raises(InvalidTransition):
        record(assessor, institution_staff, worker)
    assert Certificate.objects.count() == 1


def test_a_certificate_number_already_taken_refuses_the_whole_assessment(
    monkeypatch, assessor, institution_staff, worker
):
    existing = factories.CertificateFactory()
    monkeypatch.setattr(
        "training.services.certificates.certificate_number", lambda year, serial: existing.number
    )

    with pytest.raises(InvalidTransition, match=existing.number):
        record(assessor, institution_staff, worker)

    assert list(Assessment.objects.all()) == [existing.assessment]
    assert list(Certificate.objects.all()) == [existing]
    assert not Notification.objects.filter(recipient=worker).exists()


def test_issuing_with_a_taken_number_is_refused_and_saves_nothing(assessor, institution_staff, worker):
    existing = factories.CertificateFactory()
    assessment = factories.AssessmentFactory(institution=assessor, worker=worker)
    with override("en"), pytest.raises(InvalidTransition, match="already in use"):
        certificate_issue(assessment, number=existing.number)
    assert list(Certificate.objects.all()) == [existing]


# --- Revoking -------------------------------------------------------------------------------------------


@pytest.fixture
def certificate(assessor, institution_staff, worker):
    return record(assessor, institution_staff, worker).certificate


def test_the_issuer_revokes_with_a_reason_and_the_holder_is_told(certificate, institution_staff, worker):
    Notification.objects.all().delete()
    certificate_revoke(certificate=certificate, actor=institution_staff, reason="  考试作弊  ")

    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert not certificate.is_valid
    assert certificate.revoked_by == institution_staff
    assert certificate.revoked_at is not None
    assert certificate.revoke_reason == "考试作弊"
    note = Notification.objects.get(recipient=worker)
    assert certificate.number in note.title
    assert "考试作弊" in note.body
    assert note.url == reverse("training:my_training")
    latest, issued = certificate.history.order_by("-history_date", "-history_id")[:2]
    assert (issued.status, latest.status, latest.revoke_reason) == ("valid", "revoked", "考试作弊")


@pytest.mark.parametrize("persona", ["institution_b_staff", "official_a", "employer", "worker"])
def test_only_the_issuers_staff_and_city_admins_revoke(request, certificate, persona):
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, actor=request.getfixturevalue(persona), reason="理由")
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert certificate.history.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_revoking_needs_a_reason(certificate, institution_staff, reason):
    with pytest.raises(InvalidTransition):
        certificate_revoke(certificate=certificate, actor=institution_staff, reason=reason)
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_a_revoked_certificate_cannot_be_revoked_again(certificate, institution_staff):
    certificate_revoke(certificate=certificate, actor=institution_staff, reason="第一次")
    with pytest.raises(InvalidTransition):
        certificate_revoke(certificate=certificate, actor=institution_staff, reason="第二次")
    certificate.refresh_from_db()
    assert certificate.revoke_reason == "第一次"


# --- The public look-up ---------------------------------------------------------------------------------


def test_the_public_look_up_needs_the_number_and_the_holders_name():
    certificate = factories.CertificateFactory(assessment__worker__real_name="李娜")
    assert public_certificate(certificate.number, "李娜") == certificate
    assert public_certificate(certificate.number, "王芳") is None
    assert public_certificate(certificate_number(TODAY.year, 1), "李娜") is None


def test_the_look_up_forgives_spaces_case_and_hyphens():
    certificate = factories.CertificateFactory(assessment__worker__real_name="Li Na")
    spaced = f" {certificate.number[:6].lower()}-{certificate.number[6:]} "
    assert public_certificate(spaced, "  li na ") == certificate
    assert public_certificate(certificate.number, "LI NA") == certificate


def test_the_look_up_finds_revoked_certificates_too():
    certificate = factories.CertificateFactory(revoked=True, assessment__worker__real_name="李娜")
    assert public_certificate(certificate.number, "李娜") == certificate


# --- Forms ----------------------------------------------------------------------------------------------


def assessment_data(worker, occupation, **overrides):
    data = {
        "identifier": worker.phone,
        "occupation": occupation.pk,
        "level": factories.make_level(3).pk,
        "assessed_on": YESTERDAY.isoformat(),
        "theory_score": "80",
        "practical_score": "70.5",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("by", ["phone", "id_number"])
def test_the_assessment_form_finds_the_worker_by_id_or_mobile(assessor, worker, by):
    form = AssessmentForm(
        assessment_data(worker, assessor.occupations.get(), identifier=getattr(worker, by)),
        institution=assessor,
    )
    assert form.is_valid(), form.errors
    assert form.assessment_fields()["worker"] == worker
    assert form.assessment_fields()["practical_score"] == Decimal("70.5")
    assert form.assessment_fields()["program"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"theory_score": "100.5"}, "theory_score"),
        ({"theory_score": "-1"}, "theory_score"),
        ({"practical_score": "101"}, "practical_score"),
        ({"practical_score": "abc"}, "practical_score"),
        ({"assessed_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "assessed_on"),
        ({"assessed_on": "not-a-date"}, "assessed_on"),
        ({"identifier": "13900000000"}, "identifier"),
        ({"level": "999"}, "level"),
    ],
)
def test_bad_assessment_input_gives_a_field_error(assessor, worker, overrides, field):
    form = AssessmentForm(
        assessment_data(worker, assessor.occupations.get(), **overrides), institution=assessor
    )
    assert not form.is_valid()
    assert field in form.errors


def test_the_form_offers_only_the_institutions_admitted_occupations(assessor, worker):
    other = factories.make_occupations(3)[-1]
    form = AssessmentForm(assessment_data(worker, other), institution=assessor)
    assert not form.is_valid()
    assert form.has_error("occupation", "invalid_choice")


def test_from_an_enrolment_the_form_takes_worker_occupation_and_level_from_the_programme(assessor, program_a):
    enrollment = factories.EnrollmentFactory(program=program_a, completed=True)
    form = AssessmentForm(institution=assessor, enrollment=enrollment)
    assert "identifier" not in form.fields
    assert form.fields["occupation"].initial == program_a.occupation_id
    assert form.fields["level"].initial == program_a.target_level_id

    data = assessment_data(enrollment.worker, program_a.occupation)
    del data["identifier"]
    form = AssessmentForm(data, institution=assessor, enrollment=enrollment)
    assert form.is_valid(), form.errors
    assert form.assessment_fields()["worker"] == enrollment.worker
    assert form.assessment_fields()["program"] == program_a


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_revoke_form_needs_a_reason(reason):
    form = RevokeForm({"reason": reason})
    assert not form.is_valid()
    assert form.has_error("reason", "required")


def test_the_verify_form_normalises_the_number():
    form = CertificateVerifyForm({"number": " la-2026-0000012-1 ", "holder_name": "李娜"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == "LA202600000121"


@pytest.mark.parametrize(
    "number", ["LA202600000125", "LA2026", "12345", "LA2026000001X1", "S00003400000１２３？"]
)
def test_the_verify_form_refuses_what_cannot_be_a_number(number):
    form = CertificateVerifyForm({"number": number, "holder_name": "李娜"})
    assert not form.is_valid()
    assert form.has_error("number", "malformed")


def test_the_verify_form_needs_a_name():
    form = CertificateVerifyForm({"number": "LA202600000121", "holder_name": "  "})
    assert not form.is_valid()
    assert form.has_error("holder_name", "required")
