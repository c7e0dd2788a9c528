"""Searching claims by their words: one meaning for the admin's search box and the exports' `q`.

A search is split as the admin splits it: words, or "quoted phrases". A claim matches when every term
appears in its text or its attributed-to text, each word as the start of a word ("airp" finds "airport",
"hamwi" finds "al-Hamwi"), a phrase as adjacent words.

On PostgreSQL this is full-text search over `Claim.search_document`, the stored
`to_tsvector('simple', text || ' ' || attributed_to)` that a trigger keeps current, with a GIN index
(migration 0005; design.md §Measured: `icontains` cannot use an index and took 2.3 s at 1M claims).
The 'simple' configuration does not stem, so it works for any language and prefixes behave as typed.
Elsewhere (the SQLite file of `make run`) each word is matched as a case-insensitive substring.

A term found in most claims ("heavy fighting" in 999 of 1,000) is the index's worst case: it must visit every
match, recheck the phrase and sort them all before the first page (10 s at 1M claims), and the planner cannot
see it coming (it estimates a phrase at a few dozen rows). `walk_matches` serves such a list page instead by
reading the list's first claims in its own order, index-served, and testing the search on each of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection, connections
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils.text import smart_split, unescape_string_literal

CONFIG = "simple"
WORD = re.compile(r"\w+")


def vector_sql(alias: str) -> str:
    """The stored document in raw SQL (the exports' query builder)."""
    return f"{alias}.search_document"


def split_terms(search: str) -> list[str]:
    """Words, or "quoted phrases", as the Django admin splits a search."""
    terms = []
    for bit in smart_split(search or ""):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1] and len(bit) > 1:
            bit = unescape_string_literal(bit)
        if bit.strip():
            terms.append(bit)
    return terms


def tsquery(terms: list[str]) -> str | None:
    """The terms as a raw tsquery: every term required, each of its words a prefix, a term's words adjacent.

    Only \\w+ runs reach the query, so nothing a user types can be tsquery syntax."""
    parts = []
    for term in terms:
        words = WORD.findall(term.lower())
        if words:
            parts.append("(" + " <-> ".join(f"{word}:*" for word in words) + ")")
    return " & ".join(parts) or None


def full_text() -> bool:
    return connection.vendor == "postgresql"


def _matches(query: str) -> Q:
    return Q(search_document=SearchQuery(query, search_type="raw", config=CONFIG))


def search_claims(queryset: QuerySet, search: str) -> QuerySet:
    """Claims of `queryset` matching every term of `search` (see the module's docstring)."""
    terms = split_terms(search)
    if not terms:
        return queryset
    query = tsquery(terms) if full_text() else None
    if query is not None:
        return queryset.filter(_matches(query))
    for term in terms:
        queryset = queryset.filter(Q(text__icontains=term) | Q(attributed_to__icontains=term))
    return queryset


# How many claims of a list the walk reads, in the list's order, before leaving the search to the full-text index.
# A term in at least 1 claim in 40 fills a first page of 50 within them (~3 ms of index order at 100k claims, 5,000
# took 8 ms); a rarer one has few enough matches (under 2.5% of the list) for the index to find and sort them all,
# and pays the walk on top: so the walk is kept short, most searches being for rare words (names, places).
WALK_ROWS = 2_000


@dataclass(frozen=True)
class Walk:
    """What a walk over the first claims of a list found."""

    ids: list[int]  # the first matching claims' ids, in the list's order (at most `wanted` of them)
    read: int  # claims read
    hits: int  # matching claims among them
    exhausted: bool  # the list has no more claims than were read: `hits` is its exact count


def walk_matches(queryset: QuerySet, search: str, *, wanted: int, rows: int = WALK_ROWS) -> Walk | None:
    """The first `wanted` claims of `queryset`, in its order, that match `search`, found by reading at most `rows`
    claims of `queryset` in that order and testing the search on each: one query, whose cost does not depend on
    how many claims match. The test sits in the SELECT list, not the WHERE clause, so the planner cannot trade
    the ordered index for the full-text one. None when the search cannot be walked (not PostgreSQL, no word
    in it, no order) or when fewer than `wanted` of the claims read match and more claims remain: the term is
    rare, and the full-text index finds its few matches faster."""
    terms = split_terms(search)
    query = tsquery(terms) if terms and connections[queryset.db].vendor == "postgresql" else None
    ordering = list(queryset.query.order_by)
    if query is None or not ordering:
        return None
    head = queryset.annotate(
        _walk_hit=ExpressionWrapper(_matches(query), output_field=BooleanField()),
        # The position in the list, so that the matches come back in the list's order whatever the plan does.
        _walk_n=Window(RowNumber(), order_by=ordering),
    ).values_list("pk", "_walk_hit", "_walk_n")[:rows]
    sql, params = head.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        # `sql` is Django's compiled query with its values bound as parameters: nothing typed is pasted.
        cursor.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE w._walk_hit), "  # noqa: S608
            f"(array_agg(w.pk ORDER BY w._walk_n) FILTER (WHERE w._walk_hit))[1:%s] FROM ({sql}) AS w",
            [wanted, *params],
        )
        read, hits, ids = cursor.fetchone()
    walk = Walk(ids=list(ids or []), read=read, hits=hits, exhausted=read < rows)
    if len(walk.ids) < wanted and not walk.exhausted:
        return None
    return walk


def highlight(text: str, search: str):
    """`text` as safe HTML with each searched word marked (<mark>), matched as the search matches: a word
    at the start of a word, case-insensitive. Text is escaped; only the marks are markup."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    words = sorted({w for term in split_terms(search) for w in WORD.findall(term)}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f'<mark class="search-hit">{escape(match.group(0))}</mark>')
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
