"""Recording skill-level assessments (职业技能等级认定), and issuing and revoking the certificates a pass
earns."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laborbrand.accounts.models import Notification, User
from laborbrand.accounts.services import notice_sms, notify
from laborbrand.dates import check_dates
from laborbrand.exceptions import InvalidTransition
from training.models import (
    Assessment,
    Certificate,
    CertificateSerial,
    Institution,
    TrainingProgram,
    certificate_number,
    passes,
)


@transaction.atomic
def assessment_record(
    *,
    institution: Institution,
    actor: User,
    worker: User,
    occupation,
    level,
    assessed_on: datetime.date,
    theory_score,
    practical_score,
    program: TrainingProgram | None = None,
) -> Assessment:
    """Record an assessment; a pass (both scores at least Assessment.PASS_MARK) issues a certificate."""
    if not institution.staff.filter(pk=actor.pk).exists():
        raise PermissionDenied
    if not institution.is_qualified:
        raise InvalidTransition(_("Only a qualified institution can assess workers."))
    if not institution.occupations.filter(pk=occupation.pk).exists():
        raise InvalidTransition(
            _("Your institution is not admitted to assess %(occupation)s.") % {"occupation": occupation}
        )
    if worker.role != User.Role.WORKER:
        raise InvalidTransition(_("Only worker accounts can be assessed."))
    check_dates(Assessment(assessed_on=assessed_on))
    for score in (theory_score, practical_score):
        if not 0 <= score <= 100:
            raise InvalidTransition(_("Scores are between 0 and 100."))
    if program is not None and (
        program.institution_id != institution.pk
        or not program.enrollments.taking_a_place().filter(worker=worker).exists()
    ):
        raise InvalidTransition(_("This worker is not a trainee of the programme."))
    passed = passes(theory_score, practical_score)
    # Lock the worker's row, so two assessors cannot both issue the same certificate at the same moment.
    User.objects.select_for_update().get(pk=worker.pk)
    if (
        passed
        and Certificate.objects.valid().filter(worker=worker, occupation=occupation, level=level).exists()
    ):
        raise InvalidTransition(
            _("%(name)s already holds a valid certificate for %(occupation)s at %(level)s.")
            % {"name": worker.display_name, "occupation": occupation, "level": level}
        )
    assessment = Assessment.objects.create(
        institution=institution,
        worker=worker,
        occupation=occupation,
        level=level,
        program=program,
        assessed_on=assessed_on,
        theory_score=theory_score,
        practical_score=practical_score,
        passed=passed,
        created_by=actor,
    )
    if passed:
        certificate = certificate_issue(assessment)
        issued = gettext_lazy("Certificate issued: %(occupation)s, %(level)s")
        notify(
            recipient=worker,
            title=issued % {"occupation": occupation, "level": level},
            body=_("Certificate number %(number)s, issued by %(institution)s.")
            % {"number": certificate.number, "institution": institution.name},
            url=reverse("training:my_training"),
            kind=Notification.Kind.CERTIFICATE_ISSUED,
            sms=notice_sms(issued, occupation=occupation, level=level),
        )
    return assessment


def _next_serial(year: int) -> int:
    CertificateSerial.objects.get_or_create(year=year)
    serial = CertificateSerial.objects.select_for_update().get(year=year)
    serial.last += 1
    serial.save(update_fields=["last"])
    return serial.last


def certificate_issue(assessment: Assessment, *, number: str | None = None) -> Certificate:
    """Issue the certificate of a passed assessment, numbered from the year's serial (drawn under a row
    lock). A number that is somehow taken already is refused with a message, and nothing is saved."""
    issued_on = assessment.assessed_on
    number = number or certificate_number(issued_on.year, _next_serial(issued_on.year))
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                number=number,
                assessment=assessment,
                worker=assessment.worker,
                institution=assessment.institution,
                occupation=assessment.occupation,
                level=assessment.level,
                issued_on=issued_on,
            )
    except IntegrityError as exc:
        raise InvalidTransition(
            _("Certificate number %(number)s is already in use; nothing was saved. Please try again.")
            % {"number": number}
        ) from exc


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Only staff of the issuing institution revoke a certificate, with a reason the holder is told."""
    certificate = Certificate.objects.select_for_update().select_related("institution").get(pk=certificate.pk)
    if not certificate.institution.staff.filter(pk=actor.pk).exists():
        raise PermissionDenied
    if not certificate.is_valid:
        raise InvalidTransition(_("This certificate is already revoked."))
    if not reason.strip():
        raise InvalidTransition(_("Give the reason for revoking the certificate."))
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason.strip()
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    notify(
        recipient=certificate.worker,
        title=_("Your certificate %(number)s was revoked") % {"number": certificate.number},
        body=_("%(institution)s revoked it: %(reason)s")
        % {"institution": certificate.institution.name, "reason": certificate.revoke_reason},
        url=reverse("training:my_training"),
        kind=Notification.Kind.CERTIFICATE_REVOKED,
        # The text says which certificate by its occupation and level: the reason stays in the site.
        sms=notice_sms(
            gettext_lazy("Certificate revoked: %(occupation)s, %(level)s"),
            occupation=certificate.occupation,
            level=certificate.level,
        ),
    )
    return certificate
