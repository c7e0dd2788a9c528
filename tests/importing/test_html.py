"""The saved-Wikipedia-page reader (desktop and Parsoid HTML) and the news-page reader."""

from datetime import date
from pathlib import Path

import pytest

from claims.importing import ParseError
from claims.importing.detect import detect_format, read_article
from claims.importing.html import parse_html
from claims.importing.news import parse_news

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).parent / "pages"
MOZILLA = (ROOT / "fixtures/articles/mozilla.wikipedia.html").read_text(encoding="utf-8")

# The structure Parsoid (the REST API's page HTML) gives a page: sections, sup.mw-ref, ol.mw-references.
PARSOID = (PAGES / "battle.parsoid.html").read_text(encoding="utf-8")


def sentence_with(parsed, words):
    return next(s for p in parsed.paragraphs for s in p.sentences if words in s.text)


def test_desktop_page_references_resolve_from_the_reference_list():
    parsed = parse_html(MOZILLA)
    assert parsed.title == "Mozilla"
    assert parsed.format == "html"
    refs = {r.label: r for r in parsed.references}
    assert refs["2"].url == "https://www.mozilla.org/foundation/moco/"
    assert refs["2"].title == "About the Mozilla Corporation"
    assert refs["2"].publisher == "Mozilla Foundation"
    assert refs["4"].accessed == date(2016, 5, 1)
    markers = [m for p in parsed.paragraphs for s in p.sentences for m in s.markers]
    assert all(m.label in refs for m in markers)
    assert sum(1 for r in refs.values() if r.url) / len(refs) >= 0.95
    assert parsed.meta.url == "https://en.wikipedia.org/wiki/Mozilla"


def test_desktop_page_keeps_cleanup_tags_sections_and_skips_boxes():
    parsed = parse_html(MOZILLA)
    tagged = [s for p in parsed.paragraphs for s in p.sentences if "citation_needed" in s.tags]
    assert len(tagged) == 2
    assert "History" in {p.section for p in parsed.paragraphs}
    skipped = dict(parsed.skipped)
    assert skipped["navboxes"] >= 1 and skipped["tables"] >= 1 and skipped["categories"] >= 1
    text = parsed.text
    assert "[edit]" not in text and "Retrieved" not in text and "^" not in text


def test_parsoid_html_gives_the_same_markers_and_details():
    parsed = parse_html(PARSOID)
    assert parsed.title == "Battle of Somewhere"
    assert [m.label for m in sentence_with(parsed, "took the airport").markers] == ["1"]
    assert [m.label for m in sentence_with(parsed, "Fighting continued").markers] == ["a"]
    assert sentence_with(parsed, "Casualties").markers[0].label == "1"
    assert parsed.paragraphs[-1].section == "Aftermath"
    ref = {r.label: r for r in parsed.references}["1"]
    assert (ref.url, ref.title, ref.publisher, ref.author) == (
        "https://www.reuters.com/world/abc", "Rebels seize airport", "Reuters", "John Doe",
    )  # fmt: skip
    assert ref.published == date(2024, 11, 30) and ref.accessed == date(2024, 12, 1)
    assert {r.label: r for r in parsed.references}["a"].kind == "note"
    assert "Belligerents" not in parsed.text
    assert dict(parsed.skipped)["infoboxes"] == 1


def test_a_wikipedia_page_without_article_text_is_refused():
    with pytest.raises(ParseError, match="no article text"):
        parse_html('<html><body><div class="mw-parser-output"><table><tr><td>x</td></tr></table></div></body></html>')


# --- news pages (saved from five outlets) ---

NEWS = {
    "news-bbc-1.html": ("Obama admits US gun laws are his 'biggest frustration'", date(2015, 7, 24), "BBC News"),
    "news-nytimes-1.html": ("United States to Lift Sudan Sanctions", date(2017, 1, 13), "NYTimes"),
    "news-wapo-1.html": ("Attack stokes instability fears in North Africa", date(2015, 3, 18), "Washington Post"),
    "news-telegraph.html": (None, date(2017, 11, 16), "The Telegraph"),
    "news-cnn.html": ("The 'birth lottery' and economic mobility", date(2016, 2, 1), "CNNMoney"),
}
# Page furniture each of these pages carries outside (or inside) the story.
FURNITURE = ["Continue reading", "Advertisement", "Share this", "Sign up", "Related Topics", "Comments",
             "Most Popular", "Skip to", "Cookie", "Newsletter"]  # fmt: skip


@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_page_title_date_and_publisher_are_found(name):
    parsed = parse_news((PAGES / name).read_text(encoding="utf-8"))
    title, published, publisher = NEWS[name]
    if title:
        assert parsed.title == title
    else:
        assert parsed.title.startswith("Zimbabwe coup: Robert Mugabe and wife Grace")
    assert parsed.meta.published == published
    assert parsed.meta.publisher == publisher
    assert parsed.format == "news"
    assert len(parsed.paragraphs) >= 8


@pytest.mark.parametrize("name", sorted(NEWS))
def test_news_text_has_no_navigation_ads_or_comments(name):
    parsed = parse_news((PAGES / name).read_text(encoding="utf-8"))
    for paragraph in parsed.paragraphs:
        for phrase in FURNITURE:
            assert not paragraph.text.startswith(phrase), paragraph.text


def test_links_in_news_text_become_citations_on_their_sentence():
    parsed = parse_news((PAGES / "news-nytimes-1.html").read_text(encoding="utf-8"))
    first = parsed.paragraphs[0].sentences[0]
    assert first.text.startswith("LONDON — After nearly 20 years of hostile relations")
    assert [m.label for m in first.markers] == ["1"]
    ref = {r.label: r for r in parsed.references}["1"]
    assert ref.url.startswith("http") and ref.title == "Sudan"
    assert parsed.meta.author == "Jeffrey Gettleman"


def test_a_page_with_no_article_text_is_refused():
    with pytest.raises(ParseError, match="no article text"):
        parse_news("<html><head><title>Home</title></head><body><nav><a href='/a'>A</a></nav></body></html>")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.wikitext", "anything", "wikitext"),
        ("", "'''X''' is a thing.<ref>{{cite web|url=https://a.org}}</ref>\n== History ==\n", "wikitext"),
        ("", "#REDIRECT [[Toronto]]", "wikitext"),
        ("", "<!DOCTYPE html><html><body><div class='mw-parser-output'><p>x</p></div></body></html>", "html"),
        ("page.html", "<html><body><article><p>News.</p></article></body></html>", "news"),
        ("a.txt", "Title\nA sentence [1].\n", "text"),
        ("", "Title | ||||\nThe rebels took the airport.[54]\n", "text"),
    ],
)
def test_the_format_is_detected_from_name_and_content(name, text, expected):
    assert detect_format(text, name=name) == expected


def test_read_article_can_be_forced_to_a_reader():
    parsed = read_article("Title\nA sentence.[1]\n", format="text")
    assert parsed.format == "text" and parsed.references == ()
    with pytest.raises(ValueError, match="unknown format"):
        read_article("x", format="pdf")
