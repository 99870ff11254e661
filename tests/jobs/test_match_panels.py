"""The matching panels of the workbench: a worker's "Recommended for you" (the best three of the latest
completed run) and the city admins' "Matching" (the run users see, a running run's progress, the success
figures). What each shows, to whom, and that each runs a fixed number of queries."""

import datetime
import functools

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import panels
from jobs.models import Application
from laborbrand.metrics import Period, Scope, figure
from tests import factories, workbench
from tests.jobs.factories_matching import MatchRunFactory, RecommendationFactory
from tests.workbench import panel_context, panel_html

# The jobs panels are checked in English.
open_workbench = functools.partial(workbench.open_workbench, HTTP_ACCEPT_LANGUAGE="en")

pytestmark = pytest.mark.django_db

RECOMMENDED = "jobs/panels/_recommended_for_you.html"
MATCHING = "jobs/panels/_matching.html"


def recommend(run, worker, scores):
    """The worker's list in a run: one new posting per score, ranked in the order given."""
    return [
        RecommendationFactory(
            run=run, worker=worker, worker_rank=rank, score=score, posting__title=f"推荐岗位{rank}"
        )
        for rank, score in enumerate(scores, start=1)
    ]


# --- Worker: recommended for you ----------------------------------------------------------------------------


def test_worker_sees_the_best_three_of_the_latest_run_with_score_and_links(client, worker):
    factories.WorkerProfileFactory(user=worker)
    old_run = MatchRunFactory(finished_at=timezone.now() - datetime.timedelta(days=1))
    RecommendationFactory(run=old_run, worker=worker, posting__title="旧的推荐")
    run = MatchRunFactory()
    best = recommend(run, worker, [91.4, 85.0, 77.6, 70.2, 60.0])
    RecommendationFactory(run=run, posting__title="别人的推荐")

    response = open_workbench(client, worker)

    assert panel_context(response, RECOMMENDED)["recommendations"] == best[:3]
    html = panel_html(response, "panel-recommended-for-you")
    assert html.index("推荐岗位1") < html.index("推荐岗位2") < html.index("推荐岗位3")
    for text in ("91 / 100", "85 / 100", "78 / 100", best[0].posting.employer.name):
        assert text in html
    for hidden in ("推荐岗位4", "旧的推荐", "别人的推荐"):
        assert hidden not in html
    assert reverse("jobs:posting_detail", args=[best[0].posting_id]) in html
    assert reverse("jobs:recommended") in html


def test_worker_without_recommendations_is_told_they_come_nightly(client, worker):
    factories.WorkerProfileFactory(user=worker)
    MatchRunFactory()

    response = open_workbench(client, worker)

    context = panel_context(response, RECOMMENDED)
    assert (context["recommendations"], context["switched_off"]) == ([], False)
    html = panel_html(response, "panel-recommended-for-you")
    assert "No recommendations for you yet." in html
    assert reverse("jobs:recommended") in html


def test_worker_who_switched_personalisation_off_sees_no_recommendations(client, worker):
    factories.WorkerProfileFactory(user=worker, personalised=False)
    recommend(MatchRunFactory(), worker, [90.0])

    response = open_workbench(client, worker)

    assert panel_context(response, RECOMMENDED) == {"recommendations": [], "switched_off": True}
    html = panel_html(response, "panel-recommended-for-you")
    assert "You switched personalised recommendations off" in html
    assert "推荐岗位1" not in html
    assert reverse("jobs:recommended") in html


def test_worker_panel_runs_a_fixed_number_of_queries(worker, django_assert_num_queries):
    factories.WorkerProfileFactory(user=worker)
    run = MatchRunFactory()
    recommend(run, worker, [90.0])
    with django_assert_num_queries(3):
        assert len(panels.recommended_for_you(worker).context["recommendations"]) == 1
    recommend(MatchRunFactory(), worker, [90.0, 80.0, 70.0, 60.0, 50.0])
    with django_assert_num_queries(3):
        assert len(panels.recommended_for_you(worker).context["recommendations"]) == 3


# --- City admin: matching -----------------------------------------------------------------------------------


def test_city_admin_sees_the_run_users_see_a_running_run_and_the_success_figures(client, city_admin):
    shown = MatchRunFactory(workers=1234, postings=56, recommendations=7890)
    MatchRunFactory(failed=True)
    running = MatchRunFactory(running=True, heartbeat=timezone.now(), chunks_total=4, chunks_done=1)
    factories.ApplicationFactory(status=Application.Status.HIRED, recommendation=True)
    factories.ApplicationFactory()

    response = open_workbench(client, city_admin)

    context = panel_context(response, MATCHING)
    assert (context["shown"], context["running"]) == (shown, running)
    assert context["success"]["figure"] == figure("match_success", Scope.city(), Period.year_to_date())
    assert context["success"]["figure"].value == 50
    html = panel_html(response, "panel-matching")
    for text in (
        f"Users see run #{shown.pk}, finished {timezone.localtime(shown.finished_at):%Y-%m-%d %H:%M}.",
        "Workers scored: 1,234",
        "Open postings: 56",
        "Recommendations: 7,890",
        f"Run #{running.pk} in progress",
        'value="1" max="4"',
        'data-figure="success-rate">50.0%</span>',
        "1 of 2 workers who applied were hired at least once.",
        'data-figure="recommended-share">100.0%</span>',
    ):
        assert text in html
    assert reverse("jobs:match_runs") in html
    assert reverse("jobs:match_weights") in html


def test_city_admin_before_any_run_is_told_users_see_nothing_yet(client, city_admin):
    response = open_workbench(client, city_admin)

    html = panel_html(response, "panel-matching")
    assert "No matching run has completed yet" in html
    assert "<progress" not in html
    assert 'data-figure="success-rate">—</span>' in html


def test_city_admin_panel_runs_five_queries(city_admin, django_assert_num_queries):
    MatchRunFactory.create_batch(3)
    MatchRunFactory(running=True, heartbeat=timezone.now())
    factories.ApplicationFactory.create_batch(2, status=Application.Status.HIRED)
    with django_assert_num_queries(5):  # the two runs, the success rate's two counts, the hires
        panels.matching(city_admin)


@pytest.mark.parametrize("persona", ["official_a", "institution_staff", "employer", "worker"])
def test_only_city_admins_get_the_matching_panel(client, request, persona):
    MatchRunFactory()
    response = open_workbench(client, request.getfixturevalue(persona))
    assert MATCHING not in [p.template for p in response.context["panels"]]
    assert (RECOMMENDED in [p.template for p in response.context["panels"]]) is (persona == "worker")
