"""Every access decision about the training app's records.

Institution staff see their own institution's applications, files, programmes, assessments and certificates;
city admins see and review all; county officials see their county's agreements and ethics sessions; workers
see only their own records. Anything else answers 404, like a missing record.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brands.models import Brand
from laborbrand.accounts.models import User
from laborbrand.pages import Unavailable
from laborbrand.reference.models import County
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
    is_well_formed_certificate_number,
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


def managed_institutions(user: User) -> QuerySet[Institution]:
    """Institutions a user suspends and reinstates: every one for a city admin, none for anyone else."""
    if user.is_authenticated and user.role == Role.CITY_ADMIN:
        return Institution.objects.all()
    return Institution.objects.none()


def get_managed_institution_for(user: User, pk: int) -> Institution:
    return get_object_or_404(managed_institutions(user), pk=pk)


def overseen_counties(user: User) -> QuerySet[County]:
    """The counties whose filings a user oversees: every county for a city admin, their own for an
    official."""
    if not user.is_authenticated:
        return County.objects.none()
    if user.role == Role.CITY_ADMIN:
        return County.objects.all()
    if user.role == Role.COUNTY_OFFICIAL:
        return County.objects.filter(pk=user.county_id)
    return County.objects.none()


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


def managed_programs(user: User) -> QuerySet[TrainingProgram]:
    """Programmes a user runs (their trainees, their results): institution staff, their own; nobody else."""
    if not user.is_authenticated or user.role != Role.INSTITUTION_STAFF:
        return TrainingProgram.objects.none()
    return TrainingProgram.objects.filter(institution__staff=user)


def get_managed_program_for(user: User, pk: int) -> TrainingProgram:
    return get_object_or_404(managed_programs(user).select_related("institution", "brand"), pk=pk)


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


def get_editable_ethics_session_for(user: User, pk: int) -> EthicsSession:
    return get_object_or_404(editable_ethics_sessions(user), pk=pk)


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


def visible_certificates(user: User) -> QuerySet[Certificate]:
    """Certificates of both kinds a user lists and manages: every one for a city admin; for institution staff
    those their institution issued, recorded or imported."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    if user.role == Role.CITY_ADMIN:
        return Certificate.objects.all()
    if user.role == Role.INSTITUTION_STAFF:
        return Certificate.objects.filter(institution__staff=user)
    return Certificate.objects.none()


def get_certificate_for(user: User, pk: int) -> Certificate:
    """A certificate a user revokes: city admins any, institution staff their institution's (404 else)."""
    return get_object_or_404(
        visible_certificates(user).select_related("worker", "occupation", "level", "institution"), pk=pk
    )


def get_replaceable_certificate_for(user: User, pk: int) -> Certificate:
    """A portal certificate of the user's institution, whose national certificate its staff record."""
    if user.role != Role.INSTITUTION_STAFF:
        return get_object_or_404(Certificate.objects.none(), pk=pk)
    return get_object_or_404(
        visible_certificates(user)
        .filter(source=Certificate.Source.PORTAL)
        .select_related("worker", "occupation", "level", "institution"),
        pk=pk,
    )


def cannot_record_certificate(user: User) -> Unavailable | None:
    """Why a user cannot record national certificates: city admins always can, for the city bureau;
    institution staff while their institution is qualified."""
    if user.role == Role.CITY_ADMIN:
        return None
    return institution_unavailable(own_institution(user))


def certificate_import_target(user: User, target_id: int | None) -> Institution | None:
    """What a user imports national certificates into: nothing (the city bureau's list) for a city admin,
    their own qualified institution for institution staff. Any other institution, or any other role, is 404;
    their own institution while it is not qualified is 403."""
    if user.is_authenticated and user.role == Role.CITY_ADMIN and target_id is None:
        return None
    if not user.is_authenticated or user.role != Role.INSTITUTION_STAFF or target_id is None:
        raise Http404
    institution = get_object_or_404(Institution.objects.filter(staff=user), pk=target_id)
    if not institution.is_qualified:
        raise PermissionDenied
    return institution


def public_certificate(number: str, holder_name: str) -> Certificate | None:
    """The certificate with this number whose holder has this name, for the public check. A wrong name
    answers like an unknown number, so the page never confirms that a number exists."""
    certificate = (
        Certificate.objects.select_related("worker", "institution", "occupation", "level", "replaced_by")
        .filter(number=normalize_certificate_number(number))
        .first()
    )
    if certificate is None:
        return None
    if certificate.worker.real_name.strip().casefold() != holder_name.strip().casefold():
        return None
    return certificate


def get_printable_certificate(user: User, pk: int) -> Certificate:
    """A portal certificate's printable page: its holder, and the staff of the institution that issued it (who
    may print it for a worker at their desk). Everyone else gets 404, like a missing certificate, and so does
    a national certificate (its paper is the evaluation body's)."""
    # National certificates are printed by their evaluation bodies: the portal prints only its own.
    certificates = Certificate.objects.filter(source=Certificate.Source.PORTAL).select_related(
        "worker", "institution", "occupation", "level", "assessment", "replaced_by"
    )
    if not user.is_authenticated:
        certificates = certificates.none()
    elif user.role == Role.WORKER:
        certificates = certificates.filter(worker=user)
    elif user.role == Role.INSTITUTION_STAFF:
        certificates = certificates.filter(institution__staff=user)
    else:
        certificates = certificates.none()
    return get_object_or_404(certificates, pk=pk)


CHECK_KEY_SALT = "training.certificate-check-key"
CHECK_KEY_LENGTH = 16


def certificate_check_key(number: str, *, secret: str | None = None) -> str:
    """The key printed with a certificate's number in its QR code: an HMAC of the number (nothing personal),
    16 hex digits. Whoever holds it has seen the printed certificate, so the public check answers for the
    number alone, as it does for the number with the holder's name; numbers cannot be tried without keys."""
    digest = salted_hmac(
        CHECK_KEY_SALT, normalize_certificate_number(number), secret=secret, algorithm="sha256"
    ).hexdigest()
    return digest[:CHECK_KEY_LENGTH]


def is_certificate_check_key(number: str, key: str) -> bool:
    """Whether `key` is the number's check key under SECRET_KEY or one of SECRET_KEY_FALLBACKS (keep a
    rotated-out key there while printed certificates carry keys made with it)."""
    number = normalize_certificate_number(number)
    if not is_well_formed_certificate_number(number) or len(key or "") != CHECK_KEY_LENGTH:
        return False
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(constant_time_compare(key.lower(), certificate_check_key(number, secret=s)) for s in secrets)


def public_certificate_by_key(number: str, key: str) -> Certificate | None:
    """The certificate with this number, for the public check from a scanned QR code; None unless the key
    is the number's check key."""
    if not is_certificate_check_key(number, key):
        return None
    return (
        Certificate.objects.select_related("worker", "institution", "occupation", "level", "replaced_by")
        .filter(number=normalize_certificate_number(number))
        .first()
    )


# --- Forms an institution or a county cannot use yet: why, and what to do instead --------------------------

QUALIFIED_ONLY = gettext_lazy(
    "Only institutions qualified (准入) by the city run brand programmes, assess workers and record ethics "
    "sessions and apprentices."
)


def _not_linked() -> Unavailable:
    return Unavailable(
        reason=_("Your account is not linked to a training institution."),
        next_step=_("Please contact the city bureau."),
    )


def _open_application_step(application: AdmissionApplication) -> dict:
    status = application.get_status_display()
    if application.is_editable:
        step = _("Your admission application is “%(status)s”: complete it and submit it to the city bureau.")
    else:
        step = _(
            "Your admission application is “%(status)s”: you can go ahead once the city bureau approves it."
        )
    return {
        "next_step": step % {"status": status},
        "url": reverse("training:application_detail", args=[application.pk]),
        "link": _("Open the application"),
    }


def institution_unavailable(institution: Institution | None) -> Unavailable | None:
    """Why an institution cannot run programmes, assess, or record ethics sessions and apprentices today:
    it is not qualified (None when it is)."""
    if institution is None:
        return _not_linked()
    if institution.is_qualified:
        return None
    name = institution.name
    if institution.status == Institution.Status.SUSPENDED:
        return Unavailable(
            reason=" ".join(
                [_("%(name)s is suspended by the city bureau.") % {"name": name}, str(QUALIFIED_ONLY)]
            ),
            next_step=_("Contact the city bureau to have it reinstated."),
        )
    application = institution.applications.open().first()
    if institution.qualified_until is not None and institution.status != Institution.Status.REGISTERED:
        state = _("The admission of %(name)s expired on %(date)s.") % {
            "name": name,
            "date": institution.qualified_until.isoformat(),
        }
    else:
        state = _("%(name)s is not qualified (准入) yet.") % {"name": name}
    reason = " ".join([state, str(QUALIFIED_ONLY)])
    if application is not None:
        return Unavailable(reason=reason, **_open_application_step(application))
    return Unavailable(
        reason=reason,
        next_step=_("Apply for admission with evidence of your faculty, facilities and employment channels."),
        url=reverse("training:application_create"),
        link=_("Apply for admission"),
    )


def cannot_edit_application(application: AdmissionApplication) -> Unavailable | None:
    if application.is_editable:
        return None
    return Unavailable(
        reason=_(
            "The application is “%(status)s”: it can be changed while it is a draft or after the city has "
            "asked for changes."
        )
        % {"status": application.get_status_display()},
        url=reverse("training:application_detail", args=[application.pk]),
        link=_("Back to the application"),
    )


def cannot_apply_for_admission(user: User) -> Unavailable | None:
    institution = own_institution(user)
    if institution is None:
        return _not_linked()
    application = institution.applications.open().first()
    if application is None:
        return None
    return Unavailable(
        reason=_(
            "%(name)s already has an admission application in progress; an institution keeps one open at "
            "a time."
        )
        % {"name": institution.name},
        **_open_application_step(application),
    )


def program_brands(institution: Institution) -> QuerySet[Brand]:
    """The brands an institution can run programmes for: public brands of an occupation it is admitted for."""
    return Brand.objects.public().filter(occupations__in=institution.occupations.all()).distinct()


def cannot_create_program(user: User) -> Unavailable | None:
    institution = own_institution(user)
    unavailable = institution_unavailable(institution)
    if unavailable is None and not program_brands(institution).exists():
        unavailable = Unavailable(
            reason=_(
                "No cultivating or recognised brand covers an occupation %(name)s is admitted for "
                "(%(occupations)s), so there is no brand to run a programme for."
            )
            % {
                "name": institution.name,
                "occupations": "、".join(o.name for o in institution.occupations.all()),
            },
            next_step=_(
                "Apply for admission in a brand's occupations, or ask the county that runs the brand."
            ),
            url=reverse("training:application_list"),
            link=_("Admission applications"),
        )
    return unavailable


def cannot_edit_program(program: TrainingProgram) -> Unavailable | None:
    if program.status == TrainingProgram.Status.COMPLETED:
        return Unavailable(
            reason=_("A completed programme can no longer be changed."),
            url=reverse("training:program_detail", args=[program.pk]),
            link=_("Back to the programme"),
        )
    return institution_unavailable(program.institution)


def cannot_record_results(program: TrainingProgram) -> Unavailable | None:
    if program.results_open:
        return None
    return Unavailable(
        reason=_("The results of %(title)s can be recorded once the programme has ended, on %(date)s.")
        % {"title": program.title, "date": program.end_date.isoformat()},
        next_step=_(
            "If the class has finished before then, complete the programme early on its page and give the "
            "reason; its results can then be recorded."
        ),
        url=reverse("training:program_detail", args=[program.pk]),
        link=_("Back to the programme"),
    )


def cannot_record_assessment(user: User) -> Unavailable | None:
    return institution_unavailable(own_institution(user))


def ethics_session_brands(user: User) -> QuerySet[Brand]:
    """The brands a user can record ethics sessions for: public brands, of their own county for officials."""
    brands = Brand.objects.public()
    return brands.in_county(user.county_id) if user.role == Role.COUNTY_OFFICIAL else brands


def cannot_record_ethics_session(user: User) -> Unavailable | None:
    if user.role == Role.INSTITUTION_STAFF:
        unavailable = institution_unavailable(own_institution(user))
        if unavailable is not None:
            return unavailable
    if ethics_session_brands(user).exists():
        return None
    if user.role == Role.COUNTY_OFFICIAL:
        return Unavailable(
            reason=_(
                "Your county has no cultivating or recognised brand yet, and ethics sessions are held for "
                "those brands."
            ),
            next_step=_(
                "Register a brand and submit it to the city; once accepted, its sessions can be recorded."
            ),
            url=reverse("brands:manage_list"),
            link=_("Your county's brands"),
        )
    return Unavailable(
        reason=_("No brand is cultivating or recognised yet, and ethics sessions are held for those brands.")
    )


def agreement_brands(county) -> QuerySet[Brand]:
    """The brands of a county an agreement can be signed for."""
    return Brand.objects.in_county(county).exclude(status__in=[Brand.Status.REJECTED, Brand.Status.RETIRED])


def cannot_record_agreement(user: User) -> Unavailable | None:
    if not agreement_brands(user.county_id).exists():
        return Unavailable(
            reason=_("Your county has no brand to sign a partner agreement for."),
            next_step=_("Register the brand first."),
            url=reverse("brands:brand_create"),
            link=_("Register a brand"),
        )
    if not Institution.objects.qualified().exists():
        return Unavailable(
            reason=_(
                "No training institution is qualified (准入) at the moment, and partner agreements are "
                "signed with qualified institutions."
            ),
            next_step=_(
                "The city bureau admits institutions; the public list shows those that are qualified."
            ),
            url=reverse("training:institution_public_list"),
            link=_("Qualified institutions"),
        )
    return None
