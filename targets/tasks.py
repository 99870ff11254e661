"""The dashboards' figures, recomputed every DASHBOARD_FIGURES_MINUTES; the month's snapshot on the 1st."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from targets import snapshots

logger = logging.getLogger(__name__)


@shared_task(name="targets.tasks.refresh_figures")
def refresh_figures(year: int | None = None) -> int | None:
    snapshot = snapshots.refresh(year or timezone.localdate().year)
    return snapshot.pk if snapshot else None


@shared_task(name="targets.tasks.take_monthly_snapshot")
def take_monthly_snapshot() -> int:
    """Freeze the month that has just ended (idempotent: a second run returns the same snapshot)."""
    return snapshots.take_previous_month().pk


def request_refresh(year: int) -> None:
    """Ask the queue to recompute the year's figures, once however many pages ask at the same time. With the
    queue unreachable the dashboards keep the figures they have, and say how old they are."""
    key = f"targets:refresh:{year}"
    try:
        if not cache.add(key, True, timeout=int(snapshots.fresh_for().total_seconds())):
            return
    except RedisError:
        pass
    try:
        refresh_figures.delay(year)
    except (KombuError, RedisError, OSError):
        logger.warning("figures for %s not refreshed: the task queue is unreachable", year)
