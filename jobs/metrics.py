"""The job board's metrics (laborbrand/metrics.py): apprenticeships started, placements (hires through the
portal), brand placements, matching success, cross-province placements and docking fairs held.

A hire is an application whose status became hired, dated by `status_changed` (hired is final, so the field
keeps the moment of the hire; it is the same moment as the hire's ApplicationEvent, and indexed with the
status). A worker belongs to the county of their profile's home county (户籍所在县区); a worker without one
counts for the city only. A brand's workers are its members (training/membership.py). Records dated by a
day (an apprenticeship's start, a fair's date) count once the day has come: a period that runs into the
future counts what has happened so far.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brands.models import Brand
from jobs.models import Application, Apprenticeship, DockingFair, home_province_id
from laborbrand.metrics import COUNT, PERCENT, Metric, Period, Scope, register
from training.metrics.members import member_ids, scope_brands


def _days(queryset: QuerySet, field: str, period: Period) -> QuerySet:
    """Records whose date `field` falls in the period and is not after today."""
    last = min(period.end, timezone.localdate())
    return queryset.filter(**{f"{field}__gte": period.start, f"{field}__lte": last})


def _workers_in_scope(
    applications: QuerySet[Application], scope: Scope, period: Period
) -> QuerySet[Application]:
    """A worker's records belong to their home county and to each brand they are a member of (as of the
    period's last day)."""
    if scope.brand_id is not None:
        return applications.filter(worker_id__in=member_ids(scope, period))
    if scope.county_id is not None:
        return applications.filter(worker__profile__home_county_id=scope.county_id)
    return applications


def _hires(period: Period) -> QuerySet[Application]:
    first, after = period.bounds()
    return Application.objects.hired().filter(status_changed__gte=first, status_changed__lt=after)


# --- Apprenticeships ----------------------------------------------------------------------------------------


def apprenticeships_started(scope: Scope, period: Period) -> QuerySet[Apprenticeship]:
    started = _days(Apprenticeship.objects.all(), "start_date", period)
    if scope.brand_id is not None:
        brand = Brand.objects.filter(pk=scope.brand_id)
        return started.filter(
            occupation__in=brand.values("occupations"), institution__county_id__in=brand.values("county_id")
        )
    if scope.county_id is not None:
        return started.filter(institution__county_id=scope.county_id)
    return started


register(
    Metric(
        key="apprenticeships_started",
        name=_("New-style apprenticeships started"),
        unit=COUNT,
        definition=_(
            "New-style apprenticeships (企业新型学徒制) whose start date falls in the period and is not "
            "after today, whatever their status now (in progress, completed or ended early). A county counts "
            "the apprenticeships of the training institutions in the county; a brand counts those in one of "
            "the brand's occupations with an institution in the brand's county."
        ),
        records=apprenticeships_started,
        order=60,
    )
)


# --- Placements ---------------------------------------------------------------------------------------------


def placements(scope: Scope, period: Period) -> QuerySet[Application]:
    return _workers_in_scope(_hires(period), scope, period)


register(
    Metric(
        key="placements",
        name=_("Placements through the portal"),
        unit=COUNT,
        definition=_(
            "Hires through the portal: job applications whose status became hired in the period (by the time "
            "of the hire); a worker hired twice counts twice. A county counts the hires of workers whose "
            "home county in their worker profile is the county; a brand counts the hires of the brand's "
            "members on the period's last day (workers who passed one of its programmes or hold a valid "
            "certificate in one of its occupations)."
        ),
        records=placements,
        order=70,
    )
)


def brand_placements(scope: Scope, period: Period) -> QuerySet[Application]:
    claimed = Q(worker_id__in=member_ids(scope, period)) | Q(posting__brand__in=scope_brands(scope))
    return _hires(period).filter(claimed)


register(
    Metric(
        key="brand_placements",
        name=_("Brand placements"),
        unit=COUNT,
        definition=_(
            "Hires through the portal in the period (applications whose status became hired, by the time of "
            "the hire) that a brand can claim: the worker is a member of the brand on the period's last day "
            "(passed one of its programmes or holds a valid certificate in one of its occupations), or the "
            "job posting names "
            "the brand; a hire that is both counts once. A brand counts its own hires; a county the hires "
            "claimed by any of its brands now in cultivation or recognised; the city those claimed by any "
            "such brand."
        ),
        records=brand_placements,
        order=71,
    )
)


# --- Matching success ---------------------------------------------------------------------------------------


def _active_workers(scope: Scope, period: Period) -> QuerySet[Application]:
    first, after = period.bounds()
    applied = Q(created__gte=first, created__lt=after)
    hired = Q(status=Application.Status.HIRED, status_changed__gte=first, status_changed__lt=after)
    return _workers_in_scope(Application.objects.filter(applied | hired), scope, period)


register(
    Metric(
        key="match_success",
        name=_("Person-job matching success rate"),
        unit=PERCENT,
        definition=_(
            "Workers hired at least once in the period, as a share of the workers who applied for a job at "
            "least once in the period; each worker counts once. A worker hired in the period from an "
            "application made earlier counts among those who applied, so the rate never exceeds 100 %. A "
            "county counts the workers whose home county in their worker profile is the county; a brand "
            "counts the brand's members on the period's last day."
        ),
        records=placements,
        base=_active_workers,
        distinct="worker_id",
        order=72,
    )
)


# --- Labour cooperation -------------------------------------------------------------------------------------


def cross_province_placements(scope: Scope, period: Period) -> QuerySet[Application]:
    return placements(scope, period).exclude(posting__province_id=home_province_id())


register(
    Metric(
        key="cross_province_placements",
        name=_("Cross-province placements"),
        unit=COUNT,
        definition=_(
            "Hires through the portal in the period (applications whose status became hired, by the time of "
            "the hire) into job postings located in another province than the city's. A county counts the "
            "hires of workers whose home county in their worker profile is the county; a brand counts the "
            "hires of the brand's members on the period's last day."
        ),
        records=cross_province_placements,
        order=73,
    )
)


def docking_fairs(scope: Scope, period: Period) -> QuerySet[DockingFair]:
    held = _days(DockingFair.objects.all(), "held_on", period)
    if scope.brand_id is not None:
        return held.filter(county_id__in=Brand.objects.filter(pk=scope.brand_id).values("county_id"))
    if scope.county_id is not None:
        return held.filter(county_id=scope.county_id)
    return held


register(
    Metric(
        key="docking_fairs",
        name=_("Docking fairs held"),
        unit=COUNT,
        definition=_(
            "Labour-cooperation docking fairs (对接会) whose date falls in the period and is not after "
            "today. A county counts the fairs it organised (fairs the city bureau organised count for the "
            "city only); fairs are not recorded per brand, so a brand counts the fairs its county organised."
        ),
        records=docking_fairs,
        order=80,
    )
)
