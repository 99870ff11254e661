"""Brand membership: the people on the brand's practitioner register, plus the members its training records
imply rather than typed in.

A worker is a member of a brand when they are on its practitioner register (brands.Practitioner, an entry not
removed), completed one of the brand's programmes with a pass, or hold a valid certificate in one of the
brand's occupations. A worker certified in an occupation that two brands share counts for both: the portal
does not know a worker's home county (see docs/decisions.md).

The queries start from the brand's own records — its register's active entries, the passed enrolments of its
programmes and the valid certificates in its occupations, each read from an index holding exactly those rows —
so a brand's figures cost in proportion to its members, never to everyone registered (docs/benchmarks.md,
"Pages at city scale"). The figures of a period (as of its last day) are training/metrics/members.py's.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet

from brands.models import Brand, Practitioner
from laborbrand.accounts.models import User
from training.models import Certificate, Enrollment


def _registered(brand: Brand) -> QuerySet:
    return Practitioner.objects.active().filter(brand=brand)


def _trained(brand: Brand) -> QuerySet:
    return Enrollment.objects.completed().filter(program__brand=brand, passed=True)


def _certified(brand: Brand) -> QuerySet:
    return Certificate.objects.valid().filter(occupation__in=brand.occupations.values("pk"))


def _ids(records: QuerySet) -> QuerySet:
    return records.order_by().values("worker_id")


def member_ids(brand: Brand) -> QuerySet:
    """The ids of the brand's members, each once (a UNION), for use as a subquery."""
    return _ids(_registered(brand)).union(_ids(_trained(brand)), _ids(_certified(brand)))


def brand_members(brand: Brand) -> QuerySet[User]:
    return User.objects.filter(pk__in=member_ids(brand))


def members_with_sources(brand: Brand) -> QuerySet[User]:
    """The brand's members, each with the ways they are one: `is_registered` (on the practitioner register),
    `is_trained` (passed one of its programmes), `is_certified` (a valid certificate in one of its
    occupations). Three EXISTS per row shown, whatever the number of rows."""
    worker = OuterRef("pk")
    return brand_members(brand).annotate(
        is_registered=Exists(_registered(brand).filter(worker=worker)),
        is_trained=Exists(_trained(brand).filter(worker=worker)),
        is_certified=Exists(_certified(brand).filter(worker=worker)),
    )


def _distinct_workers(records: QuerySet) -> int:
    return _ids(records).aggregate(n=Count("worker_id", distinct=True))["n"]


def membership_counts(brand: Brand) -> dict[str, int]:
    """Members, and of them those on the practitioner register, those trained under the brand and those
    holding a valid certificate (four small queries)."""
    return {
        "members": member_ids(brand).count(),
        "registered": _registered(brand).count(),  # one active entry per worker (a unique constraint)
        "trained": _distinct_workers(_trained(brand)),
        "certified": _distinct_workers(_certified(brand)),
    }


def certificate_rate(counts: dict[str, int]) -> int:
    """Members holding a valid certificate, as a whole percentage of all members (0 without members)."""
    return round(100 * counts["certified"] / counts["members"]) if counts["members"] else 0
