"""A brand's figures for the public brand page and the recognition criteria, all from the registry of metrics
(laborbrand/metrics.py): brands names a metric by its key and never imports the apps that keep the records.

The brand page counts the year to date (1 January to today, in the city's days), the one period every page
that shows a registry figure uses. The recognition criteria keep the periods their labels state (the last 12
months, all news ever published, members as of today): a brand may be recognised in any month of the year.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from brands.models import Brand, RecognitionCriterion
from laborbrand.metrics import Figure, Period, Scope, get, year_to_date_label
from laborbrand.metrics import figure as registry_figure

Metric = RecognitionCriterion.Metric

# The brand page's figures, in the order it shows them.
BRAND_PAGE_METRICS = ("trainee_times", "certificate_holding_rate", "brand_placements")

# The first day whose bounds in the city's time still convert to UTC (midnight of date.min would not): a
# period from it counts everything ever recorded.
EARLIEST_DAY = datetime.date.min + datetime.timedelta(days=1)


def public_page_figures(brand: Brand, today: datetime.date | None = None) -> dict:
    """The public brand page's figures for the year to date: {"brand_figures": {key: {"metric", "figure"}},
    "figures_period": its label}. The counts stay in the cache for `BRAND_PAGE_FIGURES_SECONDS` (5 minutes):
    a page the public opens often costs its counts once per period instead of once per visitor. The key names
    the day, so a count made on 31 December is never shown as the new year's. Without the cache (stopped, or
    the setting 0) the figures are counted each time."""
    period = Period.year_to_date(today)
    scope = Scope.brand(brand)

    def count() -> dict[str, Figure]:
        return {key: registry_figure(key, scope, period) for key in BRAND_PAGE_METRICS}

    counted = cache.get_or_set(
        f"brand-page-figures:{brand.pk}:{period.end.isoformat()}", count, settings.BRAND_PAGE_FIGURES_SECONDS
    )
    if counted is None:  # the cache failed while storing: count here
        counted = count()
    return {
        "brand_figures": {key: {"metric": get(key), "figure": counted[key]} for key in BRAND_PAGE_METRICS},
        "figures_period": year_to_date_label(period),
    }


def _whole_percent(figure: Figure) -> int:
    """A rate as the criteria's thresholds are written: a whole percentage, 0 without base records."""
    return round(100 * figure.numerator / figure.denominator) if figure.denominator else 0


def brand_figure(brand: Brand, metric: str) -> int:
    """The brand's figure for a recognition criterion, from the registry."""
    scope = Scope.brand(brand)
    today = timezone.localdate()
    if metric == Metric.TRAINED_PER_YEAR:
        return registry_figure("trainee_times", scope, Period.last_days(365, today)).value
    if metric == Metric.PLACEMENTS:
        # Hires of the brand's members (the registry's placements for a brand), as the criterion's label says.
        return registry_figure("placements", scope, Period.last_days(365, today)).value
    if metric == Metric.CERTIFIED_MEMBERS:
        return registry_figure("certificate_holding_rate", scope, Period.year_to_date(today)).numerator
    if metric == Metric.CERTIFICATE_RATE:
        return _whole_percent(registry_figure("certificate_holding_rate", scope, Period.year_to_date(today)))
    if metric == Metric.PUBLISHED_NEWS:
        # All the brand's published news, from the earliest day, not the brand's creation: a news item may be
        # dated before it (the demo spreads its news over the weeks before it creates the brands).
        return registry_figure("published_news", scope, Period(EARLIEST_DAY, today)).value
    raise ValueError(f"no figure for the criterion {metric!r}")


def criteria_with_figures(brand: Brand) -> list[dict]:
    """Each active criterion with the brand's figure and whether it is met."""
    rows = []
    for criterion in RecognitionCriterion.objects.filter(active=True):
        figure = brand_figure(brand, criterion.metric)
        rows.append({"criterion": criterion, "figure": figure, "met": figure >= criterion.threshold})
    return rows
