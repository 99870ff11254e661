"""Matching pages: a worker's recommended jobs (with the switch for personalised recommendations) and an
employer's recommended candidates for a posting, with "invite to apply". Both show the latest completed run
only and run a fixed number of queries, however many recommendations (docs/decisions.md "Matching")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs.matching import explanations, services
from jobs.matching.explanations import Shown
from jobs.matching.forms import PersonalisationForm
from jobs.matching.permissions import (
    candidate_applications,
    get_candidate_for_employer,
    own_profile,
    posting_candidates,
    worker_recommendations,
)
from jobs.matching.ranking import WORKER_TOP
from jobs.matching.runs import latest_run
from jobs.models import WorkerProfile
from jobs.permissions import get_own_posting, public_postings
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.pages import paginate, refusals_shown

Role = User.Role
POSTING_RELATED = ("posting__employer", "posting__occupation", "posting__min_level", "posting__brand")
POSTING_PLACE = ("posting__province", "posting__county")

# Why a worker sees the newest jobs instead of their recommendations.
NO_PROFILE = "profile"
OPTED_OUT = "opted_out"
NOT_SEEKING = "not_seeking"
NO_RUN = "no_run"
NONE_FOUND = "none_found"


# --- Workers ------------------------------------------------------------------------------------------------


def _fallback_reason(profile: WorkerProfile | None, run, shown: list[Shown]) -> str | None:
    if shown:
        return None
    if profile is not None and not profile.personalised:
        return OPTED_OUT
    if profile is None or not profile.is_complete:
        return NO_PROFILE
    if not profile.seeking:
        return NOT_SEEKING
    return NO_RUN if run is None else NONE_FOUND


@role_required(Role.WORKER)
def recommended(request: HttpRequest) -> HttpResponse:
    """The worker's recommended jobs, best first, each explained; the newest jobs instead (and why) when
    personalisation is off, the profile is incomplete or there is nothing to show."""
    user = request.user
    profile = own_profile(user)
    run = latest_run()
    recs = list(worker_recommendations(user).select_related(*POSTING_RELATED, *POSTING_PLACE)[:WORKER_TOP])
    shown = explanations.for_worker(recs, run, profile)
    reason = _fallback_reason(profile, run, shown)
    page_obj = None
    if reason is not None:
        newest = public_postings().select_related(
            "employer", "occupation", "min_level", "brand", "province", "county"
        )
        page_obj = paginate(request, newest.order_by("-published_at", "-pk"))
        page_obj.object_list = list(page_obj.object_list)
    listed = [s.rec.posting_id for s in shown] + [p.pk for p in (page_obj or [])]
    applied = set(user.job_applications.filter(posting_id__in=listed).values_list("posting_id", flat=True))
    invited = set(user.job_invitations.filter(posting_id__in=listed).values_list("posting_id", flat=True))
    personalised = profile is None or profile.personalised
    return render(
        request,
        "jobs/matching/recommended.html",
        {
            "run": run,
            "shown": shown,
            "reason": reason,
            "page_obj": page_obj,
            "applied": applied,
            "invited": invited,
            "personalised": personalised,
            "switch_to": "off" if personalised else "on",
            "profile_url": f"{reverse('jobs:profile_edit')}?{urlencode({'next': request.path})}",
        },
    )


@role_required(Role.WORKER)
@require_POST
def personalisation(request: HttpRequest) -> HttpResponse:
    form = PersonalisationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether personalised recommendations are on or off."))
        return redirect("jobs:recommended")
    on = form.cleaned_data["personalised"]
    services.personalisation_set(worker=request.user, on=on)
    if on:
        messages.success(
            request,
            _(
                "Personalised recommendations are on. The nightly matching suggests jobs for you and "
                "suggests you to employers."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Personalised recommendations are off. You see the newest jobs, and employers no longer see "
                "you as a candidate."
            ),
        )
    return redirect("jobs:recommended")


# --- Employers ----------------------------------------------------------------------------------------------


@role_required(Role.EMPLOYER)
def candidate_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The posting's recommended candidates, best first, explained for the employer. Who they are stays
    hidden until they apply: a candidate is "Candidate <rank>" with their county, certificate level in the
    occupation, experience and wishes; an applicant is named, with a link to the application."""
    posting = get_own_posting(request.user, pk)
    run = latest_run()
    candidates = posting_candidates(request.user, posting).select_related(
        "worker__profile", "worker__profile__home_county"
    )
    page_obj = paginate(request, candidates.prefetch_related("worker__profile__desired_occupations"))
    shown = explanations.for_employer(list(page_obj.object_list), run, posting)
    workers = [item.rec.worker_id for item in shown]
    applications = {a.worker_id: a for a in candidate_applications(request.user, posting, workers)}
    invitations = {i.worker_id: i for i in posting.invitations.filter(worker_id__in=workers)}
    for item in shown:
        item.application = applications.get(item.rec.worker_id)
        item.invitation = invitations.get(item.rec.worker_id)
    page_obj.object_list = shown
    return render(
        request,
        "jobs/matching/candidate_list.html",
        {"posting": posting, "run": run, "page_obj": page_obj, "may_invite": posting.accepts_applications},
    )


@role_required(Role.EMPLOYER)
@require_POST
def candidate_invite(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_candidate_for_employer(request.user, pk)
    with refusals_shown(request):
        services.invitation_send(recommendation=rec, actor=request.user)
        messages.success(
            request,
            # Translators: the candidate is a label with a number ("Candidate 3"); the quotes keep the number
            # apart from the words around it.
            _("“%(candidate)s” is invited to apply and has been notified.")
            % {"candidate": explanations.candidate_label(rec)},
        )
    return redirect("jobs:candidate_list", pk=rec.posting_id)
