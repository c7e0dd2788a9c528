"""Running an export: stream a format's content, count its rows, hash it, and say where it came from.

Every way in (URL, command, admin) goes through `Export`, so the bytes and the provenance are the same
whoever asks. Provenance (docs/exports.md):

- the sha256 covers the content bytes only, never the provenance, and the content depends only on the
  data and the filter (fixed order, no timestamps) — so the same data and filter give the same sha256;
- JSON and JSON Lines carry the provenance as their last line (the sha256 covers every byte before it):
  the content streams from its first row while it is hashed, and the provenance follows it, so the first
  byte of a million-claim export leaves at once instead of after the whole file was spooled;
- CSV, Markdown, ClaimReview and CSL-JSON stay clean: their provenance goes beside the file (the
  command's `FILE.provenance.json`, the URL's `?provenance=1`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from .filters import ExportFilter
from .rows import utc_iso

BLOCK = 64 * 1024  # bytes per block handed to the response or the file
GENERATOR = "claim-tracker exports/1"


@dataclass
class Tally:
    """Rows written so far; `on_rows` (a progress bar) hears about each block."""

    rows: int = 0
    on_rows: Callable[[int], None] | None = None

    def add(self, n: int) -> None:
        self.rows += n
        if self.on_rows and n:
            self.on_rows(n)


@dataclass(frozen=True)
class Format:
    name: str  # as in the URL and --format: csv, json, jsonl, markdown, claimreview, csl
    label: str  # for people: "CSV", "Markdown with footnotes"
    media_type: str
    filename: str  # the download's name: claims.csv
    render: Callable[[ExportFilter, Tally], Iterator[bytes | str]]
    row_kind: str = "claims"
    # The provenance line that ends the file, for formats that carry it inside (JSON, JSON Lines).
    trailer: Callable[[dict], bytes] | None = None
    # A format may narrow the filter (ClaimReview: decided claims only); provenance records the result.
    narrow: Callable[[ExportFilter], ExportFilter] = field(default=lambda f: f)


def fast_start() -> None:
    """No JIT compilation for the rest of this transaction (PostgreSQL). An export's statements read the whole
    table, so their estimated cost is far above `jit_above_cost`, and PostgreSQL then compiles and optimises the
    plan before returning its first row: about half a second of the first byte's wait at 100k claims, for a
    stream whose rows cost little each."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


class Export:
    """One export of one format with one filter, by one person through one way in."""

    def __init__(self, fmt: Format, filt: ExportFilter, *, username: str, via: str, on_rows=None):
        self.format = fmt
        self.filter = fmt.narrow(filt)
        self.username = username
        self.via = via
        self.generated_at = timezone.now()
        self.tally = Tally(on_rows=on_rows)
        self.sha256: str | None = None
        self.bytes = 0

    # ---- content --------------------------------------------------------------------------------------------
    def content(self) -> Iterator[bytes]:
        """The content bytes in blocks, hashed and counted as they pass. Provenance is complete once this
        generator is exhausted."""
        hasher = hashlib.sha256()
        size = 0
        pending: list[bytes] = []
        pending_size = 0
        with transaction.atomic():  # server-side cursors without WITH HOLD; one snapshot per statement
            fast_start()
            for piece in self.format.render(self.filter, self.tally):
                data = piece.encode() if isinstance(piece, str) else piece
                if not data:
                    continue
                hasher.update(data)
                size += len(data)
                pending.append(data)
                pending_size += len(data)
                # The first block leaves as soon as it holds rows (a first chunk of a few dozen claims is a
                # few kB of Markdown); the others fill up to BLOCK.
                if pending_size >= BLOCK or (size == pending_size and self.tally.rows):
                    yield b"".join(pending)
                    pending, pending_size = [], 0
        if pending:
            yield b"".join(pending)
        self.sha256, self.bytes = hasher.hexdigest(), size

    def stream(self) -> Iterator[bytes]:
        """What a file or a response receives: the content as it is produced, then the provenance line for the
        JSON formats (known only once the last content byte has been hashed)."""
        yield from self.content()
        if self.format.trailer is not None:
            yield self.format.trailer(self.provenance())

    def run(self) -> dict:
        """Produce the content without keeping it (the URL's ?provenance=1); returns the provenance."""
        for _ in self.content():
            pass
        return self.provenance()

    # ---- provenance -----------------------------------------------------------------------------------------
    def provenance(self) -> dict:
        if self.sha256 is None:
            raise RuntimeError("provenance is known once the content has been produced")
        return {
            "format": self.format.name,
            "generated_at": utc_iso(self.generated_at),
            "generated_by": {"username": self.username, "via": self.via},
            "filter": self.filter.to_params(),
            "filter_text": self.filter.describe(),
            "query": self.filter.querystring(),
            "rows": self.tally.rows,
            "row_kind": self.format.row_kind,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "sha256_of": "every byte before the last line" if self.format.trailer else "the whole file",
            "generator": GENERATOR,
        }


def provenance_document(provenance: dict) -> bytes:
    """The provenance on its own (sidecar file, ?provenance=1): one JSON object on one line."""
    return (json.dumps({"provenance": provenance}, ensure_ascii=False) + "\n").encode()
