"""Brand membership: a worker belongs to a brand while they are on its practitioner register, and once they
completed one of its programmes with a pass, or hold a valid certificate in one of its occupations. The counts
feed the recognition figures (certified members, certificate-holding rate) and the public brand page; the
brand members page lists each member with the ways they are one."""

import re

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brands.figures import Metric, brand_figure
from brands.models import Practitioner
from jobs.models import Application
from laborbrand.accounts.models import User
from laborbrand.metrics import Period, Scope, figure
from tests import factories
from tests.factories import ApplicationFactory
from training.membership import brand_members, certificate_rate, members_with_sources, membership_counts
from training.models import Certificate, Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(measured_brand):
    return measured_brand


def certificate_in(occupation, **kwargs):
    institution = factories.QualifiedInstitutionFactory(occupations=[occupation])
    return factories.CertificateFactory(assessment__institution=institution, **kwargs)


def passed_trainee(program):
    return factories.EnrollmentFactory(program=program, completed=True).worker


def test_a_pass_in_a_brand_programme_makes_a_trained_member(program_a, brand):
    worker = passed_trainee(program_a)
    assert list(brand_members(brand)) == [worker]
    assert membership_counts(brand) == {"members": 1, "registered": 0, "trained": 1, "certified": 0}


def test_a_failed_or_unfinished_programme_makes_no_member(program_a, brand):
    factories.EnrollmentFactory(
        program=program_a, completed=True, theory_score=40, practical_score=80, passed=False
    )
    factories.EnrollmentFactory(program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a)
    assert not brand_members(brand).exists()
    assert membership_counts(brand) == {"members": 0, "registered": 0, "trained": 0, "certified": 0}


def test_another_brands_programme_makes_no_member(brand):
    passed_trainee(factories.TrainingProgramFactory(enrolling=True))
    assert membership_counts(brand)["members"] == 0


def test_a_valid_certificate_in_a_brand_occupation_makes_a_certified_member(brand):
    certificate = certificate_in(brand.occupations.get())
    assert list(brand_members(brand)) == [certificate.worker]
    assert membership_counts(brand) == {"members": 1, "registered": 0, "trained": 0, "certified": 1}


def test_a_revoked_certificate_makes_no_member(brand):
    certificate_in(brand.occupations.get(), revoked=True)
    assert membership_counts(brand) == {"members": 0, "registered": 0, "trained": 0, "certified": 0}


def test_a_certificate_in_an_occupation_the_brand_lacks_makes_no_member(brand):
    other = factories.make_occupations(3)[-1]
    assert not brand.occupations.filter(pk=other.pk).exists()
    certificate_in(other)
    assert membership_counts(brand)["members"] == 0


def test_a_trained_and_certified_worker_counts_once_as_a_member(program_a, brand):
    worker = passed_trainee(program_a)
    certificate_in(brand.occupations.get(), assessment__worker=worker)
    passed_trainee(program_a)
    factories.EnrollmentFactory(
        program=factories.TrainingProgramFactory(enrolling=True, brand=brand), completed=True, worker=worker
    )
    assert membership_counts(brand) == {"members": 2, "registered": 0, "trained": 2, "certified": 1}
    assert brand_members(brand).count() == 2


@pytest.mark.parametrize(
    ("counts", "rate"),
    [
        ({"members": 0, "registered": 0, "trained": 0, "certified": 0}, 0),
        ({"members": 3, "registered": 0, "trained": 3, "certified": 1}, 33),
        ({"members": 3, "registered": 0, "trained": 1, "certified": 2}, 67),
        ({"members": 4, "registered": 0, "trained": 0, "certified": 4}, 100),
    ],
)
def test_the_certificate_rate_is_a_whole_percentage_of_members(counts, rate):
    assert certificate_rate(counts) == rate


def test_the_recognition_figures_come_from_membership(program_a, brand):
    assert brand_figure(brand, Metric.CERTIFIED_MEMBERS) == 0
    assert brand_figure(brand, Metric.CERTIFICATE_RATE) == 0
    passed_trainee(program_a)
    passed_trainee(program_a)
    certificate_in(brand.occupations.get())
    certificate_in(brand.occupations.get(), revoked=True)

    assert brand_figure(brand, Metric.CERTIFIED_MEMBERS) == 1
    assert brand_figure(brand, Metric.CERTIFICATE_RATE) == 33
    assert membership_counts(brand) == {"members": 3, "registered": 0, "trained": 2, "certified": 1}
    holding = figure("certificate_holding_rate", Scope.brand(brand), Period.year_to_date())
    assert (holding.numerator, holding.denominator) == (1, 3)


def test_the_brand_page_shows_the_registrys_certificate_holding_rate(client, program_a, brand):
    for _ in range(3):
        passed_trainee(program_a)
    certificate_in(brand.occupations.get())
    certificate_in(brand.occupations.get())
    response = client.get(reverse("brands:brand_detail", args=[brand.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    holding = response.context["brand_figures"]["certificate_holding_rate"]["figure"]
    assert holding == figure("certificate_holding_rate", Scope.brand(brand), Period.year_to_date())
    assert (holding.value, holding.numerator, holding.denominator) == (40, 2, 5)
    assert membership_counts(brand)["members"] == 5
    content = response.content.decode()
    assert "2 of 5 brand members hold a valid certificate today." in content
    assert re.search(r'data-figure="certificate-holding">\s*<strong>40.0%</strong>', content)


# --- The figures read the brand's own records, with the same result as the definition's first form ---------


def reference_members(brand):
    """The definition as first written (issue 5, the register added in issue 16): every user, with EXISTS
    subqueries. The figures start from the brand's register, enrolments and certificates; on every case below
    they must agree with this."""
    registered = Practitioner.objects.filter(brand=brand, removed_at__isnull=True, worker=OuterRef("pk"))
    trained = Enrollment.objects.completed().filter(program__brand=brand, passed=True, worker=OuterRef("pk"))
    certified = Certificate.objects.valid().filter(
        occupation__in=brand.occupations.values("pk"), worker=OuterRef("pk")
    )
    return User.objects.annotate(
        listed=Exists(registered), trained=Exists(trained), certified=Exists(certified)
    ).filter(Q(listed=True) | Q(trained=True) | Q(certified=True))


def reference_counts(brand):
    members = reference_members(brand)
    return {
        "members": members.count(),
        "registered": members.filter(listed=True).count(),
        "trained": members.filter(trained=True).count(),
        "certified": members.filter(certified=True).count(),
    }


def _trained_only(program, brand, other):
    passed_trainee(program)


def _certified_only(program, brand, other):
    certificate_in(brand.occupations.get())


def _trained_and_certified(program, brand, other):
    certificate_in(brand.occupations.get(), assessment__worker=passed_trainee(program))


def _twice_trained_and_twice_certified(program, brand, other):
    worker = passed_trainee(program)
    second = factories.TrainingProgramFactory(enrolling=True, brand=brand, institution=program.institution)
    factories.EnrollmentFactory(program=second, completed=True, worker=worker)
    certificate_in(brand.occupations.get(), assessment__worker=worker)
    higher = factories.make_level(4)
    certificate_in(brand.occupations.get(), assessment__worker=worker, assessment__level=higher)


def _revoked_certificate(program, brand, other):
    certificate_in(brand.occupations.get(), revoked=True)


def _revoked_and_valid_certificate(program, brand, other):
    worker = certificate_in(brand.occupations.get(), revoked=True).worker
    certificate_in(brand.occupations.get(), assessment__worker=worker)


def _failed_or_unfinished_enrolment(program, brand, other):
    factories.EnrollmentFactory(
        program=program, completed=True, theory_score=40, practical_score=80, passed=False
    )
    factories.EnrollmentFactory(program=program, accepted=True)
    factories.EnrollmentFactory(program=program, withdrawn=True)


def _other_brands_records(program, brand, other):
    passed_trainee(factories.TrainingProgramFactory(enrolling=True, brand=other))
    certificate_in(other.occupations.get())


def _shared_occupation(program, brand, other):
    other.occupations.add(brand.occupations.get())
    certificate_in(brand.occupations.get())
    passed_trainee(factories.TrainingProgramFactory(enrolling=True, brand=other))


def _registered_only(program, brand, other):
    factories.PractitionerFactory(brand=brand)


def _registered_trained_and_certified(program, brand, other):
    worker = passed_trainee(program)
    certificate_in(brand.occupations.get(), assessment__worker=worker)
    factories.PractitionerFactory(brand=brand, worker=worker)


def _removed_from_the_register(program, brand, other):
    factories.PractitionerFactory(brand=brand, removed=True)


def _removed_and_registered_again(program, brand, other):
    entry = factories.PractitionerFactory(brand=brand, removed=True)
    factories.PractitionerFactory(brand=brand, worker=entry.worker)


def _on_another_brands_register(program, brand, other):
    factories.PractitionerFactory(brand=other)


def _a_bit_of_everything(program, brand, other):
    for case in CASES.values():
        if case[0] is not _a_bit_of_everything:
            case[0](program, brand, other)


CASES = {
    "trained only": (_trained_only, {"members": 1, "registered": 0, "trained": 1, "certified": 0}),
    "certified only": (_certified_only, {"members": 1, "registered": 0, "trained": 0, "certified": 1}),
    "trained and certified": (
        _trained_and_certified,
        {"members": 1, "registered": 0, "trained": 1, "certified": 1},
    ),
    "twice of each": (
        _twice_trained_and_twice_certified,
        {"members": 1, "registered": 0, "trained": 1, "certified": 1},
    ),
    "revoked certificate": (
        _revoked_certificate,
        {"members": 0, "registered": 0, "trained": 0, "certified": 0},
    ),
    "revoked and valid": (
        _revoked_and_valid_certificate,
        {"members": 1, "registered": 0, "trained": 0, "certified": 1},
    ),
    "failed enrolment": (
        _failed_or_unfinished_enrolment,
        {"members": 0, "registered": 0, "trained": 0, "certified": 0},
    ),
    "other brand's records": (
        _other_brands_records,
        {"members": 0, "registered": 0, "trained": 0, "certified": 0},
    ),
    "shared occupation": (_shared_occupation, {"members": 1, "registered": 0, "trained": 0, "certified": 1}),
    "registered only": (_registered_only, {"members": 1, "registered": 1, "trained": 0, "certified": 0}),
    "registered, trained and certified": (
        _registered_trained_and_certified,
        {"members": 1, "registered": 1, "trained": 1, "certified": 1},
    ),
    "removed from the register": (
        _removed_from_the_register,
        {"members": 0, "registered": 0, "trained": 0, "certified": 0},
    ),
    "removed and registered again": (
        _removed_and_registered_again,
        {"members": 1, "registered": 1, "trained": 0, "certified": 0},
    ),
    "another brand's register": (
        _on_another_brands_register,
        {"members": 0, "registered": 0, "trained": 0, "certified": 0},
    ),
    "all of these": (_a_bit_of_everything, {"members": 9, "registered": 3, "trained": 4, "certified": 6}),
}


@pytest.mark.parametrize("case", CASES)
def test_the_figures_are_those_of_the_definition(case, program_a, brand):
    other = factories.CultivatingBrandFactory(occupations=factories.make_occupations(2)[1:])
    assert not other.occupations.filter(pk__in=brand.occupations.all()).exists()
    build, expected = CASES[case]
    build(program_a, brand, other)
    for worker in User.objects.filter(role=User.Role.WORKER):  # every worker was hired this year
        ApplicationFactory(worker=worker, status=Application.Status.HIRED)

    for subject in (brand, other):
        assert membership_counts(subject) == reference_counts(subject)
        assert set(brand_members(subject)) == set(reference_members(subject))
        assert brand_figure(subject, Metric.PLACEMENTS) == reference_counts(subject)["members"]
    assert membership_counts(brand) == expected


def test_the_figures_never_read_the_users_table(program_a, brand):
    """A brand's figures cost what its own records cost, however many people have registered."""
    passed_trainee(program_a)
    certificate_in(brand.occupations.get())
    with CaptureQueriesContext(connection) as queries:
        assert membership_counts(brand) == {"members": 2, "registered": 0, "trained": 1, "certified": 1}
        brand_figure(brand, Metric.PLACEMENTS)
    assert len(queries) == 5
    assert not [q["sql"] for q in queries if '"accounts_user"' in q["sql"]]


def test_each_member_comes_with_the_ways_they_are_one(program_a, brand):
    trained = passed_trainee(program_a)
    certificate_in(brand.occupations.get(), assessment__worker=trained)
    registered = factories.PractitionerFactory(brand=brand).worker
    factories.PractitionerFactory(brand=brand, removed=True)

    sources = {
        member.pk: (member.is_registered, member.is_trained, member.is_certified)
        for member in members_with_sources(brand)
    }

    assert sources == {trained.pk: (False, True, True), registered.pk: (True, False, False)}
