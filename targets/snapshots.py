"""Computing every metric's figures for the city, each county and each brand, and keeping them as
snapshots.

The dashboards read the newest snapshot of a year — a handful of queries however many records and counties
there are — rather than count the records on every view: the `current` snapshot is recomputed every
DASHBOARD_FIGURES_MINUTES by Celery beat (and when a dashboard finds it older than that), and the page says
as of when its figures are. A month's snapshot is taken on the 1st of the next month and never changes; a
city admin can freeze today's figures at any time.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from laborbrand import metrics
from laborbrand.metrics import Figure, Period, Scope
from laborbrand.reference.models import County
from targets.models import Snapshot, SnapshotFigure
from targets.plan import targets_for
from training.metrics.members import scope_brands


def counted_scopes() -> list[Scope]:
    """The city, every county of it, and every brand in the programme (cultivating or recognised)."""
    counties = County.objects.order_by("code").values_list("pk", flat=True)
    brands = scope_brands(Scope.city()).order_by("pk").values_list("pk", flat=True)
    return [Scope.city(), *(Scope(county_id=pk) for pk in counties), *(Scope(brand_id=pk) for pk in brands)]


def compute(year: int, as_of: datetime.date, *, months: bool = True) -> list[SnapshotFigure]:
    """Every metric's figure for every counted scope, for the year and (unless `months` is false) the month
    up to `as_of` (unsaved). The dashboards' figures leave the month out: only the reports read it, and
    they read kept snapshots; without it a refresh costs half."""
    if as_of.year != year:
        raise ValueError(f"{as_of} is not in {year}")
    year_period = Period(datetime.date(year, 1, 1), as_of)
    month_period = Period(as_of.replace(day=1), as_of)
    # Shared by every scope: the plan (one read of the targets), the metrics and the scopes themselves. In
    # January the month is the year so far, counted once.
    targets = targets_for(year)
    defined = metrics.defined()
    month_is_year = month_period == year_period
    figures = []
    for scope in counted_scopes():
        for metric in defined:
            in_year = metric.figure(scope, year_period)
            if month_is_year:
                in_month = in_year
            elif months:
                in_month = metric.figure(scope, month_period)
            else:
                in_month = Figure(None)
            figures.append(
                SnapshotFigure(
                    metric=metric.key,
                    county_id=scope.county_id,
                    brand_id=scope.brand_id,
                    year_value=in_year.value,
                    year_numerator=in_year.numerator,
                    year_denominator=in_year.denominator,
                    month_value=in_month.value,
                    month_numerator=in_month.numerator,
                    month_denominator=in_month.denominator,
                    target=targets.get(metric.key, scope),
                )
            )
    return figures


def _store(snapshot: Snapshot, figures: list[SnapshotFigure]) -> Snapshot:
    snapshot.save()
    for figure in figures:
        figure.snapshot = snapshot
    SnapshotFigure.objects.bulk_create(figures, batch_size=1000)
    return snapshot


def last_day_of(year: int, month: int) -> datetime.date:
    return Period.month(year, month).end


def take_month(year: int, month: int, taken_by=None) -> Snapshot:
    """The month's snapshot, taken once: taking it again (or two workers at once) returns the one there is.
    Only a month that is over can be frozen. `taken_by`: the city admin freezing a month the beat missed
    (None for the beat)."""
    as_of = last_day_of(year, month)
    if not is_over(year, month):
        raise ValueError(f"{year}-{month:02} is not over yet")
    existing = Snapshot.objects.monthly().filter(year=year, month=month).first()
    if existing is not None:
        return existing
    figures = compute(year, as_of)
    try:
        with transaction.atomic():
            snapshot = Snapshot(
                kind=Snapshot.Kind.MONTHLY, year=year, month=month, as_of=as_of, taken_by=taken_by
            )
            return _store(snapshot, figures)
    except IntegrityError:
        # Another worker froze the month meanwhile: theirs stands.
        return Snapshot.objects.monthly().get(year=year, month=month)


def is_over(year: int, month: int, today: datetime.date | None = None) -> bool:
    """The month has ended (its last day is before today): only such a month can be frozen."""
    return last_day_of(year, month) < (today or timezone.localdate())


def missing_months(year: int, today: datetime.date | None = None) -> list[int]:
    """The months of the year that are over and have no monthly snapshot yet."""
    taken = set(Snapshot.objects.monthly().filter(year=year).values_list("month", flat=True))
    return [month for month in range(1, 13) if is_over(year, month, today) and month not in taken]


def take_missing(year: int) -> list[Snapshot]:
    """Freeze every month of the year that is over and not frozen yet (a month the beat missed while the
    workers were down); taking them again takes nothing."""
    return [take_month(year, month) for month in missing_months(year)]


def take_previous_month(today: datetime.date | None = None) -> Snapshot:
    today = today or timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    return take_month(last_month.year, last_month.month)


def take_today(user) -> Snapshot:
    """Freeze today's figures for the current year (a city admin's on-demand snapshot)."""
    today = timezone.localdate()
    figures = compute(today.year, today)
    with transaction.atomic():
        snapshot = Snapshot(
            kind=Snapshot.Kind.ON_DEMAND, year=today.year, month=today.month, as_of=today, taken_by=user
        )
        return _store(snapshot, figures)


def year_as_of(year: int, today: datetime.date | None = None) -> datetime.date | None:
    """The last day of the year counted so far: today, the year's last day for a past year, None for a year
    not begun."""
    today = today or timezone.localdate()
    if year > today.year:
        return None
    return min(today, datetime.date(year, 12, 31))


def refresh(year: int) -> Snapshot | None:
    """Recompute the dashboards' figures for the year and drop the ones they replace."""
    as_of = year_as_of(year)
    if as_of is None:
        return None
    figures = compute(year, as_of, months=False)
    with transaction.atomic():
        snapshot = _store(
            Snapshot(kind=Snapshot.Kind.CURRENT, year=year, month=as_of.month, as_of=as_of), figures
        )
        for older in Snapshot.objects.filter(kind=Snapshot.Kind.CURRENT, year=year).exclude(pk=snapshot.pk):
            older.delete()
    return snapshot


def latest(year: int) -> Snapshot | None:
    """The newest figures of the year: the snapshot counting the latest day, the most recently taken first."""
    return Snapshot.objects.filter(year=year).order_by("-as_of", "-taken_at", "-pk").first()


def fresh_for() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.DASHBOARD_FIGURES_MINUTES)


def is_stale(snapshot: Snapshot | None) -> bool:
    """Figures to recompute: none yet, counted up to an earlier day than the year's last day so far (a month's
    snapshot taken today still ends with that month), or taken longer ago than the dashboards promise."""
    if snapshot is None:
        return True
    counted_to = year_as_of(snapshot.year)
    if counted_to is not None and snapshot.as_of < counted_to:
        return True
    return timezone.now() - snapshot.taken_at > fresh_for()
