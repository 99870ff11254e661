"""Every access decision about the training app's records.

Institution staff see their own institution's applications, files, programmes, assessments and certificates;
city admins see and review all; county officials see their county's agreements and ethics sessions; workers
see only their own records. Anything else answers 404, like a missing record.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from laborbrand.accounts.models import User
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    Assessment,
    Certificate,
    Enrollment,
    EthicsSession,
    Institution,
    PartnerAgreement,
    TrainingProgram,
    normalize_certificate_number,
)

Role = User.Role


def visible_applications(user: User) -> QuerySet[AdmissionApplication]:
    if not user.is_authenticated:
        return AdmissionApplication.objects.none()
    if user.role == Role.CITY_ADMIN:
        # A draft is the institution's own until it is submitted.
        return AdmissionApplication.objects.exclude(status=AdmissionApplication.Status.DRAFT)
    if user.role == Role.INSTITUTION_STAFF:
        return AdmissionApplication.objects.filter(institution__staff=user)
    return AdmissionApplication.objects.none()


def get_application_for(user: User, pk: int) -> AdmissionApplication:
    return get_object_or_404(
        visible_applications(user).select_related("institution", "institution__county"), pk=pk
    )


def can_edit_application(user: User, application: AdmissionApplication) -> bool:
    return user.role == Role.INSTITUTION_STAFF and application.is_editable


def can_review(user: User) -> bool:
    return user.role == Role.CITY_ADMIN


def get_attachment_for(user: User, pk: int) -> ApplicationAttachment:
    return get_object_or_404(
        ApplicationAttachment.objects.select_related("application"),
        application__in=visible_applications(user),
        pk=pk,
    )


def own_institution(user: User) -> Institution | None:
    return user.institutions.first() if user.role == Role.INSTITUTION_STAFF else None


def visible_agreements(user: User) -> QuerySet[PartnerAgreement]:
    if not user.is_authenticated:
        return PartnerAgreement.objects.none()
    if user.role == Role.CITY_ADMIN:
        return PartnerAgreement.objects.all()
    if user.role == Role.COUNTY_OFFICIAL:
        return PartnerAgreement.objects.filter(county=user.county_id)
    if user.role == Role.INSTITUTION_STAFF:
        return PartnerAgreement.objects.filter(institution__staff=user)
    return PartnerAgreement.objects.none()


def get_agreement_for(user: User, pk: int) -> PartnerAgreement:
    return get_object_or_404(visible_agreements(user), pk=pk)


def public_institutions() -> QuerySet[Institution]:
    return Institution.objects.qualified()


def public_programs() -> QuerySet[TrainingProgram]:
    """Programmes anyone can find and workers can apply to."""
    return TrainingProgram.objects.listed()


def visible_programs(user: User):
    """Programmes a user manages (institution staff: their own) or oversees (city admins: all)."""
    if not user.is_authenticated:
        return TrainingProgram.objects.none()
    if user.role == Role.CITY_ADMIN:
        return TrainingProgram.objects.all()
    if user.role == Role.INSTITUTION_STAFF:
        return TrainingProgram.objects.filter(institution__staff=user)
    return TrainingProgram.objects.none()


def get_program_for(user: User, pk: int):
    return get_object_or_404(
        visible_programs(user).select_related("institution", "brand", "occupation", "target_level"), pk=pk
    )


def can_manage_program(user: User, program) -> bool:
    return user.role == Role.INSTITUTION_STAFF


def get_enrollment_for_institution(user: User, pk: int):
    if user.role != Role.INSTITUTION_STAFF:
        return get_object_or_404(Enrollment.objects.none(), pk=pk)
    return get_object_or_404(
        Enrollment.objects.select_related("program", "worker"), program__institution__staff=user, pk=pk
    )


def get_own_enrollment(user: User, pk: int):
    return get_object_or_404(Enrollment.objects.select_related("program"), worker=user, pk=pk)


def editable_ethics_sessions(user: User) -> QuerySet[EthicsSession]:
    """Sessions a user recorded for their organiser: their county, their institution or the city bureau."""
    if not user.is_authenticated:
        return EthicsSession.objects.none()
    if user.role == Role.CITY_ADMIN:
        return EthicsSession.objects.filter(county__isnull=True, institution__isnull=True)
    if user.role == Role.COUNTY_OFFICIAL:
        return EthicsSession.objects.filter(county=user.county_id)
    if user.role == Role.INSTITUTION_STAFF:
        return EthicsSession.objects.filter(institution__staff=user)
    return EthicsSession.objects.none()


def visible_ethics_sessions(user: User) -> QuerySet[EthicsSession]:
    """City admins oversee every session; the other organisers see the ones they may edit."""
    if user.is_authenticated and user.role == Role.CITY_ADMIN:
        return EthicsSession.objects.all()
    return editable_ethics_sessions(user)


def get_ethics_session_for(user: User, pk: int) -> EthicsSession:
    return get_object_or_404(
        visible_ethics_sessions(user).select_related("county", "institution").prefetch_related("brands"),
        pk=pk,
    )


def can_edit_ethics_session(user: User, session: EthicsSession) -> bool:
    return editable_ethics_sessions(user).filter(pk=session.pk).exists()


def ethics_candidates(session: EthicsSession) -> QuerySet[User]:
    """Workers to offer on the attendance form: trainees of the session's brands not yet recorded."""
    return (
        User.objects.with_role(Role.WORKER)
        .active()
        .filter(
            enrollments__program__brand__in=session.brands.all(),
            enrollments__status__in=[Enrollment.Status.ACCEPTED, Enrollment.Status.COMPLETED],
        )
        .exclude(ethics_attendance__session=session)
        .distinct()
        .order_by("real_name", "pk")
    )


def visible_assessments(user: User) -> QuerySet[Assessment]:
    if not user.is_authenticated:
        return Assessment.objects.none()
    if user.role == Role.CITY_ADMIN:
        return Assessment.objects.all()
    if user.role == Role.INSTITUTION_STAFF:
        return Assessment.objects.filter(institution__staff=user)
    if user.role == Role.WORKER:
        return Assessment.objects.filter(worker=user)
    return Assessment.objects.none()


def get_issued_certificate_for(user: User, pk: int) -> Certificate:
    """A certificate its issuer manages: only staff of the issuing institution get it, everyone else 404."""
    if not user.is_authenticated or user.role != Role.INSTITUTION_STAFF:
        return get_object_or_404(Certificate.objects.none(), pk=pk)
    return get_object_or_404(
        Certificate.objects.select_related("worker", "occupation", "level", "institution"),
        institution__staff=user,
        pk=pk,
    )


def public_certificate(number: str, holder_name: str) -> Certificate | None:
    """The certificate with this number whose holder has this name, for the public check. A wrong name
    answers like an unknown number, so the page never confirms that a number exists."""
    certificate = (
        Certificate.objects.select_related("worker", "institution", "occupation", "level")
        .filter(number=normalize_certificate_number(number))
        .first()
    )
    if certificate is None:
        return None
    if certificate.worker.real_name.strip().casefold() != holder_name.strip().casefold():
        return None
    return certificate
