"""The jobs app's workbench panels: a worker's job applications and profile prompt, an employer's postings
and new applicants, the city's employers awaiting verification, and labour cooperation for city admins and
county officials. What each shows, to whom, and that each runs a fixed number of queries."""

import datetime
import functools

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import panels
from jobs.models import Application, JobPosting
from laborbrand.metrics import Period, Scope, figure
from tests import factories, workbench
from tests.jobs.factories_coop import DockingFairFactory
from tests.workbench import panel_context, panel_html
from tests.year_to_date import (  # noqa: F401
    FIRST_MINUTES,
    LAST_MINUTES,
    NEW_YEAR,
    city_moment,
    definition_shown,
    new_year_morning,
    period_shown,
)

# The jobs panels are checked in English.
open_workbench = functools.partial(workbench.open_workbench, HTTP_ACCEPT_LANGUAGE="en")

pytestmark = pytest.mark.django_db

AppStatus = Application.Status
PostingStatus = JobPosting.Status
TODAY = timezone.localdate()


# --- Worker: my job applications ----------------------------------------------------------------------------

MY_APPLICATIONS = "jobs/panels/_my_job_applications.html"


def test_worker_sees_the_latest_three_applications_with_status_badges(client, worker):
    factories.WorkerProfileFactory(user=worker)
    now = timezone.now()
    oldest = factories.ApplicationFactory(worker=worker, created=now - datetime.timedelta(days=9))
    statuses = [AppStatus.SUBMITTED, AppStatus.INTERVIEW, AppStatus.HIRED]
    for days, status in zip((3, 2, 1), statuses, strict=True):
        factories.ApplicationFactory(
            worker=worker,
            status=status,
            created=now - datetime.timedelta(days=days),
            posting__title=f"岗位{days}",
        )
    factories.ApplicationFactory(posting__title="别人的岗位")

    response = open_workbench(client, worker)

    shown = panel_context(response, MY_APPLICATIONS)["applications"]
    assert [a.posting.title for a in shown] == ["岗位1", "岗位2", "岗位3"]
    assert oldest not in shown
    html = panel_html(response, "panel-my-job-applications")
    for label in ("Submitted", "Interview", "Hired"):
        assert label in html
    assert 'class="badge' in html
    assert "别人的岗位" not in html
    assert reverse("jobs:my_applications") in html
    assert reverse("jobs:search") in html
    assert reverse("jobs:profile_edit") not in html


def test_worker_without_a_profile_is_asked_to_create_one(client, worker):
    response = open_workbench(client, worker)

    context = panel_context(response, MY_APPLICATIONS)
    assert (context["has_profile"], context["profile_complete"], context["applications"]) == (
        False,
        False,
        [],
    )
    html = panel_html(response, "panel-my-job-applications")
    assert "You have no job-seeking profile yet." in html
    assert reverse("jobs:profile_edit") in html
    assert "You have not applied for a job yet." in html


def test_worker_with_an_incomplete_profile_is_asked_to_complete_it(client, worker):
    factories.WorkerProfileFactory(user=worker, desired_occupations=[])

    response = open_workbench(client, worker)

    assert panel_context(response, MY_APPLICATIONS)["profile_complete"] is False
    html = panel_html(response, "panel-my-job-applications")
    assert "Your job-seeking profile is not complete." in html
    assert reverse("jobs:profile_edit") in html


def test_worker_without_a_home_county_is_asked_to_complete_the_profile(client, worker):
    factories.WorkerProfileFactory(user=worker, home_county=None)

    response = open_workbench(client, worker)

    assert panel_context(response, MY_APPLICATIONS)["profile_complete"] is False


def test_worker_panel_agrees_with_the_profile_rule(worker):
    profile = factories.WorkerProfileFactory(user=worker)
    assert panels.my_job_applications(worker).context["profile_complete"] is profile.is_complete is True


def test_worker_panel_runs_two_queries_however_many_applications(worker, django_assert_num_queries):
    factories.WorkerProfileFactory(user=worker)
    factories.ApplicationFactory.create_batch(6, worker=worker)
    with django_assert_num_queries(2):
        panel = panels.my_job_applications(worker)
    assert len(panel.context["applications"]) == 3


# --- Employer: my postings ----------------------------------------------------------------------------------

MY_POSTINGS = "jobs/panels/_my_postings.html"


def test_employer_sees_postings_by_status_and_new_applicants(client, employer):
    company = employer.employers.get()
    company.verified_at = timezone.now()
    company.save(update_fields=["verified_at"])
    open_posting = factories.JobPostingFactory(employer=company)
    factories.JobPostingFactory(employer=company)
    factories.JobPostingFactory(employer=company, draft=True)
    factories.JobPostingFactory(employer=company, filled=True)
    factories.ApplicationFactory.create_batch(2, posting=open_posting)
    factories.ApplicationFactory(posting=open_posting, status=AppStatus.VIEWED)
    others = factories.JobPostingFactory()  # another company's
    factories.ApplicationFactory.create_batch(3, posting=others)

    response = open_workbench(client, employer)

    context = panel_context(response, MY_POSTINGS)
    assert {value: count for value, _label, count in context["rows"]} == {
        PostingStatus.DRAFT: 1,
        PostingStatus.OPEN: 2,
        PostingStatus.FILLED: 1,
    }
    assert (context["total"], context["new_applicants"], context["verified"]) == (4, 2, True)
    html = panel_html(response, "panel-my-postings")
    assert "2 new applicants are waiting to be viewed." in html
    assert reverse("jobs:posting_manage_list") in html
    assert reverse("jobs:posting_create") in html
    assert "published once the city has verified your company" not in html


def test_unverified_employer_is_told_postings_are_published_after_verification(client, employer):
    response = open_workbench(client, employer)

    context = panel_context(response, MY_POSTINGS)
    assert (context["total"], context["new_applicants"], context["verified"]) == (0, 0, False)
    html = panel_html(response, "panel-my-postings")
    assert "they are published once the city has verified your company" in html
    assert "You have not created a job posting yet." in html


def test_employer_account_without_a_company_has_no_postings_panel(client):
    staff = factories.EmployerStaffFactory()

    response = open_workbench(client, staff)

    assert MY_POSTINGS not in [p.template for p in response.context["panels"]]


def test_employer_panel_runs_one_query_however_many_postings(employer, django_assert_num_queries):
    company = employer.employers.get()
    for posting in factories.JobPostingFactory.create_batch(4, employer=company):
        factories.ApplicationFactory.create_batch(2, posting=posting)
    with django_assert_num_queries(1):
        panel = panels.my_postings(employer)
    assert (panel.context["total"], panel.context["new_applicants"]) == (4, 8)


# --- City admin: employers awaiting verification ----------------------------------------------------------


def test_employers_panel_links_to_the_verification_queue(client, city_admin):
    factories.EmployerFactory(name="待审核机械厂")

    response = open_workbench(client, city_admin)

    html = panel_html(response, "panel-employers")
    assert "待审核机械厂" in html
    assert reverse("jobs:employer_queue") in html


def test_employers_panel_runs_one_query(city_admin, django_assert_num_queries):
    factories.EmployerFactory.create_batch(7)
    with django_assert_num_queries(1):
        panel = panels.employers_awaiting_verification(city_admin)
    assert (panel.context["pending_count"], len(panel.context["latest"])) == (7, 5)


# --- Labour cooperation -------------------------------------------------------------------------------------

COOPERATION = "jobs/panels/_labour_cooperation.html"


def hired(worker=None, province_code=None, when=None):
    """A hire into a new posting: in this city, or in the province with the given code."""
    away = {"province": factories.make_province(province_code), "county": None} if province_code else {}
    return factories.ApplicationFactory(
        posting=factories.JobPostingFactory(**away),
        status=AppStatus.HIRED,
        status_changed=when or timezone.now(),
        **({"worker": worker} if worker else {}),
    )


def shown_figures(context) -> tuple:
    return tuple(context["figures"][key]["figure"].value for key in panels.COOPERATION_METRICS)


def registry_figures(scope, period=None) -> tuple:
    period = period or Period.year_to_date()
    return tuple(figure(key, scope, period).value for key in panels.COOPERATION_METRICS)


def test_city_admin_sees_the_registrys_figures_for_the_city(client, city_admin, official_b):
    DockingFairFactory(held_on=TODAY)
    DockingFairFactory(held_on=TODAY, county=official_b.county)
    DockingFairFactory(held_on=datetime.date(TODAY.year - 1, 6, 1))
    hired(province_code="320000")
    hired(province_code="440000")
    hired()
    hired(when=city_moment(TODAY.year, 1, 1, 0, 0) - datetime.timedelta(days=1))  # last year's

    response = open_workbench(client, city_admin)

    context = panel_context(response, COOPERATION)
    assert shown_figures(context) == registry_figures(Scope.city()) == (2, 3, 2)
    assert context["county_only"] is False
    html = panel_html(response, "panel-labour-cooperation")
    assert f"The city, {period_shown(TODAY.year)}" in html
    for key in panels.COOPERATION_METRICS:
        assert definition_shown(key) in html
    assert reverse("jobs:fair_list") in html
    assert reverse("jobs:partner_list") in html


def test_official_sees_the_registrys_figures_for_the_county(client, official_a, official_b):
    DockingFairFactory(held_on=TODAY)  # the city's: the city's figure, not the county's
    DockingFairFactory(held_on=TODAY, county=official_a.county)
    DockingFairFactory(held_on=TODAY, county=official_b.county)  # another county's
    from_a = factories.WorkerProfileFactory(home_county=official_a.county).user
    from_b = factories.WorkerProfileFactory(home_county=official_b.county).user
    hired(worker=from_a, province_code="320000")
    hired(worker=from_a)
    hired(worker=from_b, province_code="320000")

    response = open_workbench(client, official_a)

    context = panel_context(response, COOPERATION)
    assert shown_figures(context) == registry_figures(Scope.county(official_a.county)) == (1, 2, 1)
    assert context["county_only"] is True
    assert f"Your county, {period_shown(TODAY.year)}" in panel_html(response, "panel-labour-cooperation")


@pytest.mark.parametrize("hired_at, counted", [(FIRST_MINUTES, (0, 1, 1)), (LAST_MINUTES, (0, 0, 0))])
@pytest.mark.usefixtures("new_year_morning")
def test_the_panels_year_starts_at_midnight_city_time(
    client,
    city_admin,
    hired_at,
    counted,
):
    hired(province_code="320000", when=hired_at)

    context = panel_context(open_workbench(client, city_admin), COOPERATION)

    new_year = Period(datetime.date(NEW_YEAR, 1, 1), datetime.date(NEW_YEAR, 1, 1))
    assert shown_figures(context) == registry_figures(Scope.city(), new_year) == counted
    assert context["period_label"] == period_shown(NEW_YEAR)


def test_planned_fairs_are_counted_apart(client, city_admin):
    planned = TODAY + datetime.timedelta(days=1)
    if planned.year != TODAY.year:
        pytest.skip("no later day this year")
    DockingFairFactory(held_on=planned)

    context = panel_context(open_workbench(client, city_admin), COOPERATION)

    assert (context["figures"]["docking_fairs"]["figure"].value, context["fairs_planned"]) == (0, 1)


@pytest.mark.parametrize("persona", ["city_admin", "official_a"])
def test_cooperation_panel_runs_five_queries(request, persona, django_assert_num_queries):
    user = request.getfixturevalue(persona)
    DockingFairFactory.create_batch(3, held_on=TODAY)
    hired(province_code="320000")
    with django_assert_num_queries(5):  # three figures, the home province, the fairs planned
        panels.labour_cooperation(user)
