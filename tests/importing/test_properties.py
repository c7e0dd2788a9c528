"""Properties of the parser on arbitrary text (Hypothesis). ``make fuzz`` runs them with 20,000 examples.

The expected clean text is re-derived here from the format rules with the test's own regexes, so the
properties check the parser against the rules, not against itself.
"""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from claims.importing import ParseError, parse_article, split_sentences

# --- The format rules, restated for the tests -----------------------------------------------------------------

MARKER = r"\d{1,4}|(?i:note|nb|n)\s*\d{1,4}|[a-z]"
TAG = (
    r"(?i:better\s+sources?\s+needed|citation\s+needed|clarification\s+needed|dubious(?:\s*[-\u2013\u2014]\s*discuss)?"
    r"|failed\s+verification|according\s+to\s+whom\s*\??|when\s*\?)"
)
# An empty [] is dropped, except the [] of an image stub "![]()".
_ANNOTATION = re.compile(rf"\[\s*(?:(?P<marker>{MARKER})|{TAG})\s*\]|(?<!!)\[\s*\]|\[\s*\](?!\()")


def _editorial_letter(text: str, match: re.Match) -> bool:
    """ "[t]he": a one-letter bracket glued to a lower-case letter is a quotation's edit, not a note marker."""
    label = (match.group("marker") or "").strip()
    return len(label) == 1 and label.isalpha() and text[match.end() : match.end() + 1].islower()


class ANNOTATION:  # noqa: N801 - stands for the compiled pattern it wraps
    """The annotation pattern, minus editorial letters (which no regex can tell: str.islower is Unicode's)."""

    @staticmethod
    def finditer(text: str):
        return (m for m in _ANNOTATION.finditer(text) if not _editorial_letter(text, m))

    @staticmethod
    def sub(replace, text: str) -> str:
        return _ANNOTATION.sub(lambda m: m.group() if _editorial_letter(text, m) else replace(m), text)


PUNCTUATION_AFTER_REMOVAL = ",.;:!?)"
_LEADING_MARKER = re.compile(rf"\s*\[\s*(?P<marker>{MARKER})\s*\]")


def strip_leading_markers(raw: str) -> str:
    """The raw text without the markers that open it (an editorial "[a]a.m." is text, not a marker)."""
    position = 0
    while (match := _LEADING_MARKER.match(raw, position)) and not _editorial_letter(raw, match):
        position = match.end()
    return raw[position:]


def expected_clean(raw: str) -> str:
    """Annotations removed (with the space before them when closing punctuation follows), whitespace
    collapsed."""
    chunks, last = [], 0
    for match in ANNOTATION.finditer(raw):
        chunks.append(raw[last : match.start()])
        last = match.end()
    chunks.append(raw[last:])
    result = chunks[0]
    for chunk in chunks[1:]:
        if chunk.strip() and chunk.strip()[0] in PUNCTUATION_AFTER_REMOVAL:
            result, chunk = result.rstrip(), chunk.lstrip()
        result += chunk
    return " ".join(result.split())


def without_whitespace(text: str) -> str:
    return "".join(text.split())


# --- Strategies ------------------------------------------------------------------------------------------------

TOKENS = [
    "the", "rebels", "captured", "Aleppo", "HTS", "On", "28 November", "2024", "The next day,", "That day,",
    "reportedly", "according to the Kyiv Post,", "said that", "either a Syrian or", "may have",
    ".", ". ", "? ", "! ", "...", ",", ";", ":", "U.S.", "Dr.", "Lt. Gen.", "a.m.", "No. 5", "3.5", "J. R.",
    "[54]", " [55]", "[ 7 ]", "[note 3]", "[Note 12]", "[a]", "[ b ]", "[a\n]", "[\nc]", "[citation needed]",
    "[ better source needed ]", "[dubious – discuss]", "[when?]", "[according to whom?]", "[]", "[ ]",
    "[sic]", "[the city]", "[", "]", "![]()", "![](", '"', "\u201c", "\u201d", "'", "(", ")", "|", " | |||",
    "---|---|", "\n", "\r\n", "\n\n", "\t", "  ", "\u00a0", "\u2028", "\u00c4rger", "\u65e5\u672c",
    "\u0634\u064a\u0621", "\U0001f600", "\x00", "Belligerents", "Strength",
]  # fmt: skip

token_text = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.sampled_from(TOKENS).map(lambda t: " " + t)), max_size=120
).map("".join)
any_text = st.one_of(token_text, st.text(max_size=400))


def _parse(text):
    try:
        return parse_article(text)
    except ParseError:
        return None


# --- Properties --------------------------------------------------------------------------------------------------


@given(any_text)
def test_property_parse_raises_only_parse_error(text):
    try:
        parse_article(text)
    except ParseError as error:
        assert str(error)


@given(any_text)
@example("the the.\n[54][citation needed]")  # found by `make fuzz`: a line of only annotations left an empty sentence
@example("J. R.\n[54]\n[54]")  # found by `make fuzz`: two such lines in a row
def test_property_sentence_text_is_the_cleaned_raw_span(text):
    article = _parse(text)
    if article is None:
        return
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            assert sentence.text == expected_clean(paragraph.text[sentence.start : sentence.end])
            assert sentence.text, "a sentence always has some text"


@given(any_text)
def test_property_spans_are_ordered_disjoint_and_cover_the_paragraph(text):
    article = _parse(text)
    paragraphs = [p.text for p in article.paragraphs] if article else []
    for paragraph_text in [*paragraphs, text]:
        spans = split_sentences(paragraph_text)
        previous_end = 0
        for start, end in spans:
            assert previous_end <= start < end <= len(paragraph_text)
            assert not paragraph_text[start].isspace() and not paragraph_text[end - 1].isspace()
            previous_end = end
        covered = set()
        for start, end in spans:
            covered.update(range(start, end))
        assert all(i in covered for i, char in enumerate(paragraph_text) if not char.isspace())


@given(any_text)
def test_property_parsed_spans_match_split_sentences(text):
    article = _parse(text)
    if article is None:
        return
    for paragraph in article.paragraphs:
        assert [(s.start, s.end) for s in paragraph.sentences] == split_sentences(paragraph.text)
        assert [s.index for s in paragraph.sentences] == list(range(len(paragraph.sentences)))


@given(any_text)
@example("the28 November.\n[a]a.m.")  # found by `make fuzz`: an editorial letter opening a line
def test_property_markers_reinserted_at_their_offsets_rebuild_the_raw_text(text):
    article = _parse(text)
    if article is None:
        return
    for paragraph in article.paragraphs:
        for sentence in paragraph.sentences:
            raw = paragraph.text[sentence.start : sentence.end]
            if paragraph.index and sentence.index == 0:
                # Markers that open a paragraph belong to the last sentence of the paragraph before ...
                raw = strip_leading_markers(raw)
            own = len([m for m in ANNOTATION.finditer(raw) if m.group("marker")])
            # ... where they come after the sentence's own markers, at its end.
            moved_in = sentence.markers[own:]
            assert not moved_in or sentence is paragraph.sentences[-1]
            assert all(m.offset == len(sentence.text) for m in moved_in)
            rebuilt, last = [], 0
            for marker in sentence.markers[:own]:
                assert last <= marker.offset <= len(sentence.text)
                rebuilt += [sentence.text[last : marker.offset], f"[{marker.label}]"]
                last = marker.offset
            rebuilt.append(sentence.text[last:])
            raw_markers_only = ANNOTATION.sub(lambda m: m.group() if m.group("marker") else "", raw)
            assert without_whitespace("".join(rebuilt)) == without_whitespace(raw_markers_only)


@given(any_text)
@example("[a]theJ. R.")  # found by `make fuzz`: "[a]the" is an editorial letter, not a marker
def test_property_every_marker_is_kept_once(text):
    article = _parse(text)
    if article is None:
        return
    kept = sum(len(s.markers) for p in article.paragraphs for s in p.sentences) + len(article.stray_markers)
    in_text = [m for m in ANNOTATION.finditer(text) if m.group("marker")]
    assert kept <= len(in_text)
    if not any("\n" in m.group() for m in in_text):
        # Only a marker broken across lines where the lines cannot be joined (after the title line, or
        # over a blank line) may be lost; every other marker is attached to a sentence or kept as a stray.
        assert kept == len(in_text)


@given(any_text)
def test_property_junk_lines_and_paragraphs_are_distinct_lines(text):
    article = _parse(text)
    if article is None:
        return
    paragraph_lines = {p.line_no for p in article.paragraphs}
    assert not paragraph_lines & set(article.junk_lines)
    assert list(article.junk_lines) == sorted(set(article.junk_lines))
    line_count = len(text.split("\n"))
    assert all(1 <= n <= line_count for n in [*paragraph_lines, *article.junk_lines])
