"""Every access decision about institutions, admission applications, attachments and agreements.

Institution staff see their own institution's applications and files; city admins see and review all;
county officials see their county's agreements. Anything else answers 404, like a missing record.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from laborbrand.accounts.models import User
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    Enrollment,
    Institution,
    PartnerAgreement,
    TrainingProgram,
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
