"""Every state change of the jobs app's board: employers and their verification, apprenticeships, workers'
profiles, postings, applications and labour cooperation (the matching's are in jobs/matching/services.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs.matching.services import came_from_recommendation
from jobs.models import (
    Application,
    ApplicationEvent,
    Apprenticeship,
    DockingFair,
    Employer,
    JobPosting,
    PartnerRegion,
    WorkerProfile,
)
from laborbrand.accounts.models import Notification, User
from laborbrand.accounts.services import notice_sms, notify, organisation_staff_register
from laborbrand.dates import check_dates
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
    check_dates(Apprenticeship(start_date=start_date, end_date=end_date))
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


# --- Employer verification ----------------------------------------------------------------------------------


def _notify_staff(employer: Employer, title: str, body: str = "", url: str = "") -> None:
    for user in employer.staff.filter(is_active=True):
        notify(recipient=user, title=title, body=body, url=url)


@transaction.atomic
def employer_verify(*, employer: Employer, actor: User) -> Employer:
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.is_verified:
        raise InvalidTransition(_("This employer is already verified."))
    employer.verified_at = timezone.now()
    employer.verified_by = actor
    employer.rejection_reason = ""
    employer.save(update_fields=["verified_at", "verified_by", "rejection_reason"])
    _notify_staff(
        employer,
        _("%(name)s is verified") % {"name": employer.name},
        _("Your job postings can now be published."),
        reverse("jobs:posting_manage_list"),
    )
    return employer


@transaction.atomic
def employer_refuse(*, employer: Employer, actor: User, reason: str) -> Employer:
    """Refuse verification for now, with the reason; the employer corrects its details and is reviewed
    again (it stays in the queue, marked)."""
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied
    if not reason.strip():
        raise InvalidTransition(_("Give the reason, so the employer knows what to correct."))
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.is_verified:
        raise InvalidTransition(_("This employer is already verified."))
    employer.rejection_reason = reason.strip()
    employer.save(update_fields=["rejection_reason"])
    _notify_staff(
        employer,
        _("%(name)s could not be verified yet") % {"name": employer.name},
        employer.rejection_reason,
        reverse("accounts:workbench"),
    )
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, **fields) -> Employer:
    """The employer corrects its details; a refused employer goes back to the queue with them."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.is_verified and fields.get("credit_code", employer.credit_code) != employer.credit_code:
        raise InvalidTransition(_("A verified employer's credit code cannot be changed."))
    renamed = fields.get("name", employer.name) != employer.name
    for name, value in fields.items():
        setattr(employer, name, value)
    employer.rejection_reason = ""
    employer.save()
    if renamed:
        postings_reindex(postings=employer.postings.all())
    return employer


REINDEX_BATCH = 500


def postings_reindex(*, postings: QuerySet[JobPosting]) -> int:
    """Recompute the keyword-search tokens of the postings, which hold their employer's and occupation's
    names: after either is renamed. Returns how many postings it wrote."""
    postings = postings.select_related("employer", "occupation").only(
        "title", "description", "employer__name", "occupation__name"
    )
    written, last = 0, 0
    while batch := list(postings.filter(pk__gt=last).order_by("pk")[:REINDEX_BATCH]):
        for posting in batch:
            posting.set_search_tokens()
        JobPosting.objects.bulk_update(batch, ["search_tokens"])
        written += len(batch)
        last = batch[-1].pk
    return written


# --- Worker profile -----------------------------------------------------------------------------------------


@transaction.atomic
def profile_save(*, user: User, desired_occupations, preferred_provinces, **fields) -> WorkerProfile:
    if user.role != User.Role.WORKER:
        raise PermissionDenied
    profile, _created = WorkerProfile.objects.get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    profile.desired_occupations.set(desired_occupations)
    profile.preferred_provinces.set(preferred_provinces)
    return profile


# --- Postings -----------------------------------------------------------------------------------------------

PostingStatus = JobPosting.Status
EDITABLE_POSTING_STATUSES = (
    PostingStatus.DRAFT,
    PostingStatus.OPEN,
    PostingStatus.CLOSED,
    PostingStatus.EXPIRED,
)


def _assert_staff(actor: User, employer: Employer) -> None:
    if actor.role != User.Role.EMPLOYER or not employer.staff.filter(pk=actor.pk).exists():
        raise PermissionDenied


def _check_posting(posting: JobPosting) -> None:
    check_dates(posting)
    if posting.salary_min > posting.salary_max:
        raise InvalidTransition(_("The salary minimum cannot be above the maximum."))
    if posting.county_id and posting.county.city.province_id != posting.province_id:
        raise InvalidTransition(_("The county/district is not in the chosen province."))


# What the employer may set by hand (posting_set_status); publishing and taking down have their own services.
POSTING_STATUS_ALLOWED = {
    PostingStatus.OPEN: {PostingStatus.CLOSED, PostingStatus.FILLED},
    PostingStatus.EXPIRED: {PostingStatus.FILLED},
}
PUBLISHABLE_POSTING_STATUSES = (PostingStatus.DRAFT, PostingStatus.CLOSED, PostingStatus.EXPIRED)


@transaction.atomic
def posting_create(*, employer: Employer, actor: User, **fields) -> JobPosting:
    _assert_staff(actor, employer)
    posting = JobPosting(employer=employer, **fields)
    _check_posting(posting)
    posting.save()
    return posting


def posting_assert_editable(posting: JobPosting) -> None:
    """A filled or taken-down posting can no longer be changed."""
    if posting.status not in EDITABLE_POSTING_STATUSES:
        raise InvalidTransition(
            _("A posting that is “%(status)s” can no longer be changed.")
            % {"status": posting.get_status_display()}
        )


@transaction.atomic
def posting_update(*, posting: JobPosting, actor: User, **fields) -> JobPosting:
    posting = JobPosting.objects.select_for_update().select_related("employer").get(pk=posting.pk)
    _assert_staff(actor, posting.employer)
    posting_assert_editable(posting)
    for name, value in fields.items():
        setattr(posting, name, value)
    _check_posting(posting)
    posting.save()
    return posting


@transaction.atomic
def posting_publish(*, posting: JobPosting, actor: User) -> JobPosting:
    posting = JobPosting.objects.select_for_update().select_related("employer").get(pk=posting.pk)
    _assert_staff(actor, posting.employer)
    if not posting.employer.is_verified:
        raise InvalidTransition(_("Postings are published once the city has verified your company."))
    if posting.status not in PUBLISHABLE_POSTING_STATUSES:
        raise InvalidTransition(
            _("A posting that is “%(status)s” cannot be published.")
            % {"status": posting.get_status_display()}
        )
    if posting.open_until < timezone.localdate():
        raise InvalidTransition(_("Set an open-until date from today on before publishing."))
    posting.status = PostingStatus.OPEN
    posting.published_at = timezone.now()
    posting.save(update_fields=["status", "published_at"])
    return posting


@transaction.atomic
def posting_set_status(*, posting: JobPosting, actor: User, to: str) -> JobPosting:
    """The employer closes an open posting or marks it filled."""
    posting = JobPosting.objects.select_for_update().select_related("employer").get(pk=posting.pk)
    _assert_staff(actor, posting.employer)
    if to not in POSTING_STATUS_ALLOWED.get(posting.status, set()):
        raise InvalidTransition(
            _("A posting that is “%(current)s” cannot become “%(target)s”.")
            % {"current": posting.get_status_display(), "target": PostingStatus(to).label}
        )
    posting.status = to
    posting.save(update_fields=["status"])
    return posting


@transaction.atomic
def posting_take_down(*, posting: JobPosting, actor: User, reason: str) -> JobPosting:
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied
    if not reason.strip():
        raise InvalidTransition(_("Give the reason for taking the posting down."))
    posting = JobPosting.objects.select_for_update().select_related("employer").get(pk=posting.pk)
    if posting.status == PostingStatus.TAKEN_DOWN:
        raise InvalidTransition(_("This posting is already taken down."))
    posting.status = PostingStatus.TAKEN_DOWN
    posting.taken_down_reason = reason.strip()
    posting.save(update_fields=["status", "taken_down_reason"])
    _notify_staff(
        posting.employer,
        _("Your posting “%(title)s” was taken down") % {"title": posting.title},
        posting.taken_down_reason,
        reverse("jobs:posting_manage_detail", args=[posting.pk]),
    )
    return posting


def postings_expire(*, today: datetime.date | None = None) -> int:
    """Nightly: record as expired the open postings whose open-until date has passed (they have already left
    the public list by the date filter)."""
    today = today or timezone.localdate()
    return JobPosting.objects.filter(status=PostingStatus.OPEN, open_until__lt=today).update(
        status=PostingStatus.EXPIRED
    )


# --- Applications -------------------------------------------------------------------------------------------

AppStatus = Application.Status
# The employer's pipeline; a worker may withdraw while the application is still open.
APPLICATION_ALLOWED = {
    AppStatus.SUBMITTED: {AppStatus.VIEWED, AppStatus.INTERVIEW, AppStatus.REJECTED},
    AppStatus.VIEWED: {AppStatus.INTERVIEW, AppStatus.REJECTED},
    AppStatus.INTERVIEW: {AppStatus.OFFERED, AppStatus.REJECTED},
    AppStatus.OFFERED: {AppStatus.HIRED, AppStatus.REJECTED},
}
# The steps a worker must not miss: their kind of notification (the worker's channels) and the SMS's title.
MOVE_NOTICES = {
    AppStatus.INTERVIEW: (
        Notification.Kind.INVITED_TO_INTERVIEW,
        gettext_lazy("Interview invitation: %(title)s, %(employer)s"),
    ),
    AppStatus.OFFERED: (
        Notification.Kind.OFFERED,
        gettext_lazy("Job offer: %(title)s, %(employer)s"),
    ),
    AppStatus.HIRED: (
        Notification.Kind.HIRED,
        gettext_lazy("Hired: %(title)s, %(employer)s"),
    ),
}
WITHDRAWABLE = (AppStatus.SUBMITTED, AppStatus.VIEWED, AppStatus.INTERVIEW, AppStatus.OFFERED)
SHARED_DATA = gettext_lazy(
    "your name, mobile number, masked ID number, home county, desired occupations, work experience, skill "
    "certificates and training results"
)


def consent_text(posting: JobPosting) -> str:
    """The separate consent (个人信息保护法 art. 23) shown before applying and stored with the application."""
    return _(
        "I agree that %(employer)s (unified social credit code %(code)s) receives %(data)s, to consider my "
        "application for “%(title)s”."
    ) % {
        "employer": posting.employer.name,
        "code": posting.employer.credit_code,
        "data": SHARED_DATA,
        "title": posting.title,
    }


@transaction.atomic
def application_submit(
    *, posting: JobPosting, worker: User, consent: bool, from_recommendation: bool = False
) -> Application:
    """Apply with the separate consent. `from_recommendation` says the worker followed a recommended job's
    link; it is recorded only when the portal really recommended the posting to them or they were invited."""
    if worker.role != User.Role.WORKER:
        raise PermissionDenied
    # The worker's row is locked, so a double click makes one application and the second is told so.
    User.objects.select_for_update().get(pk=worker.pk)
    if Application.objects.filter(posting=posting, worker=worker).exists():
        raise InvalidTransition(_("You have already applied to this job."))
    posting = JobPosting.objects.select_related("employer").get(pk=posting.pk)
    if not posting.accepts_applications:
        raise InvalidTransition(_("This job is no longer taking applications."))
    profile = WorkerProfile.objects.filter(user=worker).first()
    if profile is None or not profile.is_complete:
        raise InvalidTransition(
            _("Complete your profile (home county and desired occupations) before applying.")
        )
    if not consent:
        raise InvalidTransition(_("Applying needs your consent to share your details with the employer."))
    now = timezone.now()
    application = Application.objects.create(
        posting=posting,
        worker=worker,
        consent_at=now,
        consent_text=consent_text(posting),
        recommendation=came_from_recommendation(
            worker=worker, posting=posting, from_link=from_recommendation
        ),
        created=now,
        status_changed=now,
    )
    ApplicationEvent.objects.create(
        application=application, new_status=AppStatus.SUBMITTED, actor=worker, created=now
    )
    for user in posting.employer.staff.filter(is_active=True):
        notify(
            recipient=user,
            title=_("New applicant for %(title)s") % {"title": posting.title},
            url=reverse("jobs:applicant_list", args=[posting.pk]),
            email=False,
        )
    return application


def _move(application: Application, actor: User, to: str, note: str = "") -> Application:
    old = application.status
    application.status = to
    application.status_changed = timezone.now()
    application.save(update_fields=["status", "status_changed"])
    ApplicationEvent.objects.create(
        application=application, old_status=old, new_status=to, actor=actor, note=note
    )
    return application


@transaction.atomic
def application_move(*, application: Application, actor: User, to: str, note: str = "") -> Application:
    """The employer moves an applicant along the pipeline; the worker is told of every step. The first step
    of an application nobody marked viewed records the view first (application_mark_viewed). A hire that
    reaches the posting's headcount marks the posting filled."""
    application = (
        Application.objects.select_for_update()
        .select_related("posting", "posting__employer", "worker")
        .get(pk=application.pk)
    )
    posting = application.posting
    _assert_staff(actor, posting.employer)
    if to not in APPLICATION_ALLOWED.get(application.status, set()):
        raise InvalidTransition(
            _(
                "An application that is “%(current)s” cannot become “%(target)s”. Reload the page to see its "
                "status."
            )
            % {"current": application.get_status_display(), "target": AppStatus(to).label}
        )
    if application.status == AppStatus.SUBMITTED and to != AppStatus.VIEWED:
        _move(application, actor, AppStatus.VIEWED)
    _move(application, actor, to, note.strip())
    kind, sms_title = MOVE_NOTICES.get(to, (Notification.Kind.GENERAL, None))
    notify(
        recipient=application.worker,
        title=_("%(title)s at %(employer)s: %(status)s")
        % {"title": posting.title, "employer": posting.employer.name, "status": AppStatus(to).label},
        body=note.strip() if to in (AppStatus.INTERVIEW, AppStatus.OFFERED) else "",
        url=reverse("jobs:my_applications"),
        kind=kind,
        # The text names the employer and the job (the worker applied to them); never the employer's note.
        sms=notice_sms(sms_title, employer=posting.employer.name, title=posting.title) if sms_title else None,
    )
    if to == AppStatus.HIRED:
        posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
        if posting.status == PostingStatus.OPEN and posting.applications.hired().count() >= posting.headcount:
            posting.status = PostingStatus.FILLED
            posting.save(update_fields=["status"])
    return application


@transaction.atomic
def application_mark_viewed(*, application: Application, actor: User) -> Application:
    """The employer marks a submitted application viewed: the worker's list of applications shows it was read
    (no notification for it). An application further along keeps its status."""
    application = (
        Application.objects.select_for_update().select_related("posting__employer").get(pk=application.pk)
    )
    _assert_staff(actor, application.posting.employer)
    if application.status == AppStatus.SUBMITTED:
        _move(application, actor, AppStatus.VIEWED)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, worker: User) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.worker_id != worker.pk:
        raise PermissionDenied
    if application.status not in WITHDRAWABLE:
        raise InvalidTransition(_("This application can no longer be withdrawn."))
    application = _move(application, worker, AppStatus.WITHDRAWN)
    posting = application.posting
    for user in posting.employer.staff.filter(is_active=True):
        notify(
            recipient=user,
            title=_("An applicant withdrew from %(title)s") % {"title": posting.title},
            url=reverse("jobs:applicant_list", args=[posting.pk]),
            email=False,
        )
    return application


# --- Labour cooperation -------------------------------------------------------------------------------------


def _assert_official(actor: User) -> None:
    if actor.role not in (User.Role.CITY_ADMIN, User.Role.COUNTY_OFFICIAL):
        raise PermissionDenied


@transaction.atomic
def partner_region_save(*, actor: User, region: PartnerRegion | None = None, **fields) -> PartnerRegion:
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied
    region = region or PartnerRegion(created_by=actor)
    for name, value in fields.items():
        setattr(region, name, value)
    check_dates(region)
    region.save()
    return region


@transaction.atomic
def docking_fair_save(
    *, actor: User, employers, postings, fair: DockingFair | None = None, **fields
) -> DockingFair:
    """A city admin records fairs of the city, a county official those of their county."""
    _assert_official(actor)
    employers, postings = list(employers), list(postings)
    if not employers:
        raise InvalidTransition(_("Choose at least one employer that took part."))
    employer_ids = {e.pk for e in employers}
    if any(p.employer_id not in employer_ids for p in postings):
        raise InvalidTransition(_("Every posting must belong to one of the fair's employers."))
    fair = fair or DockingFair(created_by=actor)
    for name, value in fields.items():
        setattr(fair, name, value)
    fair.county_id = actor.county_id if actor.role == User.Role.COUNTY_OFFICIAL else None
    check_dates(fair)
    fair.save()
    fair.employers.set(employers)
    fair.postings.set(postings)
    return fair
