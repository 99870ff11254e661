from django.db.models import Count, Q

from laborbrand.accounts.models import User
from laborbrand.accounts.workbench import Panel, panel
from laborbrand.reference.models import County

Role = User.Role


@panel(*Role.values, order=10)
def notifications(user):
    latest = list(user.notifications.unread()[:5])
    return Panel("accounts/panels/_notifications.html", {"latest_unread": latest})


@panel(Role.CITY_ADMIN, order=20)
def county_officials(user):
    counties = County.objects.annotate(
        active_officials=Count("officials", filter=Q(officials__is_active=True))
    ).order_by("code")
    return Panel(
        "accounts/panels/_county_officials.html",
        {"counties": counties, "uncovered": [c for c in counties if not c.active_officials]},
    )


@panel(Role.COUNTY_OFFICIAL, order=20)
def my_county(user):
    return Panel(
        "accounts/panels/_my_county.html",
        {"county": user.county, "townships": list(user.county.townships.all())},
    )


@panel(Role.WORKER, order=20)
def my_profile(user):
    return Panel("accounts/panels/_my_profile.html", {"profile_user": user})


@panel(Role.CITY_ADMIN, order=21)
def leading_group(user):
    # A link only: the workbench's query count stays as it was.
    return Panel("accounts/panels/_leading_group.html", {})
