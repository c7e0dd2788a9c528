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


def test_identifiers_give_the_url_a_citation_lacks_but_an_isbn_never_does():
    page = (
        "'''X''' was studied.<ref>{{cite journal |title=A |journal=Nature |doi=10.1038/nature04338 "
        "|pmid=16341006}}</ref> It was sequenced.<ref>{{cite journal |title=B |pmid=24453989 |pmc=PMC3894154}}</ref> "
        "It was modelled.<ref>{{cite arXiv |eprint=1706.03762 |title=C}}</ref> "
        "It was written up.<ref>{{cite book |title=D |publisher=Hurst |isbn=978-1-84904-711-0 |oclc=62265494}}</ref> "
        "It was printed.<ref>{{cite book |title=E |isbn=0-19-280243-X}}</ref> "
        "It was noted.<ref>Smith, ''F'' (1999), Oxford, {{ISBN|0-521-34697-5}}.</ref> "
        "It was kept.<ref>{{cite web |url=https://example.org/g |title=G |doi=10.1000/xyz}}</ref>\n"
    )
    refs = {r.label: r for r in parse_wikitext(page, title="X").references}
    assert refs["1"].url == "https://doi.org/10.1038/nature04338"  # the DOI first, PubMed second
    assert dict(refs["1"].identifiers) == {"doi": "10.1038/nature04338", "pmid": "16341006"}
    assert refs["2"].url == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3894154"
    assert refs["3"].url == "https://arxiv.org/abs/1706.03762"
    assert refs["4"].url == "https://www.worldcat.org/oclc/62265494"  # the catalogue record: a link CS1 prints
    assert dict(refs["4"].identifiers)["isbn"] == "978-1-84904-711-0"
    assert refs["5"].url == "" and dict(refs["5"].identifiers) == {"isbn": "0-19-280243-X"}
    assert refs["6"].url == "" and dict(refs["6"].identifiers) == {"isbn": "0-521-34697-5"}
    assert refs["7"].url == "https://example.org/g"  # url= is the work's own address and wins


def test_real_wikitext_pages_share_of_references_with_a_url_or_an_isbn():
    uk = parse_wikitext((ROOT / "fixtures/articles/united_kingdom.wikitext").read_text(encoding="utf-8"))
    refs = [r for r in uk.references if r.kind == "reference"]
    with_url = [r for r in refs if r.url or r.archive_url]
    with_isbn = [r for r in refs if not (r.url or r.archive_url) and dict(r.identifiers).get("isbn")]
    # Printed books cited by ISBN alone keep the URL share under 95% (no link is invented for an ISBN) …
    assert 0.88 <= len(with_url) / len(refs) < 0.95
    # … and with them the page is over 95% identified.
    assert (len(with_url) + len(with_isbn)) / len(refs) >= 0.95
