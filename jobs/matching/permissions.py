"""Every access decision about the matching's records: a worker sees their own recommendations, an employer
the recommended candidates of its own postings (named only once they apply), city admins the runs and the
weights' history. Readers see the latest completed run only; another party's record answers 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jobs.matching.models import MatchRun, MatchWeights, Recommendation
from jobs.matching.runs import latest_run
from jobs.models import Application, JobPosting, WorkerProfile
from jobs.permissions import public_postings, visible_postings
from laborbrand.accounts.models import User

Role = User.Role


def own_profile(user: User) -> WorkerProfile | None:
    """The worker's profile, if they have made one."""
    if not user.is_authenticated:
        return None
    return WorkerProfile.objects.filter(user=user).first()


def worker_recommendations(user: User) -> QuerySet[Recommendation]:
    """The worker's own recommended postings from the latest completed run, best first, while still open;
    none when the worker switched personalised recommendations off."""
    run = latest_run()
    if run is None or not user.is_authenticated or user.role != Role.WORKER:
        return Recommendation.objects.none()
    if not WorkerProfile.objects.filter(user=user, personalised=True).exists():
        return Recommendation.objects.none()
    return (
        Recommendation.objects.filter(run=run, worker=user, worker_rank__gt=0)
        .filter(posting__in=public_postings().values("pk"))
        .order_by("worker_rank")
    )


def posting_candidates(user: User, posting: JobPosting) -> QuerySet[Recommendation]:
    """The recommended candidates of one of the employer's own postings (latest completed run), best first,
    leaving out workers who have since switched personalised recommendations off."""
    run = latest_run()
    if run is None or not visible_postings(user).filter(pk=posting.pk, employer__staff=user).exists():
        return Recommendation.objects.none()
    return Recommendation.objects.filter(
        run=run,
        posting=posting,
        posting_rank__gt=0,
        worker__profile__personalised=True,
    ).order_by("posting_rank")


def candidate_applications(user: User, posting: JobPosting, workers: list[int]) -> QuerySet[Application]:
    """The applications of these candidates to one of the employer's own postings (status and date only)."""
    if not user.is_authenticated or user.role != Role.EMPLOYER:
        return Application.objects.none()
    return Application.objects.filter(
        posting=posting, posting__employer__staff=user, worker_id__in=workers
    ).only("pk", "worker_id", "status", "created")


def get_candidate_for_employer(user: User, pk: int) -> Recommendation:
    """A recommended candidate of one of the user's company's postings; anyone else (or a recommendation of
    an older run) gets 404."""
    if not user.is_authenticated or user.role != Role.EMPLOYER:
        return get_object_or_404(Recommendation.objects.none(), pk=pk)
    run = latest_run()
    return get_object_or_404(
        Recommendation.objects.select_related("posting", "posting__employer", "worker"),
        run=run,
        posting_rank__gt=0,
        posting__employer__staff=user,
        worker__profile__personalised=True,
        pk=pk,
    )


# --- The city bureau's: runs and weights --------------------------------------------------------------------


def _oversees(user: User) -> bool:
    return user.is_authenticated and user.role == Role.CITY_ADMIN


def visible_runs(user: User) -> QuerySet[MatchRun]:
    """Every run, newest first, for city admins; none for anyone else."""
    if not _oversees(user):
        return MatchRun.objects.none()
    return MatchRun.objects.select_related("started_by").order_by("-started_at", "-pk")


def get_run_for(user: User, pk: int) -> MatchRun:
    return get_object_or_404(visible_runs(user), pk=pk)


def weight_changes(user: User) -> QuerySet:
    """Every version of the weights, newest first (their history), for city admins."""
    if not _oversees(user):
        return MatchWeights.history.none()
    return MatchWeights.history.select_related("updated_by").order_by("-history_date", "-history_id")
