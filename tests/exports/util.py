"""Helpers for the export tests."""

from __future__ import annotations

import hashlib
import json

from claims.exports import Export, ExportFilter, formats


def run(fmt: str, filt: ExportFilter | None = None, **params) -> tuple[bytes, dict]:
    """Export in memory: (the bytes a file would hold, the provenance)."""
    if filt is None:
        filt = ExportFilter.from_params(params)
    export = Export(formats.get(fmt), filt, username="tester", via="test")
    data = b"".join(export.stream())
    return data, export.provenance()


def body_before_last_line(data: bytes) -> bytes:
    """The content of a JSON or JSON Lines export: every byte before its provenance line."""
    assert data.endswith(b"\n")
    return data[: data.rstrip(b"\n").rfind(b"\n") + 1]


def last_line(data: bytes) -> bytes:
    return data.rstrip(b"\n").rsplit(b"\n", 1)[-1]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_claims(data: bytes) -> list[dict]:
    return json.loads(data)["claims"]
