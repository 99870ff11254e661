"""The admission workflow services: every allowed move and what it leaves behind (status, round,
ApplicationEvent, ApplicationReview), every refused one and that it changes nothing, and submitting (evidence
needed, rounds, who is told, who may)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories
from tests.training.admission_services_helpers import (
    REASON,
    Decision,
    InstitutionStatus,
    Status,
    decide,
    set_status,
    snapshot,
)
from training.models import AdmissionApplication, ApplicationReview
from training.services.admission import application_start_review, application_submit

pytestmark = pytest.mark.django_db

# action -> the status it moves an application to
ACTIONS = {
    "submit": Status.SUBMITTED,
    "start_review": Status.UNDER_REVIEW,
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "request_changes": Status.CHANGES_REQUESTED,
}
ALLOWED_MOVES = [
    (Status.DRAFT, "submit"),
    (Status.CHANGES_REQUESTED, "submit"),
    (Status.SUBMITTED, "start_review"),
    (Status.UNDER_REVIEW, "approve"),
    (Status.UNDER_REVIEW, "reject"),
    (Status.UNDER_REVIEW, "request_changes"),
]
REFUSED_MOVES = [
    (status, action)
    for status in Status.values
    for action in ACTIONS
    if (status, action) not in ALLOWED_MOVES
]
DECISIONS = {
    "approve": Decision.APPROVE,
    "reject": Decision.REJECT,
    "request_changes": Decision.REQUEST_CHANGES,
}


def english(message) -> str:
    with translation.override("en"):
        return str(message)


def run(action, application, staff, admin):
    if action == "submit":
        return application_submit(application=application, actor=staff)
    if action == "start_review":
        return application_start_review(application=application, actor=admin)
    return decide(application, admin, DECISIONS[action])


def actor_for(action, staff, admin):
    return staff if action == "submit" else admin


# --- Allowed moves --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "action"), ALLOWED_MOVES, ids=[f"{s}-{a}" for s, a in ALLOWED_MOVES])
def test_allowed_move_changes_status_and_records_an_event(
    application, institution_staff, city_admin, start, action
):
    set_status(application, start)
    actor = actor_for(action, institution_staff, city_admin)

    run(action, application, institution_staff, city_admin)

    application.refresh_from_db()
    assert application.status == ACTIONS[action]
    event = application.events.get()
    assert (event.old_status, event.new_status, event.actor) == (start, ACTIONS[action], actor)
    assert event.note == (REASON if action in DECISIONS else "")


def test_whole_workflow_leaves_one_event_per_step_and_one_review_per_round(
    application, institution_staff, city_admin
):
    application_submit(application=application, actor=institution_staff)
    application_start_review(application=application, actor=city_admin)
    decide(application, city_admin, Decision.REQUEST_CHANGES, reason="请补充实训设备清单。")
    application_submit(application=application, actor=institution_staff)
    application_start_review(application=application, actor=city_admin)
    decide(application, city_admin, Decision.APPROVE)

    steps = [(e.old_status, e.new_status, e.actor) for e in application.events.order_by("pk")]
    assert steps == [
        (Status.DRAFT, Status.SUBMITTED, institution_staff),
        (Status.SUBMITTED, Status.UNDER_REVIEW, city_admin),
        (Status.UNDER_REVIEW, Status.CHANGES_REQUESTED, city_admin),
        (Status.CHANGES_REQUESTED, Status.SUBMITTED, institution_staff),
        (Status.SUBMITTED, Status.UNDER_REVIEW, city_admin),
        (Status.UNDER_REVIEW, Status.APPROVED, city_admin),
    ]
    reviews = [(r.round, r.decision) for r in application.reviews.order_by("round")]
    assert reviews == [(1, Decision.REQUEST_CHANGES), (2, Decision.APPROVE)]
    application.refresh_from_db()
    assert application.round == 2


# --- Refused moves --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "action"), REFUSED_MOVES, ids=[f"{s}-{a}" for s, a in REFUSED_MOVES])
def test_refused_move_raises_with_a_clear_message_and_changes_nothing(
    application, institution_staff, city_admin, start, action
):
    set_status(application, start)
    before = snapshot(application)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        run(action, application, institution_staff, city_admin)

    assert snapshot(application) == before
    current, target = english(Status(start).label), english(Status(ACTIONS[action]).label)
    assert str(excinfo.value) == (
        f"The application is “{current}” and cannot become “{target}”. Someone may have acted on it "
        "meanwhile; reload the page."
    )


def test_approving_a_draft_is_refused(application, city_admin):
    before = snapshot(application)

    with pytest.raises(InvalidTransition):
        decide(application, city_admin, Decision.APPROVE)

    assert snapshot(application) == before
    assert application.institution.status == InstitutionStatus.REGISTERED


@pytest.mark.parametrize("second", [Decision.APPROVE, Decision.REJECT, Decision.REQUEST_CHANGES])
@pytest.mark.parametrize("first", [Decision.APPROVE, Decision.REJECT, Decision.REQUEST_CHANGES])
def test_deciding_twice_is_refused_and_the_first_decision_stays(application, city_admin, first, second):
    set_status(application, Status.UNDER_REVIEW)
    review = decide(application, city_admin, first, reason="第一位审核人的意见")
    before = snapshot(application)
    other_admin = factories.CityAdminFactory()

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        decide(application, other_admin, second, reason="第二位审核人的意见")

    assert "Someone may have acted on it meanwhile; reload the page." in str(excinfo.value)
    assert snapshot(application) == before
    assert list(ApplicationReview.objects.all()) == [review]
    review.refresh_from_db()
    assert (review.decision, review.reviewer, review.reason) == (first, city_admin, "第一位审核人的意见")


def test_a_stale_application_object_cannot_be_decided(application, city_admin):
    """The service re-reads the row under a lock: an admin holding a stale copy is refused."""
    set_status(application, Status.UNDER_REVIEW)
    stale = AdmissionApplication.objects.get(pk=application.pk)
    decide(application, city_admin, Decision.REJECT)

    with pytest.raises(InvalidTransition):
        decide(stale, factories.CityAdminFactory(), Decision.APPROVE)

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.reviews.get().decision == Decision.REJECT
    assert application.institution.status == InstitutionStatus.REGISTERED


def test_starting_a_review_twice_is_refused(application, city_admin):
    set_status(application, Status.SUBMITTED)
    application_start_review(application=application, actor=city_admin)

    with pytest.raises(InvalidTransition):
        application_start_review(application=application, actor=factories.CityAdminFactory())

    assert application.events.count() == 1


# --- Submitting -----------------------------------------------------------------------------------------


def test_a_draft_without_evidence_cannot_be_submitted(institution_a, institution_staff):
    application = factories.AdmissionApplicationFactory(institution=institution_a)
    before = snapshot(application)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        application_submit(application=application, actor=institution_staff)

    assert str(excinfo.value) == "Attach at least one file of evidence before submitting."
    assert snapshot(application) == before


def test_submitting_stamps_the_time_and_keeps_round_one(application, institution_staff):
    application_submit(application=application, actor=institution_staff)

    application.refresh_from_db()
    assert application.round == 1
    assert application.submitted_at is not None
    assert application.decided_at is None


def test_resubmitting_after_changes_were_requested_starts_the_next_round(application, institution_staff):
    set_status(application, Status.CHANGES_REQUESTED)
    first_submission = timezone.now() - datetime.timedelta(days=3)
    AdmissionApplication.objects.filter(pk=application.pk).update(submitted_at=first_submission)

    application_submit(application=application, actor=institution_staff)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.round == 2
    assert application.submitted_at > first_submission


def test_each_resubmission_adds_a_round(application, institution_staff, city_admin):
    for expected_round in (1, 2, 3):
        application_submit(application=application, actor=institution_staff)
        application.refresh_from_db()
        assert application.round == expected_round
        application_start_review(application=application, actor=city_admin)
        decide(application, city_admin, Decision.REQUEST_CHANGES)

    assert [r.round for r in application.reviews.order_by("round")] == [1, 2, 3]


def test_submit_notifies_every_active_city_admin_and_nobody_else(
    application, institution_staff, city_admin, official_a
):
    other_admin = factories.CityAdminFactory()
    factories.CityAdminFactory(is_active=False)
    Notification.objects.all().delete()

    application_submit(application=application, actor=institution_staff)

    notifications = Notification.objects.all()
    assert {n.recipient for n in notifications} == {city_admin, other_admin}
    for notification in notifications:
        assert notification.url == reverse("training:review_detail", args=[application.pk])
        assert application.institution.name in notification.title


def test_resubmission_is_announced_as_such(application, institution_staff, city_admin):
    set_status(application, Status.CHANGES_REQUESTED)

    with translation.override("en"):
        application_submit(application=application, actor=institution_staff)

    assert Notification.objects.get(recipient=city_admin).title == (
        f"Admission application resubmitted: {application.institution.name}"
    )


@pytest.mark.parametrize("who", ["institution_b_staff", "city_admin", "official_a", "worker"])
def test_only_the_institutions_own_staff_can_submit(request, application, who):
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        application_submit(application=application, actor=request.getfixturevalue(who))

    assert snapshot(application) == before
