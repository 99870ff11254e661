"""The city's matching success on the matching pages (jobs.figures.matching_figures): the registry's
`match_success` for the year to date (workers hired at least once over workers who applied), and the share of
the year's hires that came from a recommendation; how the runs page and the workbench panel show them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.figures import matching_figures
from jobs.models import Application
from laborbrand.metrics import Period, Scope, figure
from tests import factories
from tests.year_to_date import (  # noqa: F401
    FIRST_MINUTES,
    LAST_MINUTES,
    NEW_YEAR,
    definition_shown,
    new_year_morning,
    period_shown,
)

pytestmark = pytest.mark.django_db

AppStatus = Application.Status


@pytest.fixture
def applications():
    """Five workers who applied this year, two of them hired (one of those twice); three hires, two of them
    from a recommendation (an interview from a recommendation is not a hire)."""
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


def test_success_is_the_registrys_figure_and_the_share_of_the_years_hires(
    applications, django_assert_num_queries
):
    period = Period.year_to_date()
    with django_assert_num_queries(3):
        figures = matching_figures(period)

    success = figure("match_success", Scope.city(), period)
    assert figures["figure"] == success
    assert (success.value, success.numerator, success.denominator) == (40, 2, 5)
    assert (figures["hires"], figures["recommended_hires"], figures["recommended_share"]) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert figures["hires"] == figure("placements", Scope.city(), period).value


def test_nothing_to_count_gives_no_percentages(db):
    figures = matching_figures(Period.year_to_date())
    assert (figures["figure"].value, figures["hires"], figures["recommended_share"]) == (None, 0, None)


def test_applications_without_a_hire_give_a_rate_of_zero_and_no_share(db):
    factories.ApplicationFactory(status=AppStatus.REJECTED)
    figures = matching_figures(Period.year_to_date())
    assert (figures["figure"].value, figures["recommended_share"]) == (0, None)


def runs_page(client, user):
    client.force_login(user)
    response = client.get(reverse("jobs:match_runs"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_runs_page_shows_the_figures_with_their_counts_period_and_definition(
    client, city_admin, applications
):
    content = runs_page(client, city_admin)

    assert '<span class="fs-5 fw-semibold" data-figure="success-rate">40.0%</span>' in content
    assert "2 of 5 workers who applied were hired at least once." in content
    assert '<span class="fs-5 fw-semibold" data-figure="recommended-share">66.7%</span>' in content
    assert "2 of 3 hires came from a recommendation or an invitation to apply." in content
    assert period_shown(timezone.localdate().year) in content
    assert definition_shown("match_success") in content
    # The target is the dashboards' (targets/), which the job board does not import.
    assert "target ≥" not in content
    assert "programme dashboards" in content


def test_runs_page_shows_a_dash_when_nothing_is_counted(client, city_admin):
    content = runs_page(client, city_admin)

    assert '<span class="fs-5 fw-semibold" data-figure="success-rate">—</span>' in content
    assert '<span class="fs-5 fw-semibold" data-figure="recommended-share">—</span>' in content
    assert "0 of 0 workers who applied were hired at least once." in content


@pytest.mark.parametrize(
    "hired_at, counted",
    [
        (FIRST_MINUTES, True),  # 00:05 on 1 January, city time: this year
        (LAST_MINUTES, False),  # 23:55 on 31 December, city time: last year
    ],
)
@pytest.mark.usefixtures("new_year_morning")
def test_the_year_starts_at_midnight_city_time(client, city_admin, hired_at, counted):
    worker = factories.WorkerFactory()
    factories.ApplicationFactory(
        worker=worker, status=AppStatus.HIRED, created=hired_at, status_changed=hired_at
    )
    period = Period(datetime.date(NEW_YEAR, 1, 1), datetime.date(NEW_YEAR, 1, 1))
    success = figure("match_success", Scope.city(), period)

    content = runs_page(client, city_admin)

    assert (success.numerator, success.denominator) == ((1, 1) if counted else (0, 0))
    shown = "1 of 1 worker who applied was hired at least once." if counted else "0 of 0 workers"
    assert shown in content
    assert period_shown(NEW_YEAR) in content


def test_the_workbench_panel_shows_the_same_figure(client, city_admin, applications):
    client.force_login(city_admin)
    content = client.get(reverse("accounts:workbench"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-figure="success-rate">40.0%</span>' in content
    assert "2 of 5 workers who applied were hired at least once." in content
    assert definition_shown("match_success") in content
