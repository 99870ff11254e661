"""Deciding an admission application through the services: the review kept for the round, the
institution's qualification and occupations, what a decision needs and who may make it; the notifications
and e-mails (after commit) each step sends, and that a refused decision sends nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories
from tests.training.admission_services_helpers import (
    NEXT_YEAR,
    REASON,
    TODAY,
    Decision,
    InstitutionStatus,
    Status,
    Verdict,
    decide,
    set_status,
    snapshot,
)
from training.models import AdmissionApplication, Institution
from training.services.admission import application_start_review

pytestmark = pytest.mark.django_db


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
