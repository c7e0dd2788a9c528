"""Provenance: when, by whom, which filter, how many rows, and a sha256 that depends only on data + filter."""

import json

import pytest

from claims.exports import Export, ExportFilter, formats
from tests.exports.util import body_before_last_line, last_line, run, sha

pytestmark = pytest.mark.django_db

ALL = list(formats.FORMATS)


def content(fmt: str, data: bytes) -> bytes:
    return body_before_last_line(data) if formats.get(fmt).trailer else data


@pytest.mark.parametrize("fmt", ALL)
def test_same_data_and_filter_give_the_same_bytes(sample, hostile, fmt):
    first, p1 = run(fmt, status=["verified", "refuted", "disputed", "in_review"])
    second, p2 = run(fmt, status=["in_review", "disputed", "refuted", "verified"])  # same filter, other order
    assert content(fmt, first) == content(fmt, second)
    assert p1["sha256"] == p2["sha256"] == sha(content(fmt, first))
    assert {k: v for k, v in p1.items() if k != "generated_at"} == {k: v for k, v in p2.items() if k != "generated_at"}


@pytest.mark.parametrize("fmt", ALL)
def test_provenance_says_what_when_who_how_many(sample, fmt):
    data, provenance = run(fmt, article=str(sample.article.pk))
    assert set(provenance) == {
        "format",
        "generated_at",
        "generated_by",
        "filter",
        "filter_text",
        "query",
        "rows",
        "row_kind",
        "bytes",
        "sha256",
        "sha256_of",
        "generator",
    }
    assert provenance["format"] == fmt
    assert provenance["generated_by"] == {"username": "tester", "via": "test"}
    assert provenance["generated_at"].endswith("Z")
    assert provenance["bytes"] == len(content(fmt, data))
    assert provenance["filter"]["article"] == [str(sample.article.pk)]


def test_a_change_in_the_data_changes_the_hash(sample):
    before = run("csv")[1]["sha256"]
    claim = sample.claims["withdrew"]
    claim.text = claim.text + " (edited)"
    claim.save()
    assert run("csv")[1]["sha256"] != before


def test_provenance_is_known_only_after_the_content():
    export = Export(formats.get("csv"), ExportFilter(), username="x", via="test")
    with pytest.raises(RuntimeError):
        export.provenance()


def test_last_line_is_the_provenance_document(sample):
    for fmt in ("json", "jsonl"):
        data, provenance = run(fmt)
        line = last_line(data)
        parsed = json.loads(line if fmt == "jsonl" else b"{" + line)
        assert parsed == {"provenance": provenance}
        assert provenance["sha256_of"] == "every byte before the last line"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_formats_stream_their_first_claims_before_the_rest_is_read(sample, fmt, settings, monkeypatch):
    """The first block leaves before the last claim is read: nothing is spooled to learn the sha256 first."""
    from claims.exports import rows, runner

    settings.CLAIMS_EXPORT_CHUNK_SIZE = 1
    monkeypatch.setattr(runner, "BLOCK", 1)  # hand on every piece as it comes
    read = []
    original = rows.chunks

    def counting(f):
        for chunk in original(f):
            read.append(chunk)
            yield chunk

    monkeypatch.setattr(rows, "chunks", counting)
    export = Export(formats.get(fmt), ExportFilter(), username="x", via="test")
    stream = export.stream()
    first = next(stream)
    while b'"id"' not in first:
        first += next(stream)
    assert len(read) == 1 and export.sha256 is None  # one claim read, and its bytes are already out
    data = first + b"".join(stream)
    assert len(read) == 5
    assert export.sha256 == sha(body_before_last_line(data))
    assert json.loads(last_line(data) if fmt == "jsonl" else data)["provenance"] == export.provenance()
