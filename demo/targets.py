"""The demo year's targets, its monthly snapshots and the dashboards' current figures.

The defaults (targets/defaults.py, design.md) are a real city's: 15,000 trainee-times, 12,000 brand
placements … against them the demo's few dozen records would put every figure at risk. So, the first time
the demo is seeded in a year (after demo.year has spread its records over the months so far), every metric
gets a city target scaled to the demo: a count a little above where the demo's pace leads by the year's end
(its figure so far over the share of the way elapsed, by 0.9, never below the figure itself), a rate its
figure so far rounded down (the design's default while the rate has nothing to count). Each county gets its
share of the counts the same way from its own figure, so every county is on track — except BEHIND_COUNTY on
BEHIND_METRIC, whose share is set just above its pace: the dashboards show one county behind. A rate holds
for every county, so the city's rate target is the lowest county's figure rounded down.

Then one monthly snapshot per month of the year that is over (take_month: taking one again changes nothing)
and the dashboards' current figures (refresh).
"""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_FLOOR, Decimal

from django.utils import timezone

from demo.year import spread_over_year
from laborbrand import metrics
from laborbrand.accounts.models import User
from laborbrand.metrics import Period, Scope
from laborbrand.reference.models import County
from targets.defaults import DEFAULT_TARGETS
from targets.models import Snapshot, Target
from targets.progress import Status, elapsed_share, judge
from targets.snapshots import refresh, take_month

# 霍山县 (official_b's county) is behind on trainee-times; the other counties are on track.
BEHIND_COUNTY = "341525"
BEHIND_METRIC = "trainee_times"
PACE = Decimal("0.9")


def count_target(metric: metrics.Metric, value: int, year: int, today: datetime.date) -> int:
    """A year's target for a count the demo is on track for: its pace to the deadline, a little less."""
    share = elapsed_share(metric.key, year, today)
    target = max(int((PACE * value / share).to_integral_value(ROUND_FLOOR)) if share else value, value)
    # Still some way to go where the pace allows it: the largest target up to a tenth above the figure that
    # the figure is on track for.
    for above in range(max(value // 10, 1), 0, -1):
        if judge(metric, value, target + above, year=year, as_of=today).status == Status.ON_TRACK:
            return target + above
    return target


def behind_target(metric: metrics.Metric, value: int, year: int, today: datetime.date) -> int:
    """A target the figure is behind on (within a fifth of where it should be), else at risk on."""
    share = elapsed_share(metric.key, year, today) or Decimal(1)
    start = max(value + 1, math.ceil((value + Decimal("0.5")) / share))
    for target in range(start, start + 1000):
        status = judge(metric, value, target, year=year, as_of=today).status
        if status == Status.BEHIND:
            return target
        if status == Status.AT_RISK:
            break
    return max(2 * start, 2)


def rate_target(metric: metrics.Metric, values: list[Decimal | None]) -> Decimal:
    counted = [value for value in values if value is not None]
    if not counted:
        return DEFAULT_TARGETS.get(metric.key, Decimal(100))
    return min(counted).to_integral_value(ROUND_FLOOR)


def set_targets(year: int, today: datetime.date, admin: User) -> int:
    period = Period(datetime.date(year, 1, 1), today)
    counties = list(County.objects.order_by("code"))
    targets = []
    for metric in metrics.defined():
        city = metric.figure(Scope.city(), period).value
        by_county = {county: metric.figure(Scope.county(county), period).value for county in counties}
        if metric.unit == metrics.PERCENT:
            targets.append(Target(metric=metric.key, value=rate_target(metric, [city, *by_county.values()])))
            continue
        targets.append(Target(metric=metric.key, value=count_target(metric, city, year, today)))
        for county, value in by_county.items():
            if county.code == BEHIND_COUNTY and metric.key == BEHIND_METRIC:
                share = behind_target(metric, value, year, today)
            else:
                share = count_target(metric, value, year, today)
            targets.append(Target(metric=metric.key, county=county, value=share))
    for target in targets:
        target.year, target.updated_by = year, admin
        target.full_clean()
        target.save()  # one by one: each target's history begins with the demo's setting
    return len(targets)


def seed(ctx) -> str:
    today = timezone.localdate()
    year = today.year
    if not Target.objects.filter(year=year).exists():
        spread_over_year()
        set_targets(year, today, User.objects.get(username="city_admin"))
    for month in range(1, today.month):
        take_month(year, month)
    refresh(year)
    return (
        f"{Target.objects.filter(year=year).count()} targets for {year}, "
        f"{Snapshot.objects.monthly().filter(year=year).count()} monthly snapshots, current figures"
    )
