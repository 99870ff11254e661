"""The targets that hold for a year: the city's and each county's, as city admins set them, or the defaults
(targets/defaults.py) where they set none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from laborbrand import metrics
from laborbrand.metrics import Scope
from laborbrand.reference.models import County
from targets.defaults import BRANDS_SELECTED_PER_COUNTY, DEFAULT_TARGETS
from targets.models import Target


@dataclass
class Plan:
    """The year's targets: `city[metric]` and `counties[(metric, county_id)]`, as set or by default."""

    year: int
    city: dict[str, Decimal]
    counties: dict[tuple[str, int], Decimal]
    # The targets a city admin set (the rest are defaults): {(metric, county_id or None)}.
    set_by_admin: set[tuple[str, int | None]]

    def get(self, metric_key: str, scope: Scope) -> Decimal | None:
        """The scope's target: the city's; a county's share (a rate holds for every county unless the county
        has its own); a brand is held to the city's rates and has no share of the counts."""
        unit = metrics.get(metric_key).unit
        if scope.county_id is not None:
            own = self.counties.get((metric_key, scope.county_id))
            if own is not None or unit != metrics.PERCENT:
                return own
        elif scope.brand_id is not None and unit != metrics.PERCENT:
            return None
        return self.city.get(metric_key)

    def own(self, metric_key: str, county_id: int | None) -> Decimal | None:
        """The city's target (no county), or the county's own share or rate (no fall-back to the city)."""
        return self.city.get(metric_key) if county_id is None else self.counties.get((metric_key, county_id))

    def county_total(self, metric_key: str) -> Decimal | None:
        """The sum of the counties' shares of a count (None when no county has one)."""
        shares = [value for (key, _county), value in self.counties.items() if key == metric_key]
        return sum(shares) if shares else None


def defaults_for(year: int) -> Plan:
    """The year's targets as they stand before a city admin sets any (targets/defaults.py)."""
    counties = list(County.objects.values_list("pk", flat=True))
    city = {key: value for key, value in DEFAULT_TARGETS.items() if _defined(key)}
    county_targets: dict[tuple[str, int], Decimal] = {}
    if _defined("brands_selected"):
        city["brands_selected"] = BRANDS_SELECTED_PER_COUNTY * len(counties)
        county_targets.update({("brands_selected", pk): BRANDS_SELECTED_PER_COUNTY for pk in counties})
    return Plan(year=year, city=city, counties=county_targets, set_by_admin=set())


def targets_for(year: int) -> Plan:
    plan = defaults_for(year)
    for target in Target.objects.filter(year=year):
        if not _defined(target.metric):
            continue
        plan.set_by_admin.add((target.metric, target.county_id))
        if target.county_id is None:
            plan.city[target.metric] = target.value
        else:
            plan.counties[(target.metric, target.county_id)] = target.value
    return plan


def _defined(key: str) -> bool:
    try:
        metrics.get(key)
    except KeyError:
        return False
    return True


# The years the portal plans and shows: any other year in a URL answers 404.
# The years the targets' pages answer for (every page of the targets app: a year outside is a missing page).
FIRST_YEAR = 2000
LAST_YEAR = 2100


def is_plannable(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR
