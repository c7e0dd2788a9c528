"""The one SQL builder behind every export: an `ExportFilter` becomes a WHERE clause, and the formats select
from it.

- `where(f)` is portable SQL (PostgreSQL and SQLite) over the claim table by its own name, so the same
  clause serves hand-written SELECTs (the CSV's COPY) and the ORM (`claims(f)`, for the row builder).
- `ORDER` / `order_by_sql()` is the one export order: article, paragraph, sentence, id. Same data + same filter give
  the same bytes.
- `csv_select(f)` is the CSV's SELECT for PostgreSQL, formula escaping done in SQL; `csv_columns_select(f)`
  is the same columns unescaped (what the benchmark's raw COPY baseline reads).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .. import search
from ..models import Article, Citation, Claim, ClaimCitation, Review, Source
from .filters import BANDS, DECIDED, ExportFilter

CLAIM = Claim._meta.db_table
C = f'"{CLAIM}"'  # the claim table, referred to by its name (never aliased: the ORM refers to it so too)
ARTICLE = Article._meta.db_table
CITATION = Citation._meta.db_table
LINK = ClaimCitation._meta.db_table
SOURCE = Source._meta.db_table
REVIEW = Review._meta.db_table
USER = get_user_model()._meta.db_table

ORDER = ("article_id", "paragraph_index", "sentence_index", "id")
# Cells a spreadsheet would read as a formula (OWASP "CSV injection"): prefixed with a single quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def effective_confidence_sql() -> str:
    return f"COALESCE({C}.confidence_override, {C}.confidence)"


def where(f: ExportFilter) -> tuple[str, list]:
    """The filter as a SQL condition on the claim table, with its parameters (psycopg/Django `%s` style)."""
    parts: list[str] = []
    params: list = []

    def add(sql: str, *values) -> None:
        parts.append(sql)
        params.extend(values)

    if f.ids:
        add(f"{C}.id IN ({_placeholders(len(f.ids))})", *f.ids)
    if f.articles:
        add(f"{C}.article_id IN ({_placeholders(len(f.articles))})", *f.articles)
    if f.statuses:
        add(f"{C}.status IN ({_placeholders(len(f.statuses))})", *f.statuses)
    if f.decided:
        add(f"{C}.status IN ({_placeholders(len(DECIDED))})", *DECIDED)
    if f.hedges:
        add(f"{C}.hedge_kind IN ({_placeholders(len(f.hedges))})", *f.hedges)
    if f.bands:
        ranges = [BANDS[b] for b in f.bands]
        add(
            "(" + " OR ".join(f"{effective_confidence_sql()} BETWEEN %s AND %s" for _ in ranges) + ")",
            *[bound for pair in ranges for bound in pair],
        )
    if f.tags:
        # claims.selectors.claims_with_tag semantics: the quoted slug inside the JSON list's text.
        add(
            "(" + " OR ".join(f"CAST({C}.tags AS TEXT) LIKE %s ESCAPE '\\'" for _ in f.tags) + ")",
            *[f'%"{_like_escape(tag)}"%' for tag in f.tags],
        )
    if f.sources:
        add(
            f"EXISTS (SELECT 1 FROM {LINK} cc JOIN {CITATION} ci ON ci.id = cc.citation_id "  # noqa: S608
            f"WHERE cc.claim_id = {C}.id AND ci.source_id IN ({_placeholders(len(f.sources))}))",
            *f.sources,
        )
    ops = connection.ops
    if f.date_from:
        add(f"{C}.event_date >= %s", ops.adapt_datefield_value(f.date_from))
    if f.date_to:
        add(f"{C}.event_date <= %s", ops.adapt_datefield_value(f.date_to))
    # The admin's search, with the same meaning (claims/search.py): full text on PostgreSQL, served by the
    # GIN index on this very expression; a substring per word elsewhere (or for terms with no word in them).
    query = search.tsquery(f.search_terms) if search.full_text() else None
    if query is not None:
        add(f"{search.vector_sql(C)} @@ to_tsquery('{search.CONFIG}'::regconfig, %s)", query)
    else:
        for term in f.search_terms:
            pattern = f"%{_like_escape(term.lower())}%"
            add(
                f"(LOWER({C}.text) LIKE %s ESCAPE '\\' OR LOWER({C}.attributed_to) LIKE %s ESCAPE '\\')",
                pattern,
                pattern,
            )
    return (" AND ".join(parts) or "1 = 1"), params


def order_by_sql() -> str:
    return ", ".join(f"{C}.{column}" for column in ORDER)


def claims(f: ExportFilter) -> QuerySet[Claim]:
    """The filtered claims in export order, as a queryset (the row builder iterates it in chunks).

    Iterate it or add to it; do not nest it as a subquery (`pk__in=claims(f)`): the ORM would alias the
    claim table there and the raw condition names it. Use `where(f)` in raw SQL instead."""
    sql, params = where(f)
    qs = Claim.objects.all()
    if params or sql != "1 = 1":
        qs = qs.filter(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611 - values are bound parameters
    return qs.order_by(*ORDER)


def count_sql(f: ExportFilter, *, distinct_articles: bool = False) -> tuple[str, list]:
    sql, params = where(f)
    what = f"COUNT(DISTINCT {C}.article_id)" if distinct_articles else "COUNT(*)"
    return f"SELECT {what} FROM {C} WHERE {sql}", params  # noqa: S608


def count(f: ExportFilter, *, distinct_articles: bool = False) -> int:
    sql, params = count_sql(f, distinct_articles=distinct_articles)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def spans_articles(f: ExportFilter) -> bool:
    """Whether the filtered claims come from more than one article. One claim's article, then any claim of another:
    both stop at the first row found, where COUNT(DISTINCT article_id) read every claim first (seconds at 1M)."""
    sql, params = where(f)
    first = f"SELECT {C}.article_id FROM {C} WHERE {sql} LIMIT 1"  # noqa: S608
    # The inner SELECT names the claim table again: its own FROM, not the outer one, is what its columns refer to.
    statement = f"SELECT EXISTS (SELECT 1 FROM {C} WHERE {sql} AND {C}.article_id <> ({first}))"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *params])
        return cursor.fetchone()[0]


def cited_citation_ids_sql(f: ExportFilter) -> tuple[str, list]:
    """The ids of the citations that the filtered claims carry (the CSL-JSON bibliography)."""
    sql, params = where(f)
    return f"SELECT cc.citation_id FROM {LINK} cc JOIN {C} ON {C}.id = cc.claim_id WHERE {sql}", params  # noqa: S608


# ---- CSV (PostgreSQL) ------------------------------------------------------------------------------------
# (header, SQL expression, is text). The Python fallback in as_csv builds the same cells from the row builder.
def _band_sql() -> str:
    cases = " ".join(f"WHEN {effective_confidence_sql()} <= {high} THEN '{name}'" for name, (_, high) in BANDS.items())
    return f"CASE {cases} END"


def _utc(column: str) -> str:
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


_CITATION_TEXT = (
    "'[' || ci.label || ']' || COALESCE(' ' || NULLIF(concat_ws(' — ', NULLIF(ci.title, ''), "
    "COALESCE(NULLIF(ci.publisher, ''), s.name), NULLIF(ci.url, '')), ''), '') || ' (' || cc.stance || ')'"
)
_SOURCE_TEXT = "(s.name || ' (' || s.grade || ')') COLLATE \"C\""

CSV_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("claim_id", f"{C}.id", False),
    ("article_id", f"{C}.article_id", False),
    ("article_title", "a.title", True),
    ("article_url", "a.url", True),
    ("paragraph", f"{C}.paragraph_index", False),
    ("sentence", f"{C}.sentence_index", False),
    ("anchor_state", f"{C}.anchor_state", True),
    ("text", f"{C}.text", True),
    ("status", f"{C}.status", True),
    ("confidence", effective_confidence_sql(), False),
    ("confidence_band", _band_sql(), True),
    ("confidence_computed", f"{C}.confidence", False),
    ("confidence_override", f"{C}.confidence_override", False),
    ("hedge_kind", f"{C}.hedge_kind", True),
    ("hedge_phrase", f"{C}.hedge_phrase", True),
    ("attributed_to", f"{C}.attributed_to", True),
    ("event_date", f"to_char({C}.event_date, 'YYYY-MM-DD')", True),
    ("event_date_precision", f"CASE WHEN {C}.event_date IS NOT NULL THEN {C}.event_date_precision END", True),
    (
        "tags",
        f"(SELECT string_agg(t.v, '; ' ORDER BY t.n) FROM jsonb_array_elements_text("  # noqa: S608
        f"CASE WHEN jsonb_typeof({C}.tags) = 'array' THEN {C}.tags ELSE '[]'::jsonb END) "
        "WITH ORDINALITY AS t(v, n))",
        True,
    ),
    ("citations", "cit.citations", True),
    ("sources", "cit.sources", True),
    ("last_decision", "rv.to_status", True),
    ("decided_by", "rv.reviewer", True),
    ("decided_at", "rv.at", True),
    ("decision_note", "rv.note", True),
    ("decision_override", "NULLIF(rv.override_reason, '')", True),
    ("version", f"{C}.version", False),
)
CSV_HEADER = tuple(name for name, _, _ in CSV_COLUMNS)


def _csv_from(f: ExportFilter) -> tuple[str, list]:
    sql, params = where(f)
    return (
        f"""FROM {C}
JOIN {ARTICLE} a ON a.id = {C}.article_id
LEFT JOIN LATERAL (
    SELECT string_agg({_CITATION_TEXT}, ' | ' ORDER BY cc.position NULLS LAST, cc.id) AS citations,
           string_agg(DISTINCT {_SOURCE_TEXT}, '; ' ORDER BY {_SOURCE_TEXT}) AS sources
    FROM {LINK} cc JOIN {CITATION} ci ON ci.id = cc.citation_id LEFT JOIN {SOURCE} s ON s.id = ci.source_id
    WHERE cc.claim_id = {C}.id
) cit ON TRUE
LEFT JOIN LATERAL (
    SELECT r.to_status, COALESCE(NULLIF(TRIM(' ' FROM u.first_name || ' ' || u.last_name), ''), u.username) AS reviewer,
           {_utc("r.created_at")} AS at, r.note, r.override_reason
    FROM {REVIEW} r JOIN {USER} u ON u.id = r.reviewer_id
    WHERE r.claim_id = {C}.id ORDER BY r.created_at DESC, r.id DESC LIMIT 1
) rv ON TRUE
WHERE {sql}
ORDER BY {order_by_sql()}""",  # noqa: S608
        params,
    )


def csv_columns_select(f: ExportFilter) -> tuple[str, list]:
    """The CSV's columns as they are stored: no escaping (the benchmark's COPY baseline)."""
    body, params = _csv_from(f)
    columns = ",\n       ".join(f'{expr} AS "{name}"' for name, expr, _ in CSV_COLUMNS)
    return f"SELECT {columns}\n{body}", params


def csv_escape_sql(expr: str) -> str:
    """A text cell for a spreadsheet: '' becomes NULL (an empty unquoted cell, as the Python fallback
    writes it) and a cell starting like a formula gets a leading single quote."""
    starts = ", ".join("E'\\t'" if s == "\t" else "E'\\r'" if s == "\r" else f"'{s}'" for s in FORMULA_STARTS)
    return f"CASE WHEN left({expr}, 1) IN ({starts}) THEN '''' || {expr} ELSE NULLIF({expr}, '') END"


def csv_select(f: ExportFilter) -> tuple[str, list]:
    """The CSV's SELECT: the columns of `csv_columns_select`, text cells escaped for spreadsheets."""
    inner, params = csv_columns_select(f)
    columns = ", ".join(csv_escape_sql(f't."{name}"') if text else f't."{name}"' for name, _, text in CSV_COLUMNS)
    order = ", ".join(f't."{name}"' for name in ("article_id", "paragraph", "sentence", "claim_id"))
    return f"SELECT {columns} FROM (\n{inner}\n) AS t\nORDER BY {order}", params  # noqa: S608
