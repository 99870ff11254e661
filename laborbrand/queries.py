"""Query helpers every app shares."""

from __future__ import annotations

from django.db.models import F, Func, IntegerField, QuerySet, Subquery


def count_of(queryset: QuerySet) -> Subquery:
    """COUNT(*) of a queryset as a scalar subquery (0 when empty), for an annotation: several counts share one
    query, and a list's per-row counts (with OuterRef) cost only the rows of the page shown — PostgreSQL
    evaluates such a subquery after the sort and limit, where a Count() would group every row first."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )
