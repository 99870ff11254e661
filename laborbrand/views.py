import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from laborbrand.metrics import Period, Scope, get, year_to_date_label
from laborbrand.metrics import figure as registry_figure

logger = logging.getLogger(__name__)

# The public counters of the home page: city-wide figures of the registry, counts only (no personal data).
HOME_METRICS = ("trainee_times", "certificates_issued", "placements")

# The public services the home page leads to. A service whose pages have not been built yet is shown
# without a link (its URL name does not resolve), so the page never points at a 404.
PUBLIC_SERVICES = [
    ("brands:showcase", _("Labour brands"), _("Browse the county labour brands the city is cultivating.")),
    ("jobs:search", _("Job listings"), _("Search open jobs by occupation, place, salary and skill level.")),
    (
        "training:certificate_verify",
        _("Certificate check"),
        _("Verify a vocational skill certificate by its number and the holder's name."),
    ),
    ("brands:news_list", _("Brand news"), _("News and stories from the labour brands.")),
]


def _service_links():
    services = []
    for url_name, title, description in PUBLIC_SERVICES:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = ""
        services.append({"title": title, "description": description, "url": url})
    return services


def home_figures(today: datetime.date | None = None) -> dict | None:
    """The city's figures for the year to date, {"figures": [{"metric", "value"}], "period_label",
    "minutes"}, kept in the cache for `HOME_FIGURES_SECONDS` (the key names the day, so last year's count is
    never shown as this year's). None when the database cannot count them: the page leaves them out."""
    period = Period.year_to_date(today)

    def count() -> dict[str, int]:
        return {key: registry_figure(key, Scope.city(), period).value for key in HOME_METRICS}

    try:
        with transaction.atomic():
            counted = cache.get_or_set(
                f"home-figures:{period.end.isoformat()}", count, settings.HOME_FIGURES_SECONDS
            )
    except DatabaseError:
        logger.exception("The home page's figures could not be counted")
        return None
    return {
        "figures": [{"metric": get(key), "value": counted[key]} for key in HOME_METRICS],
        "period_label": year_to_date_label(period),
        "minutes": settings.HOME_FIGURES_SECONDS // 60,
    }


def home(request):
    return render(request, "home.html", {"services": _service_links(), "counters": home_figures()})


def privacy(request):
    return render(request, "privacy.html")


def favicon(request):
    # Looked up per request: in production the static URL comes from the collected manifest.
    return redirect(static("favicon.svg"), permanent=True)
