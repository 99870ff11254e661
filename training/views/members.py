"""A brand's members, each with the ways they are one: on the practitioner register, trained under the brand,
certified in one of its occupations (training/membership.py). For the officials of the brand's county and the
city admins, as the brand's management page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brands.permissions import get_brand_for
from laborbrand.accounts.models import User
from laborbrand.accounts.permissions import role_required
from laborbrand.listings import Column, Listing, staff_list
from laborbrand.pages import query_without_page
from training.membership import certificate_rate, members_with_sources, membership_counts

Role = User.Role

SOURCES = (
    ("is_registered", gettext_lazy("registered practitioner")),
    ("is_trained", gettext_lazy("trained under the brand")),
    ("is_certified", gettext_lazy("certified")),
)


def member_sources(member: User) -> str:
    """The ways a member is one, in words (a row of `members_with_sources`)."""
    return "、".join(str(label) for flag, label in SOURCES if getattr(member, flag))


MEMBERS = Listing(
    columns=(
        Column(gettext_lazy("Name"), lambda m: m.real_name),
        Column(gettext_lazy("ID number"), lambda m: m.masked_id_number),
        Column(gettext_lazy("Member as"), member_sources),
        Column(gettext_lazy("Registered on the portal"), lambda m: _("yes") if m.registered else _("no")),
    ),
    ordering=("real_name", "pk"),
)


@role_required(Role.COUNTY_OFFICIAL, Role.CITY_ADMIN)
def brand_members(request: HttpRequest, pk: int) -> HttpResponse:
    brand = get_brand_for(request.user, pk)
    counts = membership_counts(brand)
    return staff_list(
        request,
        members_with_sources(brand).only("pk", "real_name", "id_number", "registered"),
        MEMBERS,
        "training/brand_members.html",
        {
            "brand": brand,
            "counts": counts,
            "rate": certificate_rate(counts),
            "query": query_without_page(request),
        },
        search=("real_name",),
        export_name=(f"members-{brand.pk}", _("Members of %(brand)s") % {"brand": brand.name}),
    )
