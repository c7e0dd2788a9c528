"""CSV: one row per claim, citations and sources joined into readable cells, safe to open in a spreadsheet.

On PostgreSQL the rows come straight from `COPY (SELECT …) TO STDOUT` (query.csv_select), streamed as the
server sends them, formula escaping done in SQL. Elsewhere (the SQLite of `make run`) the row builder
feeds `fallback_rows`, which writes the same cells with the same escaping and the same quoting, byte for
byte (a test compares both on PostgreSQL data).

The file itself stays clean for spreadsheets: no comment line. Its provenance travels beside it.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from . import query, rows
from .runner import BLOCK, Tally

HEADER = (",".join(query.CSV_HEADER) + "\n").encode()
TEXT_COLUMNS = frozenset(name for name, _, text in query.CSV_COLUMNS if text)


def render(f, tally: Tally) -> Iterator[bytes]:
    yield HEADER
    if connection.vendor == "postgresql":
        yield from copy_rows(f, tally)
    else:
        yield from fallback_rows(f, tally)


def copy_rows(f, tally: Tally) -> Iterator[bytes]:
    """Rows as PostgreSQL's COPY writes them, gathered into blocks of about BLOCK bytes."""
    sql, params = query.csv_select(f)
    # COPY takes no bind parameters: psycopg merges them into the statement client-side (safely quoted).
    statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params)
    pending: list[bytes] = []
    size = count = 0
    first = rows.FIRST_CHUNK  # the first block leaves after as many rows as the row builder's first chunk
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in copy:  # one message per row
            pending.append(bytes(row))
            size += len(row)
            count += 1
            if size >= BLOCK or count == first:
                first = 0
                tally.add(count)
                yield b"".join(pending)
                pending, size, count = [], 0, 0
    if pending:
        tally.add(count)
        yield b"".join(pending)


# ---- the portable path --------------------------------------------------------------------------------------
def escape_cell(value: str | None) -> str | None:
    """What query.csv_escape_sql does in SQL: '' is an empty cell, a formula start gets a leading quote."""
    if not value:
        return None
    if value.startswith(query.FORMULA_STARTS):
        return "'" + value
    return value


def encode_cell(value) -> str:
    """One cell as COPY … (FORMAT csv) writes it: NULL empty, quoted only when it holds , " CR or LF."""
    if value is None:
        return ""
    text = str(value)
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def citation_text(citation: dict) -> str:
    publisher = citation["publisher"] or (citation["source"]["name"] if citation["source"] else "")
    rest = " — ".join(part for part in (citation["title"], publisher, citation["url"]) if part)
    return f"[{citation['label']}]" + (f" {rest}" if rest else "") + f" ({citation['stance']})"


def cells(record: dict) -> list:
    """The CSV row of one record, in query.CSV_HEADER order (unescaped)."""
    hedge = record["hedge"] or {}
    event = record["event_date"] or {}
    decision = record["last_decision"] or {}
    sources = sorted({f"{c['source']['name']} ({c['source']['grade']})" for c in record["citations"] if c["source"]})
    conf = record["confidence"]
    values = {
        "claim_id": record["id"],
        "article_id": record["article"]["id"],
        "article_title": record["article"]["title"],
        "article_url": record["article"]["url"],
        "paragraph": record["anchor"]["paragraph"],
        "sentence": record["anchor"]["sentence"],
        "anchor_state": record["anchor"]["state"],
        "text": record["text"],
        "status": record["status"],
        "confidence": conf["value"],
        "confidence_band": conf["band"],
        "confidence_computed": conf["computed"],
        "confidence_override": conf["override"],
        "hedge_kind": hedge.get("kind"),
        "hedge_phrase": hedge.get("phrase"),
        "attributed_to": hedge.get("attributed_to"),
        "event_date": event.get("date"),
        "event_date_precision": event.get("precision"),
        "tags": "; ".join(record["tags"]) or None,
        "citations": " | ".join(citation_text(c) for c in record["citations"]) or None,
        "sources": "; ".join(sources) or None,
        "last_decision": decision.get("status"),
        "decided_by": decision.get("reviewer"),
        "decided_at": decision.get("at"),
        "decision_note": decision.get("note"),
        "decision_override": decision.get("override_reason") or None,
        "version": record["version"],
    }
    return [escape_cell(values[name]) if name in TEXT_COLUMNS else values[name] for name in query.CSV_HEADER]


def encode_row(record: dict) -> str:
    return ",".join(encode_cell(value) for value in cells(record)) + "\n"


def fallback_rows(f, tally: Tally) -> Iterator[bytes]:
    """The same rows built in Python from the row builder (any database)."""
    for chunk in rows.chunks(f):
        tally.add(len(chunk))
        yield "".join(encode_row(record) for record in chunk).encode()
