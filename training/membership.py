"""Brand membership, derived from the training records rather than typed in.

A worker is a member of a brand when they completed one of the brand's programmes with a pass, or hold a
valid certificate in one of the brand's occupations. A worker certified in an occupation that two brands share
counts for both: the portal does not know a worker's home county (see docs/decisions.md).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from brands.models import Brand
from laborbrand.accounts.models import User
from training.models import Certificate, Enrollment


def _trained(brand: Brand) -> QuerySet[Enrollment]:
    return Enrollment.objects.completed().filter(program__brand=brand, passed=True, worker=OuterRef("pk"))


def _certified(brand: Brand) -> QuerySet[Certificate]:
    return Certificate.objects.valid().filter(
        occupation__in=brand.occupations.values("pk"), worker=OuterRef("pk")
    )


def brand_members(brand: Brand) -> QuerySet[User]:
    return User.objects.filter(Exists(_trained(brand)) | Exists(_certified(brand)))


def membership_counts(brand: Brand) -> dict[str, int]:
    """Members, and of them those trained under the brand and those holding a valid certificate."""
    members = User.objects.annotate(trained=Exists(_trained(brand)), certified=Exists(_certified(brand)))
    return {
        "members": members.filter(Q(trained=True) | Q(certified=True)).count(),
        "trained": members.filter(trained=True).count(),
        "certified": members.filter(certified=True).count(),
    }


def certificate_rate(counts: dict[str, int]) -> int:
    """Members holding a valid certificate, as a whole percentage of all members (0 without members)."""
    return round(100 * counts["certified"] / counts["members"]) if counts["members"] else 0
