"""The city's admission pages end to end through the test client: the queue and its filters, the review
page, starting a review and deciding (approve, reject, request changes), and the whole round trip from a draft
to an approval. Bad input and refused moves give a clear message (or form errors) and change nothing; nothing
gives a 500; the queue and review page run a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone, translation

from laborbrand.accounts.models import Notification
from tests import factories
from tests.training.admission_views_helpers import (
    NEXT_YEAR,
    TODAY,
    Decision,
    Status,
    application_data,
    messages_of,
    query_count,
    state,
    upload,
    url,
)
from training.models import AdmissionApplication, ApplicationEvent, ApplicationReview, Institution

pytestmark = pytest.mark.django_db


def review_data(**overrides):
    data = {
        "faculty_verdict": "meets",
        "faculty_comment": "师资达标",
        "facilities_verdict": "partly",
        "facilities_comment": "",
        "employment_verdict": "meets",
        "employment_comment": "",
        "decision": Decision.APPROVE,
        "reason": "三项条件符合准入要求",
        "qualified_until": NEXT_YEAR.isoformat(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- City: queue --------------------------------------------------------------------------------------


def test_queue_lists_everything_but_drafts_with_counts(admin_client, institution_a, institution_b_staff):
    factories.AdmissionApplicationFactory(institution=institution_a)  # a draft: not the city's business yet
    waiting = factories.AdmissionApplicationFactory(
        institution=institution_b_staff.institutions.get(), submitted=True
    )
    decided = [factories.AdmissionApplicationFactory(rejected=True) for _ in range(2)]

    response = admin_client.get(url("review_queue"))

    assert response.status_code == 200
    assert set(response.context["page_obj"]) == {waiting, *decided}
    counts = {value: count for value, _, count in response.context["status_counts"]}
    assert counts == {
        Status.SUBMITTED: 1,
        Status.UNDER_REVIEW: 0,
        Status.CHANGES_REQUESTED: 0,
        Status.APPROVED: 0,
        Status.REJECTED: 2,
    }
    assert url("review_detail", waiting.pk) in response.content.decode()


def test_queue_filters_by_status_county_kind_and_submitted_date(admin_client, official_a, official_b):
    county_a, county_b = official_a.county, official_b.county
    old = timezone.now() - datetime.timedelta(days=40)
    match = factories.AdmissionApplicationFactory(
        institution__county=county_a, institution__kind=Institution.Kind.PRIVATE, submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_b, institution__kind=Institution.Kind.PRIVATE, submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_a, institution__kind=Institution.Kind.TECHNICAL_SCHOOL, submitted=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_a, institution__kind=Institution.Kind.PRIVATE, rejected=True
    )
    factories.AdmissionApplicationFactory(
        institution__county=county_a,
        institution__kind=Institution.Kind.PRIVATE,
        status=Status.SUBMITTED,
        submitted_at=old,
    )

    response = admin_client.get(
        url("review_queue"),
        {
            "status": Status.SUBMITTED,
            "county": county_a.pk,
            "kind": Institution.Kind.PRIVATE,
            "submitted_from": (TODAY - datetime.timedelta(days=7)).isoformat(),
            "submitted_to": TODAY.isoformat(),
        },
    )

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [match]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"county": "abc"},
        {"county": "987654"},
        {"kind": "university"},
        {"submitted_from": "yesterday"},
        {"submitted_to": "2026-02-30"},
        {"page": "abc"},
        {"page": "99999"},
        {"status": "<script>alert(1)</script>"},
    ],
)
def test_bad_queue_filters_still_show_the_queue(admin_client, submitted, params):
    response = admin_client.get(url("review_queue"), params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_queue_query_count_does_not_grow(admin_client, official_a):
    factories.AdmissionApplicationFactory(submitted=True)
    few = query_count(admin_client, url("review_queue"))

    for _ in range(8):
        factories.AdmissionApplicationFactory(submitted=True, institution__county=official_a.county)

    assert query_count(admin_client, url("review_queue")) == few


# --- City: review and decide ----------------------------------------------------------------------------


def test_review_page_shows_the_evidence_by_criterion(admin_client, submitted):
    other = factories.ApplicationAttachmentFactory(
        application=submitted, criterion="employment", name="就业协议.pdf"
    )

    response = admin_client.get(url("review_detail", submitted.pk))

    assert response.status_code == 200
    groups = {value: files for value, _, files in response.context["attachments_by_criterion"]}
    assert groups["faculty"] == [submitted.attachments.get(criterion="faculty")]
    assert groups["employment"] == [other]
    content = response.content.decode()
    assert url("review_start", submitted.pk) in content
    assert url("review_decide", submitted.pk) not in content
    assert submitted.institution.credit_code in content


def test_review_page_of_an_application_under_review_has_the_decision_form(admin_client, under_review):
    response = admin_client.get(url("review_detail", under_review.pk))

    content = response.content.decode()
    assert url("review_decide", under_review.pk) in content
    for name in (
        "faculty_verdict",
        "facilities_verdict",
        "employment_verdict",
        "decision",
        "reason",
        "qualified_until",
    ):
        assert f'name="{name}"' in content


def test_review_page_query_count_does_not_grow(admin_client, under_review, city_admin):
    few = query_count(admin_client, url("review_detail", under_review.pk))

    for criterion in ("faculty", "facilities", "employment", "other"):
        factories.ApplicationAttachmentFactory(application=under_review, criterion=criterion)
    for n in range(3):
        factories.ApplicationReviewFactory(
            application=under_review, round=10 + n, reviewer=city_admin, decision=Decision.REQUEST_CHANGES
        )
        ApplicationEvent.objects.create(
            application=under_review,
            old_status=Status.SUBMITTED,
            new_status=Status.UNDER_REVIEW,
            actor=city_admin,
        )

    assert query_count(admin_client, url("review_detail", under_review.pk)) == few


def test_starting_the_review(admin_client, submitted, institution_staff):
    response = admin_client.post(url("review_start", submitted.pk))

    assert response.status_code == 302
    assert response.url == url("review_detail", submitted.pk)
    submitted.refresh_from_db()
    assert submitted.status == Status.UNDER_REVIEW
    assert Notification.objects.filter(recipient=institution_staff).exists()


def test_starting_a_review_already_started_is_refused_with_a_message(admin_client, under_review):
    before = state(under_review)

    response = admin_client.post(url("review_start", under_review.pk))

    assert response.status_code == 302
    assert response.url == url("review_detail", under_review.pk)
    level, text = messages_of(response)[-1]
    assert level == "error"
    assert "Someone may have acted on it meanwhile" in text
    assert state(under_review) == before


@pytest.mark.parametrize("method", ["get"])
@pytest.mark.parametrize("name", ["review_start", "review_decide"])
def test_review_actions_are_post_only(admin_client, under_review, name, method):
    assert getattr(admin_client, method)(url(name, under_review.pk)).status_code == 405


def test_approving_qualifies_the_institution_and_tells_it(
    admin_client, under_review, institution_staff, city_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("review_decide", under_review.pk), review_data())

    assert response.status_code == 302
    assert response.url == url("review_detail", under_review.pk)
    assert messages_of(response)[-1][0] == "success"
    under_review.refresh_from_db()
    assert under_review.status == Status.APPROVED
    review = under_review.reviews.get()
    assert (review.reviewer, review.decision, review.qualified_until) == (
        city_admin,
        Decision.APPROVE,
        NEXT_YEAR,
    )
    institution = under_review.institution
    institution.refresh_from_db()
    assert (institution.status, institution.qualified_until) == (Institution.Status.QUALIFIED, NEXT_YEAR)
    assert set(under_review.occupations.all()) <= set(institution.occupations.all())
    assert [m.to for m in mailoutbox] == [[institution_staff.email]]
    assert Notification.objects.filter(recipient=institution_staff, body="三项条件符合准入要求").exists()


@pytest.mark.parametrize("decision", [Decision.REJECT, Decision.REQUEST_CHANGES])
def test_rejecting_or_requesting_changes_tells_the_institution(
    admin_client, under_review, institution_staff, decision, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url("review_decide", under_review.pk), review_data(decision=decision, qualified_until="")
        )

    assert response.status_code == 302
    under_review.refresh_from_db()
    assert (
        under_review.status
        == {Decision.REJECT: Status.REJECTED, Decision.REQUEST_CHANGES: Status.CHANGES_REQUESTED}[decision]
    )
    assert under_review.institution.status == Institution.Status.REGISTERED
    assert [m.to for m in mailoutbox] == [[institution_staff.email]]


BAD_DECISIONS = {
    "approve without a date": ({"qualified_until": ""}, "qualified_until"),
    "approve until today": ({"qualified_until": TODAY.isoformat()}, "qualified_until"),
    "approve until last year": (
        {"qualified_until": (TODAY - datetime.timedelta(days=365)).isoformat()},
        "qualified_until",
    ),
    "not a date": ({"qualified_until": "明年六月"}, "qualified_until"),
    "no faculty verdict": ({"faculty_verdict": None}, "faculty_verdict"),
    "no facilities verdict": ({"facilities_verdict": None}, "facilities_verdict"),
    "no employment verdict": ({"employment_verdict": None}, "employment_verdict"),
    "unknown verdict": ({"employment_verdict": "great"}, "employment_verdict"),
    "no decision": ({"decision": None}, "decision"),
    "unknown decision": ({"decision": "delete"}, "decision"),
    "no reason": ({"reason": ""}, "reason"),
}


@pytest.mark.parametrize(("overrides", "field"), BAD_DECISIONS.values(), ids=BAD_DECISIONS.keys())
def test_a_bad_decision_shows_the_errors_and_changes_nothing(admin_client, under_review, overrides, field):
    before = state(under_review)
    notifications = Notification.objects.count()

    response = admin_client.post(url("review_decide", under_review.pk), review_data(**overrides))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert state(under_review) == before
    assert Notification.objects.count() == notifications
    assert url("review_decide", under_review.pk) in response.content.decode()


def test_a_blank_reason_is_refused_with_a_message(admin_client, under_review):
    """Whitespace strips to empty, so the form answers 'required'."""
    before = state(under_review)

    response = admin_client.post(url("review_decide", under_review.pk), review_data(reason="   "))

    assert response.status_code == 400
    assert response.context["form"].has_error("reason", "required")
    assert state(under_review) == before


def test_a_draft_is_not_found_by_the_city(admin_client, submitted):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=Status.DRAFT)
    before = state(submitted)

    assert admin_client.get(url("review_detail", submitted.pk)).status_code == 404
    assert admin_client.post(url("review_decide", submitted.pk), review_data()).status_code == 404
    assert state(submitted) == before


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CHANGES_REQUESTED])
def test_deciding_an_application_not_under_review_is_refused_with_a_message(admin_client, submitted, status):
    AdmissionApplication.objects.filter(pk=submitted.pk).update(status=status)
    before = state(submitted)

    response = admin_client.post(url("review_decide", submitted.pk), review_data())

    assert response.status_code == 302
    assert response.url == url("review_detail", submitted.pk)
    level, text = messages_of(response)[-1]
    assert level == "error"
    with translation.override("en"):
        current = str(Status(status).label)
    assert text.startswith(f"The application is “{current}” and cannot become “Approved”.")
    assert state(submitted) == before


def test_deciding_twice_is_refused_with_a_message_and_the_first_decision_stays(
    admin_client, under_review, city_admin
):
    admin_client.post(
        url("review_decide", under_review.pk),
        review_data(decision=Decision.REJECT, qualified_until="", reason="第一次"),
    )
    before = state(under_review)
    second_admin = factories.CityAdminFactory()
    admin_client.force_login(second_admin)

    response = admin_client.post(url("review_decide", under_review.pk), review_data(reason="第二次"))

    assert response.status_code == 302
    level, text = messages_of(response)[-1]
    assert level == "error"
    assert text == (
        "The application is “Rejected” and cannot become “Approved”. Someone may have acted on it meanwhile; "
        "reload the page."
    )
    assert state(under_review) == before
    review = ApplicationReview.objects.get()
    assert (review.reviewer, review.decision, review.reason) == (city_admin, Decision.REJECT, "第一次")
    assert under_review.institution.status == Institution.Status.REGISTERED


def test_the_whole_round_trip_through_the_pages(client, institution_staff, city_admin, draft):
    """Draft → submitted → under review → changes requested → round 2 → approved."""
    client.force_login(institution_staff)
    client.post(
        url("attachment_upload", draft.pk), {"criterion": "faculty", "file": upload(factories.PDF_BYTES)}
    )
    client.post(url("application_submit", draft.pk))
    client.force_login(city_admin)
    client.post(url("review_start", draft.pk))
    client.post(
        url("review_decide", draft.pk),
        review_data(decision=Decision.REQUEST_CHANGES, qualified_until="", reason="补充"),
    )
    client.force_login(institution_staff)
    client.post(url("application_update", draft.pk), application_data(teacher_count="50"))
    client.post(url("application_submit", draft.pk))
    client.force_login(city_admin)
    client.post(url("review_start", draft.pk))
    client.post(url("review_decide", draft.pk), review_data())

    draft.refresh_from_db()
    assert (draft.status, draft.round, draft.teacher_count) == (Status.APPROVED, 2, 50)
    assert [e.new_status for e in draft.events.order_by("pk")] == [
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.APPROVED,
    ]
    assert [(r.round, r.decision) for r in draft.reviews.order_by("round")] == [
        (1, Decision.REQUEST_CHANGES),
        (2, Decision.APPROVE),
    ]
    client.force_login(institution_staff)
    response = client.get(url("application_detail", draft.pk))
    assert "application-status-approved" in response.content.decode()
    assert NEXT_YEAR.isoformat() in response.content.decode()
