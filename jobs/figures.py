"""Placement figures from the job board: brand placements (registered with brands.figures), cross-province
placements, and labour cooperation's figures (a docking fair's resulting hires, partner regions' progress, the
yearly summary). A placement is a hire through the portal, dated by the hire."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet
from django.utils import timezone

from brands.figures import Metric, provides
from brands.models import Brand
from jobs.models import Application, DockingFair, home_province_id
from laborbrand.queries import count_of
from laborbrand.reference.models import City
from training.membership import member_ids


def hires(since: datetime.datetime | None = None) -> QuerySet[Application]:
    hired = Application.objects.hired()
    return hired if since is None else hired.filter(status_changed__gte=since)


def cross_province(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Hires into jobs in another province than the city's (劳务输出)."""
    return applications.exclude(posting__province_id=home_province_id())


@provides(Metric.PLACEMENTS)
def brand_placements_last_12_months(brand: Brand) -> int:
    """Hires in the last 12 months of workers who are members of the brand."""
    since = timezone.now() - datetime.timedelta(days=365)
    return hires(since).filter(worker_id__in=member_ids(brand)).count()


# --- Labour cooperation -------------------------------------------------------------------------------------


def start_of_year(year: int | None = None) -> datetime.datetime:
    """Midnight of 1 January in the portal's time zone: this year's placements are hires since then."""
    year = year or timezone.localdate().year
    return datetime.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())


def cross_province_by_province(since: datetime.datetime) -> dict[int, int]:
    """Cross-province hires since a time, counted by the province of the job: {province_id: hires} (one
    aggregate grouped by province)."""
    rows = cross_province(hires(since)).values_list("posting__province").annotate(n=Count("pk")).order_by()
    return dict(rows)


def fair_hires(fair: DockingFair) -> QuerySet[Application]:
    """A docking fair's result: hires into the fair's postings whose status changed on or after the fair's
    date (a hire made before the fair was not its doing). `with_resulting_hires` counts the same way."""
    return hires().filter(posting__fairs=fair, status_changed__date__gte=fair.held_on)


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


def cooperation_summary(
    *, fairs: QuerySet[DockingFair], placements: QuerySet[Application], today: datetime.date | None = None
) -> dict[str, int]:
    """This year's docking fairs among `fairs` (held so far, and still planned), the `placements` (hires,
    already narrowed) and, of them, the cross-province ones: one query, read off the city's row so the home
    province comes from the same query (`cross_province` looks it up separately)."""
    today = today or timezone.localdate()
    this_year = fairs.filter(held_on__year=today.year)
    row = (
        City.objects.annotate(
            fairs_held=count_of(this_year.filter(held_on__lte=today)),
            fairs_planned=count_of(this_year.filter(held_on__gt=today)),
            placements=count_of(placements),
            cross_province=count_of(placements.exclude(posting__province_id=OuterRef("province_id"))),
        )
        .values("fairs_held", "fairs_planned", "placements", "cross_province")
        .order_by("pk")
        .first()
    )
    return row or dict.fromkeys(("fairs_held", "fairs_planned", "placements", "cross_province"), 0)


# --- Matching success ---------------------------------------------------------------------------------------


# The city's target for matching success (design.md): at least three in four workers who apply are hired.
MATCH_SUCCESS_TARGET = 75


def match_success() -> dict[str, int | None]:
    """The city's matching success: workers hired at least once as a share of workers who applied at least
    once; and the share of hires whose application came from a recommendation or an invitation. Percentages
    are whole numbers, None without anyone to count (two queries)."""
    workers = Application.objects.aggregate(
        applied=Count("worker", distinct=True),
        hired=Count("worker", distinct=True, filter=Q(status=Application.Status.HIRED)),
    )
    hired = hires().aggregate(all=Count("pk"), recommended=Count("pk", filter=Q(recommendation=True)))
    percent = lambda part, whole: round(100 * part / whole) if whole else None  # noqa: E731
    return {
        "applied_workers": workers["applied"],
        "hired_workers": workers["hired"],
        "success_rate": percent(workers["hired"], workers["applied"]),
        "hires": hired["all"],
        "recommended_hires": hired["recommended"],
        "recommended_share": percent(hired["recommended"], hired["all"]),
        "target": MATCH_SUCCESS_TARGET,
    }
