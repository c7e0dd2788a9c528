"""The wikitext reader: references numbered as Wikipedia numbers them, on the sentence that carries them."""

from datetime import date
from pathlib import Path

import pytest

from claims.importing import ParseError
from claims.importing.wikitext import parse_wikitext

ROOT = Path(__file__).resolve().parents[2]
TORONTO = (ROOT / "fixtures/articles/toronto_star.wikitext").read_text(encoding="utf-8")
REDIRECT = (Path(__file__).parent / "pages/redirect.wikitext").read_text(encoding="utf-8")

PAGE = (Path(__file__).parent / "pages/battle.wikitext").read_text(encoding="utf-8")  # made for these tests


def sentence_with(parsed, words):
    return next(s for p in parsed.paragraphs for s in p.sentences if words in s.text)


def labels(sentence):
    return [m.label for m in sentence.markers]


def test_refs_are_numbered_in_order_of_first_use_and_named_refs_reuse_their_number():
    parsed = parse_wikitext(PAGE, title="Battle")
    assert labels(sentence_with(parsed, "was fought in Idlib")) == ["1"]
    assert labels(sentence_with(parsed, "The airport was taken")) == ["2", "1"]
    assert sentence_with(parsed, "was fought in Idlib").text == "The battle was fought in Idlib on 27 November 2024."


def test_cite_templates_give_the_reference_details():
    refs = {r.label: r for r in parse_wikitext(PAGE, title="Battle").references}
    kp = refs["1"]
    assert kp.url == "https://www.kyivpost.com/post/123"
    assert kp.title == "Rebels advance"
    assert kp.author == "Jane Smith"
    assert kp.publisher == "Kyiv Post"
    assert kp.published == date(2024, 11, 28)
    assert kp.accessed == date(2024, 11, 29)
    assert kp.archive_url.startswith("https://web.archive.org/web/20241129/")
    assert kp.quote == "They advanced."
    assert refs["2"].publisher == "CNN"


def test_efn_notes_are_lettered_and_their_refs_numbered_after_the_body():
    parsed = parse_wikitext(PAGE, title="Battle")
    assert labels(sentence_with(parsed, "The town fell")) == ["a"]
    assert labels(sentence_with(parsed, "The second note")) == ["b"]
    refs = {r.label: r for r in parsed.references}
    assert refs["a"].kind == "note" and refs["a"].title == "Some sources say 29 November."
    # body refs are 1, 2 and the sfn 3; the ref inside note b comes after them
    assert refs["4"].url == "https://www.bbc.com/news/1"


def test_short_footnotes_reuse_one_number_and_take_details_from_the_bibliography():
    parsed = parse_wikitext(PAGE, title="Battle")
    assert labels(sentence_with(parsed, "A later count differed")) == ["3"]
    assert labels(sentence_with(parsed, "Same short note")) == ["3"]
    sfn = {r.label: r for r in parsed.references}["3"]
    assert sfn.url == "https://example.org/book"
    assert sfn.title == "The Syrian Jihad"
    assert sfn.publisher == "Hurst"


def test_cleanup_templates_become_tags_and_non_prose_is_skipped_and_counted():
    parsed = parse_wikitext(PAGE, title="Battle")
    assert sentence_with(parsed, "reportedly high").tags == ("citation_needed",)
    skipped = dict(parsed.skipped)
    assert skipped["infoboxes"] == 1
    assert skipped["tables"] == 1
    assert skipped["files"] == 1
    assert skipped["categories"] == 1
    text = " ".join(p.text for p in parsed.paragraphs)
    assert "conflict =" not in text and "wikitable" not in text and "Lister, Charles" not in text


def test_headings_name_the_section_of_each_paragraph():
    parsed = parse_wikitext(PAGE, title="Battle")
    assert parsed.paragraphs[0].section == ""
    assert parsed.paragraphs[1].section == "Aftermath"
    assert parsed.format == "wikitext"
    assert "[1]" in parsed.text and "{{" not in parsed.text


def test_links_are_reduced_to_their_text():
    parsed = parse_wikitext(
        "'''X''' met [[Jane Doe|the minister]] and [[Paris]] in [https://a.org the city].", title="X"
    )
    assert parsed.paragraphs[0].sentences[0].text == "X met the minister and Paris in the city."


def test_real_page_references_resolve_to_urls():
    parsed = parse_wikitext(TORONTO)
    assert parsed.title == "Toronto Star"
    markers = [m for p in parsed.paragraphs for s in p.sentences for m in s.markers]
    assert len(markers) >= 20
    # The list of columnists ("Ernest Hemingway[18]") is skipped as a list of names; its markers stay known.
    markers += parsed.stray_markers
    assert len(markers) >= 25
    refs = {r.label: r for r in parsed.references}
    assert all(m.label in refs for m in markers)
    with_url = [r for r in refs.values() if r.url]
    assert len(with_url) / len(refs) >= 0.95
    assert dict(parsed.skipped)["infoboxes"] == 1
    assert {p.section for p in parsed.paragraphs} >= {"", "History"}


def test_a_redirect_page_is_refused_with_its_target():
    with pytest.raises(ParseError, match="only a redirect to 'Toronto'"):
        parse_wikitext(REDIRECT)


def test_a_page_of_templates_only_has_no_prose():
    with pytest.raises(ParseError, match="no article text"):
        parse_wikitext("{{Infobox person|name=X}}\n[[Category:People]]\n", title="X")
