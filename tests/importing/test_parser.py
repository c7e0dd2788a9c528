"""parse_article on the sample article and on small texts that pin the format rules down."""

import datetime
import re
import time
from pathlib import Path

import pytest

from claims.importing import EventDate, Marker, ParseError, parse_article

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "northwestern_syria_offensive.txt"


@pytest.fixture(scope="module")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article(sample_text):
    return parse_article(sample_text)


def _sentences(article):
    return [sentence for paragraph in article.paragraphs for sentence in paragraph.sentences]


def _find(article, start):
    found = [s for s in _sentences(article) if s.text.startswith(start)]
    assert len(found) == 1, f"{len(found)} sentences start with {start!r}"
    return found[0]


def _labels(sentence):
    return [marker.label for marker in sentence.markers]


# --- The sample -------------------------------------------------------------------------------------------


def test_sample_title_year_and_junk(article):
    assert article.title == "Northwestern Syria offensive"
    assert article.year == 2024
    assert article.junk_lines == tuple(range(2, 15))
    assert article.paragraphs[0].line_no == 15
    assert [p.line_no for p in article.paragraphs] == list(range(15, 44))
    assert article.empty_brackets == 0  # the [] of "![]()" image stubs are not empty citations


def test_sample_infobox_note_is_a_stray_marker(article):
    assert [(m.label, m.kind) for m in article.stray_markers] == [("note 1", "note")]


def test_no_paragraph_comes_from_the_infobox(article):
    for paragraph in article.paragraphs:
        assert "|" not in paragraph.text
        assert "![]()" not in paragraph.text


def test_every_marker_in_the_file_is_attached_somewhere(article, sample_text):
    in_file = {" ".join(label.split()) for label in re.findall(r"\[\s*(\d+|note\s+\d+|[a-z])\s*\]", sample_text)}
    attached = {m.label for s in _sentences(article) for m in s.markers}
    attached |= {m.label for m in article.stray_markers}
    assert attached == in_file
    assert len(in_file) == 83  # 81 numbered references, note 1 and note 3


def test_every_marker_occurrence_is_kept(article, sample_text):
    occurrences = len(re.findall(r"\[\s*(?:\d+|note\s+\d+|[a-z])\s*\]", sample_text))
    kept = sum(len(s.markers) for s in _sentences(article)) + len(article.stray_markers)
    assert kept == occurrences


def test_note_inside_and_markers_after_the_ceasefire_sentence(article):
    sentence = _find(article, "Codenamed Deterrence of Aggression")
    assert sentence.text.endswith("since the March 2020 Idlib ceasefire.")
    assert "[" not in sentence.text
    assert _labels(sentence) == ["note 3", "52", "53", "54"]
    note = sentence.markers[0]
    assert note.kind == "note"
    assert sentence.text[: note.offset] == "Codenamed Deterrence of Aggression"
    assert all(m.kind == "reference" and m.offset == len(sentence.text) for m in sentence.markers[1:])
    following = _find(article, "On 29 November 2024, HTS entered Aleppo")
    assert following.markers == ()


def test_reportedly_airstrike(article):
    sentence = _find(article, "An airstrike, reportedly of Russian origin, killed 16 civilians")
    assert _labels(sentence) == ["83"]
    assert [(h.kind, h.phrase) for h in sentence.hedges] == [("reported", "reportedly")]


def test_better_source_needed_belongs_to_the_sentence_before(article):
    sentence = _find(article, "Concurrently with the advance towards Damascus")
    assert sentence.text.endswith("advanced into the capital from the southeast.")
    assert _labels(sentence) == ["121", "122"]
    assert sentence.tags == ("better_source_needed",)
    following = _find(article, "By 8 December 2024, rebel forces")
    assert following.tags == ()
    assert _labels(following) == ["123"]
    assert following.text.startswith("By 8 December 2024")


def test_on_28_november(article):
    sentence = _find(article, "On 28 November, HTS launched an offensive on the eastern Idlib countryside")
    assert sentence.event_date == EventDate(datetime.date(2024, 11, 28), "day", "explicit", "On 28 November")


def test_the_next_day_in_the_first_paragraph(article):
    paragraph = article.paragraphs[0]
    sentence = next(s for s in paragraph.sentences if s.text.startswith("The next day, opposition forces"))
    assert sentence.event_date == EventDate(datetime.date(2024, 11, 30), "day", "relative", "The next day")
    assert _labels(sentence) == ["55", "56"]


def test_closing_paragraphs_have_no_markers(article):
    closing = article.paragraphs[-3:]
    assert [p.text[:20] for p in closing] == ["The latest offensive", "With Assad backed by", "The insurgents, led "]
    assert all(s.markers == () for p in closing for s in p.sentences)
    insurgents = closing[-1].sentences[0]
    assert [(h.kind, h.attributed_to) for h in insurgents.hedges] == [("alleged", ("The insurgents",))]


def test_sample_attributions(article):
    kyiv = _find(article, "According to the Kyiv Post")
    assert [(h.kind, h.attributed_to) for h in kyiv.hedges] == [
        ("attributed", ("the Kyiv Post", "some Islamist social media accounts"))
    ]
    iran = _find(article, "Iranian state media reported that")
    assert [(h.kind, h.attributed_to) for h in iran.hedges] == [("reported", ("Iranian state media",))]
    sohr = _find(article, "The Syrian Observatory for Human Rights reported")
    assert [h.attributed_to for h in sohr.hedges] == [("The Syrian Observatory for Human Rights",)]
    either = _find(article, "Four others were killed in either")
    assert [(h.kind, h.phrase) for h in either.hedges] == [("speculative", "either a Syrian or Russian")]


def test_sample_dates(article):
    by_start = {
        "In October 2024, a large mobilization": (datetime.date(2024, 10, 1), "month", "explicit"),
        "In the early hours of 30 November": (datetime.date(2024, 11, 30), "day", "explicit"),
        "Concurrently on 30 November, the Turkish-backed": (datetime.date(2024, 11, 30), "day", "explicit"),
        "On the evening of 1 December": (datetime.date(2024, 12, 1), "day", "explicit"),
        "By afternoon on the next day": (datetime.date(2024, 12, 1), "day", "relative"),
        "That day, revolutionaries entered": (datetime.date(2024, 11, 29), "day", "relative"),
        "Strong fighting around the town of Saraqib": (datetime.date(2024, 11, 29), "day", "inherited"),
    }
    for start, (value, precision, origin) in by_start.items():
        date = _find(article, start).event_date
        assert (date.value, date.precision, date.origin) == (value, precision, origin), start
    assert _find(article, "Aleppo had been controlled by").event_date is None  # "in 2016" inside a sentence
    assert _find(article, "Since the March 2020 Idlib ceasefire").event_date is None
    assert _find(article, "A Russian airstrike killed fifteen").event_date is None


def test_sample_chronology_flags(article):
    assert article.paragraphs[0].chronology  # "On 27 November 2024, …"
    assert not article.paragraphs[1].chronology  # background: "Since the March 2020 …"
    assert [s.event_date for s in article.paragraphs[1].sentences if not s.text.startswith("Starting")] == [None] * 6


def test_sample_quote_is_one_sentence(article):
    sentence = _find(article, "Al-Hamwi later stated")
    assert sentence.text.endswith('we could move southward toward Damascus."')
    assert _labels(sentence) == ["60"]


def test_sample_spans_point_into_the_paragraph(article):
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            raw = paragraph.text[sentence.start : sentence.end]
            assert raw == raw.strip()
            assert raw.replace(" ", "").startswith(sentence.text.replace(" ", "")[:10])
        assert [s.index for s in paragraph.sentences] == list(range(len(paragraph.sentences)))


def test_sample_parses_in_a_few_milliseconds(sample_text):
    parse_article(sample_text)  # warm up sentencex
    started = time.perf_counter()
    for _ in range(5):
        parse_article(sample_text)
    assert (time.perf_counter() - started) / 5 < 0.05  # measured ~5 ms; generous for slow CI machines


def test_parsing_time_grows_linearly(sample_text):
    body = "\n".join(sample_text.split("\n")[14:])
    small, large = sample_text + "\n" + body * 5, sample_text + "\n" + "\n".join([body] * 50)

    def timed(text):
        started = time.perf_counter()
        parse_article(text)
        return time.perf_counter() - started

    timed(small)
    assert timed(large) < 10 * 3 * timed(small)  # 10x the text: well under 30x the time


# --- Format rules on small texts ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_text_is_a_parse_error(text):
    with pytest.raises(ParseError, match="empty text"):
        parse_article(text)


def test_no_prose_is_a_parse_error_that_counts_skipped_lines():
    with pytest.raises(ParseError, match=r"no prose paragraphs found \(3 lines skipped as infobox/table rows\)"):
        parse_article("Title | ||||\n---|---|\nBelligerents\n![]() | ||\n")


def test_one_skipped_line_is_singular():
    with pytest.raises(ParseError, match=r"\(1 line skipped as infobox/table rows\)"):
        parse_article("Title\nBelligerents\n")


def test_title_only_is_a_parse_error():
    with pytest.raises(ParseError, match=r"no prose paragraphs found \(0 lines"):
        parse_article("Just a title\n\n")


def test_title_loses_its_trailing_pipes_and_markers():
    article = parse_article("A title [1] | --- ||||\nSome prose here.\n")
    assert article.title == "A title"
    assert article.stray_markers == (Marker("1", "reference", 8),)


def test_byte_order_mark_is_not_part_of_the_title():
    assert parse_article("\ufeffA title\nProse here.\n").title == "A title"


def test_short_prose_line_is_a_paragraph_but_a_label_row_is_junk():
    # A bare name with a marker ("Short claim [4]", "Iran[4]") is an infobox cell, not a sentence (#10);
    # a line with a verb that ends with its marker is prose.
    text = "Title\nStrength\nIt rained.\nCasualties and losses\nShort claim [4]\nThe garrison withdrew overnight [4]\n"
    article = parse_article(text)
    assert [p.text for p in article.paragraphs] == ["It rained.", "The garrison withdrew overnight [4]"]
    assert article.junk_lines == (2, 4, 5)


def test_long_line_without_a_full_stop_is_kept_as_prose():
    line = "HTS and allied factions captured the towns of Anjara, Urum al-Sughra, Sheikh Aqil, Bara and Ajil today"
    assert parse_article(f"Title\n{line}\n").paragraphs[0].text == line


def test_table_rows_and_image_stubs_are_junk():
    text = "Title\n| a | b |\nx || y.\n![]() ![]() | [note 2] | ||\nProse follows. [3]\n"
    article = parse_article(text)
    assert article.junk_lines == (2, 3, 4)
    assert [m.label for m in article.stray_markers] == ["note 2"]
    assert article.paragraphs[0].sentences[0].markers == (Marker("3", "reference", 14),)


def test_marker_forms():
    text = "Title\nA [54][55] word [ a ] ends.[b] Dogs [note 3] bark [Nb 2] loudly.\n"
    sentence = parse_article(text).paragraphs[0].sentences
    markers = [m for s in sentence for m in s.markers]
    assert [(m.label, m.kind) for m in markers] == [
        ("54", "reference"),
        ("55", "reference"),
        ("a", "note"),
        ("b", "note"),
        ("note 3", "note"),
        ("Nb 2", "note"),
    ]
    assert [s.text for s in sentence] == ["A word ends.", "Dogs bark loudly."]


def test_letter_marker_broken_across_lines_joins_them():
    article = parse_article("Title\nIt ended.[a\n] Then more came.\n")
    (paragraph,) = article.paragraphs
    assert paragraph.line_no == 2
    assert paragraph.text == "It ended.[a\n] Then more came."
    first, second = paragraph.sentences
    assert (first.text, first.markers) == ("It ended.", (Marker("a", "note", 9),))
    assert second.text == "Then more came."


def test_cleanup_tags_become_slugs_and_unknown_brackets_stay():
    text = (
        "Title\nIt fell [citation needed] on a day [when?]. It was big [ Dubious - discuss ] [sic]. "
        "X said so [according to whom?] [clarification needed] [failed verification] [better source needed].\n"
    )
    sentences = parse_article(text).paragraphs[0].sentences
    assert [s.tags for s in sentences] == [
        ("citation_needed", "when"),
        ("dubious",),
        ("according_to_whom", "clarification_needed", "failed_verification", "better_source_needed"),
    ]
    assert sentences[1].text == "It was big [sic]."
    assert sentences[0].text == "It fell on a day."


def test_empty_brackets_are_dropped_and_counted():
    article = parse_article("Title\nOne [] two [ ]. Three [].\n")
    first, second = article.paragraphs[0].sentences
    assert (first.text, first.empty_brackets) == ("One two.", 2)
    assert (second.text, second.empty_brackets) == ("Three.", 1)
    assert article.empty_brackets == 3


def test_marker_offsets_in_clean_text():
    sentence = parse_article("Title\n[5] Start, middle [6] end. [7]\n").paragraphs[0].sentences[0]
    assert sentence.text == "Start, middle end."
    assert [(m.label, m.offset) for m in sentence.markers] == [("5", 0), ("6", 13), ("7", 18)]


def test_year_can_be_given():
    article = parse_article("Title\nOn 28 November, HTS attacked.\n", year=2019)
    assert article.year == 2019
    assert article.paragraphs[0].sentences[0].event_date.value == datetime.date(2019, 11, 28)


def test_crlf_and_line_numbers():
    article = parse_article("Title\r\n\r\nFirst paragraph.\r\nSecond paragraph.   \r\n")
    assert [(p.line_no, p.text) for p in article.paragraphs] == [(3, "First paragraph."), (4, "Second paragraph.")]
    assert [p.index for p in article.paragraphs] == [0, 1]


def test_date_context_carries_only_to_the_next_paragraph():
    text = "Title\nOn 29 November 2024, HTS entered.\nThat day, rebels advanced.\nNo date here.\nThat day, x.\n"
    paragraphs = parse_article(text).paragraphs
    assert paragraphs[1].sentences[0].event_date.value == datetime.date(2024, 11, 29)
    assert paragraphs[3].sentences[0].event_date is None


# --- Junk that never becomes a claim (#10) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Kurdistan[7]", "not a sentence"),
        ("Turkey Lt. Gen. Ahmet Example[12]", "not a sentence"),
        ("300+ captured[c]", "not a sentence"),
        ("Result Decisive rebel victory[5]", "not a sentence"),
        ("Banner of the 5th Corps.png Ali Example (first days)", "file name"),
        ("For the later battle, seeSecond Battle of Example.", "hatnote"),
        ("Main article: Siege of Example", "hatnote"),
        ("![The old bridge (1920)](https://upload.example.org/Bridge_(1920).jpg?w=300)", "image or link stub"),
        ("[Map](https://maps.example.org/a_(b)) https://example.org/x", "image or link stub"),
        ("- Formations: 4th Division, * 105th Brigade, ** Battalion 9", "label row"),
        ("Commander: Col. Jan Example", "label row"),
        ("* \U0001f1eb\U0001f1f7 France \u2212", "list of names"),
        ("Jan Example, Piet Example, Klaas Example, Joris Example", "list of names"),
    ],
)
def test_junk_rows_are_skipped_with_their_kind(line, kind):
    article = parse_article(f"Title\n{line}\nThe army withdrew from the town. [1]\n")
    assert [(j.line_no, j.kind) for j in article.junk] == [(2, kind)]
    assert article.junk[0].text == line.strip()
    assert [p.text for p in article.paragraphs] == ["The army withdrew from the town. [1]"]


@pytest.mark.parametrize(
    "line",
    [
        # no full stop, but a verb and longer than a heading
        "The ministry said on Tuesday that it had retaken two hamlets near the river after a week of shelling",
        "Rebels shelled the outskirts overnight [8]",
        "Fighting continues.",
        "* The brigade crossed the river on 3 May.",  # a bulleted sentence is still a sentence
        "Status: the town remained contested after the talks had failed.",
    ],
)
def test_sentences_are_prose_even_in_odd_shapes(line):
    article = parse_article(f"Title\n{line}\n")
    assert article.junk == ()
    assert len(article.paragraphs) == 1


# --- Titles (#10) ----------------------------------------------------------------------------------------------


def test_wire_copy_lead_is_not_taken_for_a_title():
    text = "Rebels seized the northern town of Example on Monday, a monitoring group said.\nTroops fled south.\n"
    article = parse_article(text)
    assert article.title_line is None
    assert [s.text for p in article.paragraphs for s in p.sentences][0].startswith("Rebels seized")
    assert article.title.startswith("Rebels seized the northern town")


@pytest.mark.parametrize(
    "first",
    [
        "On 3 May 2021, the army entered the town.",  # a dated lead
        "BEIRUT (Reuters) - Government forces shelled the town",  # a dateline, even without its full stop
        "The army entered the town and held it for three days before the rebels came back.",
    ],
)
def test_first_line_that_reads_as_a_sentence_is_content(first):
    article = parse_article(f"{first}\nTroops fled south.\n")
    assert article.title_line is None
    # content: a paragraph, or (a short line without a sentence end) a listed junk line — never dropped
    assert article.paragraphs[0].text == first or article.junk[0].line_no == 1


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Picture describing Troops patrol the old city after the ceasefire", "caption or link"),
        ("Read more: How the front line moved in March", "caption or link"),
        ("Who holds the river crossings now?", "question"),
        ("Dozens killed as militia shells the market", "not a sentence"),  # a related article's headline
        (
            "Photo By Sgt. Jan Example | Soldiers of the 4th Battalion unload water at the depot, read more",
            "caption or link",
        ),
        ("Maintenance window scheduled to begin at 2200 est. until 0400 est. on the 15th", "page chrome"),
        ("Accessibility links", "page chrome"),
        ("Forgot Password?", "page chrome"),
    ],
)
def test_news_page_leftovers_are_skipped(line, kind):
    article = parse_article(f"Title\n{line}\nThe army withdrew from the town.\n")
    assert [(j.line_no, j.kind) for j in article.junk] == [(2, kind)]


def test_first_line_that_looks_like_a_title_is_the_title():
    article = parse_article("Siege of Example (1999) | ||||\nTroops fled south.\n")
    assert (article.title, article.title_line) == ("Siege of Example (1999)", 1)


@pytest.mark.parametrize(
    "chrome",
    [
        ["Accessibility links", "Breaking News"],  # the page's link labels
        ["Ministry of Defence Ministry of Defence", "Ministry News", "Bookmark and Share"],  # a masthead
        ["Maintenance window scheduled to begin at 2200 est. until 0400 est.", "Example Service Logo"],  # a notice
        ["\u0985\u09cd\u09af\u09be\u0995\u09b8\u09c7\u09b8\u09bf"],  # a label in the site's own script
    ],
)
def test_headline_below_page_chrome_is_the_title(chrome):
    lines = [*chrome, "Militia Shells Market in Example, Killing Three", "Example Press Service", "By Jan Example"]
    article = parse_article("\n\n".join([*lines, "EXAMPLE, May 3, 2021 – Troops fled south. The town fell.", ""]))
    headline = 2 * len(chrome) + 1
    assert (article.title, article.title_line) == ("Militia Shells Market in Example, Killing Three", headline)
    assert headline not in article.junk_lines
    assert set(article.junk_lines) == {2 * i + 1 for i in range(len(lines))} - {headline}
    assert [p.text for p in article.paragraphs] == ["EXAMPLE, May 3, 2021 – Troops fled south. The town fell."]


def test_page_chrome_without_a_headline_leaves_no_title():
    article = parse_article("Accessibility links\n\nTroops fled south after the town fell on Monday.\n")
    assert article.title_line is None
    assert article.junk_lines == (1,)
    assert article.title.startswith("Troops fled south")


def test_given_title_makes_the_first_line_content():
    article = parse_article("Siege of Example ended\nTroops fled south.\n", title="Siege of Example")
    assert article.title == "Siege of Example"
    assert article.title_line is None
    # The first line was not dropped: it is a paragraph or a listed junk line, never nothing.
    assert article.junk and article.junk[0].line_no == 1 or article.paragraphs[0].line_no == 1


# --- Markers at the start of a line (#10) --------------------------------------------------------------------


def test_marker_opening_a_line_belongs_to_the_sentence_before():
    text = "Title\nThe front held near the dam. It rained.\n[21] [22] Later the militia left the town.\n"
    article = parse_article(text)
    first, second = article.paragraphs
    assert [m.label for m in first.sentences[-1].markers] == ["21", "22"]
    assert first.sentences[-1].markers[0].offset == len("It rained.")
    assert second.sentences[0].markers == ()
    assert second.sentences[0].text == "Later the militia left the town."


def test_line_of_markers_only_belongs_to_the_paragraph_before():
    article = parse_article("Title\nThe front held near the dam.\n[note 4][9]\nTroops fled south.\n")
    assert [p.text for p in article.paragraphs] == ["The front held near the dam.", "Troops fled south."]
    assert [m.label for m in article.paragraphs[0].sentences[0].markers] == ["note 4", "9"]
    assert article.junk == ()


@pytest.mark.parametrize(
    "line",
    ["[7][citation needed]", "[citation needed][7]", "[7] [ better source needed ] [note 2]", "[7]\n[8][dubious]"],
)
def test_a_line_of_only_annotations_follows_the_sentence_before_it(line):
    """A scraper's line break before the markers and tags of a sentence: they are that sentence's, and no
    empty sentence is left behind."""
    article = parse_article(f"Harbour strike\nThe port was shelled at dawn.\n{line}\nRepairs began in spring.")
    sentences = [s for p in article.paragraphs for s in p.sentences]
    assert [s.text for s in sentences] == ["The port was shelled at dawn.", "Repairs began in spring."]
    assert "7" in [m.label for m in sentences[0].markers] and not sentences[1].markers
    assert sentences[0].tags and not sentences[1].tags
    assert not article.junk
