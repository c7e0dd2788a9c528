"""Provenance: when, by whom, which filter, how many rows, and a sha256 that depends only on data + filter."""

import json

import pytest

from claims.exports import Export, ExportFilter, formats
from tests.exports.util import body_after_first_line, run, sha

pytestmark = pytest.mark.django_db

ALL = list(formats.FORMATS)


def content(fmt: str, data: bytes) -> bytes:
    return body_after_first_line(data) if formats.get(fmt).header else data


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


def test_header_line_is_the_provenance_document(sample):
    for fmt in ("json", "jsonl"):
        data, provenance = run(fmt)
        first_line = data.split(b"\n", 1)[0]
        parsed = json.loads(first_line if fmt == "jsonl" else first_line.rstrip(b",") + b"}")
        assert parsed == {"provenance": provenance}
        assert provenance["sha256_of"] == "every byte after the first line"
