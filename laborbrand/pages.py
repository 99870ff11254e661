"""Small helpers every list and state-changing view shares."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from laborbrand.exceptions import InvalidTransition

PAGE_SIZE = 20


def paginate(request: HttpRequest, queryset, size: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


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
