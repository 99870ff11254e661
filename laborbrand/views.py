from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

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


def home(request):
    return render(request, "home.html", {"services": _service_links()})


def privacy(request):
    return render(request, "privacy.html")


def favicon(request):
    # Looked up per request: in production the static URL comes from the collected manifest.
    return redirect(static("favicon.svg"), permanent=True)
