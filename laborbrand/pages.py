"""Small helpers every list and state-changing view shares."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property

from laborbrand.exceptions import InvalidTransition

PAGE_SIZE = 20


class CappedPaginator(Paginator):
    """Counts no further than `count_limit` rows and offers only the pages up to there: on a large table an
    exact count of a broad search costs a scan of every matching row, for a figure nobody pages through.
    `capped` says whether more rows matched."""

    def __init__(self, object_list, per_page, *, count_limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = count_limit

    @cached_property
    def _capped_count(self) -> int:
        return self.object_list.order_by()[: self.count_limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._capped_count, self.count_limit)

    @property
    def capped(self) -> bool:
        return self._capped_count > self.count_limit


def paginate(
    request: HttpRequest, queryset, size: int = PAGE_SIZE, *, count_limit: int | None = None
) -> Page:
    """The requested page (the last one for a page past the end, the first for a bad number). With
    `count_limit`, counting stops there (see CappedPaginator)."""
    if count_limit is None:
        paginator = Paginator(queryset, size)
    else:
        paginator = CappedPaginator(queryset, size, count_limit=count_limit)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for pagination links that keep them."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def refusals_as_messages(redirect_to: str):
    """A refused move (the state changed meanwhile, a rule not met) becomes a message on the object's page,
    never a 500. The decorated view takes the object's `pk`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
            try:
                return view(request, pk, **kwargs)
            except InvalidTransition as exc:
                messages.error(request, str(exc))
                return redirect(redirect_to, pk=pk)

        return wrapped

    return decorator


@dataclass(frozen=True)
class Unavailable:
    """Why a user cannot use a form now, and the next step. Shown instead of a form they could never submit
    (a full page on the form's own URL, a banner on the list it starts from)."""

    reason: str
    next_step: str = ""
    url: str = ""
    link: str = ""


def unavailable_page(request: HttpRequest, unavailable: Unavailable, *, title: str) -> HttpResponse:
    """The page a form's URL shows while the form cannot be used; a POST to it changes nothing."""
    return render(
        request,
        "unavailable.html",
        {"title": title, "unavailable": unavailable},
        status=200 if request.method in ("GET", "HEAD") else 403,
    )
