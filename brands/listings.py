"""The brands app's staff lists as tables (laborbrand/listings.py): the columns of each list's Excel export,
the related rows each loads with it, its order, and the fields its keyword searches (`*_SEARCH`). No personal
data: brands and news are about organisations."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from laborbrand.listings import Column, Listing


def yes_no(value: bool | None) -> str:
    """A yes/no cell; empty while it is not known."""
    if value is None:
        return ""
    return str(_("Yes") if value else _("No"))


def names(related) -> str:
    """The names of a prefetched many-to-many relation, in its order, in one cell."""
    return "、".join(str(item) for item in related.all())


def name_of(value) -> str:
    """A related row's name, empty when there is none."""
    return str(value) if value is not None else ""


# The brands' list (county officials: their county's; city admins: all). Needs `standard_count` annotated.
BRANDS = Listing(
    columns=(
        Column(_("Brand"), lambda b: b.name),
        Column(_("County/district"), lambda b: b.county.name),
        Column(_("Township"), lambda b: name_of(b.township)),
        Column(_("Category"), lambda b: b.category.name),
        Column(_("Occupations"), lambda b: names(b.occupations)),
        Column(_("Slogan / regional mark"), lambda b: b.slogan),
        Column(_("Standards"), lambda b: b.standard_count),
        Column(_("Status"), lambda b: b.get_status_display()),
        Column(_("Status since"), lambda b: b.status_changed),
    ),
    related=("county", "township", "category"),
    prefetch=("occupations",),
    ordering=("county__code", "name", "pk"),
)
BRAND_SEARCH = ("name", "county__name", "township__name", "category__name", "occupations__name")

# The city's review queue: the same columns, the longest waiting first.
BRAND_REVIEWS = replace(BRANDS, ordering=("status_changed", "pk"))

NEWS = Listing(
    columns=(
        Column(_("Title"), lambda n: n.title),
        Column(_("Brand"), lambda n: n.brand.name),
        Column(_("Summary"), lambda n: n.summary),
        Column(_("Status"), lambda n: n.get_status_display()),
        Column(_("Published"), lambda n: n.published_at),
        Column(_("Created"), lambda n: n.created),
    ),
    related=("brand",),
    ordering=("-published_at", "-created", "-pk"),
)
NEWS_SEARCH = ("title", "summary", "brand__name")
