"""The steps of a match run: take the lock and plan, do a chunk (load: loading.py, score and keep the best
pairs: ranking.py, write them: writing.py), publish, or record the run failed.

A run is planned as chunks (`MatchChunk`): ranges of worker ids, each keeping every worker's best
`WORKER_TOP` postings, and sets of occupation categories, each keeping every posting's best `POSTING_TOP`
workers. Candidates are blocked by occupation category: a worker is only scored against open postings in the
categories of the occupations they want or hold a certificate in, never against the whole city.

The chunks are independent, so Celery workers on several machines process them in parallel (tasks.py,
whose `match_run_launch()` starts a run that way); `match_run()` runs the same steps one after another
in-process (the management command, the demo, and the embedded default without a broker). A chunk writes its
rows and records itself done in one transaction, and first removes anything an earlier attempt left, so a
retried chunk never writes twice. Publishing marks the run completed; readers always use the latest completed
run (`latest_run()`), so a run that dies half-way leaves the previous recommendations in place. Two runs never
overlap: the partial unique constraint on `MatchRun.active` is the lock, and a run that stopped making
progress is marked failed by the next start.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.matching.loading import open_postings, run_data, seeking_workers
from jobs.matching.models import MatchChunk, MatchRun, MatchWeights, Recommendation
from jobs.matching.ranking import best_postings_per_worker, best_workers_per_posting
from jobs.matching.writing import write_recommendations
from laborbrand.accounts.models import User
from laborbrand.exceptions import InvalidTransition

logger = logging.getLogger(__name__)


class MatchRunBusy(InvalidTransition):
    """Another run is in progress; the new one does not start."""


def running_run() -> MatchRun | None:
    """The run holding the lock, if any."""
    return MatchRun.objects.filter(active=True).first()


def latest_run() -> MatchRun | None:
    """The run whose recommendations the pages show: the latest completed one."""
    return MatchRun.objects.filter(status=MatchRun.Status.COMPLETED).order_by("-finished_at", "-pk").first()


# --- Starting: the lock and the plan ------------------------------------------------------------------------


def _fail_stale_runs(now: datetime.datetime) -> None:
    stale_after = datetime.timedelta(seconds=settings.MATCH_RUN_STALE_AFTER)
    for run in MatchRun.objects.filter(active=True, heartbeat__lt=now - stale_after):
        match_run_fail(
            run.pk,
            _("Stopped without finishing: no progress since %(time)s.")
            % {"time": timezone.localtime(run.heartbeat).strftime("%Y-%m-%d %H:%M")},
        )


def match_run_start(
    *, trigger: str, user: User | None = None, today: datetime.date | None = None
) -> MatchRun:
    """Take the lock, record the weights and plan the chunks. Raises MatchRunBusy when a run is active."""
    now = timezone.now()
    _fail_stale_runs(now)
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                trigger=trigger,
                started_by=user,
                started_at=now,
                heartbeat=now,
                scoring_date=today,
                weights=MatchWeights.current().as_dict(),
            )
            chunks = [
                MatchChunk(run=run, number=number, kind=kind, spec=spec)
                for number, (kind, spec) in enumerate(_plan(today), start=1)
            ]
            MatchChunk.objects.bulk_create(chunks)
            run.chunks_total = len(chunks)
            run.save(update_fields=["chunks_total"])
    except IntegrityError:
        running = running_run()
        raise MatchRunBusy(
            _("Run #%(number)s is still in progress (started %(time)s); this one did not start.")
            % {
                "number": running.pk if running else "?",
                "time": timezone.localtime(running.started_at).strftime("%Y-%m-%d %H:%M") if running else "",
            }
        ) from None
    return run


def _plan(today: datetime.date) -> list[tuple[str, list[int]]]:
    """Worker chunks of MATCH_CHUNK_WORKERS consecutive ids; posting chunks of whole categories holding about
    MATCH_CHUNK_POSTINGS open postings."""
    size = settings.MATCH_CHUNK_WORKERS
    ids = list(seeking_workers().order_by("user_id").values_list("user_id", flat=True))
    plan = [
        (MatchChunk.Kind.WORKERS, [ids[i], ids[min(i + size, len(ids)) - 1]])
        for i in range(0, len(ids), size)
    ]
    per_category = (
        open_postings(today)
        .values_list("occupation__category")
        .annotate(n=Count("pk"))
        .order_by("occupation__category")
    )
    batch: list[int] = []
    filled = 0
    for category, count in per_category:
        batch.append(category)
        filled += count
        if filled >= settings.MATCH_CHUNK_POSTINGS:
            plan.append((MatchChunk.Kind.POSTINGS, batch))
            batch, filled = [], 0
    if batch:
        plan.append((MatchChunk.Kind.POSTINGS, batch))
    return plan


# --- Running ------------------------------------------------------------------------------------------------


def match_chunk_process(run_id: int, number: int) -> bool:
    """Do one chunk of a run. Idempotent: a chunk already done is skipped; one an earlier attempt left half
    written is written again from scratch. Returns False when the run is no longer running."""
    run = MatchRun.objects.get(pk=run_id)
    if run.status != MatchRun.Status.RUNNING:
        return False
    chunk = MatchChunk.objects.get(run=run, number=number)
    if chunk.done_at:
        return True
    seconds = {}
    started = time.perf_counter()
    ref, workers, postings, applied = run_data(run).chunk(chunk)
    seconds["load"] = time.perf_counter() - started

    started = time.perf_counter()
    best = best_postings_per_worker if chunk.kind == MatchChunk.Kind.WORKERS else best_workers_per_posting
    rows, pairs = best(workers, postings, ref, applied, run.weights)
    seconds["score"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        locked = MatchChunk.objects.select_for_update().get(pk=chunk.pk)
        if locked.done_at:
            return True
        Recommendation.objects.filter(run_id=run.pk, chunk=number)._raw_delete(Recommendation.objects.db)
        written = write_recommendations(run.pk, number, rows, workers.ids, postings.ids)
        seconds["write"] = time.perf_counter() - started
        now = timezone.now()
        stats = {"pairs": pairs, "rows": written, "seconds": seconds}
        stats["workers" if chunk.kind == MatchChunk.Kind.WORKERS else "postings"] = (
            len(workers) if chunk.kind == MatchChunk.Kind.WORKERS else len(postings)
        )
        MatchChunk.objects.filter(pk=chunk.pk).update(done_at=now, stats=stats)
        running = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING)
        if not running.update(chunks_done=F("chunks_done") + 1, heartbeat=now):
            # The run was marked failed while this chunk worked (stale, or another chunk failed): its rows
            # were removed then, so these must not be left behind either.
            transaction.set_rollback(True)
            return False
    return True


def match_run_publish(run_id: int) -> MatchRun:
    """Make a run's recommendations the ones readers see, once every chunk is done; then remove the rows of
    runs older than the one it replaces (a page being read during the switch can finish)."""
    started = time.perf_counter()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run_id)
        if run.status != MatchRun.Status.RUNNING:
            return run
        chunks = list(run.chunks.all())
        missing = [c.number for c in chunks if not c.done_at]
        if missing:
            raise InvalidTransition(f"chunks not done: {missing}")
        seconds = defaultdict(float)
        for chunk in chunks:
            for phase, value in chunk.stats.get("seconds", {}).items():
                seconds[phase] += value
        worker_chunks = [c for c in chunks if c.kind == MatchChunk.Kind.WORKERS]
        run.workers = sum(c.stats.get("workers", 0) for c in worker_chunks)
        run.pairs = sum(c.stats.get("pairs", 0) for c in worker_chunks)
        run.recommendations = sum(c.stats.get("rows", 0) for c in chunks)
        run.postings = sum(c.stats.get("postings", 0) for c in chunks)
        run.status = MatchRun.Status.COMPLETED
        run.active = False
        run.finished_at = run.heartbeat = timezone.now()
        seconds["publish"] = time.perf_counter() - started
        run.seconds = {phase: round(value, 3) for phase, value in seconds.items()}
        run.save()
    match_runs_prune()
    return run


def match_runs_prune() -> int:
    """Delete the recommendations of every run but the two latest completed ones and any active run."""
    keep = list(
        MatchRun.objects.filter(status=MatchRun.Status.COMPLETED)
        .order_by("-finished_at", "-pk")
        .values_list("pk", flat=True)[:2]
    ) + list(MatchRun.objects.filter(active=True).values_list("pk", flat=True))
    old = Recommendation.objects.exclude(run_id__in=keep)
    return old._raw_delete(old.db)


def match_run_fail(run_id: int, error: str) -> None:
    """Record a run as failed and release the lock; its partial rows are removed, the previous run stays."""
    now = timezone.now()
    updated = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
        status=MatchRun.Status.FAILED, active=False, finished_at=now, heartbeat=now, error=error[:4000]
    )
    if updated:
        logger.warning("match run %s failed: %s", run_id, error)
        partial = Recommendation.objects.filter(run_id=run_id)
        partial._raw_delete(partial.db)


def match_run(*, trigger: str = MatchRun.Trigger.COMMAND, user: User | None = None, today=None) -> MatchRun:
    """A whole run in this process, chunk after chunk (what the Celery chord does across workers)."""
    run = match_run_start(trigger=trigger, user=user, today=today)
    try:
        for number in run.chunks.values_list("number", flat=True):
            match_chunk_process(run.pk, number)
        return match_run_publish(run.pk)
    except BaseException as error:
        match_run_fail(run.pk, f"{type(error).__name__}: {error}")
        raise
