"""Every move of an admission application (准入): the institution drafts it, attaches evidence and submits
it; a city admin takes it into review and decides each round. An approval qualifies the institution."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from laborbrand.accounts.models import User
from laborbrand.accounts.services import notify
from laborbrand.dates import check_dates
from laborbrand.exceptions import InvalidTransition
from training.models import (
    AdmissionApplication,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationReview,
    Institution,
)
from training.services.institutions import assert_city_admin

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


@transaction.atomic
def application_start_review(*, application: AdmissionApplication, actor: User) -> AdmissionApplication:
    assert_city_admin(actor)
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
    assert_city_admin(actor)
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
