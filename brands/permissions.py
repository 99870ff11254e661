"""Every access decision about brands, their news and their practitioner registers.

City admins see every brand; a county official sees the brands of their own county; nobody else manages
brands. The public sees cultivating and recognised brands and the published news of those brands.
Another county's brand answers 404, exactly like a missing one. A brand's practitioner register is kept by
the officials of its county (while the brand is not retired) and read by city admins.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from brands.models import Brand, BrandNews, BrandStandard, Practitioner, RecognitionCriterion
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


# --- The practitioner register ---------------------------------------------------------------------------


def register_brands(user: User) -> QuerySet[Brand]:
    """The brands whose practitioner register `user` keeps (adds to, edits, removes from, imports into): the
    brands of an official's own county that are not retired. A retired brand's register is kept as it was."""
    if not user.is_authenticated or user.role != Role.COUNTY_OFFICIAL:
        return Brand.objects.none()
    return visible_brands(user).exclude(status=Brand.Status.RETIRED)


def get_register_brand_for(user: User, pk: int | None) -> Brand:
    """The brand whose register `user` keeps, else 404 (another county's brand, a retired one, no such brand,
    or a user who keeps no register)."""
    return get_object_or_404(register_brands(user).select_related("county"), pk=pk)


def can_keep_register(user: User, brand: Brand) -> bool:
    return (
        user.role == Role.COUNTY_OFFICIAL
        and user.county_id == brand.county_id
        and brand.status != Brand.Status.RETIRED
    )


def cannot_keep_register(brand: Brand) -> Unavailable | None:
    """Why a brand's register no longer takes additions or changes: the brand is retired."""
    if brand.status != Brand.Status.RETIRED:
        return None
    return Unavailable(
        reason=_("%(name)s is retired: its practitioner register is kept as it was and no longer changes.")
        % {"name": brand.name},
        url=reverse("brands:practitioner_list", args=[brand.pk]),
        link=_("Back to the register"),
    )


def visible_practitioners(user: User) -> QuerySet[Practitioner]:
    """Register entries `user` reads: those of the brands they see (officials their county's, city admins
    all)."""
    return Practitioner.objects.filter(brand__in=visible_brands(user))


def get_practitioner_for(user: User, brand_pk: int, pk: int) -> Practitioner:
    return get_object_or_404(
        visible_practitioners(user).select_related("brand", "worker", "occupation", "township"),
        brand_id=brand_pk,
        pk=pk,
    )
