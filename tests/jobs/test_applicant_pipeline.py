"""The employer's applicant pipeline through the test client: the applicants of a posting (full phone number,
masked ID, certificates, status filter, fixed query count), an applicant's page (profile, certificates,
completed training, consent, timeline; opening it changes nothing), marking it viewed (a POST of its own, or
the first step), and the moves along the allowed steps, one POST URL each, each notifying the worker; a hire
reaching the headcount fills the posting. Another employer gets 404, other roles 403, refused moves are
messages with nothing changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs import services
from jobs.models import Application, ApplicationEvent, JobPosting
from laborbrand.accounts.models import Notification
from tests import factories
from tests.jobs.factories_apps import (
    apply,
    employer_b,
    logged_in,
    messages_of,
    move_to,
    url,
    verified_company,
    worker_with_profile,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
# The URL of each step the employer makes (a hire and a rejection are confirmed on a page of their own first).
STEP_URLS = {
    Status.INTERVIEW: "applicant_interview",
    Status.OFFERED: "applicant_offer",
    Status.HIRED: "applicant_hire",
    Status.REJECTED: "applicant_reject",
}


@pytest.fixture
def company(employer):
    return verified_company(employer)


@pytest.fixture
def posting(company):
    return factories.JobPostingFactory(employer=company, title="数控车工（两班倒）", headcount=2)


@pytest.fixture
def application(posting, worker):
    return apply(posting, worker)


@pytest.fixture
def employer_client(client, employer):
    return logged_in(client, employer)


def certified(worker, *, revoked=False):
    return factories.CertificateFactory(assessment__worker=worker, revoked=revoked)


# --- The applicant list -------------------------------------------------------------------------------------


def test_applicant_list_shows_full_phone_masked_id_and_the_profile(employer_client, worker, application):
    certificate = certified(worker)
    response = employer_client.get(url("applicant_list", application.posting.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert worker.real_name in page
    assert worker.phone in page
    assert worker.masked_id_number in page
    assert worker.id_number not in page
    assert worker.profile.home_county.name in page
    assert worker.profile.desired_occupations.get().name in page
    assert f"{certificate.occupation.name} {certificate.level.grade}" in page
    assert url("applicant_detail", application.pk) in page
    assert 'href="?export=xlsx"' in page  # the list's own export (laborbrand/listings.py)


def test_revoked_certificates_are_not_listed(employer_client, worker, application):
    revoked = certified(worker, revoked=True)
    page = employer_client.get(url("applicant_list", application.posting.pk)).content.decode()
    assert f"{revoked.occupation.name} {revoked.level.grade}" not in page


def test_applicant_list_filters_by_status(employer_client, posting, worker, application):
    other = move_to(apply(posting, worker_with_profile(real_name="李四")), Status.INTERVIEW)
    response = employer_client.get(url("applicant_list", posting.pk), {"status": Status.INTERVIEW})
    assert [a.pk for a in response.context["page_obj"]] == [other.pk]
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert (counts[Status.SUBMITTED], counts[Status.INTERVIEW], counts[Status.HIRED]) == (1, 1, 0)
    assert 'href="?status=interview&amp;export=xlsx"' in response.content.decode()


def test_a_bad_status_filter_shows_everyone(employer_client, posting, application):
    response = employer_client.get(url("applicant_list", posting.pk), {"status": "nonsense"})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 1


def test_applicant_list_without_applicants_says_so(employer_client, posting):
    page = employer_client.get(url("applicant_list", posting.pk)).content.decode()
    assert "Nobody has applied yet." in page


def _count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def test_applicant_list_query_count_does_not_grow_with_rows(employer_client, posting):
    for _ in range(2):
        certified(apply(posting, worker_with_profile()).worker)
    few = _count_queries(employer_client, url("applicant_list", posting.pk))
    for _ in range(8):
        worker = apply(posting, worker_with_profile()).worker
        certified(worker)
    assert _count_queries(employer_client, url("applicant_list", posting.pk)) == few


def test_employer_b_gets_404_on_employer_as_applicants(client, application):
    logged_in(client, employer_b())
    posting = application.posting
    assert client.get(url("applicant_list", posting.pk)).status_code == 404
    assert client.get(url("applicant_detail", application.pk)).status_code == 404
    assert client.post(url("applicant_interview", application.pk)).status_code == 404
    assert client.post(url("applicant_mark_viewed", application.pk)).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.events.count() == 1


@pytest.mark.parametrize("persona", ["worker", "official_a", "institution_staff", "city_admin"])
def test_only_employers_reach_the_applicant_pages(client, request, application, persona):
    logged_in(client, request.getfixturevalue(persona))
    assert client.get(url("applicant_list", application.posting.pk)).status_code == 403
    assert client.get(url("applicant_detail", application.pk)).status_code == 403
    assert client.post(url("applicant_interview", application.pk)).status_code == 403
    assert client.post(url("applicant_mark_viewed", application.pk)).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_anonymous_visitors_are_sent_to_sign_in(client, application):
    for path in (url("applicant_list", application.posting.pk), url("applicant_detail", application.pk)):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# --- The applicant's page -----------------------------------------------------------------------------------


# Opening an applicant changes nothing. The employer marks a submitted application viewed with a POST of its
# own, or its first step does (whichever comes first), so the worker still sees it was read; marking it
# viewed tells the worker nothing more, a step notifies them once (docs/decisions.md, issue 13).
VIEWED_RULE = [
    # (what the employer does, status before, status after, the steps recorded (old, new))
    ("open the page", Status.SUBMITTED, Status.SUBMITTED, []),
    ("open the page", Status.VIEWED, Status.VIEWED, []),
    ("open the page", Status.INTERVIEW, Status.INTERVIEW, []),
    ("mark viewed", Status.SUBMITTED, Status.VIEWED, [(Status.SUBMITTED, Status.VIEWED)]),
    ("mark viewed", Status.VIEWED, Status.VIEWED, []),
    ("mark viewed", Status.INTERVIEW, Status.INTERVIEW, []),
    ("mark viewed", Status.REJECTED, Status.REJECTED, []),
    (
        "invite to an interview",
        Status.SUBMITTED,
        Status.INTERVIEW,
        [(Status.SUBMITTED, Status.VIEWED), (Status.VIEWED, Status.INTERVIEW)],
    ),
    (
        "turn down",
        Status.SUBMITTED,
        Status.REJECTED,
        [(Status.SUBMITTED, Status.VIEWED), (Status.VIEWED, Status.REJECTED)],
    ),
    ("invite to an interview", Status.VIEWED, Status.INTERVIEW, [(Status.VIEWED, Status.INTERVIEW)]),
    ("turn down", Status.VIEWED, Status.REJECTED, [(Status.VIEWED, Status.REJECTED)]),
]
ACTIONS = {
    "open the page": ("get", "applicant_detail"),
    "mark viewed": ("post", "applicant_mark_viewed"),
    "invite to an interview": ("post", "applicant_interview"),
    "turn down": ("post", "applicant_reject"),
}


@pytest.mark.parametrize(("action", "start", "end", "recorded"), VIEWED_RULE)
def test_an_application_is_viewed_by_an_explicit_post_or_the_first_step_never_by_opening_it(
    employer_client, employer, worker, application, action, start, end, recorded
):
    move_to(application, start)
    known = list(application.events.values_list("pk", flat=True))
    notified = Notification.objects.filter(recipient=worker).count()
    method, name = ACTIONS[action]
    response = getattr(employer_client, method)(url(name, application.pk))
    assert response.status_code == (200 if method == "get" else 302)
    application.refresh_from_db()
    assert application.status == end
    steps = application.events.exclude(pk__in=known).order_by("pk")
    assert [(e.old_status, e.new_status) for e in steps] == recorded
    assert all(e.actor == employer for e in steps)
    moved = action not in ("open the page", "mark viewed")
    assert Notification.objects.filter(recipient=worker).count() == notified + moved


def test_marking_viewed_shows_it_to_the_employer_and_the_worker(client, employer, worker, application):
    logged_in(client, employer)
    page = client.get(url("applicant_detail", application.pk)).content.decode()
    assert f'action="{url("applicant_mark_viewed", application.pk)}"' in page
    response = client.post(url("applicant_mark_viewed", application.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("applicant_detail", application.pk)
    page = response.content.decode()
    assert "Viewed by the employer" in page
    assert url("applicant_mark_viewed", application.pk) not in page
    logged_in(client, worker)
    assert 'data-application-status="viewed"' in client.get(url("my_applications")).content.decode()


def test_applicant_page_shows_profile_certificates_training_consent_and_timeline(
    employer_client, worker, application
):
    certificate = certified(worker)
    revoked = certified(worker, revoked=True)
    training = factories.EnrollmentFactory(worker=worker, completed=True, program__title="数控车工高级班")
    factories.EnrollmentFactory(worker=worker, program__title="还在报名的班")
    worker.profile.experience = "<script>alert(1)</script>在苏州做过三年。"
    worker.profile.save(update_fields=["experience"])
    move_to(application, Status.INTERVIEW, note="周三上午9点面试。")
    response = employer_client.get(url("applicant_detail", application.pk))
    page = response.content.decode()
    assert worker.phone in page
    assert worker.masked_id_number in page
    assert worker.id_number not in page
    assert certificate.number in page
    assert revoked.number not in page
    assert training.program.title in page
    assert "还在报名的班" not in page
    assert application.consent_text in page
    assert "周三上午9点面试。" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("status", "buttons", "confirmed"),
    [
        (Status.SUBMITTED, {Status.INTERVIEW}, {Status.REJECTED}),  # and "mark as viewed"
        (Status.VIEWED, {Status.INTERVIEW}, {Status.REJECTED}),
        (Status.INTERVIEW, {Status.OFFERED}, {Status.REJECTED}),
        (Status.OFFERED, set(), {Status.HIRED, Status.REJECTED}),
        (Status.HIRED, set(), set()),
        (Status.REJECTED, set(), set()),
    ],
)
def test_applicant_page_offers_only_the_allowed_steps(
    employer_client, application, status, buttons, confirmed
):
    """Steps that keep the application going are one tap; a hire or a rejection ends it, so it links to its
    confirmation page instead."""
    move_to(application, status)
    response = employer_client.get(url("applicant_detail", application.pk))
    assert {value for value, _url in response.context["next_steps"]} == buttons
    assert {value for value, _url in response.context["final_steps"]} == confirmed
    page = response.content.decode()
    for value in (Status.INTERVIEW, Status.OFFERED):
        assert (f'formaction="{url(STEP_URLS[value], application.pk)}"' in page) == (value in buttons)
    for value in (Status.HIRED, Status.REJECTED):
        assert (url(f"{STEP_URLS[value]}_confirm", application.pk) in page) == (value in confirmed)
        assert f'formaction="{url(STEP_URLS[value], application.pk)}"' not in page
    assert (url("applicant_mark_viewed", application.pk) in page) == (status == Status.SUBMITTED)
    if not buttons | confirmed:
        assert "there is no further step" in page


# --- Moving an applicant ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to", "moved_from"),
    [
        # A first step records the view before it (VIEWED_RULE above).
        (Status.SUBMITTED, Status.INTERVIEW, Status.VIEWED),
        (Status.SUBMITTED, Status.REJECTED, Status.VIEWED),
        (Status.VIEWED, Status.INTERVIEW, Status.VIEWED),
        (Status.VIEWED, Status.REJECTED, Status.VIEWED),
        (Status.INTERVIEW, Status.OFFERED, Status.INTERVIEW),
        (Status.INTERVIEW, Status.REJECTED, Status.INTERVIEW),
        (Status.OFFERED, Status.HIRED, Status.OFFERED),
        (Status.OFFERED, Status.REJECTED, Status.OFFERED),
    ],
)
def test_each_allowed_step_is_made_and_notifies_the_worker(
    employer_client, employer, worker, application, start, to, moved_from
):
    move_to(application, start)
    notified = Notification.objects.filter(recipient=worker).count()
    response = employer_client.post(url(STEP_URLS[to], application.pk), {"note": "请带身份证。"})
    assert response.url == url("applicant_detail", application.pk)
    application.refresh_from_db()
    assert application.status == to
    event = application.events.latest("pk")
    assert (event.old_status, event.new_status, event.actor, event.note) == (
        moved_from,
        to,
        employer,
        "请带身份证。",
    )
    assert Notification.objects.filter(recipient=worker).count() == notified + 1
    notification = Notification.objects.filter(recipient=worker).latest("pk")
    assert application.posting.title in notification.title
    assert notification.url == url("my_applications")
    assert messages_of(response)[-1][0] == "success"


def test_the_interview_note_reaches_the_worker(employer_client, worker, application):
    employer_client.post(url("applicant_interview", application.pk), {"note": "周三上午9点到人事部。"})
    assert Notification.objects.filter(recipient=worker).latest("pk").body == "周三上午9点到人事部。"


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.SUBMITTED, Status.HIRED),
        (Status.SUBMITTED, Status.OFFERED),
        (Status.VIEWED, Status.HIRED),
        (Status.INTERVIEW, Status.HIRED),
        (Status.HIRED, Status.REJECTED),
        (Status.REJECTED, Status.INTERVIEW),
        (Status.OFFERED, Status.INTERVIEW),
    ],
)
def test_steps_that_are_not_allowed_are_refused_and_change_nothing(
    employer_client, worker, application, start, to
):
    move_to(application, start)
    events, notified = application.events.count(), Notification.objects.filter(recipient=worker).count()
    response = employer_client.post(url(STEP_URLS[to], application.pk))
    assert response.url == url("applicant_detail", application.pk)
    application.refresh_from_db()
    assert application.status == start
    assert application.events.count() == events
    assert Notification.objects.filter(recipient=worker).count() == notified
    assert messages_of(response)[-1][0] == "error"
    assert "cannot become" in messages_of(response)[-1][1]


def test_a_withdrawn_application_cannot_be_moved(employer_client, worker, application):
    services.application_withdraw(application=application, worker=worker)
    employer_client.post(url("applicant_interview", application.pk))
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


@pytest.mark.parametrize("step", ["move/", "bogus/", "submitted/", "withdrawn/", "viewed/confirm/"])
def test_a_step_without_a_url_of_its_own_is_not_found_and_changes_nothing(employer_client, application, step):
    """Each step has its own URL beside the applicant's page; the employer never submits or withdraws."""
    response = employer_client.post(f"{url('applicant_detail', application.pk)}{step}", {"to": "interview"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.events.count() == 1


def test_a_too_long_note_is_a_message_and_changes_nothing(employer_client, application):
    response = employer_client.post(url("applicant_interview", application.pk), {"note": "x" * 2001})
    assert messages_of(response)[-1][0] == "error"
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["applicant_mark_viewed", *STEP_URLS.values()])
def test_moving_needs_a_post(employer_client, application, name):
    assert employer_client.get(url(name, application.pk)).status_code == 405
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_hiring_up_to_the_headcount_fills_the_posting(employer_client, posting, worker, application):
    second = apply(posting, worker_with_profile())
    for app in (application, second):
        move_to(app, Status.OFFERED)
    employer_client.post(url("applicant_hire", application.pk))
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.OPEN  # one of two hired
    employer_client.post(url("applicant_hire", second.pk))
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.FILLED


def test_worker_a_sees_the_whole_path_to_hired(client, employer, worker, application):
    logged_in(client, employer)
    client.get(url("applicant_detail", application.pk))
    for step, note in ((Status.INTERVIEW, "周三面试"), (Status.OFFERED, "月薪7500"), (Status.HIRED, "")):
        client.post(url(STEP_URLS[step], application.pk), {"note": note})
    logged_in(client, worker)
    response = client.get(url("my_applications"))
    page = response.content.decode()
    assert "Hired" in page
    assert "周三面试" in page and "月薪7500" in page
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list("new_status", flat=True)
    ) == [Status.SUBMITTED, Status.VIEWED, Status.INTERVIEW, Status.OFFERED, Status.HIRED]
    assert Notification.objects.filter(recipient=worker).count() == 3
