"""The reference rows pages read on every request (occupations, counties, provinces, skill levels), cached.

They change only with a migration, so they are read once per REFERENCE_SECONDS rather than on every search
or list of recommendations.
"""

from __future__ import annotations

from django.core.cache import cache

from laborbrand.reference.models import County, Occupation, Province, SkillLevel

REFERENCE_KEY = "reference:rows"
REFERENCE_SECONDS = 300


def _load_reference_rows() -> dict[str, list]:
    return {
        "occupations": list(Occupation.objects.select_related("category")),
        "counties": list(County.objects.select_related("city")),
        "provinces": list(Province.objects.all()),
        "levels": list(SkillLevel.objects.all()),
    }


def reference_rows() -> dict[str, list]:
    """{"occupations" (with their categories), "counties" (with their city), "provinces", "levels"}."""
    return cache.get_or_set(REFERENCE_KEY, _load_reference_rows, REFERENCE_SECONDS)
