"""Labour cooperation's and matching's figures that are not metrics of their own — a docking fair's resulting
hires, partner regions' progress, fairs still planned, the share of hires from a recommendation — each
counted from the registry's records where it is a part of a registry figure (laborbrand/metrics.py), so it
never counts a placement differently. The registry's figures themselves (placements, cross-province
placements, docking fairs held, match success) are read from the registry by the pages."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, When
from django.db.models.functions import Cast, Round

from jobs.models import Application, DockingFair, PartnerRegion, home_province_id
from laborbrand.metrics import Figure, Period, Scope, get, percent
from laborbrand.metrics import figure as registry_figure
from laborbrand.queries import count_of


def cross_province(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Hires into jobs in another province than the city's (劳务输出), as the registry's cross-province
    placements count them."""
    return applications.exclude(posting__province_id=home_province_id())


def with_placements(regions: QuerySet[PartnerRegion], period: Period) -> QuerySet[PartnerRegion]:
    """Each partner region with `placements`: the city's cross-province placements in the period (the
    registry's records) into jobs in the region's province, and `percent`: those against its yearly target
    (None without a target), in the list's own query (a subquery per row shown)."""
    records = get("cross_province_placements").records(Scope.city(), period)
    placements = count_of(records.filter(posting__province=OuterRef("province")))
    return regions.annotate(placements=placements).annotate(
        percent=Case(
            When(
                target_placements__gt=0,
                then=Cast(Round(F("placements") * 100.0 / F("target_placements")), IntegerField()),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


# --- Labour cooperation -------------------------------------------------------------------------------------


def fair_hires(fair: DockingFair) -> QuerySet[Application]:
    """A docking fair's result: hires into the fair's postings whose status changed on or after the fair's
    date (a hire made before the fair was not its doing). `with_resulting_hires` counts the same way."""
    return Application.objects.hired().filter(posting__fairs=fair, status_changed__date__gte=fair.held_on)


def with_resulting_hires(fairs: QuerySet[DockingFair]) -> QuerySet[DockingFair]:
    """Each fair with `resulting_hires`, counted as `fair_hires` counts them, in the list's own query."""
    applications = "postings__applications"
    return fairs.annotate(
        resulting_hires=Count(
            applications,
            filter=Q(
                **{
                    f"{applications}__status": Application.Status.HIRED,
                    f"{applications}__status_changed__date__gte": F("held_on"),
                }
            ),
            distinct=True,
        )
    )


def fairs_planned(scope: Scope, today: datetime.date) -> int:
    """Docking fairs of the scope dated later this year (not held yet, so not in the registry's count): the
    county's own for a county, every fair for the city."""
    fairs = DockingFair.objects.filter(held_on__year=today.year, held_on__gt=today)
    if scope.county_id is not None:
        fairs = fairs.filter(county_id=scope.county_id)
    return fairs.count()


# --- Matching success ---------------------------------------------------------------------------------------


def matching_figures(period: Period) -> dict:
    """The city's matching success in the period (the registry's `match_success`) and, of the period's
    placements (the registry's records), the share whose application came from a recommendation or an
    invitation (three queries)."""
    hired = (
        get("placements")
        .records(Scope.city(), period)
        .aggregate(all=Count("pk"), recommended=Count("pk", filter=Q(recommendation=True)))
    )
    success: Figure = registry_figure("match_success", Scope.city(), period)
    return {
        "metric": get("match_success"),
        "figure": success,
        "hires": hired["all"],
        "recommended_hires": hired["recommended"],
        "recommended_share": percent(hired["recommended"], hired["all"]),
    }
