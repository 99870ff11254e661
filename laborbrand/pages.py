"""Small helpers every list and state-changing view shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme

from laborbrand.exceptions import InvalidTransition
from laborbrand.forms import ID_MAX, parse_int

PAGE_SIZE = 20


class CappedPaginator(Paginator):
    """Counts no further than `count_limit` rows and offers only the pages up to there: on a large table an
    exact count of a broad search costs a scan of every matching row, for a figure nobody pages through.
    `capped` says whether more rows matched."""

    open_ended = False  # set by paginate(open_ended=True): the pages go on past the count

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


# A list that grows with the city counts this many pages past the one shown, never further.
PAGES_AHEAD = 10
# The furthest page such a list counts up to: a larger number asks for its last page.
MAX_PAGE = 100_000


def _page_number(request: HttpRequest) -> int:
    """The page asked for: a number past MAX_PAGE asks for the last page (as 0 does, Django's paginator
    answers it with the last page), anything but ASCII digits for the first."""
    value = request.GET.get("page", "")
    if not (value.isascii() and value.isdigit()):
        return 1
    return MAX_PAGE if len(value) > len(str(MAX_PAGE)) else min(int(value), MAX_PAGE)


def paginate(
    request: HttpRequest,
    queryset,
    size: int = PAGE_SIZE,
    *,
    count_limit: int | None = None,
    open_ended: bool = False,
) -> Page:
    """The requested page (the last one for a page past the end, the first for anything but a number).
    With `count_limit`, counting stops there (see CappedPaginator). An `open_ended` list — one that grows with
    the city, shown newest first — counts only PAGES_AHEAD pages past the requested one: its first pages cost
    the same however long it gets, and each page still offers the next (the page links say "of more than")."""
    if open_ended:
        count_limit = (max(_page_number(request), 1) + PAGES_AHEAD) * size
    if count_limit is None:
        paginator = Paginator(queryset, size)
    else:
        paginator = CappedPaginator(queryset, size, count_limit=count_limit)
        paginator.open_ended = open_ended
    return paginator.get_page(_page_number(request))


def query_int(request: HttpRequest, name: str, *, default: int | None, low: int, high: int) -> int | None:
    """A number from the query string, range-checked (laborbrand.forms.parse_int); `default` when it is
    missing or out of range, so no impossible value reaches a query or a date."""
    value = parse_int(request.GET.get(name), low=low, high=high)
    return default if value is None else value


def query_id(request: HttpRequest, name: str) -> int | None:
    """A row id from the query string, or None when it is missing or could not be an id."""
    return query_int(request, name, default=None, low=1, high=ID_MAX)


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for pagination links that keep them."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def safe_url(request: HttpRequest, url: str | None) -> str:
    """`url` when it stays on this site, else ""."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def next_url(request: HttpRequest) -> str:
    """The page to go back to after a form (`next` in the POST or the query string), or "" when there is
    none or it would lead off this site."""
    return safe_url(request, request.POST.get("next") or request.GET.get("next"))


def confirmation_page(
    request: HttpRequest, template: str, *, possible: bool, action: str, cancel_url: str, **context
) -> HttpResponse:
    """The step before a move that cannot be undone (a template extending confirm.html): what the move
    means, and the form that POSTs it to `action` while it is `possible`. It changes nothing itself."""
    return render(
        request, template, {"possible": possible, "action": action, "cancel_url": cancel_url, **context}
    )


@contextmanager
def refusals_shown(request: HttpRequest, form: forms.Form | None = None) -> Iterator[None]:
    """The one way a view shows a refused move (`InvalidTransition`: the state changed meanwhile, a rule not
    met): on the form, as an error above its fields, when the move came from a form; otherwise as a message.
    The refusal ends the `with` block and the view carries on to its usual answer (the form again, or the
    redirect after the block); the service changed nothing.

        with refusals_shown(request):
            services.attachment_delete(attachment=attachment)
            messages.success(request, _("File removed."))
        return redirect(...)
    """
    try:
        yield
    except InvalidTransition as exc:
        if form is not None:
            form.add_error(None, str(exc))
        else:
            messages.error(request, str(exc))


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
