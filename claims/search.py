"""Searching claims by their words: one meaning for the admin's search box and the exports' `q`.

A search is split as the admin splits it: words, or "quoted phrases". A claim matches when every term
appears in its text or its attributed-to text, each word as the start of a word ("airp" finds "airport",
"hamwi" finds "al-Hamwi"), a phrase as adjacent words.

On PostgreSQL this is full-text search over `Claim.search_document`, the stored
`to_tsvector('simple', text || ' ' || attributed_to)` that a trigger keeps current, with a GIN index
(migration 0005; design.md §Measured: `icontains` cannot use an index and took 2.3 s at 1M claims).
The 'simple' configuration does not stem, so it works for any language and prefixes behave as typed.
Elsewhere (the SQLite file of `make run`) each word is matched as a case-insensitive substring.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet
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


def search_claims(queryset: QuerySet, search: str) -> QuerySet:
    """Claims of `queryset` matching every term of `search` (see the module's docstring)."""
    terms = split_terms(search)
    if not terms:
        return queryset
    query = tsquery(terms) if full_text() else None
    if query is not None:
        return queryset.filter(search_document=SearchQuery(query, search_type="raw", config=CONFIG))
    for term in terms:
        queryset = queryset.filter(Q(text__icontains=term) | Q(attributed_to__icontains=term))
    return queryset


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
