"""Factories for the matching tests: completed runs and stored recommendations (as a run would write them)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from jobs.matching.weights import COMPONENTS, DEFAULT_WEIGHTS
from jobs.models import MatchRun, Recommendation
from tests import factories


class MatchRunFactory(factory.django.DjangoModelFactory):
    """A completed run of an hour ago with the default weights (not holding the lock)."""

    class Meta:
        model = MatchRun

    class Params:
        running = factory.Trait(status=MatchRun.Status.RUNNING, active=True, finished_at=None)
        failed = factory.Trait(status=MatchRun.Status.FAILED, active=False, error="OperationalError: gone")

    status = MatchRun.Status.COMPLETED
    active = False
    trigger = MatchRun.Trigger.SCHEDULE
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    finished_at = factory.LazyAttribute(lambda r: r.started_at + datetime.timedelta(seconds=12))
    heartbeat = factory.LazyAttribute(lambda r: r.finished_at or r.started_at)
    scoring_date = factory.LazyFunction(timezone.localdate)
    weights = factory.LazyFunction(lambda: dict(DEFAULT_WEIGHTS))
    chunks_total = 2
    chunks_done = 2


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A pair in the worker's list (rank 1) and the posting's list (rank 1), every component fully met
    except freshness (half): score 97.5 under the default weights."""

    class Meta:
        model = Recommendation

    run = factory.SubFactory(MatchRunFactory)
    chunk = 1
    worker = factory.SubFactory(factories.WorkerFactory)
    posting = factory.SubFactory(factories.JobPostingFactory)
    score = 97.5
    worker_rank = 1
    posting_rank = 1
    held_level = 0
    occupation = 1000
    level = 1000
    brand = 1000
    location = 1000
    salary = 1000
    freshness = 500
    fairness = 1000


assert set(COMPONENTS) <= {f.name for f in Recommendation._meta.get_fields()}
