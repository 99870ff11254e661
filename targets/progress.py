"""How far a figure is along its target: on track, behind or at risk, judged against the share of the year
elapsed (a count) or the target itself (a rate), or the share of the way to the metric's deadline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from brands.metrics import selection_deadline
from laborbrand import metrics
from training.models import filing_deadline

# A count within this share of where it should be by now is behind rather than at risk; a rate within this
# many points of its target.
BEHIND_SHARE = Decimal("0.8")
BEHIND_POINTS = Decimal(5)

# Metrics measured up to a deadline in the year rather than over the whole year.
DEADLINES = {
    "brands_selected": selection_deadline,
    "agreements_filed_by_deadline": filing_deadline,
}


class Status(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    AT_RISK = "at_risk", _("At risk")
    NO_TARGET = "no_target", _("No target")
    NO_DATA = "no_data", _("Nothing to count yet")


def deadline(metric_key: str, year: int) -> datetime.date:
    """The day by which the metric's target is to be reached: its deadline, or the year's last day."""
    if metric_key in DEADLINES:
        return DEADLINES[metric_key](year)
    return datetime.date(year, 12, 31)


def elapsed_share(metric_key: str, year: int, as_of: datetime.date) -> Decimal:
    """The share (0–1) of the way from 1 January to the metric's deadline that has passed by the end of
    `as_of`."""
    first = datetime.date(year, 1, 1)
    last = deadline(metric_key, year)
    if as_of < first:
        return Decimal(0)
    if as_of >= last:
        return Decimal(1)
    return Decimal((as_of - first).days + 1) / Decimal((last - first).days + 1)


@dataclass(frozen=True)
class Progress:
    status: Status
    # The figure as a per cent of the target (None without both), and what the target asks for by now.
    percent_of_target: Decimal | None
    expected: Decimal | None


def judge(metric: metrics.Metric, value, target, *, year: int, as_of: datetime.date) -> Progress:
    if target is None:
        return Progress(Status.NO_TARGET, None, None)
    target = Decimal(target)
    if value is None:
        return Progress(Status.NO_DATA, None, target if metric.unit == metrics.PERCENT else None)
    value = Decimal(value)
    percent_of_target = (
        (Decimal(100) * value / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if target else None
    )
    if metric.unit == metrics.PERCENT:
        expected = target
        if value >= target:
            status = Status.ON_TRACK
        elif value >= target - BEHIND_POINTS:
            status = Status.BEHIND
        else:
            status = Status.AT_RISK
    else:
        expected = (target * elapsed_share(metric.key, year, as_of)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        if value >= expected or value >= target:
            status = Status.ON_TRACK
        elif value >= expected * BEHIND_SHARE:
            status = Status.BEHIND
        else:
            status = Status.AT_RISK
    return Progress(status, percent_of_target, expected)
