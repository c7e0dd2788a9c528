"""Markdown: the article's claims in order with badges and footnotes, database text escaped."""

import re

import pytest

from claims.exports import as_markdown
from tests.exports.util import run

pytestmark = pytest.mark.django_db


def test_claims_in_order_with_badges_and_footnotes(sample):
    text = run("markdown", article=str(sample.article.pk))[0].decode()
    assert text.startswith("## Test offensive \\(2024\\)\n\n<https://example.org/wiki/Test_offensive>\n\n") or (
        text.startswith("## Test offensive (2024)\n\n<https://example.org/wiki/Test_offensive>\n\n")
    )
    items = re.findall(r"^(\d+)\. \*\*(.+?)\*\* — (.*)$", text, re.MULTILINE)
    assert [n for n, _, _ in items] == ["1", "2", "3", "4", "5"]
    assert [badge for _, badge, _ in items] == [
        "✅ Verified",
        "🔎 In review",
        "❌ Refuted",
        "⚠️ Disputed",
        "📎 Needs source",
    ]
    assert items[1][2] == "The army reportedly withdrew, according to the Kyiv Post.[^2][^3]"
    # Every reference has exactly one definition, and the definitions carry the citation's details.
    refs = set(re.findall(r"\[\^([\w-]+)\](?!:)", text))
    definitions = dict(re.findall(r"^\[\^([\w-]+)\]: (.*)$", text, re.MULTILINE))
    assert refs == set(definitions) == {"1", "2", "3", "4", "5"}
    assert definitions["1"] == (
        "Doe, Jane. “Rebels attack the city”. Kyiv Post, 2024-11-27. <https://www.kyivpost.com/a/1> "
        "Accessed 2024-12-01. — source: Kyiv Post (grade B)"
    )
    assert "details not filled in yet" in definitions["4"]
    assert "(archived: <https://archive.example/5>)" in definitions["5"]
    assert "reported — according to the Kyiv Post (“reportedly”)" in text
    assert "contradicted by \\[3\\]" in text
    assert "confidence 80/100 (high), reviewer's override" in text
    assert "flagged: citation needed" in text


def test_footnote_names_carry_the_article_when_several(sample, hostile):
    text = run("markdown")[0].decode()
    assert f"[^a{sample.article.pk}-1]" in text and f"[^a{hostile.article.pk}-1]" in text
    assert text.count(f"[^a{sample.article.pk}-1]: ") == 1


def test_database_text_cannot_become_markup(hostile):
    text = run("markdown", article=str(hostile.article.pk))[0].decode()
    assert "<script>" not in text
    assert not re.search(r"(?<!\\)\]\(javascript:", text)  # only an escaped \] precedes the (
    assert "\\*bold\\* \\_em\\_ \\[link\\](javascript:alert(1)) \\<script\\>" in text
    assert "Line one line two" in text  # a newline in a claim cannot break the list
    assert '## @Hostile, "article"' in text


def test_only_http_urls_become_links():
    assert as_markdown.link("https://example.org/a b") == "<https://example.org/a%20b>"
    assert as_markdown.link("javascript:alert(1)") == "javascript:alert(1)"
    assert as_markdown.escape("a_b [c](d)") == "a\\_b \\[c\\](d)"


@pytest.mark.parametrize(
    ("text", "refs", "expected"),
    [
        (
            "Codenamed Deterrence of Aggression by HTS, this was the first campaign.",
            [(34, "[^note-3]"), (71, "[^52]"), (71, "[^53]")],
            "Codenamed Deterrence of Aggression[^note-3] by HTS, this was the first campaign.[^52][^53]",
        ),
        ("No position known.", [(None, "[^7]")], "No position known.[^7]"),
        ("Past the end.", [(999, "[^8]")], "Past the end.[^8]"),
        ("A *starred* claim.", [(1, "[^9]")], "A[^9] \\*starred\\* claim."),
        # Never before the closing punctuation (a marker counted before the full stop, or a shortened text).
        ("Rebels took the airport.", [(23, "[^1]")], "Rebels took the airport.[^1]"),
        ("He said “no.”", [(11, "[^2]")], "He said “no.”[^2]"),
    ],
)
def test_footnote_references_stand_where_the_markers_stood(text, refs, expected):
    assert as_markdown.with_refs(text, refs) == expected


def test_an_edited_claims_references_go_after_its_full_stop():
    """Issue #12 (10): the positions count characters of the article's words, not of the edited text."""
    text = "Rebels took the airport on 30 November."
    assert as_markdown.with_refs(text, [(24, "[^1]")], edited=True) == "Rebels took the airport on 30 November.[^1]"


def test_an_edited_claim_exports_with_its_footnotes_at_the_end(sample, editor):
    from claims import services

    claim = sample.claims["withdrew"]
    services.claim_update(
        claim_id=claim.pk, seen_version=claim.version, actor=editor, reason="reworded",
        text="The army withdrew on 27 November, the Kyiv Post reported, citing two officers.",
    )  # fmt: skip
    text = run("markdown", article=str(sample.article.pk))[0].decode()
    assert "— The army withdrew on 27 November, the Kyiv Post reported, citing two officers.[^2][^3]\n" in text


def test_an_empty_markdown_export_says_no_claim_matched(sample):
    """Issue #12: a 0-byte file reads as a failed download; an empty result says what it is."""
    text = run("markdown", status="refuted", q="nothingmatchesthis")[0].decode()
    assert text.startswith("# Claims\n\nNo claims matched the filter (")
    assert "nothingmatchesthis" in text
