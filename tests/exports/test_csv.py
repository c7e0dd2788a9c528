"""CSV: parses with the csv module, escapes formulas, and COPY and the Python fallback agree byte for byte."""

import csv
import io

import pytest
from django.db import connection

from claims.exports import ExportFilter, as_csv, query
from claims.exports.runner import Tally
from tests.exports.conftest import HOSTILE
from tests.exports.util import run

pytestmark = pytest.mark.django_db

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def parse(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode(), newline="")))


def test_round_trips_through_the_csv_module(sample):
    data, provenance = run("csv")
    rows = parse(data)
    assert [int(r["claim_id"]) for r in rows] == [c.pk for c in sample.claims.values()]
    assert provenance["rows"] == 5
    withdrew = rows[1]
    assert withdrew["text"] == "The army reportedly withdrew, according to the Kyiv Post."
    assert withdrew["hedge_kind"] == "reported"
    assert withdrew["attributed_to"] == "the Kyiv Post"
    assert withdrew["citations"] == (
        "[2] Army withdraws — Kyiv Post — https://kp.example/2 (supports) | "
        "[3] SOHR report — Syrian Observatory for Human Rights — https://sohr.example/3 (contradicts)"
    )
    assert withdrew["sources"] == "Kyiv Post (B); Syrian Observatory for Human Rights (C)"
    hts = rows[3]
    assert (hts["confidence"], hts["confidence_band"], hts["confidence_computed"], hts["confidence_override"]) == (
        "80",
        "high",
        "30",
        "80",
    )
    assert (hts["last_decision"], hts["decided_by"], hts["decision_note"]) == (
        "disputed",
        "Lena Lead",
        "Dates differ between sources.",
    )
    assert rows[2]["tags"] == "citation_needed"
    assert rows[0]["event_date"] == "2024-11-27"
    assert list(rows[0]) == list(query.CSV_HEADER)


def test_hostile_cells_are_escaped_and_survive(hostile):
    data, _ = run("csv", article=str(hostile.article.pk))
    rows = parse(data)
    for row in rows:
        for name, cell in row.items():
            assert not cell.startswith(FORMULA), f"{name} starts like a formula: {cell!r}"
    texts = [row["text"] for row in rows]
    for original, written in zip(HOSTILE, texts, strict=True):
        expected = "'" + original if original.startswith(FORMULA) else original
        assert written == expected
    assert rows[0]["article_title"] == '\'@Hostile, "article"'
    assert rows[0]["hedge_phrase"] == "'-according to"
    assert rows[0]["sources"] == '\'=HYPERLINK("http://evil") (E)'
    assert rows[0]["decision_note"] == "'=1+1 looks right"
    assert rows[0]["citations"].startswith("[1] =cmd")  # inside a joined cell the formula is not at the start


def test_the_file_has_no_comment_or_provenance_line(sample):
    data, provenance = run("csv")
    assert data.startswith(b"claim_id,article_id,")
    assert b"provenance" not in data and b"#" not in data.split(b"\n", 1)[0]
    assert provenance["sha256_of"] == "the whole file"


def test_copy_and_python_fallback_give_identical_bytes(sample, hostile):
    assert connection.vendor == "postgresql"
    for filt in (ExportFilter(), ExportFilter.from_params({"decided": "1"}), ExportFilter.from_params({"q": "the"})):
        copied = b"".join(as_csv.copy_rows(filt, Tally()))
        built = b"".join(as_csv.fallback_rows(filt, Tally()))
        assert copied == built
    assert copied  # not vacuous


def test_copy_is_one_statement_whatever_the_size(sample, django_assert_max_num_queries):
    # COPY streams rows as PostgreSQL sends them; no query per row or per chunk.
    with django_assert_max_num_queries(2):
        rows = b"".join(as_csv.copy_rows(ExportFilter(), Tally()))
    assert rows.count(b"\n") >= 5


def test_empty_export_is_just_the_header(sample):
    data, provenance = run("csv", q="no such words anywhere")
    assert data == as_csv.HEADER
    assert provenance["rows"] == 0
