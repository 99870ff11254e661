"""Brands' metrics (laborbrand/metrics.py): brand news published, and brands selected as cultivation targets
by the year's selection deadline. The scope of both is the brand's county, or the brand itself."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from brands.models import Brand, BrandEvent, BrandNews
from laborbrand.metrics import COUNT, Metric, Period, Scope, register
from laborbrand.reference.models import deadlines


def selection_deadline(year: int) -> datetime.date:
    """Each county puts forward one or two brands, selected by the city by this day (the year's programme
    setting, 31 May by default)."""
    return deadlines(year).selection_deadline


def _in_scope(queryset: QuerySet, scope: Scope, *, brand: str, county: str) -> QuerySet:
    """`queryset` narrowed to the scope: `brand` and `county` are the fields holding the records' brand and
    the brand's county."""
    if scope.brand_id is not None:
        return queryset.filter(**{brand: scope.brand_id})
    if scope.county_id is not None:
        return queryset.filter(**{county: scope.county_id})
    return queryset


def published_news(scope: Scope, period: Period) -> QuerySet[BrandNews]:
    first, after = period.bounds()
    news = BrandNews.objects.published().filter(published_at__gte=first, published_at__lt=after)
    return _in_scope(news, scope, brand="brand_id", county="brand__county_id")


def selection_windows(period: Period) -> list[Period]:
    """The days of the period from 1 January up to each year's selection deadline (none after it)."""
    windows = []
    for year in range(period.start.year, period.end.year + 1):
        start = max(period.start, datetime.date(year, 1, 1))
        end = min(period.end, selection_deadline(year))
        if start <= end:
            windows.append(Period(start, end))
    return windows


def brands_selected(scope: Scope, period: Period) -> QuerySet[Brand]:
    # A brand is selected when the city accepts it as a cultivation target (submitted → cultivating, the one
    # way into that status: brands/services.py ALLOWED); its BrandEvent dates the decision.
    windows = selection_windows(period)
    if not windows:
        return Brand.objects.none()
    when = Q()
    for window in windows:
        first, after = window.bounds()
        when |= Q(created__gte=first, created__lt=after)
    selections = BrandEvent.objects.filter(when, new_status=Brand.Status.CULTIVATING)
    brands = Brand.objects.filter(pk__in=selections.values("brand_id"))
    return _in_scope(brands, scope, brand="pk", county="county_id")


register(
    Metric(
        key="published_news",
        name=_("Published brand news items"),
        unit=COUNT,
        definition=_(
            "Brand news items published on the portal and not withdrawn, each counted in the period of its "
            "first publication (its publication time, in the city's days). A county counts the news of its "
            "brands; a brand counts its own news."
        ),
        records=published_news,
        order=120,
    )
)

register(
    Metric(
        key="brands_selected",
        name=_("Brands selected by the selection deadline"),
        unit=COUNT,
        definition=_(
            "Brands the city accepted as cultivation targets (selected), counted when the acceptance falls "
            "in the period and on or before its year's selection deadline (31 May), whatever the brand's "
            "status now; acceptances after the deadline are not counted. Each brand counts once. A county "
            "counts the brands of the county; a brand counts 1 if it was selected so, otherwise 0."
        ),
        records=brands_selected,
        order=130,
    )
)
