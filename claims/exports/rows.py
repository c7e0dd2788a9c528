"""The row builder shared by the JSON, JSON Lines, Markdown, ClaimReview and CSV-fallback formats.

Claims are read with `.iterator(chunk_size=…)` in export order; for each chunk, three more queries fetch
the citations, the relations and the reviews of exactly those claims. A chunk therefore costs a fixed
number of queries however many claims it holds, and memory holds one chunk at a time.

Each claim becomes a JSON-ready dict (dates as ISO strings) — the "record" every format renders.
Callers run the iteration inside `transaction.atomic()` (see runner.py): outside one, PostgreSQL's
server-side cursor is WITH HOLD and materialises the whole result first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Q

from ..models import ClaimCitation, ClaimRelation, Review
from . import query
from .filters import BANDS, ExportFilter

CHUNK_SIZE = 2000  # default; settings.CLAIMS_EXPORT_CHUNK_SIZE overrides it
# The first chunk is small so that the first byte leaves at once: building 2,000 records (and their three
# lookups) before writing anything was most of the 1.4-2.2 s first byte at 1M claims.
FIRST_CHUNK = 100
QUERIES_PER_CHUNK = 3  # citations, relations, reviews (the claims themselves come from the open cursor)

CLAIM_VALUES = (
    "id",
    "article_id",
    "article__title",
    "article__url",
    "article__published_on",
    "revision__sha256",
    "paragraph_index",
    "sentence_index",
    "start",
    "end",
    "anchor_state",
    "text",
    "status",
    "confidence",
    "confidence_override",
    "confidence_override_reason",
    "confidence_factors",
    "hedge_kind",
    "hedge_phrase",
    "attributed_to",
    "event_date",
    "event_date_precision",
    "event_date_phrase",
    "event_date_end",
    "tags",
    "version",
    "decided_at",
)
LINK_VALUES = (
    "id",
    "claim_id",
    "stance",
    "info_grade",
    "position",
    "quote",
    "note",
    "citation__label",
    "citation__kind",
    "citation__url",
    "citation__title",
    "citation__author",
    "citation__publisher",
    "citation__published",
    "citation__accessed",
    "citation__archive_url",
    "citation__source_id",
    "citation__source__name",
    "citation__source__grade",
    "citation__source__reliability",
    "citation__source__kind",
)
RELATION_VALUES = ("id", "claim_a_id", "claim_b_id", "kind", "state", "detector", "resolution")
REVIEW_VALUES = (
    "id",
    "claim_id",
    "from_status",
    "to_status",
    "note",
    "override_reason",
    "claim_version",
    "created_at",
    "reviewer__username",
    "reviewer__first_name",
    "reviewer__last_name",
)


def utc_iso(value: dt.datetime | None) -> str | None:
    """A timestamp as the exports write it (the CSV's SQL writes the same): 2024-11-28T09:30:00Z."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def band_or_none(value: int) -> str | None:
    return next((name for name, (low, high) in BANDS.items() if low <= value <= high), None)


def person(first: str, last: str, username: str) -> str:
    """The name a decision is signed with (the CSV's SQL computes the same)."""
    return f"{first} {last}".strip(" ") or username


def batched(items: Iterable, size: int, *, first: int | None = None) -> Iterator[list]:
    """Lists of `size` items; the first list holds `first` items when that is fewer (a quick first block)."""
    batch: list = []
    limit = min(size, first) if first else size
    for item in items:
        batch.append(item)
        if len(batch) >= limit:
            yield batch
            batch, limit = [], size
    if batch:
        yield batch


def chunk_size_setting() -> int:
    return int(getattr(settings, "CLAIMS_EXPORT_CHUNK_SIZE", CHUNK_SIZE))


def chunks(f: ExportFilter, *, chunk_size: int | None = None) -> Iterator[list[dict]]:
    """The filtered claims as records, one list per chunk, in export order."""
    chunk_size = chunk_size or chunk_size_setting()
    rows = query.claims(f).values(*CLAIM_VALUES).iterator(chunk_size=chunk_size)
    for batch in batched(rows, chunk_size, first=FIRST_CHUNK):
        yield build(batch)


def build(rows: list[dict]) -> list[dict]:
    """Complete one chunk of claim rows with their citations, relations and last decision (3 queries)."""
    ids = [row["id"] for row in rows]
    links: dict[int, list[dict]] = defaultdict(list)
    for link in ClaimCitation.objects.filter(claim_id__in=ids).order_by("claim_id", "id").values(*LINK_VALUES):
        links[link["claim_id"]].append(link)
    relations: dict[int, list[dict]] = defaultdict(list)
    touching = ClaimRelation.objects.filter(Q(claim_a_id__in=ids) | Q(claim_b_id__in=ids))
    for rel in touching.order_by("id").values(*RELATION_VALUES):
        relations[rel["claim_a_id"]].append(rel)
        relations[rel["claim_b_id"]].append(rel)
    last_review: dict[int, dict] = {}
    reviews = Review.objects.filter(claim_id__in=ids).order_by("claim_id", "created_at", "id")
    for review in reviews.values(*REVIEW_VALUES):
        last_review[review["claim_id"]] = review  # ordered oldest first: the last one stays
    return [
        _record(row, links.get(row["id"], []), relations.get(row["id"], []), last_review.get(row["id"])) for row in rows
    ]


def _record(row: dict, links: list[dict], relations: list[dict], review: dict | None) -> dict:
    effective = row["confidence"] if row["confidence_override"] is None else row["confidence_override"]
    links = sorted(links, key=lambda link: (link["position"] is None, link["position"] or 0, link["id"]))
    hedge = None
    if row["hedge_kind"] or row["hedge_phrase"] or row["attributed_to"]:
        hedge = {
            "kind": row["hedge_kind"] or None,
            "phrase": row["hedge_phrase"],
            "attributed_to": row["attributed_to"],
        }
    event_date = None
    if row["event_date"]:
        event_date = {
            "date": iso_date(row["event_date"]),
            "precision": row["event_date_precision"] or None,
            "phrase": row["event_date_phrase"],
        }
        if row["event_date_end"]:  # a range ("On 6–7 December"): its last day
            event_date["end"] = iso_date(row["event_date_end"])
    decision = None
    if review is not None:
        decision = {
            "status": review["to_status"],
            "from_status": review["from_status"],
            "reviewer": person(
                review["reviewer__first_name"], review["reviewer__last_name"], review["reviewer__username"]
            ),
            "reviewer_username": review["reviewer__username"],
            "note": review["note"],
            # Why it was verified although the verification rule was not met; "" when the rule was met.
            "override_reason": review["override_reason"],
            "at": utc_iso(review["created_at"]),
            "claim_version": review["claim_version"],
        }
    tags = row["tags"] if isinstance(row["tags"], list) else []
    return {
        "id": row["id"],
        "article": {"id": row["article_id"], "title": row["article__title"], "url": row["article__url"]},
        "text": row["text"],
        "anchor": {
            "revision_sha256": row["revision__sha256"],
            "paragraph": row["paragraph_index"],
            "sentence": row["sentence_index"],
            "start": row["start"],
            "end": row["end"],
            "state": row["anchor_state"],
        },
        "status": row["status"],
        "confidence": {
            "value": effective,
            "band": band_or_none(effective),
            "computed": row["confidence"],
            "override": row["confidence_override"],
            "override_reason": row["confidence_override_reason"],
            "factors": row["confidence_factors"] if isinstance(row["confidence_factors"], list) else [],
        },
        "hedge": hedge,
        "event_date": event_date,
        "tags": [str(tag) for tag in tags],
        "citations": [_citation(link) for link in links],
        "relations": [_relation(rel, row["id"]) for rel in relations],
        "last_decision": decision,
        "decided_at": utc_iso(row["decided_at"]),
        "version": row["version"],
        # For ClaimReview's itemReviewed.datePublished only; "_" keeps it out of the JSON record (as_json.public).
        "_article_published_on": row["article__published_on"].isoformat() if row["article__published_on"] else None,
    }


def _citation(link: dict) -> dict:
    source = None
    if link["citation__source_id"] is not None:
        source = {
            "id": link["citation__source_id"],
            "name": link["citation__source__name"],
            "grade": link["citation__source__grade"],
            "reliability": link["citation__source__reliability"],
            "kind": link["citation__source__kind"],
        }
    return {
        "label": link["citation__label"],
        "kind": link["citation__kind"],
        "stance": link["stance"],
        "info_grade": link["info_grade"],
        "position": link["position"],
        "url": link["citation__url"],
        "title": link["citation__title"],
        "author": link["citation__author"],
        "publisher": link["citation__publisher"],
        "published": iso_date(link["citation__published"]),
        "accessed": iso_date(link["citation__accessed"]),
        "archive_url": link["citation__archive_url"],
        "quote": link["quote"],
        "note": link["note"],
        "source": source,
    }


def _relation(rel: dict, claim_id: int) -> dict:
    return {
        "id": rel["id"],
        "claim": rel["claim_b_id"] if rel["claim_a_id"] == claim_id else rel["claim_a_id"],
        "kind": rel["kind"],
        "state": rel["state"],
        "detector": rel["detector"],
        "resolution": rel["resolution"] or None,
    }
