"""Recording skill-level assessments (职业技能等级认定), issuing the certificates a pass earns, recording
national certificates the portal did not issue, and revoking either kind."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laborbrand.accounts.models import Notification, User
from laborbrand.accounts.records import worker_record
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
    validate_national_certificate_number,
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
                source=Certificate.Source.PORTAL,
                assessment=assessment,
                worker=assessment.worker,
                institution=assessment.institution,
                evaluation_body=assessment.institution.name,
                occupation=assessment.occupation,
                level=assessment.level,
                issued_on=issued_on,
                recorded_by=assessment.created_by,
            )
    except IntegrityError as exc:
        raise InvalidTransition(
            _("Certificate number %(number)s is already in use; nothing was saved. Please try again.")
            % {"number": number}
        ) from exc


def manages_certificate(actor: User, certificate: Certificate) -> bool:
    """City admins revoke any certificate; institution staff those their institution issued, recorded or
    imported (docs/decisions.md)."""
    if actor.role == User.Role.CITY_ADMIN:
        return True
    return (
        actor.role == User.Role.INSTITUTION_STAFF
        and certificate.institution_id is not None
        and certificate.institution.staff.filter(pk=actor.pk).exists()
    )


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> Certificate:
    """Revoke a certificate of either kind (can_revoke says who may), with a reason the holder is told."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=certificate.pk)
    )
    if not manages_certificate(actor, certificate):
        raise PermissionDenied
    if certificate.status == Certificate.Status.REPLACED:
        raise InvalidTransition(
            _("This certificate was replaced by its national certificate: revoke that one instead.")
        )
    if not certificate.is_valid:
        raise InvalidTransition(_("This certificate is already revoked."))
    if not reason.strip():
        raise InvalidTransition(_("Give the reason for revoking the certificate."))
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason.strip()
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
    city = actor.role == User.Role.CITY_ADMIN
    revoker = _("The city bureau") if city else certificate.institution.name
    notify(
        recipient=certificate.worker,
        title=_("Your certificate %(number)s was revoked") % {"number": certificate.number},
        body=_("%(institution)s revoked it: %(reason)s")
        % {"institution": revoker, "reason": certificate.revoke_reason},
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


# --- National certificates (issued by registered evaluation bodies, recorded here as printed) -------------

SAME_QUALIFICATION_MEANWHILE = gettext_lazy(
    "The holder already holds a valid certificate for this occupation and level; nothing was saved."
)


def _check_recorder(actor: User, institution: Institution | None) -> None:
    """Institution staff record for their own qualified institution, city admins for the city bureau (no
    institution)."""
    if institution is None:
        if actor.role != User.Role.CITY_ADMIN:
            raise PermissionDenied
        return
    if actor.role != User.Role.INSTITUTION_STAFF or not institution.staff.filter(pk=actor.pk).exists():
        raise PermissionDenied
    if not institution.is_qualified:
        raise InvalidTransition(_("Only a qualified institution can record certificates."))


def _check_facts(*, number: str, issued_on: datetime.date, evaluation_body: str) -> str:
    """The number, normalised; InvalidTransition when a fact is not acceptable (the forms say it first)."""
    try:
        number = validate_national_certificate_number(number)
    except ValidationError as exc:
        raise InvalidTransition(" ".join(exc.messages)) from exc
    if not evaluation_body.strip():
        raise InvalidTransition(_("Give the evaluation body named on the certificate."))
    check_dates(Certificate(issued_on=issued_on))
    return number


def _check_one_valid(worker: User, occupation, level, *, exclude: Certificate | None = None) -> None:
    """A worker holds one valid certificate per occupation and level: the worker's row is locked first, so
    two recordings for the same worker cannot both pass this check."""
    User.objects.select_for_update().get(pk=worker.pk)
    held = Certificate.objects.valid().filter(worker=worker, occupation=occupation, level=level)
    if exclude is not None:
        held = held.exclude(pk=exclude.pk)
    if held.exists():
        raise InvalidTransition(
            _("%(name)s already holds a valid certificate for %(occupation)s at %(level)s.")
            % {"name": worker.display_name, "occupation": occupation, "level": level}
        )


def _create_national(*, number: str, **fields) -> Certificate:
    """Save a national certificate; a number recorded meanwhile by someone else, or a valid certificate for
    the same qualification recorded at the same moment, is refused with a message (nothing saved)."""
    try:
        with transaction.atomic():
            return Certificate.objects.create(number=number, **fields)
    except IntegrityError as exc:
        if Certificate.objects.filter(number=number).exists():
            raise InvalidTransition(
                _("Certificate number %(number)s is already recorded on the portal; nothing was saved.")
                % {"number": number}
            ) from exc
        raise InvalidTransition(str(SAME_QUALIFICATION_MEANWHILE)) from exc


def _tell_holder(certificate: Certificate) -> None:
    """Tell a registered holder that their national certificate is now on the portal (in the site, and by
    the channels they chose for certificates). A record without a sign-in has no one to tell yet."""
    if not certificate.worker.registered:
        return
    recorded = gettext_lazy("National certificate recorded: %(occupation)s, %(level)s")
    notify(
        recipient=certificate.worker,
        title=recorded % {"occupation": certificate.occupation, "level": certificate.level},
        body=_("Certificate number %(number)s, issued by %(body)s. It now counts on the portal.")
        % {"number": certificate.number, "body": certificate.evaluation_body},
        url=reverse("training:my_training"),
        kind=Notification.Kind.CERTIFICATE_ISSUED,
        sms=notice_sms(recorded, occupation=certificate.occupation, level=certificate.level),
    )


def _replace(
    portal: Certificate, *, actor: User, institution: Institution | None, worker: User, occupation, level
) -> Certificate:
    """Mark the institution's portal certificate for this holder and qualification REPLACED (locked first)."""
    portal = Certificate.objects.select_for_update().get(pk=portal.pk)
    if (
        portal.source != Certificate.Source.PORTAL
        or institution is None
        or portal.institution_id != institution.pk
        or (portal.worker_id, portal.occupation_id, portal.level_id) != (worker.pk, occupation.pk, level.pk)
    ):
        raise InvalidTransition(
            _("Certificate %(number)s is not your institution's for this holder, occupation and level.")
            % {"number": portal.number}
        )
    if not portal.is_valid:
        raise InvalidTransition(
            _("Certificate %(number)s is no longer valid, so no certificate takes its place.")
            % {"number": portal.number}
        )
    portal.status = Certificate.Status.REPLACED
    portal.revoked_at = timezone.now()
    portal.revoked_by = actor
    portal.save(update_fields=["status", "revoked_at", "revoked_by"])
    return portal


@transaction.atomic
def national_certificate_record(
    *,
    actor: User,
    institution: Institution | None,
    number: str,
    occupation,
    level,
    issued_on: datetime.date,
    evaluation_body: str,
    real_name: str = "",
    id_number: str = "",
    replaces: Certificate | None = None,
    source: str = Certificate.Source.RECORDED,
    tell_holder: bool = True,
) -> tuple[Certificate, bool]:
    """Record a national certificate for the person with this real name and ID number, opening a worker
    record without a sign-in when the portal does not know them (laborbrand/accounts/records.py). Returns
    the certificate and whether the worker record was opened now.

    After one of the institution's own assessments on the portal, the national certificate `replaces` the
    portal certificate that assessment issued (now REPLACED, kept with its history): one qualification, one
    valid certificate; its holder is then that certificate's (the name and ID number are not needed).

    An import records with source IMPORTED and tells no one (its holders have the paper already, and
    thousands of texts at once help nobody)."""
    _check_recorder(actor, institution)
    number = _check_facts(number=number, issued_on=issued_on, evaluation_body=evaluation_body)
    if replaces is not None:
        worker, opened = replaces.worker, False
        replaces = _replace(
            replaces, actor=actor, institution=institution, worker=worker, occupation=occupation, level=level
        )
    else:
        try:
            worker, opened = worker_record(real_name=real_name, id_number=id_number)
        except ValidationError as exc:
            raise InvalidTransition(" ".join(exc.messages)) from exc
    _check_one_valid(worker, occupation, level)
    certificate = _create_national(
        number=number,
        source=source,
        replaces=replaces,
        worker=worker,
        institution=institution,
        evaluation_body=evaluation_body.strip(),
        occupation=occupation,
        level=level,
        issued_on=issued_on,
        recorded_by=actor,
    )
    if tell_holder:
        _tell_holder(certificate)
    return certificate, opened


@transaction.atomic
def national_certificate_update(
    *,
    certificate: Certificate,
    actor: User,
    occupation,
    level,
    issued_on: datetime.date,
    evaluation_body: str,
) -> Certificate:
    """Correct what a list says about a national certificate already recorded (an import of a corrected
    list): its occupation, level, date or evaluation body. The number and the holder stay."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=certificate.pk)
    )
    if not certificate.is_national:
        raise InvalidTransition(_("A certificate the portal issued is not changed by a list."))
    if not manages_certificate(actor, certificate):
        raise PermissionDenied
    if not certificate.is_valid:
        raise InvalidTransition(
            _("Certificate %(number)s is revoked; it is not changed any more.")
            % {"number": certificate.number}
        )
    _check_facts(number=certificate.number, issued_on=issued_on, evaluation_body=evaluation_body)
    _check_one_valid(certificate.worker, occupation, level, exclude=certificate)
    certificate.occupation = occupation
    certificate.level = level
    certificate.issued_on = issued_on
    certificate.evaluation_body = evaluation_body.strip()
    try:
        with transaction.atomic():
            certificate.save(update_fields=list(Certificate.RECORDED_FACTS))
    except IntegrityError as exc:
        raise InvalidTransition(str(SAME_QUALIFICATION_MEANWHILE)) from exc
    return certificate
