"""Two people acting on the same application at the same moment, each on their own database connection:
the row lock (SELECT … FOR UPDATE) makes the second wait, re-read and be refused. PostgreSQL only: SQLite
has no row locks (it serialises whole-database writes, which says nothing about our locking)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories
from training.models import AdmissionApplication, ApplicationEvent, ApplicationReview, Institution
from training.services.admission import (
    DECISION_STATUS,
    application_decide,
    application_start_review,
    application_submit,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (SELECT … FOR UPDATE): PostgreSQL only"
)

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision
NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def at_once(*calls):
    """Run each call in its own thread with its own connection, released together by a barrier; return
    each call's outcome ("done" or "refused"), in the order given."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str | None] = [None] * len(calls)

    def run(index, call):
        try:
            prepared = call()  # read what the user saw on their page, before anyone acts
            barrier.wait(timeout=10)
            prepared()
            outcomes[index] = "done"
        except InvalidTransition:
            outcomes[index] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def deciding(application_pk, admin, decision):
    def prepare():
        application = AdmissionApplication.objects.get(pk=application_pk)
        assert application.status == Status.UNDER_REVIEW  # both admins saw it open

        def act():
            application_decide(
                application=application,
                actor=admin,
                decision=decision,
                reason=f"{decision} by {admin.username}",
                faculty_verdict="meets",
                facilities_verdict="meets",
                employment_verdict="fails" if decision == Decision.REJECT else "meets",
                qualified_until=NEXT_YEAR if decision == Decision.APPROVE else None,
            )

        return act

    return prepare


@pytest.fixture
def under_review(committed_db):
    staff = factories.InstitutionStaffFactory()
    institution = factories.InstitutionFactory(staff=[staff])
    application = factories.AdmissionApplicationFactory(institution=institution, under_review=True)
    factories.ApplicationAttachmentFactory(application=application)
    return application


@pytest.mark.parametrize("run", range(3))
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Decision.APPROVE, Decision.REJECT),
        (Decision.REJECT, Decision.APPROVE),
        (Decision.APPROVE, Decision.REQUEST_CHANGES),
    ],
)
def test_two_admins_deciding_at_once_give_exactly_one_decision(under_review, first, second, run):
    admins = [factories.CityAdminFactory(), factories.CityAdminFactory()]

    outcomes = at_once(
        deciding(under_review.pk, admins[0], first),
        deciding(under_review.pk, admins[1], second),
    )

    assert sorted(outcomes) == ["done", "refused"]
    winner = outcomes.index("done")
    decision, admin = (first, second)[winner], admins[winner]
    review = ApplicationReview.objects.get()
    assert (review.application_id, review.decision, review.reviewer) == (under_review.pk, decision, admin)
    assert review.reason == f"{decision} by {admin.username}"
    under_review.refresh_from_db()
    assert under_review.status == DECISION_STATUS[decision]
    event = ApplicationEvent.objects.get()
    assert (event.old_status, event.new_status, event.actor) == (
        Status.UNDER_REVIEW,
        under_review.status,
        admin,
    )
    institution = Institution.objects.get(pk=under_review.institution_id)
    if decision == Decision.APPROVE:
        assert (institution.status, institution.qualified_until) == (Institution.Status.QUALIFIED, NEXT_YEAR)
    else:
        assert (institution.status, institution.qualified_until) == (Institution.Status.REGISTERED, None)
    # The institution hears of the one decision only.
    assert Notification.objects.filter(recipient__in=institution.staff.all()).count() == 1


def test_two_admins_starting_the_review_at_once_start_it_once(committed_db):
    application = factories.AdmissionApplicationFactory(submitted=True)
    admins = [factories.CityAdminFactory(), factories.CityAdminFactory()]

    def starting(admin):
        def prepare():
            seen = AdmissionApplication.objects.get(pk=application.pk)
            return lambda: application_start_review(application=seen, actor=admin)

        return prepare

    outcomes = at_once(starting(admins[0]), starting(admins[1]))

    assert sorted(outcomes) == ["done", "refused"]
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert ApplicationEvent.objects.count() == 1


def test_two_colleagues_resubmitting_at_once_add_one_round(committed_db):
    staff = [factories.InstitutionStaffFactory(), factories.InstitutionStaffFactory()]
    institution = factories.InstitutionFactory(staff=staff)
    application = factories.AdmissionApplicationFactory(institution=institution, changes_requested=True)
    factories.ApplicationAttachmentFactory(application=application)

    def submitting(user):
        def prepare():
            seen = AdmissionApplication.objects.get(pk=application.pk)
            return lambda: application_submit(application=seen, actor=user)

        return prepare

    outcomes = at_once(submitting(staff[0]), submitting(staff[1]))

    assert sorted(outcomes) == ["done", "refused"]
    application.refresh_from_db()
    assert (application.status, application.round) == (Status.SUBMITTED, 2)
    assert ApplicationEvent.objects.count() == 1
