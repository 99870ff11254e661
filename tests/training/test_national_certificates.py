"""National certificates below the pages: the number as printed (and why it never meets a portal number),
recording one for a person by name and ID number (a record without a sign-in for someone unknown), in place of
the institution's own portal certificate, who may record, every refusal saving nothing, revoking either kind,
and brand membership counting the holders."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import override

from laborbrand.accounts.models import Notification, User
from laborbrand.exceptions import InvalidTransition
from laborbrand.metrics import Period, Scope, get
from tests import factories
from tests.factories.training import NationalCertificateFactory
from tests.training.national_certificate_helpers import (
    BODY,
    ID_NUMBER,
    LAST_YEAR,
    NAME,
    NUMBER,
    OTHER_NUMBER,
    TODAY,
    facts,
    record,
)
from training.membership import brand_members, certificate_rate, membership_counts
from training.models import (
    Certificate,
    certificate_number,
    has_portal_shape,
    is_well_formed_national_number,
    validate_national_certificate_number,
)
from training.services.certificates import (
    certificate_revoke,
    national_certificate_record,
    national_certificate_update,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

Source, Status = Certificate.Source, Certificate.Status


@pytest.fixture
def recorder(institution_staff, qualified_institution_a):
    """institution_a's staff, the institution qualified."""
    return institution_staff


def nothing_saved() -> bool:
    return not Certificate.objects.exists() and not User.objects.by_id_number(ID_NUMBER).exists()


# --- The number as printed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("S000034000001232300012", "S000034000001232300012"),
        (" s0000 3400 0001 2323 00012 ", "S000034000001232300012"),
        ("Y-0001-34-000002-24-2-400031", "Y000134000002242400031"),
        ("ｓ００００３４０００００１２３２３０００１２", "S000034000001232300012"),  # full-width
        ("1234000000123456", "1234000000123456"),  # an older vocational qualification certificate
        ("AB1234", "AB1234"),
        ("X" * 30, "X" * 30),
    ],
)
def test_a_national_number_is_kept_as_printed_in_upper_case_without_separators(typed, stored):
    assert validate_national_certificate_number(typed) == stored
    assert is_well_formed_national_number(stored)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("LA202600000121", "portal_number"),  # a portal number typed as a national one
        ("la 2026 0000012 1", "portal_number"),
        ("LA2026", "portal_number"),  # a mistyped portal number is still one
        ("S0000/3400", "number_characters"),
        ("皖S00003400000", "number_characters"),
        ("S000034000001232300012!", "number_characters"),
        ("S1234", "number_length"),
        ("", "number_length"),
        ("X" * 31, "number_length"),
    ],
)
def test_what_cannot_be_a_national_number_is_refused_saying_why(typed, code):
    with pytest.raises(ValidationError) as refused:
        validate_national_certificate_number(typed)
    assert refused.value.code == code


@pytest.mark.parametrize(("year", "serial"), [(2026, 1), (2026, 9_999_999), (2031, 121)])
def test_portal_numbers_never_pass_as_national_ones(year, serial):
    number = certificate_number(year, serial)
    assert has_portal_shape(number)
    assert not is_well_formed_national_number(number)


# --- Recording a national certificate --------------------------------------------------------------------


def test_someone_the_portal_does_not_know_gets_a_worker_record_without_a_sign_in(recorder, institution_a):
    certificate, opened = record(recorder, institution_a)

    assert opened is True
    holder = certificate.worker
    assert (holder.role, holder.real_name, holder.registered, holder.phone) == (
        User.Role.WORKER,
        NAME,
        False,
        None,
    )
    assert not holder.has_usable_password()
    assert holder.id_number == ID_NUMBER
    assert (certificate.number, certificate.source, certificate.status) == (
        NUMBER,
        Source.RECORDED,
        Status.VALID,
    )
    assert (certificate.institution, certificate.recorded_by, certificate.evaluation_body) == (
        institution_a,
        recorder,
        BODY,
    )
    assert certificate.assessment is None and certificate.replaces is None
    assert certificate.history.count() == 1
    assert not Notification.objects.exists()  # a record without a sign-in has no one to tell yet


def test_a_registered_worker_keeps_their_account_and_is_told(recorder, institution_a, worker):
    certificate, opened = record(
        recorder, institution_a, real_name=worker.real_name, id_number=worker.id_number
    )

    assert opened is False
    assert certificate.worker == worker
    notification = Notification.objects.get(recipient=worker)
    assert notification.kind == Notification.Kind.CERTIFICATE_ISSUED
    assert NUMBER in notification.body and BODY in notification.body


def test_a_city_admin_records_for_the_city_bureau(city_admin):
    certificate, _opened = record(city_admin, None)

    assert certificate.institution is None
    assert certificate.recorded_by == city_admin


def test_an_import_records_with_its_source_and_tells_no_one(recorder, institution_a, worker):
    certificate, _opened = record(
        recorder,
        institution_a,
        real_name=worker.real_name,
        id_number=worker.id_number,
        source=Source.IMPORTED,
        tell_holder=False,
    )

    assert certificate.source == Source.IMPORTED
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("persona", "into_institution_a"),
    [
        ("institution_b_staff", True),  # another institution's staff
        ("institution_staff", False),  # staff record for their institution, never for the city bureau
        ("city_admin", True),  # the city bureau records for itself
        ("official_a", False),
        ("official_a", True),
        ("employer", False),
        ("worker", False),
    ],
)
def test_only_an_institutions_staff_and_city_admins_record(
    request, institution_a, persona, into_institution_a
):
    request.getfixturevalue("qualified_institution_a")
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        record(actor, institution_a if into_institution_a else None)
    assert nothing_saved()


@pytest.mark.parametrize("state", ["registered", "suspended"])
def test_an_institution_that_is_not_qualified_records_nothing(institution_staff, institution_a, state):
    if state == "suspended":
        institution_a.status = institution_a.Status.SUSPENDED
        institution_a.save(update_fields=["status"])

    with pytest.raises(InvalidTransition, match="qualified"):
        record(institution_staff, institution_a)
    assert nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"number": "LA202600000121"}, "portal's own certificate numbers"),
        ({"number": "S0000/34"}, "only letters and digits"),
        ({"number": "S12"}, "6 to 30"),
        ({"issued_on": TODAY + datetime.timedelta(days=1)}, "cannot be in the future"),
        ({"issued_on": datetime.date(1999, 12, 31)}, "from 2000-01-01 on"),
        ({"evaluation_body": "   "}, "evaluation body"),
        ({"real_name": "李四"}, "name does not match"),
    ],
)
def test_bad_facts_are_refused_and_nothing_saved(recorder, institution_a, worker, overrides, message):
    fields = {"real_name": worker.real_name, "id_number": worker.id_number, **overrides}
    before = User.objects.count()

    with override("en"), pytest.raises(InvalidTransition, match=message):
        record(recorder, institution_a, **fields)
    assert not Certificate.objects.exists()
    assert User.objects.count() == before


def test_a_staff_accounts_id_number_is_refused(recorder, institution_a, official_a):
    official_a.id_number = ID_NUMBER
    official_a.save()

    with pytest.raises(InvalidTransition, match="staff account"):
        record(recorder, institution_a)
    assert not Certificate.objects.exists()


def test_a_number_recorded_already_is_refused_even_past_the_forms(recorder, institution_a, worker):
    """What two requests racing to record one number meet: the form's check passed for both, the unique
    number refuses the second."""
    record(recorder, institution_a, real_name=worker.real_name, id_number=worker.id_number)

    with pytest.raises(InvalidTransition, match=f"{NUMBER} is already recorded"):
        record(recorder, institution_a)
    assert Certificate.objects.count() == 1
    assert not User.objects.by_id_number(ID_NUMBER).exists()


def test_a_second_valid_certificate_for_the_same_qualification_is_refused(recorder, institution_a, worker):
    other_issuer = factories.CertificateFactory(
        assessment__worker=worker,
        assessment__occupation=factories.make_occupations(1)[0],
        assessment__level=factories.make_level(3),
    )

    with override("en"), pytest.raises(InvalidTransition, match="already holds a valid certificate"):
        record(recorder, institution_a, real_name=worker.real_name, id_number=worker.id_number)
    assert list(Certificate.objects.all()) == [other_issuer]


@pytest.mark.parametrize("held", ["revoked", "another level"])
def test_a_revoked_certificate_or_another_level_blocks_nothing(recorder, institution_a, worker, held):
    NationalCertificateFactory(
        worker=worker,
        institution=institution_a,
        number=OTHER_NUMBER,
        revoked=held == "revoked",
        level=factories.make_level(3 if held == "revoked" else 4),
    )

    certificate, _opened = record(
        recorder, institution_a, real_name=worker.real_name, id_number=worker.id_number
    )
    assert certificate.is_valid


# --- In place of the institution's own portal certificate ------------------------------------------------


@pytest.fixture
def portal_certificate(qualified_institution_a, institution_staff, worker):
    """A valid portal certificate institution_a issued worker after its own assessment."""
    return factories.CertificateFactory(
        assessment__institution=qualified_institution_a, assessment__worker=worker
    )


def test_the_national_certificate_of_an_assessment_replaces_its_portal_certificate(
    recorder, institution_a, portal_certificate, worker
):
    certificate, opened = national_certificate_record(
        actor=recorder,
        institution=institution_a,
        replaces=portal_certificate,
        number=NUMBER,
        occupation=portal_certificate.occupation,
        level=portal_certificate.level,
        issued_on=TODAY,
        evaluation_body=institution_a.name,
    )

    assert opened is False
    assert (certificate.worker, certificate.replaces, certificate.is_valid) == (
        worker,
        portal_certificate,
        True,
    )
    portal_certificate.refresh_from_db()
    assert (portal_certificate.status, portal_certificate.revoked_by) == (Status.REPLACED, recorder)
    assert portal_certificate.revoked_at is not None
    assert portal_certificate.replaced_by == certificate
    assert Certificate.objects.valid().filter(worker=worker).get() == certificate
    assert [h.status for h in portal_certificate.history.order_by("history_date", "history_id")] == [
        "valid",
        "replaced",
    ]


@pytest.mark.parametrize("mismatch", ["another institution", "revoked", "another level"])
def test_only_a_valid_portal_certificate_of_ones_own_for_the_same_qualification_is_replaced(
    recorder, institution_a, portal_certificate, worker, mismatch
):
    institution = institution_a
    level = portal_certificate.level
    if mismatch == "another institution":
        # The recorder also works for a second institution, and records for that one.
        institution = factories.QualifiedInstitutionFactory(staff=[recorder])
    elif mismatch == "revoked":
        certificate_revoke(certificate=portal_certificate, actor=recorder, reason="材料不实")
    else:
        level = factories.make_level(4)

    with pytest.raises(InvalidTransition):
        national_certificate_record(
            actor=recorder,
            institution=institution,
            replaces=portal_certificate,
            number=NUMBER,
            occupation=portal_certificate.occupation,
            level=level,
            issued_on=TODAY,
            evaluation_body=BODY,
        )
    assert not Certificate.objects.filter(number=NUMBER).exists()
    portal_certificate.refresh_from_db()
    assert portal_certificate.status != Status.REPLACED


# --- Correcting a recorded certificate (an import of a corrected list) -----------------------------------


def test_a_recorded_certificates_printed_facts_are_corrected(recorder, institution_a):
    certificate, _opened = record(recorder, institution_a)

    national_certificate_update(
        certificate=certificate,
        actor=recorder,
        occupation=certificate.occupation,
        level=factories.make_level(4),
        issued_on=LAST_YEAR - datetime.timedelta(days=3),
        evaluation_body="安徽省职业技能等级认定指导中心",
    )

    certificate.refresh_from_db()
    assert (certificate.level.rank, certificate.evaluation_body) == (4, "安徽省职业技能等级认定指导中心")
    assert (certificate.number, certificate.worker.real_name) == (NUMBER, NAME)
    assert certificate.history.count() == 2


@pytest.mark.parametrize("case", ["portal", "revoked", "another institution's"])
def test_only_valid_national_certificates_one_manages_are_corrected(recorder, institution_a, case):
    if case == "portal":
        certificate = factories.CertificateFactory(assessment__institution=institution_a)
    elif case == "revoked":
        certificate = NationalCertificateFactory(institution=institution_a, revoked=True)
    else:
        certificate = NationalCertificateFactory()

    with pytest.raises((InvalidTransition, PermissionDenied)):
        national_certificate_update(
            certificate=certificate,
            actor=recorder,
            occupation=certificate.occupation,
            level=factories.make_level(5),
            issued_on=certificate.issued_on,
            evaluation_body="别处",
        )
    certificate.refresh_from_db()
    assert certificate.level.rank == 3


# --- Revoking either kind --------------------------------------------------------------------------------


@pytest.fixture
def kinds(qualified_institution_a, institution_staff, worker):
    """One certificate of each kind: issued by institution_a, recorded by it, imported by it, recorded by the
    city bureau."""
    occupations = factories.make_occupations(4)
    return {
        "portal": factories.CertificateFactory(
            assessment__institution=qualified_institution_a, assessment__occupation=occupations[0]
        ),
        "recorded": NationalCertificateFactory(
            institution=qualified_institution_a, occupation=occupations[1]
        ),
        "imported": NationalCertificateFactory(
            institution=qualified_institution_a, occupation=occupations[2], imported=True
        ),
        "city": NationalCertificateFactory(institution=None, occupation=occupations[3]),
    }


@pytest.mark.parametrize(
    ("persona", "kind", "allowed"),
    [
        ("institution_staff", "portal", True),
        ("institution_staff", "recorded", True),
        ("institution_staff", "imported", True),
        ("institution_staff", "city", False),
        ("institution_b_staff", "portal", False),
        ("institution_b_staff", "recorded", False),
        ("city_admin", "portal", True),
        ("city_admin", "recorded", True),
        ("city_admin", "imported", True),
        ("city_admin", "city", True),
        ("official_a", "recorded", False),
        ("employer", "city", False),
        ("worker", "recorded", False),
    ],
)
def test_who_revokes_which_kind(request, kinds, persona, kind, allowed):
    actor = request.getfixturevalue(persona)
    certificate = kinds[kind]

    if allowed:
        certificate_revoke(certificate=certificate, actor=actor, reason="经核查证书信息有误")
        certificate.refresh_from_db()
        assert (certificate.status, certificate.revoked_by) == (Status.REVOKED, actor)
        latest = certificate.history.order_by("-history_date", "-history_id").first()
        assert (latest.status, latest.revoke_reason) == ("revoked", "经核查证书信息有误")
    else:
        with pytest.raises(PermissionDenied):
            certificate_revoke(certificate=certificate, actor=actor, reason="经核查证书信息有误")
        certificate.refresh_from_db()
        assert certificate.is_valid


@pytest.mark.parametrize(
    ("persona", "revoker"), [("city_admin", "The city bureau"), ("institution_staff", None)]
)
def test_the_holder_is_told_who_revoked_and_why(request, kinds, persona, revoker):
    certificate = kinds["recorded"]

    with override("en"):
        certificate_revoke(certificate=certificate, actor=request.getfixturevalue(persona), reason="查无此证")

    body = Notification.objects.get(recipient=certificate.worker).body
    assert body == f"{revoker or certificate.institution.name} revoked it: 查无此证"


def test_a_replaced_portal_certificate_is_not_revoked_its_national_one_is(
    recorder, institution_a, portal_certificate
):
    national, _opened = national_certificate_record(
        actor=recorder,
        institution=institution_a,
        replaces=portal_certificate,
        number=NUMBER,
        occupation=portal_certificate.occupation,
        level=portal_certificate.level,
        issued_on=TODAY,
        evaluation_body=BODY,
    )

    with pytest.raises(InvalidTransition, match="revoke that one instead"):
        certificate_revoke(certificate=portal_certificate, actor=recorder, reason="理由")
    certificate_revoke(certificate=national, actor=recorder, reason="理由")
    portal_certificate.refresh_from_db()
    assert portal_certificate.status == Status.REPLACED  # not revived
    assert not Certificate.objects.valid().exists()


# --- Brand membership -----------------------------------------------------------------------------------


@pytest.fixture
def brand():
    """A cultivating brand of the first machining occupation, with one trained member and no certificate."""
    brand = factories.CultivatingBrandFactory()
    program = factories.TrainingProgramFactory(brand=brand, status=factories.ProgramStatus.COMPLETED)
    factories.EnrollmentFactory(program=program, completed=True)
    return brand


def test_a_national_certificate_makes_its_holder_a_member_and_counts_in_the_holding_rate(brand, city_admin):
    assert membership_counts(brand) == {"members": 1, "registered": 0, "trained": 1, "certified": 0}

    certificate, _opened = record(city_admin, None, occupation=brand.occupations.first())

    assert certificate.worker in brand_members(brand)
    counts = membership_counts(brand)
    assert counts == {"members": 2, "registered": 0, "trained": 1, "certified": 1}
    assert certificate_rate(counts) == 50
    holding = get("certificate_holding_rate").figure(Scope.brand(brand), Period.year(TODAY.year))
    assert (holding.numerator, holding.denominator) == (1, 2)


def test_a_revoked_national_certificate_no_longer_counts(brand, city_admin):
    certificate, _opened = record(city_admin, None, occupation=brand.occupations.first())
    certificate_revoke(certificate=certificate, actor=city_admin, reason="查无此证")

    assert membership_counts(brand) == {"members": 1, "registered": 0, "trained": 1, "certified": 0}
    holding = get("certificate_holding_rate").figure(Scope.brand(brand), Period.year(TODAY.year))
    assert holding.numerator == 0


def test_facts_helper_names_a_valid_person():
    """The shared example is a real ID number (else every test above would test the wrong refusal)."""
    from laborbrand.accounts import pii

    assert pii.validate_id_number(facts()["id_number"]) == ID_NUMBER
    assert timezone.localdate() == TODAY
