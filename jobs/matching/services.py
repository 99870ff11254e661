"""Every state change of the matching that a person makes: a worker's switch for personalised
recommendations, the city admins' weights and "run now", an employer's invitation to apply; and whether an
application counts as coming from a recommendation (jobs/services.py records it with the application)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from jobs.matching.models import MatchInvitation, MatchRun, MatchWeights, Recommendation
from jobs.matching.runs import latest_run
from jobs.matching.tasks import MatchRunFailed, QueueUnreachable, match_run_launch
from jobs.models import Application, JobPosting, WorkerProfile
from laborbrand.accounts.models import Notification, User
from laborbrand.accounts.services import notice_sms, notify
from laborbrand.exceptions import InvalidTransition

logger = logging.getLogger(__name__)


def personalisation_set(*, worker: User, on: bool) -> WorkerProfile:
    """Switch personalised recommendations on or off (PIPL art. 24). Off takes the worker out of the next
    runs and hides their current recommendations and candidacies at once."""
    if worker.role != User.Role.WORKER:
        raise PermissionDenied
    profile, _created = WorkerProfile.objects.get_or_create(user=worker)
    profile.personalised = on
    profile.save(update_fields=["personalised", "updated"])
    return profile


def match_weights_update(*, actor: User, **weights: int) -> MatchWeights:
    """City admins set the weights; the next run uses them and every version is kept in the history."""
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied
    if not any(weights.values()):
        raise InvalidTransition(_("At least one weight must be above zero."))
    current = MatchWeights.current()
    for name, value in weights.items():
        setattr(current, name, value)
    current.updated_by = actor
    current.updated = timezone.now()
    current.save()
    return current


def match_run_now(*, actor: User) -> MatchRun:
    """A city admin's "run now": launch a run (tasks.match_run_launch), handed to the Celery workers or,
    without a broker, run here. Raises MatchRunBusy when a run is active, and InvalidTransition when the task
    queue is down or the run failed here (the run is then recorded as failed, the previous recommendations
    stay)."""
    if actor.role != User.Role.CITY_ADMIN:
        raise PermissionDenied
    try:
        return match_run_launch(trigger=MatchRun.Trigger.MANUAL, user=actor)
    except MatchRunFailed as failed:
        if isinstance(failed, QueueUnreachable) or isinstance(
            failed.__cause__, (KombuError, RedisError, OSError)
        ):
            raise InvalidTransition(
                _(
                    "The background service that runs matching could not be reached, so the run did not "
                    "start. Try again later."
                )
            ) from failed
        # Without a broker the run happens in this request: its failure is recorded on the run (with the
        # error), logged with the traceback, and told to the admin instead of an error page.
        logger.exception("match run #%s failed", failed.run.pk)
        raise InvalidTransition(
            _("Run #%(number)s failed; the previous recommendations stay. See its error below.")
            % {"number": failed.run.pk}
        ) from failed


def invitation_send(*, recommendation: Recommendation, actor: User) -> MatchInvitation:
    """An employer invites a candidate the matching recommended for its posting to apply. The worker is
    notified once per posting; the employer still sees no personal data until the worker applies."""
    posting = recommendation.posting
    if not posting.employer.staff.filter(pk=actor.pk).exists():
        raise PermissionDenied
    if not posting.accepts_applications:
        raise InvalidTransition(_("This job is no longer taking applications."))
    if Application.objects.filter(posting=posting, worker_id=recommendation.worker_id).exists():
        raise InvalidTransition(_("This candidate has already applied."))
    with transaction.atomic():
        invitation, created = MatchInvitation.objects.get_or_create(
            posting=posting, worker_id=recommendation.worker_id, defaults={"invited_by": actor}
        )
    if not created:
        raise InvalidTransition(_("This candidate has already been invited to apply."))
    invites = gettext_lazy("%(employer)s invites you to apply for %(title)s")
    notify(
        recipient=recommendation.worker,
        title=invites % {"employer": posting.employer.name, "title": posting.title},
        body=_("The job matches your profile. Read it and apply if it suits you."),
        url=reverse("jobs:posting_detail", args=[posting.pk]) + "?from=recommendation",
        kind=Notification.Kind.INVITED_TO_APPLY,
        sms=notice_sms(invites, employer=posting.employer.name, title=posting.title),
    )
    return invitation


def came_from_recommendation(*, worker: User, posting: JobPosting, from_link: bool) -> bool:
    """Whether an application counts as following the portal's matching (docs/decisions.md, "Match
    success"): the employer invited the worker to this posting, or the worker came from a recommended job's
    link (`from_link`) and the published (latest completed) run really has the posting on the worker's own
    list. A link the worker typed in themselves counts for nothing."""
    if MatchInvitation.objects.filter(posting=posting, worker=worker).exists():
        return True
    run = latest_run()
    return (
        from_link
        and run is not None
        and Recommendation.objects.filter(run=run, worker=worker, posting=posting, worker_rank__gt=0).exists()
    )
