"""Who sees which figures, and who changes targets. Every access decision of the targets app lives here.

City admins and leading-group members see the city, every county and every brand; a county official sees
their own county and its brands (another county answers 404, as everywhere); other roles see no dashboard
(403). Only city admins change anything: targets, deadlines, on-demand snapshots."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from brands.models import Brand
from laborbrand.accounts.models import User
from laborbrand.reference.models import County

Role = User.Role

# The roles that read dashboards, their records and the reports.
READERS = (Role.CITY_ADMIN, Role.LEADING_GROUP, Role.COUNTY_OFFICIAL)
# The roles that see the whole city.
CITY_READERS = (Role.CITY_ADMIN, Role.LEADING_GROUP)
# The only role that changes targets and takes snapshots.
MANAGERS = (Role.CITY_ADMIN,)


def sees_city(user: User) -> bool:
    return user.is_authenticated and user.role in CITY_READERS


def visible_counties(user: User) -> QuerySet[County]:
    if sees_city(user):
        return County.objects.all()
    if user.is_authenticated and user.role == Role.COUNTY_OFFICIAL:
        return County.objects.filter(pk=user.county_id)
    return County.objects.none()


def visible_brands(user: User) -> QuerySet[Brand]:
    return Brand.objects.filter(county__in=visible_counties(user))


def get_county_for(user: User, pk: int | None) -> County:
    county = visible_counties(user).filter(pk=pk).first() if pk is not None else None
    if county is None:
        raise Http404
    return county


def get_brand_for(user: User, pk: int | None) -> Brand:
    brand = visible_brands(user).select_related("county").filter(pk=pk).first() if pk is not None else None
    if brand is None:
        raise Http404
    return brand


def require_city(user: User) -> None:
    """The city's own figures: a county official asking for them gets 404, like another county's."""
    if not sees_city(user):
        raise Http404
