"""Every state change of an institution itself: registering it with its first staff account, and the
city suspending and reinstating it; its admission expiring by itself (nightly)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify, organisation_staff_register
from laborbrand.exceptions import InvalidTransition
from training.models import (
    Institution,
)


def institution_register(*, account: dict, organisation) -> User:
    """Create an institution-staff account and its institution (status: registered, not yet admitted)."""
    return organisation_staff_register(
        account=account,
        organisation=organisation,
        role=User.Role.INSTITUTION_STAFF,
        welcome=_(
            "%(name)s is registered. To run brand training programmes it must first be admitted by the "
            "city bureau."
        ),
    )


def assert_city_admin(actor: User) -> None:
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied


@transaction.atomic
def institution_suspend(*, institution: Institution, actor: User, reason: str) -> Institution:
    assert_city_admin(actor)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.status != Institution.Status.QUALIFIED:
        raise InvalidTransition(_("Only a qualified institution can be suspended."))
    if not reason.strip():
        raise InvalidTransition(_("Please give the reason for the decision."))
    institution.status = Institution.Status.SUSPENDED
    institution.save(update_fields=["status"])
    for user in institution.staff.filter(is_active=True):
        notify(
            recipient=user, title=_("%(name)s has been suspended") % {"name": institution.name}, body=reason
        )
    return institution


@transaction.atomic
def institution_reinstate(*, institution: Institution, actor: User) -> Institution:
    assert_city_admin(actor)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.status != Institution.Status.SUSPENDED:
        raise InvalidTransition(_("Only a suspended institution can be reinstated."))
    institution.status = Institution.Status.QUALIFIED
    institution.save(update_fields=["status"])
    if not institution.is_qualified:  # its date passed while suspended
        institution.status = Institution.Status.EXPIRED
        institution.save(update_fields=["status"])
    for user in institution.staff.filter(is_active=True):
        notify(recipient=user, title=_("%(name)s has been reinstated") % {"name": institution.name})
    return institution


def institutions_expire(*, today: datetime.date | None = None) -> int:
    """Nightly: qualified institutions whose date has passed become expired. Idempotent."""
    today = today or timezone.localdate()
    expired = 0
    for institution in Institution.objects.filter(
        status=Institution.Status.QUALIFIED, qualified_until__lt=today
    ):
        with transaction.atomic():
            institution.status = Institution.Status.EXPIRED
            institution.save(update_fields=["status"])
            for user in institution.staff.filter(is_active=True):
                notify(
                    recipient=user,
                    title=_("The admission of %(name)s has expired") % {"name": institution.name},
                    body=_("Apply again to be admitted for another period."),
                )
        expired += 1
    return expired
