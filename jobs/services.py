from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.models import Apprenticeship, Employer
from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify, organisation_staff_register
from laborbrand.exceptions import InvalidTransition
from training.models import Institution


def employer_register(*, account: dict, organisation) -> User:
    """Create an employer-staff account and its company, which waits for verification by the city."""
    return organisation_staff_register(
        account=account,
        organisation=organisation,
        role=User.Role.EMPLOYER,
        welcome=_(
            "%(name)s is registered. A city administrator will verify the company before its job "
            "postings are published."
        ),
    )


# --- Apprenticeships (企业新型学徒制) -----------------------------------------------------------------------

APPRENTICESHIP_ALLOWED = {
    Apprenticeship.Status.ACTIVE: {Apprenticeship.Status.COMPLETED, Apprenticeship.Status.ENDED},
}


def _is_party(actor: User, employer: Employer, institution: Institution) -> bool:
    if actor.role == User.Role.EMPLOYER:
        return employer.staff.filter(pk=actor.pk).exists()
    if actor.role == User.Role.INSTITUTION_STAFF:
        return institution.staff.filter(pk=actor.pk).exists()
    return False


@transaction.atomic
def apprenticeship_record(
    *,
    actor: User,
    employer: Employer,
    institution: Institution,
    worker: User,
    occupation,
    target_level,
    start_date: datetime.date,
    end_date: datetime.date,
) -> Apprenticeship:
    """Either party (the employer or the institution) records an apprentice; the other party and the
    worker are told."""
    if not _is_party(actor, employer, institution):
        raise PermissionDenied
    if not employer.is_verified:
        raise InvalidTransition(_("Apprenticeships can be recorded only with a verified employer."))
    if not institution.is_qualified:
        raise InvalidTransition(_("Apprenticeships can be recorded only with a qualified institution."))
    if not institution.occupations.filter(pk=occupation.pk).exists():
        raise InvalidTransition(
            _("%(institution)s is not admitted to train %(occupation)s.")
            % {"institution": institution.name, "occupation": occupation}
        )
    if worker.role != User.Role.WORKER:
        raise InvalidTransition(_("Only worker accounts can be apprentices."))
    if end_date <= start_date:
        raise InvalidTransition(_("The apprenticeship must end after it starts."))
    # Locks the worker's row, so two parties cannot both start an apprenticeship for them at once.
    User.objects.select_for_update().get(pk=worker.pk)
    if worker.apprenticeships.filter(status=Apprenticeship.Status.ACTIVE).exists():
        raise InvalidTransition(
            _("%(name)s already has an apprenticeship in progress.") % {"name": worker.display_name}
        )
    apprenticeship = Apprenticeship.objects.create(
        employer=employer,
        institution=institution,
        worker=worker,
        occupation=occupation,
        target_level=target_level,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    title = _("Apprenticeship recorded: %(occupation)s at %(employer)s") % {
        "occupation": occupation,
        "employer": employer.name,
    }
    notify(recipient=worker, title=title, url=reverse("accounts:workbench"))
    other_side = institution.staff if actor.role == User.Role.EMPLOYER else employer.staff
    for user in other_side.filter(is_active=True):
        notify(recipient=user, title=title, url=reverse("jobs:apprenticeship_list"), email=False)
    return apprenticeship


@transaction.atomic
def apprenticeship_set_status(*, apprenticeship: Apprenticeship, actor: User, to: str) -> Apprenticeship:
    apprenticeship = (
        Apprenticeship.objects.select_for_update()
        .select_related("employer", "institution")
        .get(pk=apprenticeship.pk)
    )
    if not _is_party(actor, apprenticeship.employer, apprenticeship.institution):
        raise PermissionDenied
    if to not in APPRENTICESHIP_ALLOWED.get(apprenticeship.status, set()):
        raise InvalidTransition(
            _("An apprenticeship that is “%(current)s” cannot become “%(target)s”.")
            % {"current": apprenticeship.get_status_display(), "target": Apprenticeship.Status(to).label}
        )
    apprenticeship.status = to
    apprenticeship.save(update_fields=["status"])
    return apprenticeship
