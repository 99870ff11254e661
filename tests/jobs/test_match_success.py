"""The city's matching success (jobs.figures.match_success): workers hired at least once / workers who applied
at least once, and the share of hires that came from a recommendation; and how the runs page shows them."""

import pytest
from django.urls import reverse

from jobs.figures import match_success
from jobs.models import Application
from tests import factories

pytestmark = pytest.mark.django_db

AppStatus = Application.Status


@pytest.fixture
def applications():
    """Five workers who applied, two of them hired (one of those twice); three hires, two of them from a
    recommendation (an interview from a recommendation is not a hire)."""
    p1, p2, p3 = factories.JobPostingFactory.create_batch(3)
    a, b, c, d, e = factories.WorkerFactory.create_batch(5)
    apply = factories.ApplicationFactory
    apply(worker=a, posting=p1, status=AppStatus.HIRED)
    apply(worker=a, posting=p2, status=AppStatus.HIRED, recommendation=True)
    apply(worker=b, posting=p1)
    apply(worker=c, posting=p2, status=AppStatus.REJECTED)
    apply(worker=c, posting=p3, status=AppStatus.WITHDRAWN)
    apply(worker=d, posting=p3, status=AppStatus.INTERVIEW, recommendation=True)
    apply(worker=e, posting=p3, status=AppStatus.HIRED, recommendation=True)


def test_success_counts_workers_once_and_hires_each(applications, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = match_success()

    assert figures == {
        "applied_workers": 5,
        "hired_workers": 2,
        "success_rate": 40,
        "hires": 3,
        "recommended_hires": 2,
        "recommended_share": 67,
        "target": 75,
    }


def test_nothing_to_count_gives_no_percentages(db):
    assert match_success() == {
        "applied_workers": 0,
        "hired_workers": 0,
        "success_rate": None,
        "hires": 0,
        "recommended_hires": 0,
        "recommended_share": None,
        "target": 75,
    }


def test_applications_without_a_hire_give_a_rate_of_zero_and_no_share(db):
    factories.ApplicationFactory(status=AppStatus.REJECTED)
    figures = match_success()
    assert (figures["success_rate"], figures["recommended_share"]) == (0, None)


def runs_page(client, user):
    client.force_login(user)
    response = client.get(reverse("jobs:match_runs"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_runs_page_shows_the_figures_with_their_counts_and_the_target(client, city_admin, applications):
    content = runs_page(client, city_admin)

    assert '<span class="fs-5 fw-semibold" data-figure="success-rate">40%</span>' in content
    assert "target ≥ 75%" in content
    assert "Below target" in content
    assert "2 of 5 workers who applied were hired at least once." in content
    assert '<span class="fs-5 fw-semibold" data-figure="recommended-share">67%</span>' in content
    assert "2 of 3 hires came from a recommendation or an invitation to apply." in content
    assert "divided by the number of workers who applied for a job at least once" in content


def test_runs_page_shows_a_dash_when_nothing_is_counted(client, city_admin):
    content = runs_page(client, city_admin)

    assert '<span class="fs-5 fw-semibold" data-figure="success-rate">—</span>' in content
    assert '<span class="fs-5 fw-semibold" data-figure="recommended-share">—</span>' in content
    assert "0 of 0 workers who applied were hired at least once." in content
    assert "Below target" not in content
    assert "Target met" not in content


def test_runs_page_says_when_the_target_is_met(client, city_admin):
    for status in (AppStatus.HIRED, AppStatus.HIRED, AppStatus.HIRED, AppStatus.SUBMITTED):
        factories.ApplicationFactory(status=status)

    content = runs_page(client, city_admin)

    assert 'data-figure="success-rate">75%</span>' in content
    assert "Target met" in content
