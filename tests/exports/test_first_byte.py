"""An export's first byte leaves with its first few rows, whatever the format (issue 14: within 1 s at 1M claims):
a small first chunk, the first block handed on as soon as it holds rows, no JIT compile of the whole-table
plan, CSL's first citations by a LIMITed query, and Markdown asking whether claims span articles, not counting."""

import pytest
from django.db import connection

from claims.exports import Export, ExportFilter, as_csl, formats, query, rows, runner
from claims.models import Claim
from tests.exports.util import run

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "json", "jsonl", "markdown", "claimreview", "csl"]


def test_the_first_chunk_is_small_then_chunks_are_full(sample, monkeypatch):
    monkeypatch.setattr(rows, "FIRST_CHUNK", 2)
    sizes = [len(chunk) for chunk in rows.chunks(ExportFilter(), chunk_size=3)]
    n = Claim.objects.count()
    assert n > 2 and sizes[0] == 2 and sum(sizes) == n
    assert all(size == 3 for size in sizes[1:-1])


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_first_block_leaves_before_the_rest_is_rendered(sample, hostile, fmt, monkeypatch):
    """With one row a chunk, a whole export is far below one BLOCK: it still comes in several blocks, the first
    as soon as it holds a row; and the bytes are those of a single-block export."""
    whole, _ = run(fmt)
    monkeypatch.setattr(rows, "FIRST_CHUNK", 1)
    monkeypatch.setattr(as_csl, "FIRST_CHUNK", 1)
    export = Export(formats.get(fmt), ExportFilter(), username="x", via="test")
    blocks = list(export.content())
    assert len(whole) < runner.BLOCK
    assert len(blocks) >= 2, fmt
    assert b"".join(blocks) == (whole if fmt not in ("json", "jsonl") else whole[: len(b"".join(blocks))])


def test_an_export_runs_without_jit(sample):
    seen = []

    def render(f, tally):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            seen.append(cursor.fetchone()[0])
        yield "x"

    fmt = runner.Format("probe", "probe", "text/plain", "probe.txt", render)
    assert b"".join(Export(fmt, ExportFilter(), username="x", via="test").content()) == b"x"
    assert seen == ["off"]


@pytest.mark.parametrize(
    "params",
    [{}, {"article": "{article}"}, {"q": "no such words anywhere"}, {"status": "verified"}, {"q": "offensive"}],
)
def test_spans_articles_says_what_counting_articles_said(sample, hostile, params):
    values = {k: v.format(article=sample.article.pk) for k, v in params.items()}
    f = ExportFilter.from_params(values)
    assert query.spans_articles(f) == (query.count(f, distinct_articles=True) > 1)


@pytest.mark.parametrize("first", [1, 2, 100])
def test_csl_lists_the_same_citations_in_the_same_order_however_the_first_ones_are_read(sample, hostile, first,
                                                                                        monkeypatch):  # fmt: skip
    monkeypatch.setattr(as_csl, "FIRST_CHUNK", first)
    expected = list(as_csl.citations(ExportFilter()))
    assert len(expected) > 2
    assert list(as_csl.in_order(ExportFilter(), 2)) == expected
