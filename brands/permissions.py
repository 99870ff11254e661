"""Every access decision about brands and their news.

City admins see every brand; a county official sees the brands of their own county; nobody else manages
brands. The public sees cultivating and recognised brands and the published news of those brands.
Another county's brand answers 404, exactly like a missing one.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from brands.models import Brand, BrandNews, BrandStandard, RecognitionCriterion
from laborbrand.accounts.models import User
from laborbrand.pages import Unavailable
from laborbrand.reference.models import County

Role = User.Role


def visible_brands(user: User) -> QuerySet[Brand]:
    if not user.is_authenticated:
        return Brand.objects.none()
    if user.role == Role.CITY_ADMIN:
        return Brand.objects.all()
    if user.role == Role.COUNTY_OFFICIAL:
        return Brand.objects.in_county(user.county_id)
    return Brand.objects.none()


def get_brand_for(user: User, pk: int) -> Brand:
    return get_object_or_404(visible_brands(user).select_related("county", "township", "category"), pk=pk)


def can_edit_brand(user: User, brand: Brand) -> bool:
    """Officials of the brand's county edit it while it is a draft or returned."""
    return user.role == Role.COUNTY_OFFICIAL and user.county_id == brand.county_id and brand.is_editable


def cannot_edit_brand(brand: Brand) -> Unavailable | None:
    """Why the brand's form (and its standards' forms) cannot be used: it is past draft or returned."""
    if brand.is_editable:
        return None
    return Unavailable(
        reason=_("%(name)s is “%(status)s”: only a draft or a brand returned for changes can be edited.")
        % {"name": brand.name, "status": brand.get_status_display()},
        next_step=_(
            "An accepted brand stays as the city accepted it. To change it, ask the city bureau to retire it "
            "and register it again."
        ),
        url=reverse("brands:manage_detail", args=[brand.pk]),
        link=_("Back to the brand"),
    )


def news_brands(user: User) -> QuerySet[Brand]:
    """The brands an official writes news for: the public brands of their county."""
    return visible_brands(user).filter(status__in=Brand.PUBLIC_STATUSES)


def cannot_write_news(user: User) -> Unavailable | None:
    if news_brands(user).exists():
        return None
    return Unavailable(
        reason=_(
            "Your county has no cultivating or recognised brand yet, and brand news is written for those "
            "brands."
        ),
        next_step=_("Register a brand and submit it to the city; once accepted, its news can be written."),
        url=reverse("brands:manage_list"),
        link=_("Your county's brands"),
    )


def get_standard_for(user: User, brand_pk: int, pk: int) -> BrandStandard:
    return get_object_or_404(
        BrandStandard.objects.select_related("brand"),
        brand__in=visible_brands(user),
        brand_id=brand_pk,
        pk=pk,
    )


def visible_news(user: User) -> QuerySet[BrandNews]:
    """News an official manages: every item of their county's brands (city admins: all)."""
    return BrandNews.objects.filter(brand__in=visible_brands(user))


def get_news_for(user: User, pk: int) -> BrandNews:
    return get_object_or_404(visible_news(user).select_related("brand"), pk=pk)


def get_logo_brand_for(user: User, pk: int) -> Brand:
    """A logo is public with its brand; otherwise only those who may see the brand get it."""
    return get_object_or_404(
        Brand.objects.filter(Q(status__in=Brand.PUBLIC_STATUSES) | Q(pk__in=visible_brands(user))), pk=pk
    )


def _is_city_admin(user: User) -> bool:
    return user.is_authenticated and user.role == Role.CITY_ADMIN


def overview_counties(user: User) -> QuerySet[County]:
    """The counties of the city's brand overview: every county, for city admins."""
    return County.objects.all() if _is_city_admin(user) else County.objects.none()


def editable_criteria(user: User) -> QuerySet[RecognitionCriterion]:
    """The recognition criteria, which city admins set."""
    return RecognitionCriterion.objects.all() if _is_city_admin(user) else RecognitionCriterion.objects.none()


def public_brands() -> QuerySet[Brand]:
    return Brand.objects.public()


def public_news() -> QuerySet[BrandNews]:
    return BrandNews.objects.public()
