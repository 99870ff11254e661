"""The matching pages through the test client: a worker's "recommended for you" (explained, with training
advice for a level gap, the switch for personalised recommendations and the newest jobs when there is
nothing to recommend), an employer's recommended candidates (masked until they apply, "invite to apply"),
and applying from a recommendation. Who may reach which page, only the latest completed run shown, refusals
as messages, and a fixed number of queries however many recommendations."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jobs.matching import explanations
from jobs.models import Application, MatchInvitation, Recommendation, WorkerProfile, home_province_id
from laborbrand.accounts.models import Notification
from tests import factories
from tests.jobs.factories_apps import apply, employer_b, logged_in, messages_of, url, verified_company
from tests.jobs.factories_matching import MatchRunFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(employer):
    return verified_company(employer)


@pytest.fixture
def posting(company):
    return factories.JobPostingFactory(employer=company, title="数控车工（推荐）")


@pytest.fixture
def profile(worker):
    return factories.WorkerProfileFactory(user=worker)


@pytest.fixture
def run(db):
    return MatchRunFactory()


@pytest.fixture
def rec(run, worker, profile, posting):
    return RecommendationFactory(run=run, worker=worker, posting=posting)


def page_of(client, name, *args, **query) -> str:
    response = client.get(url(name, *args), query)
    assert response.status_code == 200
    return response.content.decode()


def level_gap(rec, *, required=3, held=2):
    """Give the recommendation's posting a minimum level the worker does not reach."""
    rec.posting.min_level = factories.make_level(required)
    rec.posting.save(update_fields=["min_level"])
    rec.held_level = held
    rec.level = round(600 * held / required)
    rec.save(update_fields=["held_level", "level"])
    return rec


def programme(occupation, *, rank=3, **fields):
    return factories.TrainingProgramFactory(
        occupation=occupation, target_level=factories.make_level(rank), **{"enrolling": True, **fields}
    )


# --- Who may reach which page -------------------------------------------------------------------------------

ROLES = ["anonymous", "worker", "employer", "employer_b", "institution_staff", "official_a", "city_admin"]
EXPECTED = {  # view → status per role (302 for the worker's and the employer's own actions: done, redirected)
    "recommended": {"worker": 200, "employer": 403, "employer_b": 403},
    "personalisation": {"worker": 302, "employer": 403, "employer_b": 403},
    "candidate_list": {"worker": 403, "employer": 200, "employer_b": 404},
    "candidate_invite": {"worker": 403, "employer": 302, "employer_b": 404},
}
POST_ONLY = {"personalisation", "candidate_invite"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", list(EXPECTED))
def test_who_may_reach_each_matching_page(request, client, rec, view, role):
    args = {"candidate_list": (rec.posting_id,), "candidate_invite": (rec.pk,)}.get(view, ())
    if role == "employer_b":
        logged_in(client, employer_b())
    elif role != "anonymous":
        logged_in(client, request.getfixturevalue(role))
    send = client.post if view in POST_ONLY else client.get
    response = send(url(view, *args), {"personalised": "off"})
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        return
    assert response.status_code == EXPECTED[view].get(role, 403)
    assert MatchInvitation.objects.exists() is (view == "candidate_invite" and role == "employer")


@pytest.mark.parametrize("view", sorted(POST_ONLY))
def test_post_only_views_refuse_get(client, worker, employer, rec, view):
    user, args = (worker, ()) if view == "personalisation" else (employer, (rec.pk,))
    response = logged_in(client, user).get(url(view, *args))
    assert response.status_code == 405
    assert not MatchInvitation.objects.exists()
    assert WorkerProfile.objects.get(user=worker).personalised is True


# --- The worker's recommendations ---------------------------------------------------------------------------


def test_worker_sees_their_recommendation_explained_with_a_link_that_says_where_they_came_from(
    client, worker, rec, run
):
    page = page_of(logged_in(client, worker), "recommended")
    posting = rec.posting
    assert posting.title in page
    assert posting.employer.name in page
    assert "¥6,000–8,000/month" in page
    assert 'data-match-score="98"' in page  # 97.5 rounded
    assert f'href="{url("posting_detail", posting.pk)}?from=recommendation"' in page
    assert "In an occupation you want or hold a certificate in" in page
    assert "In your home county" in page
    assert "Pay reaches your expectation" in page
    assert "Published within the last month" in page  # the one component not fully met (freshness 0.5)
    assert "+2.5 of 5" in page
    assert f"Computed {timezone.localtime(run.finished_at):%Y-%m-%d %H:%M}" in page
    assert 'data-personalised="on"' in page
    assert "data-fallback" not in page


def test_employer_wording_speaks_of_the_candidate(client, employer, rec):
    rec.brand, rec.location = 0, 300
    rec.save(update_fields=["brand", "location"])
    rec.posting.brand = factories.CultivatingBrandFactory(name="金寨电工")
    rec.posting.save(update_fields=["brand"])
    page = page_of(logged_in(client, employer), "candidate_list", rec.posting_id)
    assert "Not a member of the 金寨电工 brand" in page
    assert "Willing to work in another province" in page
    assert "Wants this occupation or holds a certificate in it" in page


def test_only_the_latest_completed_run_is_shown(client, worker, employer, profile, company):
    older, latest = MatchRunFactory(), MatchRunFactory()
    shown, old, unfinished = (factories.JobPostingFactory(employer=company) for _ in range(3))
    RecommendationFactory(run=older, worker=worker, posting=old)
    RecommendationFactory(run=latest, worker=worker, posting=shown)
    for newer in (MatchRunFactory(failed=True), MatchRunFactory(running=True)):
        RecommendationFactory(run=newer, worker=worker, posting=unfinished)

    page = page_of(logged_in(client, worker), "recommended")
    assert shown.title in page
    assert old.title not in page
    assert unfinished.title not in page
    assert page_of(logged_in(client, employer), "candidate_list", shown.pk).count("data-candidate=") == 1
    for posting in (old, unfinished):
        assert "data-candidate=" not in page_of(client, "candidate_list", posting.pk)


def test_training_that_closes_a_level_gap_is_offered(client, worker, rec):
    level_gap(rec, required=3, held=2)
    occupation = rec.posting.occupation
    enrolling = programme(occupation, rank=3, title="车工高级工培训班")
    higher = programme(occupation, rank=4, title="车工技师培训班")
    not_shown = [
        programme(occupation, rank=2, title="车工中级工培训班"),  # below the level asked for
        programme(occupation, rank=3, title="车工在训班", enrolling=False, running=True),
        programme(occupation, rank=3, title="车工计划班", enrolling=False),  # planned
        programme(factories.make_occupations(2)[1], rank=3, title="别的工种培训班"),
    ]
    page = page_of(logged_in(client, worker), "recommended")
    assert "Needs 三级/高级工; you hold 四级/中级工" in page
    assert "data-training-advice" in page
    assert enrolling.title in page and higher.title in page
    assert f'href="{reverse("training:program_public_detail", args=[enrolling.pk])}"' in page
    for other in not_shown:
        assert other.title not in page


def test_no_training_advice_without_a_level_gap(client, worker, rec):
    level_gap(rec, required=3, held=3)
    programme(rec.posting.occupation, rank=3, title="车工高级工培训班")
    page = page_of(logged_in(client, worker), "recommended")
    assert "Needs 三级/高级工 or above; you hold 三级/高级工" in page
    assert "data-training-advice" not in page
    assert "车工高级工培训班" not in page


def test_a_gap_without_an_enrolling_programme_says_so(client, worker, rec):
    level_gap(rec, required=4, held=0)
    page = page_of(logged_in(client, worker), "recommended")
    assert "Needs 二级/技师; you hold no certificate in this occupation" in page
    assert "No programme for it is taking applications right now." in page


def _queries(client, name, *args) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(name, *args)).status_code == 200
    return len(queries)


def test_recommended_page_runs_a_fixed_number_of_queries(client, worker, profile, run, company):
    logged_in(client, worker)

    def add(n):
        for _ in range(n):
            level_gap(RecommendationFactory(run=run, worker=worker, posting=factories.JobPostingFactory()))

    add(2)
    programme(factories.make_occupations(1)[0], rank=3)  # the postings' occupation
    client.get(url("recommended"))  # the reference rows are cached from here on
    two = _queries(client, "recommended")
    add(8)
    page = client.get(url("recommended")).content.decode()
    assert page.count("data-recommendation=") == 10
    assert page.count("data-training-advice") == 10
    assert _queries(client, "recommended") == two


def test_candidate_page_runs_a_fixed_number_of_queries(client, employer, posting, run):
    logged_in(client, employer)

    def add(n):
        """n candidates: the first has applied, the others are invited."""
        for i in range(n):
            worker = factories.WorkerProfileFactory().user
            rank = Recommendation.objects.count() + 1
            RecommendationFactory(run=run, worker=worker, posting=posting, posting_rank=rank)
            if i == 0:
                apply(posting, worker)
            else:
                MatchInvitation.objects.create(posting=posting, worker=worker, invited_by=employer)

    add(2)
    client.get(url("candidate_list", posting.pk))
    two = _queries(client, "candidate_list", posting.pk)
    add(8)
    assert client.get(url("candidate_list", posting.pk)).content.decode().count("data-candidate=") == 10
    assert _queries(client, "candidate_list", posting.pk) == two


# --- When there is nothing to recommend: the newest jobs, and why ------------------------------------------


def test_without_a_profile_the_worker_sees_the_newest_jobs_and_is_asked_to_complete_it(client, worker, run):
    newest = factories.JobPostingFactory(title="最新的岗位")
    page = page_of(logged_in(client, worker), "recommended")
    assert 'data-fallback="profile"' in page
    assert f"{url('profile_edit')}?next=%2Fjobs%2Frecommended%2F" in page
    assert newest.title in page
    assert f'href="{url("posting_detail", newest.pk)}"' in page


def test_without_a_completed_run_the_worker_is_told_none_has_run(client, worker, profile):
    MatchRunFactory(running=True)
    newest = factories.JobPostingFactory(title="最新的岗位")
    page = page_of(logged_in(client, worker), "recommended")
    assert 'data-fallback="no_run"' in page
    assert "none have been computed yet" in page
    assert newest.title in page


def test_a_worker_the_run_found_nothing_for_is_told_so(client, worker, profile, run):
    page = page_of(logged_in(client, worker), "recommended")
    assert 'data-fallback="none_found"' in page


def test_switching_off_hides_the_list_and_the_candidate_and_switching_on_brings_them_back(
    client, worker, employer, rec
):
    response = logged_in(client, worker).post(url("personalisation"), {"personalised": "off"})
    assert response.status_code == 302 and response.url == url("recommended")
    assert messages_of(response)[-1][0] == "success"
    assert WorkerProfile.objects.get(user=worker).personalised is False
    page = page_of(client, "recommended")
    assert 'data-fallback="opted_out"' in page
    assert 'data-personalised="off"' in page
    assert "data-recommendation=" not in page
    assert rec.posting.title in page  # now among the newest jobs, without the recommendation's marker
    assert f"{url('posting_detail', rec.posting_id)}?from=recommendation" not in page

    employer_client = logged_in(client.__class__(), employer)
    assert "data-candidate=" not in page_of(employer_client, "candidate_list", rec.posting_id)
    assert employer_client.post(url("candidate_invite", rec.pk)).status_code == 404
    assert not Notification.objects.filter(recipient=worker).exists()

    client.post(url("personalisation"), {"personalised": "on"})
    assert "data-recommendation=" in page_of(client, "recommended")
    assert "data-candidate=" in page_of(employer_client, "candidate_list", rec.posting_id)


@pytest.mark.parametrize("value", ["", "maybe", "True"])
def test_a_bad_switch_value_changes_nothing(client, worker, profile, value):
    response = logged_in(client, worker).post(url("personalisation"), {"personalised": value})
    assert response.status_code == 302
    assert messages_of(response)[-1][0] == "error"
    assert WorkerProfile.objects.get(user=worker).personalised is True


# --- The employer's candidates ------------------------------------------------------------------------------


def test_a_candidate_is_masked_until_they_apply(client, worker, employer, rec):
    worker.real_name = "李明远"
    worker.save()
    logged_in(client, employer)
    page = page_of(client, "candidate_list", rec.posting_id)
    assert "Candidate 1" in page
    assert "金寨县" in page  # their home county
    assert "3 years" in page
    for personal in (worker.real_name, worker.username, worker.phone, worker.id_number, worker.masked_phone):
        assert personal not in page
    assert url("candidate_invite", rec.pk) in page

    application = apply(rec.posting, worker)
    page = page_of(client, "candidate_list", rec.posting_id)
    assert worker.real_name in page
    assert worker.phone in page
    assert f'href="{url("applicant_detail", application.pk)}"' in page
    assert worker.id_number not in page
    assert url("candidate_invite", rec.pk) not in page


def test_employer_b_never_sees_employer_a_candidates(client, rec):
    logged_in(client, employer_b())
    assert client.get(url("candidate_list", rec.posting_id)).status_code == 404
    assert client.post(url("candidate_invite", rec.pk)).status_code == 404
    assert not MatchInvitation.objects.exists()


def test_inviting_notifies_the_worker_once_and_a_second_invitation_is_refused(client, worker, employer, rec):
    logged_in(client, employer)
    response = client.post(url("candidate_invite", rec.pk))
    assert response.status_code == 302 and response.url == url("candidate_list", rec.posting_id)
    invited = "“Candidate 1” is invited to apply and has been notified."
    assert messages_of(response)[-1] == ("success", invited)
    invitation = MatchInvitation.objects.get()
    assert (invitation.posting, invitation.worker, invitation.invited_by) == (rec.posting, worker, employer)
    notification = Notification.objects.get(recipient=worker)
    assert notification.url == f"{url('posting_detail', rec.posting_id)}?from=recommendation"

    response = client.post(url("candidate_invite", rec.pk))
    assert messages_of(response)[-1] == ("error", "This candidate has already been invited to apply.")
    assert MatchInvitation.objects.count() == 1
    assert Notification.objects.filter(recipient=worker).count() == 1
    page = page_of(client, "candidate_list", rec.posting_id)
    assert f"Invited on {timezone.localdate(invitation.created):%Y-%m-%d}" in page
    assert url("candidate_invite", rec.pk) not in page


def test_inviting_to_a_closed_posting_is_refused_with_a_message(client, worker, employer, rec):
    rec.posting.status = rec.posting.Status.CLOSED
    rec.posting.save(update_fields=["status"])
    logged_in(client, employer)
    assert "cannot be invited" in page_of(client, "candidate_list", rec.posting_id)
    response = client.post(url("candidate_invite", rec.pk))
    assert response.status_code == 302
    assert messages_of(response)[-1] == ("error", "This job is no longer taking applications.")
    assert not MatchInvitation.objects.exists()
    assert not Notification.objects.filter(recipient=worker).exists()


def test_inviting_a_candidate_who_already_applied_is_refused(client, worker, employer, rec):
    factories.ApplicationFactory(posting=rec.posting, worker=worker)
    response = logged_in(client, employer).post(url("candidate_invite", rec.pk))
    assert messages_of(response)[-1] == ("error", "This candidate has already applied.")
    assert not MatchInvitation.objects.exists()
    assert not Notification.objects.filter(recipient=worker).exists()


def test_the_posting_page_counts_its_recommended_candidates(client, employer, rec):
    other = factories.WorkerProfileFactory().user
    RecommendationFactory(run=rec.run, posting=rec.posting, worker=other, worker_rank=0, posting_rank=2)
    page = page_of(logged_in(client, employer), "posting_manage_detail", rec.posting_id)
    assert re.search(r"Recommended candidates <span[^>]*>2</span>", page)


def test_inviting_a_recommendation_of_an_older_run_answers_404(client, employer, rec):
    MatchRunFactory()  # a newer completed run: rec's run is no longer the one shown
    response = logged_in(client, employer).post(url("candidate_invite", rec.pk))
    assert response.status_code == 404
    assert not MatchInvitation.objects.exists()


def test_the_posting_page_links_to_its_candidates(client, employer, posting):
    page = page_of(logged_in(client, employer), "posting_manage_detail", posting.pk)
    assert f'href="{url("candidate_list", posting.pk)}"' in page


# --- Applying from a recommendation ------------------------------------------------------------------------


def test_the_posting_page_carries_the_recommendation_to_the_apply_form(client, worker, rec):
    logged_in(client, worker)
    apply_url = url("apply", rec.posting_id)
    assert f'href="{apply_url}?from=recommendation"' in page_of(
        client, "posting_detail", rec.posting_id, **{"from": "recommendation"}
    )
    assert f'href="{apply_url}"' in page_of(client, "posting_detail", rec.posting_id)
    form = page_of(client, "apply", rec.posting_id, **{"from": "recommendation"})
    assert 'name="recommendation" value="True"' in form


# Whether an application is recorded as from a recommendation: (what the published run holds for this worker
# and posting, whether the employer invited the worker, what the apply form claims, what is stored). Only
# the latest completed run is published; a recommendation counts only on the worker's own list.
FROM_RECOMMENDATION = {
    "recommended-and-followed": ("worker-list", False, "True", True),
    "recommended-but-found-by-search": ("worker-list", False, None, False),
    "forged-link-nothing-recommended": (None, False, "True", False),
    "forged-any-value": (None, False, "<script>x</script>", False),
    "no-run-at-all": ("no-run", False, "True", False),
    "only-on-the-employers-candidate-list": ("posting-list", False, "True", False),
    "recommended-to-someone-else": ("other-worker", False, "True", False),
    "only-in-an-older-run": ("older-run", False, "True", False),
    "only-in-a-newer-run-that-failed": ("failed-run", False, "True", False),
    "only-in-a-run-still-going": ("running-run", False, "True", False),
    "invited": (None, True, None, True),
    "invited-and-followed-the-link": ("worker-list", True, "True", True),
}


def plant_recommendation(where, worker, posting):
    """Put the recommendation where the case says, besides the published run (`run` fixture's)."""
    published = MatchRunFactory()
    if where == "no-run":
        published.delete()
    elif where == "worker-list":
        RecommendationFactory(run=published, worker=worker, posting=posting)
    elif where == "posting-list":
        RecommendationFactory(run=published, worker=worker, posting=posting, worker_rank=0)
    elif where == "other-worker":
        RecommendationFactory(run=published, posting=posting)
    elif where == "older-run":
        older = MatchRunFactory(started_at=published.started_at - datetime.timedelta(days=1))
        RecommendationFactory(run=older, worker=worker, posting=posting)
    elif where in ("failed-run", "running-run"):
        newer = MatchRunFactory(**{where.split("-")[0]: True})
        RecommendationFactory(run=newer, worker=worker, posting=posting)


@pytest.mark.parametrize(
    ("where", "invited", "sent", "stored"), FROM_RECOMMENDATION.values(), ids=FROM_RECOMMENDATION.keys()
)
def test_applying_is_recorded_as_from_a_recommendation_only_when_the_portal_made_it(
    client, worker, employer, profile, posting, where, invited, sent, stored
):
    plant_recommendation(where, worker, posting)
    if invited:
        MatchInvitation.objects.create(posting=posting, worker=worker, invited_by=employer)
    data = {"consent": "on"} | ({"recommendation": sent} if sent is not None else {})
    response = logged_in(client, worker).post(url("apply", posting.pk), data)
    assert response.status_code == 302 and response.url == url("my_applications")
    assert Application.objects.get(worker=worker).recommendation is stored


def test_forged_links_do_not_raise_the_share_of_hires_from_recommendations(client, employer, posting):
    """The issue's example: workers adding ?from=recommendation to every application they make."""
    from jobs.figures import matching_figures
    from laborbrand.metrics import Period

    MatchRunFactory()
    workers = factories.WorkerFactory.create_batch(3)
    for worker in workers:
        factories.WorkerProfileFactory(user=worker)
        page = page_of(logged_in(client, worker), "apply", posting.pk, **{"from": "recommendation"})
        assert 'name="recommendation" value="True"' in page  # the page still carries the claim …
        client.post(url("apply", posting.pk), {"consent": "on", "recommendation": "True"})
    assert not Application.objects.filter(recommendation=True).exists()  # … which is not believed
    for application in Application.objects.all():
        application.status = Application.Status.HIRED
        application.save(update_fields=["status"])
    assert matching_figures(Period.year_to_date())["recommended_hires"] == 0


# --- The sentences ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("component", "fit", "province", "expected_salary", "worker_text", "employer_text"),
    [
        (
            "occupation",
            500,
            "340000",
            6000,
            "In the same field as the occupations you want",
            "Wants an occupation in the same field",
        ),
        (
            "location",
            800,
            "340000",
            6000,
            "In this city, outside your home county",
            "Lives in this city, in another county",
        ),
        (
            "location",
            500,
            "340000",
            6000,
            "In this province, outside the city",
            "The job is in this province, outside their city",
        ),
        (
            "location",
            500,
            "320000",
            6000,
            "In a province you prefer to work in",
            "Prefers to work in the job's province",
        ),
        (
            "salary",
            500,
            "340000",
            None,
            "No salary expectation to compare with",
            "No salary expectation given",
        ),
        (
            "salary",
            300,
            "340000",
            9000,
            "Pay is below your expectation",
            "Your pay is below their expectation",
        ),
        ("freshness", 950, "340000", 6000, "Newly published", "Your posting is new"),
        ("fairness", 200, "340000", 6000, "Many applicants already", "Many applicants already"),
    ],
)
def test_each_case_has_a_sentence_for_the_worker_and_the_employer(
    component, fit, province, expected_salary, worker_text, employer_text
):
    posting = factories.JobPostingFactory.build(province=factories.make_province(province))
    rec = RecommendationFactory.build(posting=posting, **{component: fit})
    facts = explanations.Facts(
        posting=posting, held=None, expected_salary=expected_salary, home_province=home_province_id()
    )
    run = MatchRunFactory.build()
    for audience, text in ((explanations.WORKER, worker_text), (explanations.EMPLOYER, employer_text)):
        with translation.override("en"):
            points = explanations.explain(rec, run, facts, audience)
        point = next(p for p in points if p.component == component)
        assert (point.text, point.matched) == (text, False)
