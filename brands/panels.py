"""Workbench panels of the brand registry. Each panel runs a fixed number of queries, however many brands."""

from django.db.models import Count, Q, Window

from brands.models import Brand
from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel
from laborbrand.reference.models import County

Role = User.Role


@panel(Role.COUNTY_OFFICIAL, order=25)
def my_county_brands(user):
    brands = Brand.objects.in_county(user.county_id)
    counts = dict(brands.values_list("status").annotate(n=Count("pk")).order_by())
    rows = [(value, label, counts[value]) for value, label in Brand.Status.choices if counts.get(value)]
    returned = list(brands.filter(status=Brand.Status.RETURNED).order_by("-status_changed")[:10])
    return Panel(
        "brands/panels/_my_county_brands.html",
        {"rows": rows, "total": sum(counts.values()), "returned": returned},
    )


@panel(Role.CITY_ADMIN, order=22)
def brands_awaiting_decision(user):
    """The oldest brands waiting for the city's decision, each row carrying the total waiting (a window
    count, so one query)."""
    oldest = list(
        Brand.objects.awaiting_decision()
        .select_related("county")
        .annotate(waiting_total=Window(Count("pk")))
        .order_by("status_changed", "pk")[:5]
    )
    return Panel(
        "brands/panels/_brands_awaiting_decision.html",
        {"count": oldest[0].waiting_total if oldest else 0, "oldest": oldest},
    )


@panel(Role.CITY_ADMIN, order=24)
def counties_without_established_brand(user):
    counties = list(
        County.objects.annotate(
            established=Count("brands", filter=Q(brands__status__in=Brand.PUBLIC_STATUSES))
        )
        .filter(established=0)
        .order_by("code")
    )
    return Panel("brands/panels/_counties_without_brand.html", {"counties": counties})
