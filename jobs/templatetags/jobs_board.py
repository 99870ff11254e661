"""What the job board contributes to pages of the apps below it (the home page), which cannot import jobs."""

from __future__ import annotations

from django import template

from jobs.permissions import public_postings

register = template.Library()

LATEST_COUNT = 6


@register.inclusion_tag("jobs/includes/_latest_postings.html")
def latest_postings(count: int = LATEST_COUNT) -> dict:
    """The newest public postings: one query, read along the newest-first index."""
    postings = (
        public_postings()
        .select_related("employer", "province", "county")
        .only(
            "title",
            "salary_min",
            "salary_max",
            "city_name",
            "published_at",
            "employer__name",
            "province__name",
            "county__name",
        )
        .order_by("-published_at", "-pk")[:count]
    )
    return {"postings": list(postings)}
