"""Lists of records as tables: the columns a page and its Excel export share, and the keyword search every
staff list offers.

A staff list (brands, institutions, programmes, trainees …) is its scoped queryset, narrowed by the page's
filters and its keyword (`?q=`), shown a page at a time; `?export=xlsx` on the same URL downloads exactly the
rows the filters show, every page of them, through the same `Listing` (laborbrand/spreadsheets.py writes the
cells as values, never formulas). `staff_list` is that view's one step:

    def programme_list(request):
        programmes = visible_programmes(request.user)          # the scoping layer
        programmes = filter_form.filter(programmes)            # the page's own filters
        return staff_list(request, programmes, PROGRAMMES, "training/program_list.html", {...},
                          search=("title", "institution__name"), export_name=("programmes", _("Programmes")))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from laborbrand.pages import paginate, query_without_page
from laborbrand.spreadsheets import workbook_bytes, xlsx_response

# A keyword longer than this is cut: nobody types more into a search box, and LIKE patterns stay cheap.
KEYWORD_MAX = 50
# An export holds at most this many rows (a whole city's list, filtered, fits; the sheet stays openable).
EXPORT_MAX_ROWS = 50_000
EXPORT_CHUNK = 2_000


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Listing:
    """One kind of record as a table: its columns (the page's and the export's), the related rows loaded
    with it (so a page costs the same number of queries however many rows it shows), and its order."""

    columns: tuple[Column, ...]
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-pk",)

    def queryset(self, queryset: QuerySet) -> QuerySet:
        return (
            queryset.select_related(*self.related).prefetch_related(*self.prefetch).order_by(*self.ordering)
        )

    @property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    def row(self, record) -> list:
        return [column.value(record) for column in self.columns]

    def rows(self, records: Iterable) -> Iterator[list]:
        return (self.row(record) for record in records)


def keyword(request: HttpRequest) -> str:
    """The search box's text: trimmed, cut to KEYWORD_MAX, without characters a database cannot hold."""
    return request.GET.get("q", "").replace("\x00", "").strip()[:KEYWORD_MAX]


def keyword_filter(queryset: QuerySet, text: str, fields: Sequence[str]) -> QuerySet:
    """Rows where any of `fields` contains `text` (case-insensitive); every row for an empty text. Personal
    identifiers are never among the fields: they are stored encrypted, and a search by them would put them in
    the URL."""
    if not text or not fields:
        return queryset
    return queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": text}) for field in fields)))


def export(listing: Listing, queryset: QuerySet, *, sheet_title: str, file_stem: str, display_stem: str):
    """The whole filtered list as an .xlsx download, named with today's date."""
    rows = listing.queryset(queryset)[:EXPORT_MAX_ROWS]
    content = workbook_bytes(
        sheet_title=sheet_title,
        headers=listing.headers,
        rows=listing.rows(rows.iterator(chunk_size=EXPORT_CHUNK) if not listing.prefetch else rows),
    )
    today = timezone.localdate().isoformat()
    return xlsx_response(
        content, ascii_name=f"{file_stem}-{today}.xlsx", display_name=f"{display_stem}-{today}.xlsx"
    )


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def staff_list(
    request: HttpRequest,
    queryset: QuerySet,
    listing: Listing,
    template: str,
    context: dict[str, Any],
    *,
    search: Sequence[str],
    export_name: tuple[str, str],
    page_size: int | None = None,
    open_ended: bool = False,
) -> HttpResponse:
    """A staff list page, or with `?export=xlsx` the Excel file of exactly what its filters show. The page
    gets `page_obj` (records of `listing.queryset`), `q` (the keyword), `query` (the filters, for the page
    links), `export_query` (the current query
    string with export=xlsx, for the export link) and `search_keep` (the other filters, kept by the search
    box): templates/includes/_list_search.html draws both."""
    text = keyword(request)
    queryset = keyword_filter(queryset, text, search)
    if wants_export(request):
        file_stem, display_stem = export_name
        return export(
            listing,
            queryset,
            sheet_title=str(display_stem),
            file_stem=file_stem,
            display_stem=str(display_stem),
        )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    keep = [(name, value) for name, values in query.lists() if name != "q" for value in values]
    query["export"] = "xlsx"
    kwargs = (
        {"open_ended": open_ended} if page_size is None else {"size": page_size, "open_ended": open_ended}
    )
    page = paginate(request, listing.queryset(queryset), **kwargs)
    return render(
        request,
        template,
        {
            **context,
            "page_obj": page,
            "q": text,
            "query": query_without_page(request),
            "search_keep": keep,
            "export_query": query.urlencode(),
        },
    )
