"""Keyword search over postings: every whitespace-separated term must occur, as a substring (ignoring case),
in the title, the description, the employer's name or the occupation's name.

Substring matching alone scans every open posting. On PostgreSQL each posting also keeps `search_tokens`, a
tsvector of every pair of adjacent characters of those four texts and the last character of each run without
spaces (case-folded; Chinese has no spaces, so no word segmenter can promise to find every substring). A GIN
index over them finds the postings holding every pair of every term — never fewer than substring matching
finds. For a term of one or two characters that is exact; for a longer one the substring test then drops
the few postings that hold its pairs apart but not the term. docs/decisions.md ("Search (issue 12)") says
why not jieba or pg_trgm.

Pure functions and the SQL conditions they feed: the model and the search form call them; nothing here reads
the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQueryField
from django.db.models import BooleanField, F, Func, Lookup, Value
from django.db.models.functions import Cast


def search_terms(query: str) -> list[str]:
    """The distinct terms of a keyword query, split on any whitespace (the full-width space too)."""
    terms: list[str] = []
    for term in query.split():
        if term.casefold() not in (known.casefold() for known in terms):
            terms.append(term)
    return terms


def _grams(text: str) -> set[str]:
    """Every pair of adjacent characters, and the last character of each run without spaces (the others start
    a pair): a single character is found as the prefix of a gram (tokens_query)."""
    grams: set[str] = set()
    for chunk in text.casefold().split():
        grams.add(chunk[-1])
        grams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return grams


def _quoted(lexeme: str) -> str:
    # tsvector and tsquery input syntax: a quoted lexeme doubles its quotes and backslashes.
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tokens_document(texts: Iterable[str]) -> str:
    """The tsvector (in PostgreSQL's input syntax, so no text-search parser touches it) of the texts."""
    grams: set[str] = set()
    for text in texts:
        grams |= _grams(text)
    ordered = sorted(grams)
    body = "' '".join(ordered)
    if "'" in body or "\\" in body:  # rare: quote each gram
        return " ".join(_quoted(gram) for gram in ordered)
    return f"'{body}'" if ordered else ""


def _term_grams(term: str) -> list[str]:
    """What a text holding `term` must hold: a gram starting with its only character, or enough of its pairs
    to cover it."""
    term = term.casefold()
    if len(term) == 1:
        return [_quoted(term) + ":*"]
    pairs = [term[i : i + 2] for i in range(0, len(term) - 1, 2)]
    if len(term) % 2:
        pairs.append(term[-2:])
    return [_quoted(pair) for pair in pairs]


def tokens_decide(term: str) -> bool:
    """Whether the tokens alone decide if a text holds the term: a term of one or two characters is there
    exactly when its gram is; a longer one needs the substring test after them."""
    return len(term.casefold()) <= 2


def substring_lookup(term: str) -> str:
    """The ORM lookup that tests for the term: without letters that have a case (Chinese, digits) the
    case-sensitive one, which PostgreSQL runs several times faster (no upper() of every text it tests)."""
    return "contains" if term.upper() == term.lower() else "icontains"


def tokens_query(terms: Iterable[str]) -> str:
    """The tsquery every posting holding all the terms matches."""
    return " & ".join(dict.fromkeys(gram for term in terms for gram in _term_grams(term)))


class MatchesTokens(Lookup):
    """`tokens @@ query::tsquery`: the query is in tsquery's input syntax (tokens_query), not parsed by a
    text-search configuration."""

    lookup_name = "matches_tokens"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", (*lhs_params, *rhs_params)


def tokens_match(query: str, *, in_order: bool = False):
    """The condition that a posting's tokens match the query (tokens_query).

    `in_order` writes it as a call of the operator's function, which no index serves and which the planner
    takes to hold for a third of the postings: it then reads postings in the page's order and tests each,
    stopping at the page's end. That is what the first page of a search with many matches wants. For several
    words the planner otherwise multiplies their frequencies (数控 and 车工 are each in 4 % of the postings,
    together in 3.6 %, estimated at 0.2 %), collects every match from the index and sorts them all: 5 ms
    against 0.8 ms for 数控 车工's first page (docs/benchmarks.md)."""
    if in_order:
        return Func(
            F("search_tokens"),
            Cast(Value(query), SearchQueryField()),
            function="ts_match_vq",
            output_field=BooleanField(),
        )
    return MatchesTokens(F("search_tokens"), query)
