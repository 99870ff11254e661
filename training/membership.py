"""Brand membership, derived from the training records rather than typed in.

A worker is a member of a brand when they completed one of the brand's programmes with a pass, or hold a
valid certificate in one of the brand's occupations. A worker certified in an occupation that two brands share
counts for both: the portal does not know a worker's home county (see docs/decisions.md).

The queries start from the brand's own records — the passed enrolments of its programmes and the valid
certificates in its occupations, each read from a partial index holding exactly those rows — so a brand's
figures cost in proportion to its members, never to everyone registered (docs/benchmarks.md, "Pages at city
scale").
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from brands.models import Brand
from laborbrand.accounts.models import User
from training.models import Certificate, Enrollment


def _trained_ids(brand: Brand) -> QuerySet:
    return (
        Enrollment.objects.completed()
        .filter(program__brand=brand, passed=True)
        .order_by()
        .values("worker_id")
    )


def _certified_ids(brand: Brand) -> QuerySet:
    return (
        Certificate.objects.valid()
        .filter(occupation__in=brand.occupations.values("pk"))
        .order_by()
        .values("worker_id")
    )


def member_ids(brand: Brand) -> QuerySet:
    """The ids of the brand's members, each once (a UNION), for use as a subquery."""
    return _trained_ids(brand).union(_certified_ids(brand))


def brand_members(brand: Brand) -> QuerySet[User]:
    return User.objects.filter(pk__in=member_ids(brand))


def _distinct_workers(ids: QuerySet) -> int:
    return ids.aggregate(n=Count("worker_id", distinct=True))["n"]


def membership_counts(brand: Brand) -> dict[str, int]:
    """Members, and of them those trained under the brand and those holding a valid certificate (three
    small queries)."""
    return {
        "members": member_ids(brand).count(),
        "trained": _distinct_workers(_trained_ids(brand)),
        "certified": _distinct_workers(_certified_ids(brand)),
    }


def certificate_rate(counts: dict[str, int]) -> int:
    """Members holding a valid certificate, as a whole percentage of all members (0 without members)."""
    return round(100 * counts["certified"] / counts["members"]) if counts["members"] else 0
