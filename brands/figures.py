"""A brand's own figures, computed from the portal's records, for the recognition criteria and brand pages.

Each figure comes from one provider. The app that keeps the records registers the provider in its own
`figures.py` (training registers trainee-times and certificates, jobs registers placements); brands discovers
those modules when it is ready, as accounts discovers the workbench's `panels.py`, so it never imports them. A
metric with no provider yet has no figure: pages say the portal does not keep those records yet, rather than
show a number typed in by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from brands.models import Brand, RecognitionCriterion
from laborbrand.metrics import Period, Scope
from laborbrand.metrics import figure as registry_figure

Metric = RecognitionCriterion.Metric
_providers: dict[str, Callable[[Brand], int]] = {}


def provides(metric: str) -> Callable:
    def decorator(func: Callable[[Brand], int]) -> Callable[[Brand], int]:
        _providers[metric] = func
        return func

    return decorator


def provides_membership(func: Callable[[Brand], dict[str, int]]) -> Callable[[Brand], dict[str, int]]:
    """Register the function that counts a brand's members: {"members", "trained", "certified"}."""
    _providers["membership"] = func
    return func


def autodiscover() -> None:
    autodiscover_modules("figures")


def brand_membership(brand: Brand) -> dict[str, int] | None:
    provider = _providers.get("membership")
    return None if provider is None else provider(brand)


def brand_figure(brand: Brand, metric: str) -> int | None:
    provider = _providers.get(metric)
    return None if provider is None else provider(brand)


def public_page_figures(brand: Brand) -> dict:
    """The figures of the public brand page (trainee-times and placements in the last 12 months, membership),
    kept in the cache for `BRAND_PAGE_FIGURES_SECONDS` (5 minutes): a page the public opens often costs its
    counts once per period instead of once per visitor. The city's own pages (the recognition decision, the
    criteria) count live. Without the cache (stopped, or the setting 0) the figures are counted each time."""

    def count() -> dict:
        return {
            "trained_per_year": brand_figure(brand, Metric.TRAINED_PER_YEAR),
            "membership": brand_membership(brand),
            "placements": brand_figure(brand, Metric.PLACEMENTS),
        }

    return cache.get_or_set(f"brand-page-figures:{brand.pk}", count, settings.BRAND_PAGE_FIGURES_SECONDS)


def criteria_with_figures(brand: Brand) -> list[dict]:
    """Each active criterion with the brand's figure and whether it is met (None: no records yet)."""
    rows = []
    for criterion in RecognitionCriterion.objects.filter(active=True):
        figure = brand_figure(brand, criterion.metric)
        rows.append(
            {
                "criterion": criterion,
                "figure": figure,
                "met": None if figure is None else figure >= criterion.threshold,
            }
        )
    return rows


# The first day whose bounds in the city's time still convert to UTC (midnight of date.min would not): a
# period from it counts everything ever recorded.
EARLIEST_DAY = datetime.date.min + datetime.timedelta(days=1)


@provides(Metric.PUBLISHED_NEWS)
def published_news(brand: Brand) -> int:
    """All the brand's published news: the registry's `published_news` for the brand up to today. It starts
    from the earliest day, not the brand's creation, because a news item may be dated before it (the demo
    spreads its news over the weeks before it creates the brands)."""
    period = Period(EARLIEST_DAY, timezone.localdate())
    return registry_figure("published_news", Scope.brand(brand), period).value
