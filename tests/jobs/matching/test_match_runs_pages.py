"""The city admins' matching pages: the runs (history, live progress, "run now") and the match weights. Who
may reach them, what a run now does in the embedded default (the run completes inside the request), a busy
lock and a broker that is down (a message, never a 500; the previous run stays the one users see), bad
weights (nothing saved) and weights kept in the history and used by the next run."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from jobs.matching import runs
from jobs.matching.runs import latest_run
from jobs.matching.weights import COMPONENTS, DEFAULT_WEIGHTS
from jobs.models import MatchRun, MatchWeights, Recommendation
from tests import factories
from tests.jobs.factories_matching import MatchRunFactory

pytestmark = pytest.mark.django_db

RUNS = reverse("jobs:match_runs")
START = reverse("jobs:match_run_start")
WEIGHTS = reverse("jobs:match_weights")
Status = MatchRun.Status


def progress_url(run):
    return reverse("jobs:match_run_progress", args=[run.pk])


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def weights_data(**changes):
    return {**DEFAULT_WEIGHTS, **changes}


def run_row(content, run):
    """The history table's row of a run."""
    match = re.search(rf'<tr data-run="{run.pk}".*?</tr>', content, re.S)
    assert match, f"no row for run {run.pk}"
    return match.group(0)


# --- Who may reach the pages --------------------------------------------------------------------------------


def requests_to_every_view(client, run):
    return {
        "runs": client.get(RUNS),
        "run now": client.post(START),
        "progress": client.get(progress_url(run)),
        "weights": client.get(WEIGHTS),
        "save weights": client.post(WEIGHTS, weights_data(level=90)),
    }


@pytest.mark.parametrize("persona", ["official_a", "institution_staff", "employer", "worker"])
def test_other_roles_get_403_and_change_nothing(client, request, persona):
    run = MatchRunFactory(running=True, heartbeat=timezone.now())
    client.force_login(request.getfixturevalue(persona))

    responses = requests_to_every_view(client, run)

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 403)
    assert list(MatchRun.objects.all()) == [run]
    assert MatchWeights.current().level == DEFAULT_WEIGHTS["level"]


def test_anonymous_is_sent_to_sign_in(client):
    run = MatchRunFactory(running=True, heartbeat=timezone.now())

    responses = requests_to_every_view(client, run)

    for response in responses.values():
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert list(MatchRun.objects.all()) == [run]
    assert MatchWeights.current().level == DEFAULT_WEIGHTS["level"]


def test_city_admin_reaches_every_page(admin_client):
    run = MatchRunFactory(running=True, heartbeat=timezone.now())
    assert admin_client.get(RUNS).status_code == 200
    assert admin_client.get(WEIGHTS).status_code == 200
    assert admin_client.get(progress_url(run)).status_code == 200


def test_run_now_takes_posts_only(admin_client):
    assert admin_client.get(START).status_code == 405
    assert not MatchRun.objects.exists()


# --- The runs page ------------------------------------------------------------------------------------------


def test_runs_page_lists_runs_with_their_figures_and_marks_the_one_users_see(admin_client, city_admin):
    now = timezone.now()
    older = MatchRunFactory(started_at=now - datetime.timedelta(days=2))
    shown = MatchRunFactory(
        trigger=MatchRun.Trigger.MANUAL,
        started_by=city_admin,
        started_at=now - datetime.timedelta(days=1, seconds=75),
        finished_at=now - datetime.timedelta(days=1),
        workers=12345,
        postings=678,
        pairs=4567890,
        recommendations=98765,
        seconds={"load": 1.25, "score": 0.5, "write": 2.0, "publish": 0.125},
    )
    failed = MatchRunFactory(failed=True, error="OperationalError: server closed the connection")

    response = admin_client.get(RUNS)

    assert [run.pk for run in response.context["page_obj"]] == [failed.pk, shown.pk, older.pk]
    content = response.content.decode()
    row = run_row(content, shown)
    assert "data-shown-to-users" in row
    for text in (
        "Completed",
        "Started by a city admin",
        city_admin.display_name,
        timezone.localtime(shown.started_at).strftime("%Y-%m-%d %H:%M:%S"),
        "75.0 s",
        "12,345",
        "678",
        "4,567,890",
        "98,765",
        "load 1.25",
        "score 0.50",
        "write 2.00",
        "publish 0.13",
    ):
        assert text in row
    assert "data-shown-to-users" not in run_row(content, older)
    assert "data-shown-to-users" not in run_row(content, failed)
    assert "Failed" in run_row(content, failed)
    assert "OperationalError: server closed the connection" in content
    assert 'action="' + START + '"' in content
    assert reverse("jobs:match_weights") in content


def test_runs_page_without_runs_says_so(admin_client):
    response = admin_client.get(RUNS)
    assert "No matching run yet." in response.content.decode()
    assert response.context["shown"] is None


def test_running_run_shows_its_progress_with_the_polling_script(admin_client):
    run = MatchRunFactory(running=True, heartbeat=timezone.now(), chunks_total=8, chunks_done=3)

    content = admin_client.get(RUNS).content.decode()

    assert f'data-match-progress-url="{progress_url(run)}"' in content
    assert '<progress class="w-100"' in content
    assert 'value="3" max="8"' in content
    assert "<span data-progress>38</span>%" in content
    assert "/static/js/match_progress.js" in content
    assert f"Run #{run.pk} in progress" in content


def test_page_without_a_running_run_loads_no_script(admin_client):
    MatchRunFactory()
    content = admin_client.get(RUNS).content.decode()
    assert "match_progress.js" not in content
    assert "data-match-progress-url" not in content


def test_progress_reports_a_running_runs_chunks(admin_client):
    run = MatchRunFactory(running=True, heartbeat=timezone.now(), chunks_total=8, chunks_done=3)

    response = admin_client.get(progress_url(run))

    assert response.json() == {"status": "running", "progress": 38, "chunks_done": 3, "chunks_total": 8}
    assert "no-cache" in response["Cache-Control"]


def test_progress_of_a_finished_run_says_so(admin_client):
    run = MatchRunFactory(failed=True, chunks_done=1, chunks_total=4)
    assert admin_client.get(progress_url(run)).json() == {
        "status": "failed",
        "progress": 25,
        "chunks_done": 1,
        "chunks_total": 4,
    }


def test_progress_of_an_unknown_run_is_404(admin_client):
    assert admin_client.get(reverse("jobs:match_run_progress", args=[999999])).status_code == 404


def test_runs_are_paginated_with_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    MatchRunFactory()
    admin_client.get(RUNS)  # the session and the weights row are in place
    with django_assert_max_num_queries(20) as few:
        admin_client.get(RUNS)
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(21):
        MatchRunFactory(
            started_at=start + datetime.timedelta(days=day),
            started_by=factories.CityAdminFactory(),
            trigger=MatchRun.Trigger.MANUAL,
        )
    MatchRunFactory(failed=True)

    with django_assert_max_num_queries(20) as many:
        first = admin_client.get(RUNS)
    second = admin_client.get(RUNS, {"page": 2})

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(first.context["page_obj"]) == 20
    assert len(second.context["page_obj"]) == 3


# --- Run now ------------------------------------------------------------------------------------------------


def test_run_now_completes_a_run_in_process_and_the_page_shows_it(admin_client, city_admin):
    factories.WorkerProfileFactory()
    posting = factories.JobPostingFactory()

    response = admin_client.post(START)

    assert response.status_code == 302
    assert response.url == RUNS
    run = MatchRun.objects.get()
    assert (run.status, run.trigger, run.started_by, run.active) == (
        Status.COMPLETED,
        MatchRun.Trigger.MANUAL,
        city_admin,
        False,
    )
    assert run.workers == 1
    assert Recommendation.objects.filter(run=run, posting=posting).exists()
    assert latest_run() == run
    assert messages_of(response) == [
        ("success", f"Run #{run.pk} completed: {run.recommendations} recommendations; users now see them.")
    ]
    row = run_row(admin_client.get(RUNS).content.decode(), run)
    assert 'data-run-status="completed"' in row
    assert "data-shown-to-users" in row


def test_run_now_with_a_broker_hands_the_run_over_and_the_page_follows_it(admin_client):
    with mock.patch("jobs.matching.tasks.dispatch") as dispatch:  # a broker took the chunks
        response = admin_client.post(START)

    run = MatchRun.objects.get()
    dispatch.assert_called_once_with(run)
    assert (run.status, run.active) == (Status.RUNNING, True)
    assert messages_of(response) == [
        ("success", f"Run #{run.pk} started; it runs in the background and the page shows its progress.")
    ]
    assert f'data-match-progress-url="{progress_url(run)}"' in admin_client.get(RUNS).content.decode()


def test_run_now_that_fails_in_process_says_why(admin_client):
    def fail(run):  # an in-process run whose errors are not propagated
        runs.match_run_fail(run.pk, "ValueError: no occupations")

    with mock.patch("jobs.matching.tasks.dispatch", side_effect=fail):
        response = admin_client.post(START)

    run = MatchRun.objects.get()
    assert run.status == Status.FAILED
    assert messages_of(response) == [
        ("error", f"Run #{run.pk} failed; the previous recommendations stay in place.")
    ]
    # The technical reason is kept on the run and folded away on the runs page.
    assert run.error == "ValueError: no occupations"
    row = admin_client.get(RUNS).content.decode().split(f'data-run-error="{run.pk}"')[1].split("</tr>")[0]
    assert "<details" in row and "ValueError: no occupations" in row.split("<details")[1]


def test_run_now_whose_chunk_raises_in_process_gives_a_message_not_an_error_page(admin_client):
    previous = MatchRunFactory()
    factories.WorkerProfileFactory()

    with mock.patch("jobs.matching.runs.match_chunk_process", side_effect=RuntimeError("disk full")):
        response = admin_client.post(START)

    assert response.status_code == 302
    run = MatchRun.objects.exclude(pk=previous.pk).get()
    assert (run.status, run.active) == (Status.FAILED, False)
    assert "RuntimeError: disk full" in run.error
    assert messages_of(response) == [
        ("error", f"Run #{run.pk} failed; the previous recommendations stay. See its error below.")
    ]
    assert latest_run() == previous


def test_run_now_while_a_run_is_in_progress_warns_and_starts_nothing(admin_client):
    running = MatchRunFactory(running=True, heartbeat=timezone.now())

    response = admin_client.post(START, follow=True)

    assert response.status_code == 200
    assert list(MatchRun.objects.all()) == [running]
    ((level, text),) = messages_of(response)
    assert level == "warning"
    assert f"Run #{running.pk} is still in progress" in text
    assert text in response.content.decode()


@pytest.mark.parametrize("unreachable", ["jobs.matching.tasks.dispatch", "jobs.matching.tasks.chord"])
def test_run_now_with_the_broker_down_records_a_failed_run_and_keeps_the_previous_one(
    admin_client, unreachable
):
    previous = MatchRunFactory()
    factories.WorkerProfileFactory()
    factories.JobPostingFactory()  # so the run has chunks to hand over

    with mock.patch(unreachable, side_effect=BrokerDown("Error 111 connecting to redis")):
        response = admin_client.post(START)
    page = admin_client.get(RUNS)

    assert response.status_code == 302
    assert page.status_code == 200
    assert messages_of(response) == [
        (
            "error",
            "The background service that runs matching could not be reached, so the run did not start. "
            "Try again later.",
        )
    ]
    failed = MatchRun.objects.exclude(pk=previous.pk).get()
    assert (failed.status, failed.active) == (Status.FAILED, False)
    assert "Error 111 connecting to redis" in failed.error
    assert latest_run() == previous
    content = page.content.decode()
    assert "data-shown-to-users" in run_row(content, previous)
    assert 'data-run-status="failed"' in run_row(content, failed)
    assert "Error 111 connecting to redis" in content


# --- Weights ------------------------------------------------------------------------------------------------


def test_weights_page_explains_the_score_and_shows_the_current_weights(admin_client):
    response = admin_client.get(WEIGHTS)

    assert {name: response.context["form"][name].value() for name in COMPONENTS} == DEFAULT_WEIGHTS
    content = response.content.decode()
    assert "weighted mean" in content
    assert "need not add up to 100" in content
    assert "The next matching run uses the weights saved here" in content
    assert "falling to none after 60 days" in content  # the freshness component explained
    for name in COMPONENTS:
        assert f'name="{name}"' in content


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"level": "-1"}, "level", "greater than or equal to 0"),
        ({"brand": "101"}, "brand", "less than or equal to 100"),
        ({"salary": "lots"}, "salary", "Enter a whole number."),
        ({"location": ""}, "location", "This field is required."),
        (dict.fromkeys(COMPONENTS, "0"), None, "At least one weight must be above zero."),
    ],
    ids=["negative", "above-100", "not-a-number", "missing", "all-zero"],
)
def test_bad_weights_are_refused_and_nothing_changes(admin_client, changes, field, error):
    MatchWeights.current()
    history_before = MatchWeights.history.count()

    response = admin_client.post(WEIGHTS, weights_data(**changes))

    assert response.status_code == 400
    form = response.context["form"]
    assert any(error in message for message in form.errors[field or "__all__"])
    assert error in response.content.decode()
    assert MatchWeights.current().as_dict() == DEFAULT_WEIGHTS
    assert MatchWeights.history.count() == history_before


def test_changed_weights_are_kept_in_the_history_and_used_by_the_next_run(admin_client, city_admin):
    MatchWeights.current()

    response = admin_client.post(WEIGHTS, weights_data(level=45, fairness=0))

    assert response.status_code == 302
    assert response.url == WEIGHTS
    assert messages_of(response) == [("success", "Weights saved. The next matching run uses them.")]
    expected = weights_data(level=45, fairness=0)
    assert MatchWeights.current().as_dict() == expected
    latest = MatchWeights.history.order_by("-history_date", "-history_id").first()
    assert (latest.updated_by, latest.level, latest.fairness) == (city_admin, 45, 0)
    page = admin_client.get(WEIGHTS).content.decode()
    row = re.search(rf'<tr data-weights-change="{latest.history_id}">.*?</tr>', page, re.S).group(0)
    assert city_admin.display_name in row
    assert ">45<" in row

    admin_client.post(START)

    assert MatchRun.objects.get().weights == expected


def test_weight_changes_are_paginated(admin_client, city_admin):
    for level in range(1, 13):
        admin_client.post(WEIGHTS, weights_data(level=level))

    first = admin_client.get(WEIGHTS)
    second = admin_client.get(WEIGHTS, {"page": 2})

    # twelve changes and the row's creation, newest first
    assert [r.level for r in first.context["page_obj"]] == list(range(12, 2, -1))
    assert [r.level for r in second.context["page_obj"]] == [2, 1, DEFAULT_WEIGHTS["level"]]
