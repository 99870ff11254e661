"""Brand membership, derived from training records: a worker belongs to a brand once they completed one of
its programmes with a pass, or hold a valid certificate in one of its occupations. The counts feed the
recognition figures (certified members, certificate-holding rate) and the public brand page."""

import re

import pytest
from django.urls import reverse

from brands.figures import Metric, brand_figure, brand_membership
from tests import factories
from training.membership import brand_members, certificate_rate, membership_counts

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
    assert membership_counts(brand) == {"members": 1, "trained": 1, "certified": 0}


def test_a_failed_or_unfinished_programme_makes_no_member(program_a, brand):
    factories.EnrollmentFactory(
        program=program_a, completed=True, theory_score=40, practical_score=80, passed=False
    )
    factories.EnrollmentFactory(program=program_a, accepted=True)
    factories.EnrollmentFactory(program=program_a)
    assert not brand_members(brand).exists()
    assert membership_counts(brand) == {"members": 0, "trained": 0, "certified": 0}


def test_another_brands_programme_makes_no_member(brand):
    passed_trainee(factories.TrainingProgramFactory(enrolling=True))
    assert membership_counts(brand)["members"] == 0


def test_a_valid_certificate_in_a_brand_occupation_makes_a_certified_member(brand):
    certificate = certificate_in(brand.occupations.get())
    assert list(brand_members(brand)) == [certificate.worker]
    assert membership_counts(brand) == {"members": 1, "trained": 0, "certified": 1}


def test_a_revoked_certificate_makes_no_member(brand):
    certificate_in(brand.occupations.get(), revoked=True)
    assert membership_counts(brand) == {"members": 0, "trained": 0, "certified": 0}


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
    assert membership_counts(brand) == {"members": 2, "trained": 2, "certified": 1}
    assert brand_members(brand).count() == 2


@pytest.mark.parametrize(
    ("counts", "rate"),
    [
        ({"members": 0, "trained": 0, "certified": 0}, 0),
        ({"members": 3, "trained": 3, "certified": 1}, 33),
        ({"members": 3, "trained": 1, "certified": 2}, 67),
        ({"members": 4, "trained": 0, "certified": 4}, 100),
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
    assert brand_membership(brand) == {"members": 3, "trained": 2, "certified": 1}


def test_the_brand_page_shows_the_membership_counts(client, program_a, brand):
    for _ in range(3):
        passed_trainee(program_a)
    certificate_in(brand.occupations.get())
    certificate_in(brand.occupations.get())
    response = client.get(reverse("brands:brand_detail", args=[brand.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["membership"] == {"members": 5, "trained": 3, "certified": 2}
    content = response.content.decode()
    for label, count in (
        ("Brand members", 5),
        ("Members who completed a brand programme", 3),
        ("Members holding a valid certificate", 2),
    ):
        assert re.search(rf"{label}</dt>\s*<dd[^>]*>\s*<strong>{count}</strong>", content), label
