"""The workbench: each role sees its own panels, with a query count that does not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laborbrand.accounts.models import User
from laborbrand.reference.models import County
from tests import factories
from tests.jobs import factories_coop as fairs
from tests.jobs import factories_matching as matching
from tests.workbench import WORKBENCH, open_workbench, panel_context

pytestmark = pytest.mark.django_db

Role = User.Role

PANELS_BY_ROLE = {
    Role.CITY_ADMIN: [
        "accounts/panels/_notifications.html",
        "targets/includes/_panel.html",
        "accounts/panels/_county_officials.html",
        "accounts/panels/_leading_group.html",
        "brands/panels/_brands_awaiting_decision.html",
        "brands/panels/_counties_without_brand.html",
        "training/panels/_applications_awaiting_review.html",
        "training/panels/_institutions_by_status.html",
        "training/panels/_ethics_sessions.html",
        "jobs/panels/_employers_awaiting_verification.html",
        "jobs/panels/_labour_cooperation.html",
        "jobs/panels/_matching.html",
    ],
    Role.COUNTY_OFFICIAL: [
        "accounts/panels/_notifications.html",
        "targets/includes/_panel.html",
        "accounts/panels/_my_county.html",
        "brands/panels/_my_county_brands.html",
        "training/panels/_county_agreements.html",
        "training/panels/_ethics_sessions.html",
        "jobs/panels/_labour_cooperation.html",
        "jobs/panels/_service_counter.html",
    ],
    Role.INSTITUTION_STAFF: [
        "accounts/panels/_notifications.html",
        "training/panels/_my_institution.html",
        "training/panels/_institution_programs.html",
        "training/panels/_institution_assessments.html",
        "training/panels/_ethics_sessions.html",
        "jobs/panels/_apprenticeships.html",
    ],
    Role.EMPLOYER: [
        "accounts/panels/_notifications.html",
        "jobs/panels/_my_company.html",
        "jobs/panels/_my_postings.html",
        "jobs/panels/_apprenticeships.html",
    ],
    Role.WORKER: [
        "accounts/panels/_notifications.html",
        "accounts/panels/_my_profile.html",
        "jobs/panels/_recommended_for_you.html",
        "jobs/panels/_my_job_applications.html",
        "training/panels/_my_training.html",
        "jobs/panels/_my_apprenticeships.html",
    ],
    Role.LEADING_GROUP: [
        "accounts/panels/_notifications.html",
        "targets/includes/_panel.html",
    ],
}


@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_sees_exactly_its_panels_in_order(client, personas, role):
    response = open_workbench(client, personas[role])

    assert [p.template for p in response.context["panels"]] == PANELS_BY_ROLE[role]


def test_worker_sees_own_full_id_number_and_phone(client, worker):
    response = open_workbench(client, worker)

    content = response.content.decode()
    assert worker.real_name in content
    assert worker.id_number in content
    assert worker.phone in content


def test_workbench_shows_unread_notifications_only_of_the_user(client, worker):
    factories.NotificationFactory(recipient=worker, title="mine-unread")
    factories.NotificationFactory(recipient=worker, title="mine-read", read_at=timezone.now())
    factories.NotificationFactory(title="someone-elses")

    response = open_workbench(client, worker)

    latest = panel_context(response, "accounts/panels/_notifications.html")["latest_unread"]
    assert [n.title for n in latest] == ["mine-unread"]
    content = response.content.decode()
    assert "mine-unread" in content
    assert "mine-read" not in content
    assert "someone-elses" not in content


def test_city_admin_sees_counties_without_an_active_official_flagged(
    client, city_admin, official_a, official_b
):
    official_b.is_active = False
    official_b.save(update_fields=["is_active"])

    response = open_workbench(client, city_admin)

    uncovered = panel_context(response, "accounts/panels/_county_officials.html")["uncovered"]
    expected = set(County.objects.exclude(code="341524").values_list("name", flat=True))
    assert {c.name for c in uncovered} == expected
    assert len(expected) == 6
    content = response.content.decode()
    for name in expected:
        assert f'<span class="badge text-bg-danger me-1">{name}</span>' in content
    assert f'<span class="badge text-bg-danger me-1">{official_a.county.name}</span>' not in content


def test_city_admin_sees_no_flag_when_every_county_has_an_official(client, city_admin):
    for county in County.objects.all():
        factories.OfficialFactory(county=county)

    response = open_workbench(client, city_admin, HTTP_ACCEPT_LANGUAGE="en")

    assert panel_context(response, "accounts/panels/_county_officials.html")["uncovered"] == []
    assert "Every county and district has an active official account." in response.content.decode()


def test_city_admin_sees_institution_counts_and_employers_awaiting_verification(client, city_admin):
    factories.InstitutionFactory.create_batch(2)
    waiting = factories.EmployerFactory(name="待审核机械厂")
    factories.EmployerFactory(name="已审核机械厂", verified_at=timezone.now())

    response = open_workbench(client, city_admin)

    assert panel_context(response, "training/panels/_institutions_by_status.html")["total"] == 2
    employers = panel_context(response, "jobs/panels/_employers_awaiting_verification.html")
    assert employers["pending_count"] == 1
    assert employers["latest"] == [waiting]
    content = response.content.decode()
    assert "待审核机械厂" in content
    assert "已审核机械厂" not in content


def test_official_sees_own_county_and_its_townships(client, official_a):
    response = open_workbench(client, official_a)

    content = response.content.decode()
    assert official_a.county.name in content
    assert "341524" in content
    for township in official_a.county.townships.all():
        assert township.name in content
    assert "衡山镇" not in content  # a township of official_b's county


def test_institution_staff_sees_own_institution_only(client, institution_staff):
    own = institution_staff.institutions.get()
    other = factories.InstitutionFactory(name="别家培训学校")

    response = open_workbench(client, institution_staff)

    content = response.content.decode()
    assert own.name in content
    assert own.credit_code in content
    assert other.name not in content


def test_employer_sees_own_company_awaiting_verification(client, employer):
    company = employer.employers.get()
    other = factories.EmployerFactory(name="别家公司")

    response = open_workbench(client, employer, HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert company.name in content
    assert "Awaiting verification by the city" in content
    assert other.name not in content


def test_verified_employer_is_not_awaiting_verification(client, employer):
    employer.employers.update(verified_at=timezone.now())

    response = open_workbench(client, employer, HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert "Awaiting verification by the city" not in content
    assert "Verified" in content


def test_unlinked_staff_account_is_told_to_contact_the_bureau(client):
    staff = factories.InstitutionStaffFactory()

    response = open_workbench(client, staff, HTTP_ACCEPT_LANGUAGE="en")

    assert panel_context(response, "training/panels/_my_institution.html")["institutions"] == []
    assert "not linked to an institution" in response.content.decode()


def test_institution_staff_without_an_open_application_is_invited_to_apply(client, institution_staff):
    response = open_workbench(client, institution_staff, HTTP_ACCEPT_LANGUAGE="en")

    (institution,) = panel_context(response, "training/panels/_my_institution.html")["institutions"]
    assert institution.latest_application is None
    assert reverse("training:application_create") in response.content.decode()


def test_institution_staff_sees_the_latest_application_and_its_status(client, institution_staff):
    institution = institution_staff.institutions.get()
    factories.AdmissionApplicationFactory(institution=institution, rejected=True)
    latest = factories.AdmissionApplicationFactory(institution=institution, changes_requested=True)

    response = open_workbench(client, institution_staff, HTTP_ACCEPT_LANGUAGE="en")

    (shown,) = panel_context(response, "training/panels/_my_institution.html")["institutions"]
    assert shown.latest_application == latest
    content = response.content.decode()
    assert reverse("training:application_detail", args=[latest.pk]) in content
    assert "Changes requested" in content
    assert reverse("training:application_create") not in content


def test_official_sees_this_years_agreements_of_own_county_on_time_and_late(client, official_a, official_b):
    year = timezone.localdate().year
    jan, dec = datetime.date(year, 1, 2), datetime.date(year, 12, 30)
    factories.PartnerAgreementFactory(signed_on=jan)
    factories.PartnerAgreementFactory(signed_on=jan, filed_on=max(jan, min(dec, timezone.localdate())))
    factories.PartnerAgreementFactory(signed_on=datetime.date(year - 1, 3, 1))  # last year's
    factories.PartnerAgreementFactory(signed_on=jan, county=official_b.county)  # another county's

    response = open_workbench(client, official_a)

    agreements = panel_context(response, "training/panels/_county_agreements.html")
    assert agreements["total"] == 2
    assert agreements["on_time"] + agreements["late"] == 2
    assert agreements["late"] == (1 if timezone.localdate() > agreements["deadline"] else 0)


def test_city_admin_sees_applications_awaiting_review(client, city_admin):
    factories.AdmissionApplicationFactory.create_batch(2, submitted=True)
    factories.AdmissionApplicationFactory(under_review=True)
    factories.AdmissionApplicationFactory()  # a draft: not the city's business yet
    factories.AdmissionApplicationFactory(approved=True)

    response = open_workbench(client, city_admin)

    waiting = panel_context(response, "training/panels/_applications_awaiting_review.html")
    assert (waiting["submitted"], waiting["under_review"], waiting["total"]) == (2, 1, 3)


def test_worker_sees_latest_enrolments_with_status(client, worker):
    older = factories.EnrollmentFactory(
        worker=worker, applied_at=timezone.now() - datetime.timedelta(days=30)
    )
    for days in (3, 2, 1):
        factories.EnrollmentFactory(worker=worker, applied_at=timezone.now() - datetime.timedelta(days=days))
    factories.EnrollmentFactory(program__title="别人的培训班")

    response = open_workbench(client, worker, HTTP_ACCEPT_LANGUAGE="en")

    shown = panel_context(response, "training/panels/_my_training.html")["enrollments"]
    assert len(shown) == 3
    assert older not in shown
    content = response.content.decode()
    assert reverse("training:my_training") in content
    assert reverse("training:program_search") in content
    assert "别人的培训班" not in content


def test_institution_staff_sees_programmes_by_status_and_pending_applications(client, institution_staff):
    institution = institution_staff.institutions.get()
    enrolling = factories.TrainingProgramFactory(institution=institution, enrolling=True)
    factories.EnrollmentFactory.create_batch(2, program=enrolling)
    factories.EnrollmentFactory(program=enrolling, accepted=True)
    factories.TrainingProgramFactory(institution=institution)
    factories.EnrollmentFactory()  # another institution's application

    response = open_workbench(client, institution_staff, HTTP_ACCEPT_LANGUAGE="en")

    programs = panel_context(response, "training/panels/_institution_programs.html")
    assert programs["pending"] == 2
    assert programs["total"] == 2
    assert {value: count for value, _label, count in programs["rows"]} == {
        "planned": 1,
        "enrolling": 1,
        "running": 0,
        "completed": 0,
    }
    assert reverse("training:program_list") in response.content.decode()


# The city admin's workbench is the largest: the registry counts each figure of the labour-cooperation,
# matching and ethics panels in a query of its own (issue 14: one number for one question everywhere).
WORKBENCH_MAX_QUERIES = 25


@pytest.mark.parametrize("role", list(Role.values))
def test_workbench_query_count_does_not_grow_with_data(client, personas, role, django_assert_max_num_queries):
    user = personas[role]
    client.force_login(user)
    matching.MatchRunFactory()  # the matching panels ask more once a run has completed: the baseline has one
    with django_assert_max_num_queries(WORKBENCH_MAX_QUERIES) as few:
        client.get(WORKBENCH)

    factories.NotificationFactory.create_batch(15, recipient=user)
    factories.InstitutionFactory.create_batch(5)
    factories.AdmissionApplicationFactory.create_batch(3, submitted=True)
    factories.AdmissionApplicationFactory.create_batch(2, under_review=True)
    this_year = datetime.date(timezone.localdate().year, 1, 1)
    factories.PartnerAgreementFactory.create_batch(3, signed_on=this_year)
    if role == Role.INSTITUTION_STAFF:
        institution = user.institutions.get()
        factories.AdmissionApplicationFactory.create_batch(3, institution=institution, rejected=True)
        factories.AdmissionApplicationFactory(institution=institution)
        for status in ("enrolling", "running", "completed"):
            factories.EnrollmentFactory.create_batch(
                2, program=factories.TrainingProgramFactory(institution=institution, **{status: True})
            )
    if role == Role.WORKER:
        factories.EnrollmentFactory.create_batch(4, worker=user)
        factories.EnrollmentFactory(worker=user, completed=True)
    factories.EnrollmentFactory.create_batch(3)
    factories.EmployerFactory.create_batch(8)
    matching.MatchRunFactory.create_batch(2)
    matching.MatchRunFactory(failed=True)
    matching.MatchRunFactory(running=True, heartbeat=timezone.now())
    run = matching.MatchRunFactory()
    matching.RecommendationFactory.create_batch(3, run=run)
    if role == Role.WORKER:
        factories.WorkerProfileFactory(user=user)
        for rank in range(1, 6):
            matching.RecommendationFactory(run=run, worker=user, worker_rank=rank)
        for status in ("submitted", "interview", "hired", "rejected"):
            factories.ApplicationFactory(worker=user, status=status)
    if role == Role.EMPLOYER:
        for posting in factories.JobPostingFactory.create_batch(3, employer=user.employers.get()):
            factories.ApplicationFactory.create_batch(2, posting=posting)
    away = factories.JobPostingFactory(province=factories.make_province("320000"), county=None)
    factories.ApplicationFactory.create_batch(3, posting=away, status="hired")
    fairs.DockingFairFactory.create_batch(2, postings=[away])
    fairs.DockingFairFactory(county=factories.make_county("341525"))
    for county in County.objects.all():
        factories.OfficialFactory.create_batch(2, county=county, phone=None)
    with django_assert_max_num_queries(WORKBENCH_MAX_QUERIES) as many:
        response = client.get(WORKBENCH)

    assert len(many.captured_queries) == len(few.captured_queries)
    if role == Role.WORKER:
        assert len(panel_context(response, "jobs/panels/_recommended_for_you.html")["recommendations"]) == 3
