from django.conf import settings


def site(request):
    """The city the portal serves, named in every page's title and brand."""
    return {"site_city_name": settings.SITE_CITY_NAME}
