"""The admission workflow services: every allowed move, every refused one, and what each leaves behind
(status, round, ApplicationEvent, ApplicationReview, the institution's qualification, notifications and
e-mails) or does not. Also suspension, reinstatement and nightly expiry of institutions."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories
from training import tasks
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationReview,
    Institution,
)
from training.services.admission import (
    application_create,
    application_decide,
    application_start_review,
    application_submit,
    application_update,
    attachment_add,
    attachment_delete,
)
from training.services.institutions import institution_reinstate, institution_suspend, institutions_expire

pytestmark = pytest.mark.django_db

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision
Verdict = ApplicationReview.Verdict
InstitutionStatus = Institution.Status

REASON = "师资和实训设备符合准入条件。"
TODAY = timezone.localdate()
NEXT_YEAR = TODAY + datetime.timedelta(days=365)

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


def decide(application, actor, decision=Decision.APPROVE, **overrides):
    data = {
        "application": application,
        "actor": actor,
        "decision": decision,
        "reason": REASON,
        "faculty_verdict": Verdict.MEETS,
        "faculty_comment": "双师型教师占比 60%。",
        "facilities_verdict": Verdict.PARTLY,
        "facilities_comment": "实训场地略小。",
        "employment_verdict": Verdict.MEETS,
        "employment_comment": "",
        "qualified_until": NEXT_YEAR if decision == Decision.APPROVE else None,
    }
    data.update(overrides)
    return application_decide(**data)


def run(action, application, staff, admin):
    if action == "submit":
        return application_submit(application=application, actor=staff)
    if action == "start_review":
        return application_start_review(application=application, actor=admin)
    return decide(application, admin, DECISIONS[action])


def actor_for(action, staff, admin):
    return staff if action == "submit" else admin


def set_status(application, status):
    AdmissionApplication.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


@pytest.fixture
def application(institution_a):
    """A draft of institution_a with one PDF of evidence, so it may be submitted."""
    application = factories.AdmissionApplicationFactory(institution=institution_a)
    factories.ApplicationAttachmentFactory(application=application)
    return application


def snapshot(application):
    """Everything a refused move could have changed."""
    application = AdmissionApplication.objects.get(pk=application.pk)
    institution = Institution.objects.get(pk=application.institution_id)
    return (
        application.status,
        application.round,
        application.submitted_at,
        application.decided_at,
        institution.status,
        institution.qualified_until,
        sorted(institution.occupations.values_list("pk", flat=True)),
        ApplicationEvent.objects.count(),
        ApplicationReview.objects.count(),
        Notification.objects.count(),
    )


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


# --- Deciding -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("decision", [Decision.APPROVE, Decision.REJECT, Decision.REQUEST_CHANGES])
def test_decision_is_kept_as_a_review_of_the_current_round(application, city_admin, decision):
    AdmissionApplication.objects.filter(pk=application.pk).update(status=Status.UNDER_REVIEW, round=2)

    review = decide(application, city_admin, decision)

    review.refresh_from_db()
    assert review.application == application
    assert review.round == 2
    assert review.reviewer == city_admin
    assert review.decision == decision
    assert review.reason == REASON
    assert (review.faculty_verdict, review.facilities_verdict, review.employment_verdict) == (
        Verdict.MEETS,
        Verdict.PARTLY,
        Verdict.MEETS,
    )
    assert (review.faculty_comment, review.facilities_comment, review.employment_comment) == (
        "双师型教师占比 60%。",
        "实训场地略小。",
        "",
    )
    assert review.qualified_until == (NEXT_YEAR if decision == Decision.APPROVE else None)
    assert review.history.count() == 1
    application.refresh_from_db()
    assert application.decided_at is not None
    assert application.events.get().note == REASON


def test_approval_qualifies_the_institution_and_adds_its_occupations(application, city_admin):
    institution = application.institution
    already = factories.make_occupations(3, "domestic")
    institution.occupations.add(already[0])
    applied = factories.make_occupations(2)
    application.occupations.set(applied)
    set_status(application, Status.UNDER_REVIEW)

    decide(application, city_admin, Decision.APPROVE, qualified_until=NEXT_YEAR)

    institution.refresh_from_db()
    assert institution.status == InstitutionStatus.QUALIFIED
    assert institution.qualified_until == NEXT_YEAR
    assert institution.is_qualified
    assert set(institution.occupations.all()) == {already[0], *applied}
    assert Institution.objects.qualified().filter(pk=institution.pk).exists()


def test_approval_renews_an_expired_institution(city_admin):
    institution = factories.InstitutionFactory(expired=True)
    application = factories.AdmissionApplicationFactory(institution=institution, under_review=True)

    decide(application, city_admin, Decision.APPROVE, qualified_until=NEXT_YEAR)

    institution.refresh_from_db()
    assert (institution.status, institution.qualified_until) == (InstitutionStatus.QUALIFIED, NEXT_YEAR)


@pytest.mark.parametrize("decision", [Decision.REJECT, Decision.REQUEST_CHANGES])
def test_rejecting_or_requesting_changes_leaves_the_institution_as_it_was(application, city_admin, decision):
    set_status(application, Status.UNDER_REVIEW)

    decide(application, city_admin, decision, qualified_until=NEXT_YEAR)

    institution = Institution.objects.get(pk=application.institution_id)
    assert institution.status == InstitutionStatus.REGISTERED
    assert institution.qualified_until is None
    assert not institution.occupations.exists()
    assert application.reviews.get().qualified_until is None


@pytest.mark.parametrize(
    "until",
    [None, TODAY, TODAY - datetime.timedelta(days=1)],
    ids=["missing", "today", "yesterday"],
)
def test_approval_needs_a_qualification_date_in_the_future(application, city_admin, until):
    set_status(application, Status.UNDER_REVIEW)
    before = snapshot(application)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        decide(application, city_admin, Decision.APPROVE, qualified_until=until)

    assert str(excinfo.value) == "An approval needs a qualification end date in the future."
    assert snapshot(application) == before


def test_approval_until_tomorrow_is_enough(application, city_admin):
    set_status(application, Status.UNDER_REVIEW)

    decide(application, city_admin, Decision.APPROVE, qualified_until=TODAY + datetime.timedelta(days=1))

    assert Institution.objects.get(pk=application.institution_id).is_qualified


@pytest.mark.parametrize("decision", [Decision.APPROVE, Decision.REJECT, Decision.REQUEST_CHANGES])
@pytest.mark.parametrize("reason", ["", "  \n "])
def test_every_decision_needs_a_reason(application, city_admin, decision, reason):
    set_status(application, Status.UNDER_REVIEW)
    before = snapshot(application)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        decide(application, city_admin, decision, reason=reason)

    assert str(excinfo.value) == "Please give the reason for the decision."
    assert snapshot(application) == before


@pytest.mark.parametrize("who", ["official_a", "institution_staff", "employer", "worker"])
def test_only_city_admins_review_even_when_the_services_are_called_directly(request, application, who):
    actor = request.getfixturevalue(who)
    set_status(application, Status.SUBMITTED)
    before = snapshot(application)

    with pytest.raises(PermissionDenied):
        application_start_review(application=application, actor=actor)
    set_status(application, Status.UNDER_REVIEW)
    for decision in Decision.values:
        with pytest.raises(PermissionDenied):
            decide(application, actor, decision)

    assert snapshot(application)[1:] == before[1:]


# --- Notifications and e-mail ---------------------------------------------------------------------------


@pytest.fixture
def staff_of_a(institution_a, institution_staff):
    """institution_a's two active staff members (and an inactive one who hears nothing)."""
    colleague = factories.InstitutionStaffFactory()
    gone = factories.InstitutionStaffFactory(is_active=False)
    institution_a.staff.add(colleague, gone)
    return {institution_staff, colleague}


def test_starting_a_review_tells_the_institution(application, staff_of_a, institution_b_staff, city_admin):
    set_status(application, Status.SUBMITTED)
    Notification.objects.all().delete()

    application_start_review(application=application, actor=city_admin)

    notifications = Notification.objects.all()
    assert {n.recipient for n in notifications} == staff_of_a
    for notification in notifications:
        assert notification.url == reverse("training:application_detail", args=[application.pk])


TITLES = {
    Decision.APPROVE: "Admission approved: {name} is qualified until {date}",
    Decision.REJECT: "Your admission application was rejected",
    Decision.REQUEST_CHANGES: "Changes requested to your admission application",
}


@pytest.mark.parametrize("decision", [Decision.APPROVE, Decision.REJECT, Decision.REQUEST_CHANGES])
def test_every_decision_notifies_the_institutions_staff_in_the_site(
    application, staff_of_a, institution_b_staff, city_admin, decision
):
    set_status(application, Status.UNDER_REVIEW)
    Notification.objects.all().delete()

    with translation.override("en"):
        decide(application, city_admin, decision)

    notifications = Notification.objects.all()
    assert {n.recipient for n in notifications} == staff_of_a
    title = TITLES[decision].format(name=application.institution.name, date=NEXT_YEAR.isoformat())
    for notification in notifications:
        assert notification.title == title
        assert notification.body == REASON
        assert notification.url == reverse("training:application_detail", args=[application.pk])


@pytest.mark.parametrize("decision", [Decision.APPROVE, Decision.REJECT, Decision.REQUEST_CHANGES])
def test_every_decision_e_mails_the_institutions_staff_after_commit(
    application, staff_of_a, city_admin, decision, mailoutbox, django_capture_on_commit_callbacks
):
    set_status(application, Status.UNDER_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        decide(application, city_admin, decision)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in staff_of_a)
    for message in mailoutbox:
        assert REASON in message.body


def test_no_e_mail_before_the_decision_commits(application, staff_of_a, city_admin, mailoutbox):
    set_status(application, Status.UNDER_REVIEW)

    decide(application, city_admin, Decision.REJECT)  # the test's transaction never commits

    assert mailoutbox == []


def test_a_refused_decision_sends_nothing(
    application, staff_of_a, city_admin, mailoutbox, django_capture_on_commit_callbacks
):
    set_status(application, Status.APPROVED)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        decide(application, city_admin, Decision.REJECT)

    assert mailoutbox == []
    assert not Notification.objects.exists()


# --- One open application per institution ---------------------------------------------------------------


def application_fields():
    return {
        "teacher_count": 30,
        "double_qualified_share": 50,
        "senior_title_count": 5,
        "training_space_m2": 1500,
        "equipment": "数控车床 6 台",
        "partner_employers": "六安江淮电机有限公司",
        "placement_rate": 85,
    }


def test_create_makes_a_round_one_draft(institution_a):
    occupations = factories.make_occupations(2)

    application = application_create(
        institution=institution_a, occupations=occupations, **application_fields()
    )

    application.refresh_from_db()
    assert (application.status, application.round, application.institution) == (
        Status.DRAFT,
        1,
        institution_a,
    )
    assert set(application.occupations.all()) == set(occupations)
    assert application.history.count() >= 1


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.CHANGES_REQUESTED]
)
def test_an_institution_with_an_open_application_cannot_start_another(institution_a, status):
    factories.AdmissionApplicationFactory(institution=institution_a, status=status)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        application_create(
            institution=institution_a, occupations=factories.make_occupations(1), **application_fields()
        )

    assert str(excinfo.value) == "Your institution already has an application in progress."
    assert institution_a.applications.count() == 1


@pytest.mark.parametrize("status", [Status.APPROVED, Status.REJECTED])
def test_after_a_decided_application_the_institution_may_apply_again(institution_a, status):
    factories.AdmissionApplicationFactory(institution=institution_a, status=status)

    application_create(
        institution=institution_a, occupations=factories.make_occupations(1), **application_fields()
    )

    assert institution_a.applications.count() == 2
    assert institution_a.applications.open().count() == 1


def test_the_database_refuses_a_second_open_application(institution_a):
    factories.AdmissionApplicationFactory(institution=institution_a, submitted=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.AdmissionApplicationFactory(institution=institution_a)

    assert institution_a.applications.count() == 1


def test_the_database_allows_many_closed_applications(institution_a):
    factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)
    factories.AdmissionApplicationFactory(institution=institution_a, rejected=True)
    factories.AdmissionApplicationFactory(institution=institution_a, approved=True)
    factories.AdmissionApplicationFactory(institution=institution_a)

    assert institution_a.applications.count() == 4


def test_other_institutions_applications_do_not_count(institution_a, institution_b_staff):
    factories.AdmissionApplicationFactory(institution=institution_b_staff.institutions.get(), submitted=True)

    application_create(
        institution=institution_a, occupations=factories.make_occupations(1), **application_fields()
    )

    assert institution_a.applications.count() == 1


# --- Editing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_draft_and_changes_requested_applications_can_be_edited(application, status):
    set_status(application, status)
    occupations = factories.make_occupations(2, "domestic")

    application_update(
        application=application, occupations=occupations, **{**application_fields(), "teacher_count": 55}
    )

    application.refresh_from_db()
    assert application.teacher_count == 55
    assert application.status == status
    assert set(application.occupations.all()) == set(occupations)


def test_edits_are_kept_in_history(application):
    set_status(application, Status.CHANGES_REQUESTED)

    application_update(
        application=application,
        occupations=factories.make_occupations(1),
        **{**application_fields(), "teacher_count": 55},
    )

    assert [h.teacher_count for h in application.history.order_by("history_date") if h.history_type == "~"][
        -1
    ] == 55
    assert application.history.earliest("history_date").teacher_count == 40


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED])
def test_applications_out_of_the_institutions_hands_cannot_be_edited(application, status):
    set_status(application, status)
    occupations = list(application.occupations.all())

    with pytest.raises(InvalidTransition):
        application_update(
            application=application,
            occupations=factories.make_occupations(2, "domestic"),
            **application_fields(),
        )

    application.refresh_from_db()
    assert application.teacher_count == 40
    assert list(application.occupations.all()) == occupations


# --- Attachments ----------------------------------------------------------------------------------------


def add(application, actor, name="师资证明.pdf"):
    return attachment_add(
        application=application,
        actor=actor,
        criterion=ApplicationAttachment.Criterion.FACILITIES,
        upload=factories.pdf_file(name),
        content_type="application/pdf",
    )


def test_attachment_is_stored_under_a_generated_name(application, institution_staff):
    attachment = add(application, institution_staff, name="../../etc/passwd.pdf")

    attachment.refresh_from_db()
    assert attachment.name == "../../etc/passwd.pdf"  # display text only
    assert attachment.file.name.startswith(f"training/applications/{application.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert "passwd" not in attachment.file.name
    assert attachment.file.read() == factories.PDF_BYTES
    assert (attachment.size, attachment.content_type, attachment.round, attachment.uploaded_by) == (
        len(factories.PDF_BYTES),
        "application/pdf",
        1,
        institution_staff,
    )


def test_a_long_file_name_is_shortened_to_fit(application, institution_staff):
    attachment = add(application, institution_staff, name="证" * 200 + ".pdf")

    assert len(attachment.name) == 120
    assert attachment.name.endswith(".pdf")


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED])
def test_no_files_can_be_added_once_submitted(application, institution_staff, status):
    set_status(application, status)

    with pytest.raises(InvalidTransition):
        add(application, institution_staff)

    assert application.attachments.count() == 1


def test_a_file_of_the_current_round_can_be_removed(
    application, institution_staff, django_capture_on_commit_callbacks
):
    attachment = add(application, institution_staff)
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment=attachment)

    assert not ApplicationAttachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)


def test_files_of_a_decided_round_are_kept_when_changes_are_requested(application, institution_staff):
    """The reviewer decided round 1 on these files; they stay as they were submitted."""
    reviewed = application.attachments.get()
    set_status(application, Status.CHANGES_REQUESTED)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        attachment_delete(attachment=reviewed)

    assert str(excinfo.value) == "Files of an earlier round are kept as they were submitted."
    assert ApplicationAttachment.objects.filter(pk=reviewed.pk).exists()
    assert reviewed.file.storage.exists(reviewed.file.name)


def test_files_added_after_changes_were_requested_belong_to_the_next_round(application, institution_staff):
    set_status(application, Status.CHANGES_REQUESTED)

    added = add(application, institution_staff)

    assert added.round == 2
    attachment_delete(attachment=added)  # still in the institution's hands
    assert application.attachments.count() == 1


def test_a_resubmitted_round_keeps_both_rounds_files(application, institution_staff, city_admin):
    application_submit(application=application, actor=institution_staff)
    application_start_review(application=application, actor=city_admin)
    decide(application, city_admin, Decision.REQUEST_CHANGES)
    add(application, institution_staff)

    application_submit(application=application, actor=institution_staff)

    application.refresh_from_db()
    assert application.round == 2
    assert sorted(application.attachments.values_list("round", flat=True)) == [1, 2]


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.REJECTED])
def test_files_cannot_be_removed_once_submitted(application, status):
    attachment = application.attachments.get()
    set_status(application, status)

    with pytest.raises(InvalidTransition):
        attachment_delete(attachment=attachment)

    assert application.attachments.count() == 1


# --- Suspension and reinstatement -----------------------------------------------------------------------


@pytest.fixture
def qualified(institution_staff):
    institution = institution_staff.institutions.get()
    Institution.objects.filter(pk=institution.pk).update(
        status=InstitutionStatus.QUALIFIED, qualified_until=NEXT_YEAR
    )
    institution.refresh_from_db()
    return institution


def test_suspending_a_qualified_institution_tells_its_staff(qualified, institution_staff, city_admin):
    Notification.objects.all().delete()

    institution_suspend(institution=qualified, actor=city_admin, reason="实训场地不符合安全要求")

    qualified.refresh_from_db()
    assert qualified.status == InstitutionStatus.SUSPENDED
    assert qualified.qualified_until == NEXT_YEAR
    assert not qualified.is_qualified
    assert not Institution.objects.qualified().exists()
    notification = Notification.objects.get()
    assert (notification.recipient, notification.body) == (institution_staff, "实训场地不符合安全要求")
    assert qualified.history.first().status == InstitutionStatus.SUSPENDED


@pytest.mark.parametrize(
    "status", [InstitutionStatus.REGISTERED, InstitutionStatus.SUSPENDED, InstitutionStatus.EXPIRED]
)
def test_only_a_qualified_institution_can_be_suspended(qualified, city_admin, status):
    Institution.objects.filter(pk=qualified.pk).update(status=status)
    Notification.objects.all().delete()

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        institution_suspend(institution=qualified, actor=city_admin, reason="原因")

    assert str(excinfo.value) == "Only a qualified institution can be suspended."
    qualified.refresh_from_db()
    assert qualified.status == status
    assert not Notification.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_suspension_needs_a_reason(qualified, city_admin, reason):
    with pytest.raises(InvalidTransition):
        institution_suspend(institution=qualified, actor=city_admin, reason=reason)

    qualified.refresh_from_db()
    assert qualified.status == InstitutionStatus.QUALIFIED


def test_reinstating_restores_the_qualification(qualified, institution_staff, city_admin):
    institution_suspend(institution=qualified, actor=city_admin, reason="整改")
    Notification.objects.all().delete()

    institution_reinstate(institution=qualified, actor=city_admin)

    qualified.refresh_from_db()
    assert qualified.status == InstitutionStatus.QUALIFIED
    assert qualified.is_qualified
    assert Notification.objects.get().recipient == institution_staff


def test_reinstating_after_the_date_passed_makes_it_expired(qualified, city_admin):
    Institution.objects.filter(pk=qualified.pk).update(
        status=InstitutionStatus.SUSPENDED, qualified_until=TODAY - datetime.timedelta(days=1)
    )

    institution_reinstate(institution=qualified, actor=city_admin)

    qualified.refresh_from_db()
    assert qualified.status == InstitutionStatus.EXPIRED


@pytest.mark.parametrize(
    "status", [InstitutionStatus.REGISTERED, InstitutionStatus.QUALIFIED, InstitutionStatus.EXPIRED]
)
def test_only_a_suspended_institution_can_be_reinstated(qualified, city_admin, status):
    Institution.objects.filter(pk=qualified.pk).update(status=status)

    with translation.override("en"), pytest.raises(InvalidTransition) as excinfo:
        institution_reinstate(institution=qualified, actor=city_admin)

    assert str(excinfo.value) == "Only a suspended institution can be reinstated."
    qualified.refresh_from_db()
    assert qualified.status == status


@pytest.mark.parametrize("who", ["official_a", "institution_staff", "employer", "worker"])
def test_only_city_admins_suspend_and_reinstate(request, qualified, who):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        institution_suspend(institution=qualified, actor=actor, reason="原因")
    Institution.objects.filter(pk=qualified.pk).update(status=InstitutionStatus.SUSPENDED)
    with pytest.raises(PermissionDenied):
        institution_reinstate(institution=qualified, actor=actor)

    qualified.refresh_from_db()
    assert qualified.status == InstitutionStatus.SUSPENDED


# --- Expiry ---------------------------------------------------------------------------------------------


def test_expiry_ends_qualifications_whose_date_has_passed(institution_staff):
    day = datetime.date(2026, 7, 1)
    past = factories.InstitutionFactory(
        status=InstitutionStatus.QUALIFIED,
        qualified_until=day - datetime.timedelta(days=1),
        staff=[institution_staff],
    )
    last_day = factories.InstitutionFactory(status=InstitutionStatus.QUALIFIED, qualified_until=day)
    future = factories.InstitutionFactory(
        status=InstitutionStatus.QUALIFIED, qualified_until=day + datetime.timedelta(days=30)
    )
    suspended = factories.InstitutionFactory(
        status=InstitutionStatus.SUSPENDED, qualified_until=day - datetime.timedelta(days=10)
    )
    registered = factories.InstitutionFactory()
    Notification.objects.all().delete()

    assert institutions_expire(today=day) == 1

    statuses = {i.pk: i.status for i in Institution.objects.all()}
    assert statuses[past.pk] == InstitutionStatus.EXPIRED
    assert statuses[last_day.pk] == InstitutionStatus.QUALIFIED
    assert statuses[future.pk] == InstitutionStatus.QUALIFIED
    assert statuses[suspended.pk] == InstitutionStatus.SUSPENDED
    assert statuses[registered.pk] == InstitutionStatus.REGISTERED
    assert Notification.objects.get().recipient == institution_staff


def test_expiry_is_idempotent(institution_staff):
    factories.InstitutionFactory(
        status=InstitutionStatus.QUALIFIED,
        qualified_until=TODAY - datetime.timedelta(days=1),
        staff=[institution_staff],
    )
    assert institutions_expire() == 1
    notifications = Notification.objects.count()

    assert institutions_expire() == 0
    assert institutions_expire(today=TODAY + datetime.timedelta(days=1)) == 0

    assert Notification.objects.count() == notifications
    assert Institution.objects.filter(status=InstitutionStatus.EXPIRED).count() == 1


def test_expired_institutions_drop_out_of_the_qualified_list_even_before_the_nightly_run():
    institution = factories.InstitutionFactory(
        status=InstitutionStatus.QUALIFIED, qualified_until=TODAY - datetime.timedelta(days=1)
    )

    assert not institution.is_qualified
    assert not Institution.objects.qualified().exists()


def test_expiry_runs_nightly_from_celery_beat():
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "training.tasks.expire_institutions"
    ]

    assert len(entries) == 1
    assert tasks.expire_institutions.name == "training.tasks.expire_institutions"


def test_the_expiry_task_expires_institutions():
    institution = factories.InstitutionFactory(
        status=InstitutionStatus.QUALIFIED, qualified_until=TODAY - datetime.timedelta(days=1)
    )

    assert tasks.expire_institutions.delay().get() == 1

    institution.refresh_from_db()
    assert institution.status == InstitutionStatus.EXPIRED
