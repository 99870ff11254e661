"""Every list page of every role runs as many queries with many rows as with one (design.md: "List pages are
paginated and their query count does not grow with the rows shown"). Each row comes with the related records
its line shows (certificates, brands, attendees, applicants, enrolments), so an N+1 on any of them fails."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs.models import Application
from tests import factories
from tests.jobs.factories_coop import DockingFairFactory, PartnerRegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(personas, qualified_institution_a, employer):
    company = employer.employers.get()
    company.verified_at = company.created
    company.save(update_fields=["verified_at"])
    qualified_institution_a.occupations.add(*factories.make_occupations(1))
    return {
        **{user.username: user for user in personas.values()},
        "institution": qualified_institution_a,
        "company": company,
        "posting": factories.JobPostingFactory(employer=company),
    }


def _assessment(city):
    factories.CertificateFactory(assessment__institution=city["institution"])
    factories.AssessmentFactory(institution=city["institution"], failed=True)


def _programme(city):
    program = factories.TrainingProgramFactory(institution=city["institution"], enrolling=True)
    factories.EnrollmentFactory(program=program, accepted=True)
    factories.EnrollmentFactory(program=program)


def _ethics_session(city, **organiser):
    session = factories.EthicsSessionFactory(**organiser)
    session.attendance.create(worker=factories.WorkerFactory())


def _application(city):
    worker = factories.WorkerProfileFactory().user
    factories.ApplicationFactory(posting=city["posting"], worker=worker, status=Application.Status.VIEWED)


def _posting(city):
    posting = factories.JobPostingFactory(employer=city["company"], brand=factories.CultivatingBrandFactory())
    factories.ApplicationFactory(posting=posting)


def _apprenticeship(city):
    factories.ApprenticeshipFactory(employer=city["company"], institution=city["institution"])


def _agreement(city, **institution):
    factories.PartnerAgreementFactory(brands=[factories.CultivatingBrandFactory()], **institution)


def _admission(city):
    factories.AdmissionApplicationFactory(rejected=True)


# name: (who signs in, URL, what adds one row of the list)
LISTS = {
    "public brand showcase": (None, "brands:showcase", lambda c: factories.CultivatingBrandFactory()),
    "public brand news": (None, "brands:news_list", lambda c: factories.BrandNewsFactory(published=True)),
    "public institutions": (None, "training:institution_public_list", _agreement),  # a new one each
    "public programmes": (None, "training:program_search", _programme),
    "public job search": (None, "jobs:search", _posting),
    "worker's applications": (
        "worker_a",
        "jobs:my_applications",
        lambda c: factories.ApplicationFactory(worker=c["worker_a"]),
    ),
    "worker's notifications": (
        "worker_a",
        "accounts:notification_list",
        lambda c: factories.NotificationFactory(recipient=c["worker_a"]),
    ),
    "employer's postings": ("employer_a", "jobs:posting_manage_list", _posting),
    "employer's applicants": ("employer_a", "applicants", _application),
    "employer's apprenticeships": ("employer_a", "jobs:apprenticeship_list", _apprenticeship),
    "institution's programmes": ("institution_a", "training:program_list", _programme),
    "institution's assessments": ("institution_a", "training:assessment_list", _assessment),
    "institution's agreements": (
        "institution_a",
        "training:agreement_list",
        lambda c: _agreement(c, institution=c["institution"]),
    ),
    "institution's ethics sessions": (
        "institution_a",
        "training:ethics_list",
        lambda c: _ethics_session(c, institution=c["institution"]),
    ),
    "official's ethics sessions": ("official_a", "training:ethics_list", _ethics_session),
    "official's agreements": ("official_a", "training:agreement_list", _agreement),
    "official's brands": (
        "official_a",
        "brands:manage_list",
        lambda c: factories.CultivatingBrandFactory(county=c["official_a"].county),
    ),
    "official's docking fairs": ("official_a", "jobs:fair_list", lambda c: DockingFairFactory()),
    "admin's assessments": ("city_admin", "training:assessment_list", _assessment),
    "admin's programmes": ("city_admin", "training:program_list", _programme),
    "admin's ethics sessions": ("city_admin", "training:ethics_list", _ethics_session),
    "admin's admission reviews": ("city_admin", "training:review_queue", _admission),
    "admin's institutions": (
        "city_admin",
        "training:institution_admin_list",
        lambda c: factories.QualifiedInstitutionFactory(),
    ),
    "admin's brand reviews": (
        "city_admin",
        "brands:review_queue",
        lambda c: factories.SubmittedBrandFactory(),
    ),
    "admin's apprenticeships": ("city_admin", "jobs:apprenticeship_list", _apprenticeship),
    "admin's employer queue": ("city_admin", "jobs:employer_queue", lambda c: factories.EmployerFactory()),
    "admin's partner regions": ("city_admin", "jobs:partner_list", lambda c: PartnerRegionFactory()),
    "admin's docking fairs": ("city_admin", "jobs:fair_list", lambda c: DockingFairFactory()),
}


@pytest.mark.parametrize("name", LISTS)
def test_the_query_count_does_not_grow_with_the_rows(name, city, client, django_assert_max_num_queries):
    who, url_name, add_row = LISTS[name]
    if who is not None:
        client.force_login(city[who])
    url = (
        reverse("jobs:applicant_list", args=[city["posting"].pk])
        if url_name == "applicants"
        else reverse(url_name)
    )
    add_row(city)
    with django_assert_max_num_queries(50) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        add_row(city)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) >= 5
