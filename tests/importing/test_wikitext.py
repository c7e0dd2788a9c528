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


def test_one_line_break_inside_a_paragraph_is_a_space_a_blank_line_ends_it():
    page = (
        "'''X''' was a town\nin the north.<ref>{{cite web |url=https://a.org/1 |title=A}}</ref> It fell\n"
        "in 1944.\n\nA second paragraph.\n* A list item that was taken.\nA line after a list item is a paragraph.\n"
    )
    parsed = parse_wikitext(page, title="X")
    assert [p.text for p in parsed.paragraphs] == [
        "X was a town in the north.[1] It fell in 1944.",
        "A second paragraph.",
        "A list item that was taken.",
        "A line after a list item is a paragraph.",
    ]
    assert labels(sentence_with(parsed, "was a town in the north")) == ["1"]


def test_subsections_of_an_end_section_are_not_prose():
    page = (
        "'''X''' is a town.\n\n== Further reading ==\n=== Primary ===\n* Smith, J. ''A book'' (2001).\n"
        "=== Secondary ===\nGraham, Mark. How Islam Created the Modern World. Amana Publications, 2006.\n"
        "== External links ==\n* [https://a.org Site]\n"
    )
    parsed = parse_wikitext(page, title="X")
    assert [p.text for p in parsed.paragraphs] == ["X is a town."]


def test_an_inline_harvard_citation_keeps_the_author_the_sentence_is_about():
    page = "'''X''' is a topic. {{harvtxt|Smith|2010}} has noted that it was {{harvtxt|Lee|Kim|1999|p=5}} first.\n"
    sentence = parse_wikitext(page, title="X").paragraphs[0].sentences[1]
    assert sentence.text == "Smith (2010) has noted that it was Lee & Kim (1999, p. 5) first."


def test_a_block_quotation_is_a_paragraph_of_its_own_with_its_references():
    page = (
        "'''X''' spoke.\n{{quote|text=We will not retreat.<ref>{{cite news |url=https://news.example/q |title=Q}}</ref>"
        "|sign=X|source=a speech}}\nHe left.\n"
    )
    parsed = parse_wikitext(page, title="X")
    assert [p.text for p in parsed.paragraphs] == ["X spoke.", "We will not retreat.[1]", "He left."]
    assert {r.label: r for r in parsed.references}["1"].url == "https://news.example/q"


def test_a_short_reference_carries_the_full_citation_it_links_to_and_keeps_its_page():
    page = (
        "'''X''' was built in 1400.<ref>[[#refOHBEv3|Porter]], p. 332.</ref> "
        "It was rebuilt in 1500.<ref>{{harvnb|Lee|Kim|2001|p=12}}.</ref> "
        "It burned.<ref>{{harvnb|Lee|Kim|2001|p=20}}; {{harvnb|Roe|1990}}.</ref>\n\n"
        "== Sources ==\n"
        "* {{cite book |last=Porter |first=A. |title=The Oxford History of the British Empire |volume=3 "
        "|year=1998 |publisher=OUP |isbn=978-0-19-820565-4 |ref=refOHBEv3}}\n"
        "* {{cite journal |last1=Lee |first1=A. |last2=Kim |first2=B. |year=2001 |title=Walls "
        "|journal=Antiquity |doi=10.1000/walls |ref=harv}}\n"
        "* {{cite book |last=Roe |first=C. |year=1990 |title=Fires |url=https://books.example/fires}}\n"
    )
    refs = {r.label: r for r in parse_wikitext(page, title="X").references}
    porter = refs["1"]
    assert porter.title == "The Oxford History of the British Empire"
    assert porter.author == "A. Porter" and porter.publisher == "OUP"
    assert dict(porter.identifiers) == {"isbn": "978-0-19-820565-4"}
    assert porter.text == "Porter, p. 332."  # its own page, not the book's whole reference
    lee = refs["2"]
    assert lee.url == "https://doi.org/10.1000/walls" and lee.title == "Walls"
    assert lee.text == "Lee & Kim 2001, p. 12."
    # Two works cited at once, the first has a DOI: that one; the reference text still names both.
    assert refs["3"].url == "https://doi.org/10.1000/walls" and "Roe 1990" in refs["3"].text


def test_wikitext_copied_from_a_dump_with_its_markup_escaped_is_read_as_the_page():
    page = (
        "'''X''' is a town.&lt;ref name=&quot;a&quot;&gt;{{cite web |url=https://a.org/x?p=1&amp;q=2 |title=A}}"
        "&lt;/ref&gt; It has&amp;nbsp;a port.&lt;ref name=&quot;a&quot;/&gt;\n"
    )
    parsed = parse_wikitext(page, title="X")
    assert [labels(s) for s in parsed.paragraphs[0].sentences] == [["1"], ["1"]]
    assert parsed.references[0].url == "https://a.org/x?p=1&q=2"
    assert parsed.paragraphs[0].sentences[1].text == "It has a port."


def test_markup_the_parser_leaves_as_text_is_dropped_and_counted_not_read():
    # A stray closing tag (an edit that lost "<ref>{{"), an unbalanced italic, ''The Star'''s (italics, then 's).
    page = "'''X''' rose in the 1980s.</ref> It was ''quiet. ''The Star'''s readers left.\n"
    parsed = parse_wikitext(page, title="X")
    assert parsed.paragraphs[0].text == "X rose in the 1980s. It was quiet. The Star's readers left."
    assert dict(parsed.skipped)["unparsed markup"] >= 1
