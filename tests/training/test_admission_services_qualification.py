"""An institution's qualification after admission, through the services: suspension (with a reason) and
reinstatement, and who may do them; the nightly expiry of qualifications whose date has passed, from Celery
beat."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation

from laborbrand.accounts.models import Notification
from laborbrand.exceptions import InvalidTransition
from tests import factories
from tests.training.admission_services_helpers import NEXT_YEAR, TODAY, InstitutionStatus
from training import tasks
from training.models import Institution
from training.services.institutions import institution_reinstate, institution_suspend, institutions_expire

pytestmark = pytest.mark.django_db


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
