"""The saved-Wikipedia-page reader (desktop and Parsoid HTML) and the news-page reader."""

from datetime import date
from pathlib import Path

import pytest

from claims.importing import ParseError
from claims.importing.detect import detect_format, read_article
from claims.importing.html import parse_html
from claims.importing.news import byline, parse_news

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


# --- a real Parsoid page: "Dog" from the REST API (revision 845493773), kept by Wikimedia's mobileapps tests ---

DOG = (ROOT / "fixtures/articles/dog.parsoid.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def dog():
    return parse_html(DOG)


def test_real_parsoid_page_is_detected_and_read_with_its_address_and_language(dog):
    assert detect_format(DOG) == "html" and detect_format(DOG, name="Dog.html") == "html"
    assert dog.title == "Dog" and dog.format == "html"
    assert (dog.meta.url, dog.meta.language) == ("https://en.wikipedia.org/wiki/Dog", "en")
    skipped = dict(dog.skipped)
    assert skipped["infoboxes"] == 1 and skipped["hatnotes"] >= 2 and skipped["categories"] >= 40
    assert "Scientific classification" not in dog.text and "Kingdom:" not in dog.text  # the taxobox


def test_real_parsoid_page_markers_sit_on_the_sentence_they_follow(dog):
    lead = dog.paragraphs[0].sentences
    assert lead[0].text.endswith("is the most widely abundant terrestrial carnivore.")
    assert [m.label for m in lead[0].markers] == ["4", "5", "6", "7", "8", "9", "10"]
    assert [m.label for m in lead[1].markers] == ["11", "12", "13", "12", "13", "14"]
    wozencraft = sentence_with(dog, "the mammalogist W. Christopher Wozencraft listed")
    assert [m.label for m in wozencraft.markers] == ["a", "1"]
    refs = {r.label: r for r in dog.references}
    markers = [m.label for p in dog.paragraphs for s in p.sentences for m in s.markers]
    assert set(markers) == set(refs)  # every marker resolved, no reference without a marker
    # {{rp|35}}'s ":35" is styled as a reference but is the page of the citation before it: not a marker
    assert not any(label.startswith(":") for label in refs) and "]:35" not in dog.text
    assert refs["a"].kind == "note" and refs["a"].text.startswith("The addition of [domestic dog]")


def test_real_parsoid_page_cite_metadata_fills_the_reference(dog):
    refs = {r.label: r for r in dog.references}
    plos = refs["12"]
    assert plos.url == "http://www.plosgenetics.org/article/info%3Adoi%2F10.1371%2Fjournal.pgen.1004016"
    assert plos.title == "Genome Sequencing Highlights Genes Under Selection and the Dynamic Early History of Dogs"
    assert plos.publisher == "PLOS Genetics" and plos.author.startswith("Adam H. Freedman; Gronau, Ilan")
    assert (plos.published, plos.accessed) == (date(2014, 1, 16), date(2014, 12, 8))
    assert dict(plos.identifiers) == {"doi": "10.1371/journal.pgen.1004016", "pmc": "3894170", "pmid": "24453982"}
    # no url=: the DOI the citation prints as a link is its URL (not the PubMed or ADS link next to it)
    nature = refs["5"]
    assert nature.url == "https://doi.org/10.1038/nature04338" and nature.publisher == "Nature"
    assert dict(nature.identifiers)["bibcode"] == "2005Natur.438..803L"
    # a book: its publisher is the press, its ISBN is kept and no URL is made of it
    kluge = refs["23"]
    assert (kluge.url, kluge.title, kluge.publisher) == (
        "", "Kluge. Etymologisches Wörterbuch der deutschen Sprache", "Walter de Gruyter",
    )  # fmt: skip
    assert dict(kluge.identifiers) == {"isbn": "3-11-017473-1"}
    # a free-text reference that spells out its ISBN
    assert dict(refs["68"].identifiers) == {"isbn": "0-521-34697-5"} and refs["68"].url == ""
    # an ISSN links to the journal's catalogue record, not to the article: kept, not a URL
    assert refs["152"].url == "" and dict(refs["152"].identifiers) == {"issn": "1038-5762"}


def test_real_parsoid_page_references_mostly_have_a_url_or_an_isbn(dog):
    refs = [r for r in dog.references if r.kind == "reference"]
    with_url = [r for r in refs if r.url or r.archive_url]
    with_isbn = [r for r in refs if not (r.url or r.archive_url) and dict(r.identifiers).get("isbn")]
    assert len(refs) == 234
    assert len(with_url) / len(refs) >= 0.75 and (len(with_url) + len(with_isbn)) / len(refs) >= 0.87


def test_parsoid_reference_found_through_data_mw_when_the_link_does_not_lead_to_it():
    page = PARSOID.replace('href="./Battle#cite_note-1"', 'href="./Battle#gone"', 1).replace(
        'class="mw-ref reference" typeof="mw:Extension/ref">',
        'class="mw-ref reference" typeof="mw:Extension/ref" data-mw=\'{"name":"ref","body":{"html":"<cite '
        'class=\\"citation\\"><a class=\\"external text\\" href=\\"https://www.bbc.co.uk/news/x\\">Airport '
        "taken</a></cite>\"}}'>",
        1,
    )
    ref = {r.label: r for r in parse_html(page).references}["1"]
    assert (ref.url, ref.title) == ("https://www.bbc.co.uk/news/x", "Airport taken")


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
# The byline each page prints. The BBC story names no author (its metadata's author is "BBC News", the outlet);
# the Post's account menu carries a "Username" link that is not one.
BYLINES = {
    "news-bbc-1.html": "",
    "news-nytimes-1.html": "Jeffrey Gettleman",
    "news-wapo-1.html": "Erin Cunningham",
    "news-telegraph.html": "Our Foreign Staff",
    "news-cnn.html": "Ahiza Garcia",
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
def test_news_page_byline_is_the_authors_not_page_chrome(name):
    assert parse_news((PAGES / name).read_text(encoding="utf-8")).meta.author == BYLINES[name]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "author": [{"@type": "Person", '
         '"name": "Ana Ruiz"}, {"name": "Li Wei"}]}]}</script>', "Ana Ruiz; Li Wei"),
        ('<meta name="author" content="Username"><div class="byline">By Sam Hale and Jo Park</div>',
         "Sam Hale; Jo Park"),
        ('<meta property="article:author" content="https://facebook.com/someone"><meta name="author" content="The '
         'Daily Planet">', ""),
        ('<span itemprop="author"><span itemprop="name">Kim Ode</span></span>', "Kim Ode"),
        ('<a class="byline">Sign in</a>', ""),
    ],
)  # fmt: skip
def test_byline_reads_metadata_and_rejects_placeholders_and_the_outlet(html, expected):
    page = f"<html><head>{html}</head><body><p>Text.</p></body></html>"
    assert byline(page, extracted="Username", publisher="The Daily Planet") == expected


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


# --- held-out news pages: five more outlets' layouts (Readability's test pages, see pages/README.md) ---

MORE_NEWS = {
    # page: (title, published, publisher, byline, at least this many paragraphs)
    "engadget.html": ("Xbox One X review: A console that keeps up with gaming PCs", date(2017, 11, 3), "Engadget",
                      "Devindra Hardawar", 20),
    "webmd-1.html": ("Babies Who Eat Peanuts Early May Avoid Allergy", date(2015, 2, 4), "WebMD", "Brenda Goodman", 9),
    "salon-1.html": ("The sharing economy is a lie: Uber, Ayn Rand and the truth about tech and libertarians",
                     date(2015, 2, 1), "Salon.com", "Richard Eskow", 30),
    "aclu.html": ("Facebook Is Tracking Me Even Though I’m Not on Facebook", date(2018, 4, 5),
                  "American Civil Liberties Union", "Daniel Kahn Gillmor", 30),
    "breitbart.html": ("'Neutral' Snopes Fact-Checker David Emery: 'Are There Any Un-Angry Trump Supporters?'",
                       date(2016, 12, 22), "Breitbart", "Lucas Nolan", 5),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(MORE_NEWS))
def test_more_news_layouts_give_headline_date_outlet_and_byline(name):
    parsed = parse_news((PAGES / "news-more" / name).read_text(encoding="utf-8"))
    title, published, publisher, author, paragraphs = MORE_NEWS[name]
    assert (parsed.title, parsed.meta.published, parsed.meta.publisher, parsed.meta.author) == (
        title, published, publisher, author,
    )  # fmt: skip
    assert len(parsed.paragraphs) >= paragraphs
    texts = [p.text for p in parsed.paragraphs]
    assert title not in texts  # the headline is the title, not a claim
    assert not any(t.startswith(("Loading Comments", "Advertisement")) for t in texts)
    assert len(set(texts)) == len(texts)  # a teaser the page repeats is read once


def test_a_headline_that_ends_like_a_sentence_is_still_the_title():
    headline = "Engineer asks: 'Is there anyone in the valley who still believes the old dam is safe?'"
    page = (
        f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>"
        + "".join(f"<p>The river rose by {n} metres on Monday, officials said in a statement to reporters.</p>"
                  for n in range(2, 8))
        + "</article></body></html>"
    )  # fmt: skip
    parsed = parse_news(page)
    assert parsed.title == headline
    assert parsed.paragraphs[0].text.startswith("The river rose by 2 metres")


def test_the_page_title_that_is_also_a_heading_beats_an_index_pages_og_title():
    page = (
        '<html><head><title>Spaceship breaks up over Siberia - Example News</title>'
        '<meta property="og:title" content="Example News - Latest News &amp; Headlines"></head><body>'
        "<h1>Spaceship breaks up over Siberia</h1><article>"
        + "".join(f"<p>An unmanned cargo ship fell {n} minutes after launch, the agency said on Thursday.</p>"
                  for n in range(2, 8))
        + "</article></body></html>"
    )  # fmt: skip
    assert parse_news(page).title == "Spaceship breaks up over Siberia"


@pytest.mark.parametrize(
    "element, expected",
    [
        ('<div class="byline">By Dana Kim, Senior Staff Technologist, Speech and Privacy Project</div>', "Dana Kim"),
        ('<div class="byline">by Lucas Nolan22 Dec 2016651</div>', "Lucas Nolan"),
        ('<div class="byline">By GILLIAN MOHNEY March 11, 2015 3:46 PM</div>', "GILLIAN MOHNEY"),
        ('<div class="byline">J J</div><div class="byline">s sai</div>', ""),
        ('<meta name="author" content="Brenda Goodman; MA">', "Brenda Goodman"),
    ],
)
def test_a_byline_is_cut_where_the_name_ends(element, expected):
    page = f"<html><head></head><body>{element}<p>Text.</p></body></html>"
    assert byline(page, publisher="The Daily Planet") == expected


def test_trafilaturas_guess_goes_before_an_element_merely_classed_byline():
    page = '<html><body><div class="comment"><span class="byline">S Sky</span></div><p>Text.</p></body></html>'
    assert byline(page, extracted="NATALIYA VASILYEVA") == "NATALIYA VASILYEVA"


def test_the_outlet_is_the_copyright_holder_when_the_page_names_no_site():
    page = (
        "<html><head><title>Peanuts early may avoid allergy</title></head><body><article>"
        + "".join(f"<p>Babies given peanuts early were {n} times less likely to be allergic, the study found.</p>"
                  for n in range(2, 8))
        + "</article><footer>©2005-2015 WebMD, LLC. All rights reserved.</footer></body></html>"
    )  # fmt: skip
    assert parse_news(page).meta.publisher == "WebMD"


def test_the_outlets_name_after_the_headline_is_not_part_of_it():
    page = (
        '<html><head><title>How to Build a Terrarium | eHow</title><meta property="og:site_name" content="eHow">'
        "</head><body><article>"
        + "".join(f"<p>Step {n}: put a layer of gravel and charcoal at the bottom of the glass jar.</p>"
                  for n in range(2, 8))
        + "</article></body></html>"
    )  # fmt: skip
    assert parse_news(page).title == "How to Build a Terrarium"


# A desktop page in the shape MediaWiki renders short footnotes: the note links to the bibliography's
# <cite id="CITEREF…">; the second citation has no COinS span, as in pages saved without it.
DESKTOP_SHORT = """<html><head><title>Town – Wikipedia</title></head><body><h1 id="firstHeading">Town</h1>
<div id="mw-content-text"><div class="mw-parser-output">
<p>The town was founded in 1840.<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">[1]</a></sup>
Its council first met in 1852.<sup id="cite_ref-2" class="reference"><a href="#cite_note-2">[2]</a></sup></p>
<h2><span class="mw-headline" id="References">References</span></h2>
<div class="reflist"><ol class="references">
<li id="cite_note-1"><span class="mw-cite-backlink"><b><a href="#cite_ref-1">^</a></b></span>
<span class="reference-text"><a href="#CITEREFKing2003">King 2003</a>, p. 41.</span></li>
<li id="cite_note-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-2">^</a></b></span>
<span class="reference-text"><cite class="citation news">Wilson, John; Hunt, T. L. (21 December 2007).
<a rel="nofollow" class="external text" href="https://news.example/council">"Council meets"</a>. <i>The Press</i>.
Retrieved 3 May 2010.</cite></span></li>
</ol></div>
<h2><span class="mw-headline" id="Sources">Sources</span></h2>
<ul><li><cite id="CITEREFKing2003" class="citation book">King, Michael (2003). <i>The Penguin History of New
Zealand</i>. Penguin. <a href="/wiki/Special:BookSources/978-0-14-301867-4">ISBN 978-0-14-301867-4</a>.</cite>
<span title="ctx_ver=Z39.88-2004&amp;rft.btitle=The+Penguin+History+of+New+Zealand&amp;rft.pub=Penguin&amp;\
rft.date=2003&amp;rft.isbn=978-0-14-301867-4&amp;rft.aulast=King&amp;rft.aufirst=Michael" class="Z3988">\
</span></li></ul>
<h3><span class="mw-headline" id="Further_reading">Secondary works</span></h3>
<p>Graham, Mark. How Islam Created the Modern World. Amana Publications, 2006.</p>
</div></div></body></html>"""


def test_a_short_footnote_carries_the_full_citation_its_anchor_links_to():
    refs = {r.label: r for r in parse_html(DESKTOP_SHORT).references}
    king = refs["1"]
    assert king.title == "The Penguin History of New Zealand"
    assert king.author == "Michael King" and king.publisher == "Penguin"
    assert dict(king.identifiers) == {"isbn": "978-0-14-301867-4"}
    assert king.text == "King 2003, p. 41."  # its own page, not the book's whole reference


def test_without_coins_the_printed_authors_and_date_are_read():
    council = {r.label: r for r in parse_html(DESKTOP_SHORT).references}["2"]
    assert council.author == "John Wilson; T. L. Hunt"
    assert council.published == date(2007, 12, 21)  # not the "Retrieved" date
    assert council.url == "https://news.example/council"


def test_subsections_under_the_references_are_not_prose():
    parsed = parse_html(DESKTOP_SHORT)
    assert [p.text for p in parsed.paragraphs] == ["The town was founded in 1840.[1] Its council first met in 1852.[2]"]
