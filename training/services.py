"""Every state change of institutions, admission applications, partner agreements, programmes and enrolments,
ethics sessions, assessments and certificates."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brands.models import BrandStandard
from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify, organisation_staff_register
from laborbrand.dates import check_dates
from laborbrand.exceptions import InvalidTransition
from laborbrand.reference.models import SkillLevel
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationReview,
    Assessment,
    Certificate,
    CertificateSerial,
    Enrollment,
    EthicsAttendance,
    EthicsSession,
    Institution,
    PartnerAgreement,
    ProgramEvent,
    TrainingProgram,
    certificate_number,
    passes,
)

Status = AdmissionApplication.Status
Decision = ApplicationReview.Decision

# The admission workflow. The institution submits (and resubmits after changes were requested); a city
# admin takes the application into review and decides it.
ALLOWED = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.CHANGES_REQUESTED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.UNDER_REVIEW},
    Status.UNDER_REVIEW: {Status.APPROVED, Status.REJECTED, Status.CHANGES_REQUESTED},
}
DECISION_STATUS = {
    Decision.APPROVE: Status.APPROVED,
    Decision.REQUEST_CHANGES: Status.CHANGES_REQUESTED,
    Decision.REJECT: Status.REJECTED,
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


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


def _notify_institution(application: AdmissionApplication, title: str, body: str = "") -> None:
    url = reverse("training:application_detail", args=[application.pk])
    for user in application.institution.staff.filter(is_active=True):
        notify(recipient=user, title=title, body=body, url=url)


# --- Applications: the institution's side ---------------------------------------------------------------


@transaction.atomic
def application_create(*, institution: Institution, occupations, **fields) -> AdmissionApplication:
    # Locks the institution's row, so two colleagues starting an application at once make one.
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.applications.open().exists():
        raise InvalidTransition(_("Your institution already has an application in progress."))
    application = AdmissionApplication.objects.create(institution=institution, **fields)
    application.occupations.set(occupations)
    return application


@transaction.atomic
def application_update(*, application: AdmissionApplication, occupations, **fields) -> AdmissionApplication:
    application = AdmissionApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise InvalidTransition(_("This application can no longer be changed."))
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    application.occupations.set(occupations)
    return application


@transaction.atomic
def attachment_add(
    *, application: AdmissionApplication, actor: User, criterion: str, upload, content_type: str
) -> ApplicationAttachment:
    """Store an upload the form has checked by content (PDF, JPEG or PNG; 1 byte to 10 MB)."""
    # Under the row lock, so a file cannot slip into a round that is being submitted at the same moment.
    application = AdmissionApplication.objects.select_for_update().get(pk=application.pk)
    if not application.is_editable:
        raise InvalidTransition(_("This application can no longer be changed."))
    attachment = ApplicationAttachment(
        application=application,
        criterion=criterion,
        name=(upload.name or "file")[-120:],
        content_type=content_type,
        size=upload.size,
        round=application.editing_round,
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


def attachment_delete(*, attachment: ApplicationAttachment) -> None:
    """Only files added in the round being prepared can be removed; files already submitted are kept."""
    application = attachment.application
    if not application.is_editable or attachment.round != application.editing_round:
        raise InvalidTransition(_("Files of an earlier round are kept as they were submitted."))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _transition(
    *, application: AdmissionApplication, actor: User, to: str, note: str = "", **changes
) -> AdmissionApplication:
    """Move an application under a row lock, so that of two simultaneous moves only one happens."""
    application = AdmissionApplication.objects.select_for_update().get(pk=application.pk)
    if to not in ALLOWED.get(application.status, set()):
        raise InvalidTransition(
            _(
                "The application is “%(current)s” and cannot become “%(target)s”. Someone may have acted on "
                "it meanwhile; reload the page."
            )
            % {"current": application.get_status_display(), "target": Status(to).label}
        )
    old = application.status
    application.status = to
    for name, value in changes.items():
        setattr(application, name, value)
    application.save(update_fields=["status", *changes])
    ApplicationEvent.objects.create(
        application=application, old_status=old, new_status=to, actor=actor, note=note
    )
    return application


@transaction.atomic
def application_submit(*, application: AdmissionApplication, actor: User) -> AdmissionApplication:
    # Re-read under the lock first: whether this is a resubmission, and so the round, follows the row as it
    # is now, not the caller's copy.
    application = (
        AdmissionApplication.objects.select_for_update().select_related("institution").get(pk=application.pk)
    )
    if (
        actor.role != User.Role.INSTITUTION_STAFF
        or not application.institution.staff.filter(pk=actor.pk).exists()
    ):
        raise PermissionDenied
    if not application.attachments.filter(round=application.round).exists() and application.round == 1:
        raise InvalidTransition(_("Attach at least one file of evidence before submitting."))
    resubmission = application.status == Status.CHANGES_REQUESTED
    application = _transition(
        application=application,
        actor=actor,
        to=Status.SUBMITTED,
        round=application.round + 1 if resubmission else application.round,
        submitted_at=timezone.now(),
    )
    for admin in User.objects.with_role(User.Role.CITY_ADMIN).active():
        notify(
            recipient=admin,
            title=(
                _("Admission application resubmitted: %(name)s")
                if resubmission
                else _("New admission application: %(name)s")
            )
            % {"name": application.institution.name},
            url=reverse("training:review_detail", args=[application.pk]),
        )
    return application


# --- Applications: the city's side ----------------------------------------------------------------------


def _assert_city_admin(actor: User) -> None:
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied


@transaction.atomic
def application_start_review(*, application: AdmissionApplication, actor: User) -> AdmissionApplication:
    _assert_city_admin(actor)
    application = _transition(application=application, actor=actor, to=Status.UNDER_REVIEW)
    _notify_institution(
        application,
        _("Your admission application is under review"),
        _("The city bureau has started reviewing round %(round)d of your application.")
        % {"round": application.round},
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: AdmissionApplication,
    actor: User,
    decision: str,
    reason: str,
    faculty_verdict: str,
    faculty_comment: str = "",
    facilities_verdict: str,
    facilities_comment: str = "",
    employment_verdict: str,
    employment_comment: str = "",
    qualified_until: datetime.date | None = None,
) -> ApplicationReview:
    """Decide the current round. The application row is locked and re-read first: when two admins decide at
    once, the second finds it decided already and is refused, and nothing of the first is overwritten."""
    _assert_city_admin(actor)
    if decision == Decision.APPROVE:
        if qualified_until is None or qualified_until <= timezone.localdate():
            raise InvalidTransition(_("An approval needs a qualification end date in the future."))
        check_dates(ApplicationReview(qualified_until=qualified_until), "qualified_until")
    if not reason.strip():
        raise InvalidTransition(_("Please give the reason for the decision."))
    application = _transition(
        application=application,
        actor=actor,
        to=DECISION_STATUS[decision],
        note=reason,
        decided_at=timezone.now(),
    )
    review = ApplicationReview.objects.create(
        application=application,
        round=application.round,
        reviewer=actor,
        faculty_verdict=faculty_verdict,
        faculty_comment=faculty_comment,
        facilities_verdict=facilities_verdict,
        facilities_comment=facilities_comment,
        employment_verdict=employment_verdict,
        employment_comment=employment_comment,
        decision=decision,
        reason=reason,
        qualified_until=qualified_until if decision == Decision.APPROVE else None,
    )
    institution = application.institution
    if decision == Decision.APPROVE:
        institution.status = Institution.Status.QUALIFIED
        institution.qualified_until = qualified_until
        institution.save(update_fields=["status", "qualified_until"])
        institution.occupations.add(*application.occupations.all())
        title = _("Admission approved: %(name)s is qualified until %(date)s") % {
            "name": institution.name,
            "date": qualified_until.isoformat(),
        }
    elif decision == Decision.REQUEST_CHANGES:
        title = _("Changes requested to your admission application")
    else:
        title = _("Your admission application was rejected")
    _notify_institution(application, title, reason)
    return review


@transaction.atomic
def institution_suspend(*, institution: Institution, actor: User, reason: str) -> Institution:
    _assert_city_admin(actor)
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
    _assert_city_admin(actor)
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


# --- Partner agreements ---------------------------------------------------------------------------------


@transaction.atomic
def agreement_record(
    *,
    actor: User,
    institution: Institution,
    brands,
    signed_on: datetime.date,
    filed_on: datetime.date,
    document,
) -> PartnerAgreement:
    if actor.role != User.Role.COUNTY_OFFICIAL:
        raise PermissionDenied
    if not institution.is_qualified:
        raise InvalidTransition(_("Only a qualified institution can be party to a partner agreement."))
    if any(brand.county_id != actor.county_id for brand in brands):
        raise PermissionDenied
    agreement = PartnerAgreement(
        county_id=actor.county_id,
        institution=institution,
        signed_on=signed_on,
        filed_on=filed_on,
        created_by=actor,
    )
    check_dates(agreement)
    if filed_on < signed_on:
        raise InvalidTransition(_("An agreement is filed on or after the day it is signed."))
    agreement.document.save("agreement.pdf", document, save=False)
    agreement.save()
    agreement.brands.set(brands)
    return agreement


# --- Programmes and enrolment -----------------------------------------------------------------------------

ProgramStatus = TrainingProgram.Status
EnrollmentStatus = Enrollment.Status
PROGRAM_ALLOWED = {
    ProgramStatus.PLANNED: {ProgramStatus.ENROLLING},
    ProgramStatus.ENROLLING: {ProgramStatus.RUNNING},
    ProgramStatus.RUNNING: {ProgramStatus.COMPLETED},
}


def program_shortfalls(program: TrainingProgram) -> list[str]:
    """Why a programme falls short of its brand's measurable standards (empty when it meets them all)."""
    reasons = []
    for standard in program.brand.standards.exclude(measure=""):
        measure, target = standard.measure, standard.target
        if measure == BrandStandard.Measure.MIN_TRAINING_MONTHS and program.months < target:
            reasons.append(
                ngettext(
                    "The brand asks for at least %(target)d month of training; this one runs %(months)d.",
                    "The brand asks for at least %(target)d months of training; this one runs %(months)d.",
                    target,
                )
                % {"target": target, "months": program.months}
            )
        elif measure == BrandStandard.Measure.MIN_PRACTICAL_SHARE and program.practical_share < target:
            reasons.append(
                _("The brand asks for at least %(target)d%% practical hours; this one has %(share).0f%%.")
                % {"target": target, "share": program.practical_share}
            )
        elif measure == BrandStandard.Measure.MIN_CERTIFICATE_LEVEL and program.target_level.rank < target:
            reasons.append(
                _("The brand asks for training to %(target)s; this one targets %(level)s.")
                % {"target": standard.target_text(SkillLevel.by_rank()), "level": program.target_level}
            )
        elif measure == BrandStandard.Measure.MIN_ETHICS_HOURS and program.ethics_hours < target:
            reasons.append(
                _(
                    "The brand asks for at least %(target)d hours of professional ethics; this one has "
                    "%(hours)d."
                )
                % {"target": target, "hours": program.ethics_hours}
            )
    return reasons


def _check_program(program: TrainingProgram) -> None:
    institution = program.institution
    check_dates(program)
    if not institution.is_qualified:
        raise InvalidTransition(_("Only a qualified institution can run brand programmes."))
    if not institution.occupations.filter(pk=program.occupation_id).exists():
        raise InvalidTransition(
            _("%(institution)s is not admitted to train %(occupation)s.")
            % {"institution": institution.name, "occupation": program.occupation}
        )
    if program.end_date < program.start_date:
        raise InvalidTransition(_("The programme cannot end before it starts."))
    if program.ethics_hours > program.theory_hours:
        raise InvalidTransition(_("The ethics hours are part of the theory hours and cannot exceed them."))
    if not program.brand.is_public:
        raise InvalidTransition(_("Programmes can be run only for cultivating or recognised brands."))
    reasons = program_shortfalls(program)
    if reasons:
        raise InvalidTransition(" ".join(reasons))


@transaction.atomic
def program_create(*, institution: Institution, **fields) -> TrainingProgram:
    program = TrainingProgram(institution=institution, **fields)
    _check_program(program)
    program.save()
    return program


@transaction.atomic
def program_update(*, program: TrainingProgram, **fields) -> TrainingProgram:
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if program.status == ProgramStatus.COMPLETED:
        raise InvalidTransition(_("A completed programme can no longer be changed."))
    for name, value in fields.items():
        setattr(program, name, value)
    _check_program(program)
    program.save()
    return program


@transaction.atomic
def program_advance(*, program: TrainingProgram, to: str, actor: User) -> TrainingProgram:
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    _assert_program_move(program, to)
    if to == ProgramStatus.COMPLETED and not program.has_ended():
        raise InvalidTransition(
            _(
                "The programme runs until %(date)s. To complete it before then, use “Complete early” and "
                "give the reason."
            )
            % {"date": program.end_date.isoformat()}
        )
    return _move_program(program, to, actor)


@transaction.atomic
def program_complete_early(*, program: TrainingProgram, actor: User, reason: str) -> TrainingProgram:
    """The documented way to finish a running programme before its end date (the class finished its hours
    sooner, or must stop): the reason is kept in the programme's history, and results can then be
    recorded."""
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    _assert_program_move(program, ProgramStatus.COMPLETED)
    if program.has_ended():
        raise InvalidTransition(_("The programme has reached its end date: mark it completed."))
    if not reason.strip():
        raise InvalidTransition(_("Give the reason for completing the programme before its end date."))
    return _move_program(program, ProgramStatus.COMPLETED, actor, reason=reason.strip(), early=True)


def _assert_program_move(program: TrainingProgram, to: str) -> None:
    if to not in PROGRAM_ALLOWED.get(program.status, set()):
        raise InvalidTransition(
            _("A programme that is “%(current)s” cannot become “%(target)s”.")
            % {"current": program.get_status_display(), "target": ProgramStatus(to).label}
        )


def _move_program(
    program: TrainingProgram, to: str, actor: User, *, reason: str = "", early: bool = False
) -> TrainingProgram:
    old = program.status
    program.status = to
    program.save(update_fields=["status"])
    ProgramEvent.objects.create(
        program=program, old_status=old, new_status=to, actor=actor, reason=reason, early=early
    )
    return program


@transaction.atomic
def enrollment_apply(*, program: TrainingProgram, worker: User) -> Enrollment:
    if worker.role != User.Role.WORKER:
        raise PermissionDenied
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if program.status != ProgramStatus.ENROLLING:
        raise InvalidTransition(_("This programme is not taking applications."))
    if program.enrollments.filter(worker=worker).exists():
        raise InvalidTransition(_("You have already applied to this programme."))
    enrollment = Enrollment.objects.create(program=program, worker=worker)
    for user in program.institution.staff.filter(is_active=True):
        notify(
            recipient=user,
            title=_("New application to %(program)s") % {"program": program.title},
            url=reverse("training:program_detail", args=[program.pk]),
            email=False,
        )
    return enrollment


def _assert_room(program: TrainingProgram) -> None:
    """Call with the programme row locked: places are counted under the lock, so two accepts cannot both
    take the last place."""
    if program.enrollments.taking_a_place().count() >= program.capacity:
        raise InvalidTransition(
            ngettext(
                "The programme is full (%(capacity)d place).",
                "The programme is full (%(capacity)d places).",
                program.capacity,
            )
            % {"capacity": program.capacity}
        )


@transaction.atomic
def enrollment_accept(*, enrollment: Enrollment) -> Enrollment:
    program = TrainingProgram.objects.select_for_update().get(pk=enrollment.program_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.APPLIED:
        raise InvalidTransition(_("Only a pending application can be accepted."))
    if program.status == ProgramStatus.COMPLETED:
        raise InvalidTransition(_("A completed programme can no longer be changed."))
    _assert_room(program)
    enrollment.status = EnrollmentStatus.ACCEPTED
    enrollment.save(update_fields=["status"])
    notify(
        recipient=enrollment.worker,
        title=_("You have a place in %(program)s") % {"program": program.title},
        body=_("%(institution)s accepted your application. The programme starts on %(date)s at %(place)s.")
        % {
            "institution": program.institution.name,
            "date": program.start_date.isoformat(),
            "place": program.place,
        },
        url=reverse("training:my_training"),
    )
    return enrollment


@transaction.atomic
def enrollment_decline(*, enrollment: Enrollment) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().select_related("program").get(pk=enrollment.pk)
    if enrollment.status != EnrollmentStatus.APPLIED:
        raise InvalidTransition(_("Only a pending application can be declined."))
    enrollment.status = EnrollmentStatus.DECLINED
    enrollment.save(update_fields=["status"])
    notify(
        recipient=enrollment.worker,
        title=_("Your application to %(program)s was not accepted") % {"program": enrollment.program.title},
        url=reverse("training:my_training"),
    )
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, worker: User) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.worker_id != worker.pk:
        raise PermissionDenied
    if enrollment.status not in Enrollment.WITHDRAWABLE:
        raise InvalidTransition(_("This enrolment can no longer be withdrawn."))
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.save(update_fields=["status"])
    return enrollment


@transaction.atomic
def enrollment_add_walk_in(*, program: TrainingProgram, worker: User) -> Enrollment:
    """The institution records a trainee who signed up on site; they take a place at once."""
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if program.status not in (ProgramStatus.ENROLLING, ProgramStatus.RUNNING):
        raise InvalidTransition(_("Trainees can be added only while the programme is enrolling or running."))
    if program.enrollments.filter(worker=worker).exists():
        raise InvalidTransition(_("This worker is already enrolled in the programme."))
    _assert_room(program)
    return Enrollment.objects.create(
        program=program, worker=worker, status=EnrollmentStatus.ACCEPTED, walk_in=True
    )


@transaction.atomic
def results_record(*, program: TrainingProgram, results: dict[int, tuple[object, object]]) -> int:
    """Record the class's final examination at once: {enrollment id: (theory score, practical score)}. A
    trainee passes when both scores reach PASS_MARK, as in a skill-level assessment.

    Every id must be an accepted or completed enrolment of this programme and every score 0–100, or nothing
    is saved.
    """
    program = TrainingProgram.objects.select_for_update().get(pk=program.pk)
    if not program.results_open:
        raise InvalidTransition(
            _(
                "Results can be recorded once the programme has ended (on %(date)s), or once it has been "
                "completed early with a reason."
            )
            % {"date": program.end_date.isoformat()}
        )
    enrollments = {e.pk: e for e in program.enrollments.taking_a_place().select_for_update()}
    unknown = set(results) - set(enrollments)
    if unknown:
        raise InvalidTransition(_("Results can be recorded only for trainees enrolled in this programme."))
    for scores in results.values():
        if any(score is None or not 0 <= score <= 100 for score in scores):
            raise InvalidTransition(_("Scores are between 0 and 100."))
    now = timezone.now()
    for pk, (theory, practical) in results.items():
        enrollment = enrollments[pk]
        enrollment.theory_score = theory
        enrollment.practical_score = practical
        enrollment.passed = passes(theory, practical)
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_at = enrollment.completed_at or now
        enrollment.save(update_fields=["theory_score", "practical_score", "passed", "status", "completed_at"])
    return len(results)


# --- Ethics sessions ----------------------------------------------------------------------------------------


def _ethics_organiser(actor: User) -> dict:
    """Who organises a session follows from who records it: the official's county, the staff member's
    institution, or (a city admin) the city bureau."""
    if actor.role == User.Role.COUNTY_OFFICIAL:
        return {"county_id": actor.county_id, "institution": None}
    if actor.role == User.Role.INSTITUTION_STAFF:
        institution = actor.institutions.first()
        if institution is None or not institution.is_qualified:
            raise InvalidTransition(_("Only a qualified institution can record ethics sessions."))
        return {"county_id": None, "institution": institution}
    if actor.role == User.Role.CITY_ADMIN:
        return {"county_id": None, "institution": None}
    raise PermissionDenied


def _check_session_brands(actor: User, brands) -> None:
    if not brands:
        raise InvalidTransition(_("Choose at least one brand."))
    if any(not brand.is_public for brand in brands):
        raise InvalidTransition(_("Ethics sessions are held for cultivating or recognised brands."))
    if actor.role == User.Role.COUNTY_OFFICIAL and any(b.county_id != actor.county_id for b in brands):
        raise InvalidTransition(_("A county records ethics sessions for its own brands."))


@transaction.atomic
def ethics_session_create(*, actor: User, brands, **fields) -> EthicsSession:
    brands = list(brands)
    organiser = _ethics_organiser(actor)
    _check_session_brands(actor, brands)
    session = EthicsSession(created_by=actor, **organiser, **fields)
    check_dates(session)
    session.save()
    session.brands.set(brands)
    return session


@transaction.atomic
def ethics_session_update(*, session: EthicsSession, actor: User, brands, **fields) -> EthicsSession:
    brands = list(brands)
    _check_session_brands(actor, brands)
    session = EthicsSession.objects.select_for_update().get(pk=session.pk)
    for name, value in fields.items():
        setattr(session, name, value)
    check_dates(session)
    session.save()
    session.brands.set(brands)
    return session


@transaction.atomic
def ethics_attendance_add(*, session: EthicsSession, workers) -> int:
    """Record many attendees at once; workers already recorded are left as they are. Returns how many were
    added."""
    if session.held_on > timezone.localdate():
        raise InvalidTransition(_("Attendance can be recorded once the session has taken place."))
    workers = list(workers)
    if any(worker.role != User.Role.WORKER for worker in workers):
        raise InvalidTransition(_("Only worker accounts can attend ethics sessions."))
    present = set(session.attendance.values_list("worker_id", flat=True))
    new = [EthicsAttendance(session=session, worker=w) for w in {w.pk: w for w in workers}.values()]
    new = [a for a in new if a.worker_id not in present]
    EthicsAttendance.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def ethics_attendance_remove(*, session: EthicsSession, worker_id: int) -> None:
    deleted, _rows = session.attendance.filter(worker_id=worker_id).delete()
    if not deleted:
        raise InvalidTransition(_("This worker is not on the attendance list."))


# --- Assessments and certificates ---------------------------------------------------------------------------


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
        notify(
            recipient=worker,
            title=_("Certificate issued: %(occupation)s, %(level)s")
            % {"occupation": occupation, "level": level},
            body=_("Certificate number %(number)s, issued by %(institution)s.")
            % {"number": certificate.number, "institution": institution.name},
            url=reverse("training:my_training"),
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
    )
    return certificate
