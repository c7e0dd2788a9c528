"""Sentence segmentation of one paragraph: sentencex, plus the few rules it was measured to miss.

sentencex (Wikimedia's rule-based segmenter) already handles most of English: abbreviations (U.S., Lt. Gen.,
No. 5), initials, decimals, a.m./p.m., e-mail addresses, URLs and numeric markers after a full stop. We
run it on a *masked* copy of the paragraph in which citation markers, cleanup tags and empty ``[]`` are
blanked out with spaces of the same length, so that

- offsets stay valid in the original text (the mask never changes a length),
- sentencex never sees ``[a]`` or ``[ better source needed ]`` as the start of the next sentence, and
- the cut between two sentences falls *after* the markers that follow a full stop: they belong to the
  sentence they follow.

On top of sentencex's cuts we add the kinds of cut it misses and veto cuts our rule forbids (a sentence
ends at ``. ? !`` followed by whitespace and a capital, never inside quotes or parentheses — a quotation
left open at the paragraph's end, to go on in the next, included — never after a title such as "Dr.", nor
after "a.m." before a time zone or a weekday). The measurements that justify each rule are in
tests/importing/test_segment.py.

The functions here are the reference implementation; ``_segment.c`` does the same in C and replaces them when
built (see the end of this file): ``find_annotations``, ``split_with`` and ``split_sentences`` are the native
ones then, ``*_py`` always the Python ones.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate, pairwise
from typing import NamedTuple

from sentencex import segment

LANGUAGE = "en"

# --- Inline annotations: citation markers, cleanup tags, empty brackets ----------------------------------

# Cleanup tags as Wikipedia renders them, by the slug we store. Extend here: one row per tag.
CLEANUP_TAGS: tuple[tuple[str, str], ...] = (
    ("better_source_needed", r"better\s+sources?\s+needed"),
    ("citation_needed", r"citation\s+needed"),
    ("clarification_needed", r"clarification\s+needed"),
    ("dubious", r"dubious(?:\s*[-\u2013\u2014]\s*discuss)?"),
    ("failed_verification", r"failed\s+verification"),
    ("according_to_whom", r"according\s+to\s+whom\s*\??"),
    ("when", r"when\s*\?"),
)

# One bracket group. Exactly one named group matches, so ``match.lastgroup`` says what it is. Whitespace
# inside the brackets may include a newline: scrapers break "[a]" into ".[a\n]".
ANNOTATION_RE = re.compile(
    r"\[\s*(?:"
    r"(?P<reference>\d{1,4})"  # [54]
    r"|(?P<note>(?i:note|nb|n)\s*\d{1,4}|[a-z])"  # [note 3], [a] (lower-alpha footnotes)
    + "".join(f"|(?P<tag_{slug}>(?i:{pattern}))" for slug, pattern in CLEANUP_TAGS)
    + r"|(?P<empty>)"  # []
    r")\s*\]"
)


class Annotation(NamedTuple):
    """A bracket group the parser removes from claim text: a marker, a cleanup tag or an empty [].

    A named tuple rather than a frozen dataclass: an article has thousands and building them was a tenth
    of the splitter's time."""

    start: int
    end: int
    kind: str  # "reference" | "note" | "tag" | "empty"
    value: str  # the whitespace-normalised label for markers, the slug for tags, "" for []


def _is_image_stub(text: str, start: int, end: int) -> bool:
    return start > 0 and text[start - 1] == "!" and text.startswith("(", end)


def find_annotations_py(text: str) -> list[Annotation]:
    """Every marker, cleanup tag and empty [] in ``text``, in order. Other bracket text ([sic]) is prose."""
    found: list[Annotation] = []
    if "[" not in text:
        return found
    for match in ANNOTATION_RE.finditer(text):
        group = match.lastgroup or "empty"
        if group.startswith("tag_"):
            kind, value = "tag", group.removeprefix("tag_")
        elif group == "empty":
            if _is_image_stub(text, match.start(), match.end()):
                continue  # the [] of "![]()" is part of an image stub, not a dropped citation
            kind, value = "empty", ""
        else:
            kind, value = group, " ".join(match.group(group).split())
            if kind == "note" and len(value) == 1 and text[match.end() : match.end() + 1].islower():
                continue  # a quotation's editorial letter, "[t]he health of…": a marker is never glued to a word
        found.append(Annotation(match.start(), match.end(), kind, value))
    return found


# --- Masking ----------------------------------------------------------------------------------------------

# Whitespace other than a plain space; most paragraphs hold none, and then nothing is replaced at all.
_OTHER_SPACE = re.compile(r"[^\S ]")
# The Rust extension cannot take lone surrogates; one replacement character keeps the length.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _mask(text: str, annotations: list[Annotation]) -> str:
    """Same length as ``text``: annotations blanked, every whitespace character a plain space."""
    masked = _OTHER_SPACE.sub(" ", text) if _OTHER_SPACE.search(text) else text
    if not masked.isascii() and _SURROGATE.search(masked):
        masked = _SURROGATE.sub("\ufffd", masked)
    if not annotations:
        return masked
    pieces, last = [], 0
    for note in annotations:
        pieces += [masked[last : note.start], " " * (note.end - note.start)]
        last = note.end
    pieces.append(masked[last:])
    return "".join(pieces)


# --- Candidate cuts -----------------------------------------------------------------------------------------
# A cut is the index where the next sentence starts (its first non-space character in the masked text).

_NON_SPACE = re.compile(r"\S")


def _next_non_space(masked: str, position: int) -> int:
    found = _NON_SPACE.search(masked, position)
    return found.start() if found else len(masked)


def _sentencex_cuts(masked: str) -> list[int]:
    # sentencex's pieces concatenate to its input (spaces included), so the cuts are their running lengths;
    # segment() is about twice as fast as get_sentence_boundaries(), which builds a dict per sentence.
    cuts = list(accumulate(map(len, segment(LANGUAGE, masked))))[:-1]
    # A piece usually starts at the next sentence's first character already; look further only when not.
    return [c if c < len(masked) and masked[c] != " " else _next_non_space(masked, c) for c in cuts]


# Missed by sentencex: a sentence that closes a parenthesis, "(See below.) Next".
_CLOSED_PARENTHESIS = re.compile(r"[.?!\u2026][\"'\u201d\u2019]*\)(?= )")
# Missed by sentencex: its English abbreviation list holds ordinary words that often end a sentence
# ("told me.", "in May.", "it was OK."), so it does not cut before a capital unless that word is a common
# sentence opener. Case-sensitive on purpose: "Ill." is Illinois. Cheap substring tests go first: a regex
# that starts with a look-behind or an alternation scans every paragraph slowly.
_ORDINARY_WORD_END = re.compile(r"(?<![\w.])(?:me|ok|OK|ill|may|May|art|miss)\.(?= )")


def _added_cuts(masked: str) -> list[int]:
    ends = []
    if ")" in masked:
        ends += [m.end() for m in _CLOSED_PARENTHESIS.finditer(masked)]
    if (
        "me. " in masked
        or "ay. " in masked
        or "ok. " in masked
        or "OK. " in masked
        or "ill. " in masked
        or "art. " in masked
        or "iss. " in masked
    ):
        ends += [m.end() for m in _ORDINARY_WORD_END.finditer(masked)]
    return [_next_non_space(masked, end) for end in ends]


# --- Inline lists -------------------------------------------------------------------------------------------
# "1) a 2) b", "1.) a 2.) b", "1. a 2. b", "• 9. a • 10. b", "a. x b. y": a paragraph that *starts* with a list
# enumerator and goes on with the next ones in sequence (same style) is a list; each item is a sentence, with
# or without a full stop. Both conditions keep prose ("in 2. The next day") out of it.
_LIST_ITEM = re.compile(r"(?<!\S)([\u2022\u2043\u25aa\u25e6\u2023*\u2013-] ?)?(\d{1,3}|[a-z])(\.\)|\)|\.)(?= )")


_LIST_OPENERS = " \u2022\u2043\u25aa\u25e6\u2023*\u2013-"


def _successor(value: str) -> str:
    return str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)


def _list_items(masked: str) -> tuple[set[int], set[int]]:
    """(cuts before the items after the first, vetoed cuts right after each enumerator) of an inline list."""
    opening = masked[:1]
    if not (opening.isdigit() or opening.islower() or opening in _LIST_OPENERS):  # most paragraphs: one test
        return set(), set()
    first = _LIST_ITEM.match(masked, _next_non_space(masked, 0))
    if first is None:
        return set(), set()
    cuts: set[int] = set()
    vetoes = {_next_non_space(masked, first.end())}
    expected, style, bullet = _successor(first.group(2)), first.group(3), (first.group(1) or "").strip()
    for item in _LIST_ITEM.finditer(masked, first.end()):
        if item.group(2) == expected and item.group(3) == style and (item.group(1) or "").strip() == bullet:
            cuts.add(item.start())
            vetoes.add(_next_non_space(masked, item.end()))
            expected = _successor(expected)
    return (cuts, vetoes) if cuts else (set(), set())


# --- Vetoes -------------------------------------------------------------------------------------------------

_TERMINALS = ".?!\u2026"
_CLOSERS = "\"')]\u201d\u2019\u00bb"
_OPENERS = "\"'([\u201c\u2018\u00ab\u201e"
_CURRENCY = "$\u20ac\u00a3\u00a5"
# A lone list number or letter: "1." then "First item." is one sentence, not two.
_ENUMERATOR = re.compile(r"\(?(?:\d{1,3}|[A-Za-z])[.)]")
_LOWER_ENUMERATOR_START = re.compile(r"[a-z][.)] ")
# Titles written before a name never end a sentence; sentencex cuts "Dr. Will Smith" because "Will" is
# one of its sentence openers.
_TITLES = frozenset(
    f"{word}."
    for word in "Mr Mrs Ms Dr Prof Gen Lt Col Capt Cpt Sgt Maj Brig Adm Cmdr Rev Sen Rep Gov Pres Hon Msgr Mt "
    "Ft".split()
)
# Abbreviations that stand before a number: "Vol. 2", "pp. 3-4", "No. 5" (sentencex misses some).
_NUMBER_ABBREVIATIONS = frozenset(
    f"{word}."
    for word in "No Nos no nos Nr nr Vol vol Vols vols p pp Fig fig Figs figs Art art Ch ch Sec sec Para para Pt pt "
    "Op op".split()
)


# "9 a.m. ET", "2 a.m. Friday": a clock time's a.m./p.m. before a time zone or a weekday does not end the sentence.
_CLOCK = frozenset({"a.m.", "p.m.", "A.M.", "P.M."})
_TIME_ZONES = frozenset("ET EST EDT CT CST CDT MT MST MDT PT PST PDT GMT BST UTC CET CEST EET EEST IST JST".split())
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())


def _starts_sentence(masked: str, cut: int) -> bool:
    """The next sentence opens with a capital (or digit, currency sign, uncased letter) after any quote
    or parenthesis, or with a lower-case list letter ("b. Second item")."""
    rest = masked[cut : cut + 8].lstrip(_OPENERS)
    if not rest:
        return False
    first = rest[0]
    if first.isupper() or first.isdigit() or first in _CURRENCY:
        return True
    if first.isalpha() and not first.islower():  # scripts without case
        return True
    return bool(_LOWER_ENUMERATOR_START.match(masked, cut))


_ENCLOSERS = re.compile('["()\u201c\u201d\u201e\u00ab\u00bb]')
# What may stand right before an opening straight quote.
_BEFORE_OPENING_QUOTE = " ([{\u2014\u2013-/:"


def _opens_sentence(masked: str, at: int) -> bool:
    """Whether the quotation mark at ``at`` stands where a sentence starts: first in the paragraph or after a
    sentence end, and before a word."""
    if at + 1 >= len(masked) or masked[at + 1] == " ":
        return False
    before = masked[:at].rstrip(" ")
    if not before:
        return True
    bare = before.rstrip(_CLOSERS)
    return bool(bare) and bare[-1] in _TERMINALS


def _enclosed(masked: str) -> tuple[list[int], list[int], int | None]:
    """Quoted and parenthesised stretches as merged, sorted (opening, closing) intervals, and where a quotation
    that runs on into the next paragraph opens (None when none does).

    Double quotes of every form pair by nesting, whatever mix of curly and straight marks the text uses
    (scraped text often opens with “ and closes with "): a straight quote opens after a space or an opening
    bracket and closes after anything else. «» and parentheses pair by nesting. Unopened closers are ignored,
    and so are unclosed openers, so a stray mark cannot swallow a paragraph, with one exception: news style
    leaves a quotation that goes on in the next paragraph open at the end of this one ("… said Sgt. Example.
    “We paid for gas. It was the right thing to do."). A single opening mark left unclosed where a sentence
    starts encloses the rest of the paragraph. Single quotes are left out: in this text they are mostly
    apostrophes (Hay'at, Mare').
    """
    spans: list[tuple[int, int]] = []
    quotes: list[int] = []
    parentheses: list[int] = []
    guillemets: list[int] = []
    for match in _ENCLOSERS.finditer(masked):
        char, at = match.group(), match.start()
        if char == '"':
            opens = at == 0 or masked[at - 1] in _BEFORE_OPENING_QUOTE
            if opens and at + 1 < len(masked) and masked[at + 1] != " ":
                quotes.append(at)
            elif not opens and quotes:
                spans.append((quotes.pop(), at))
        elif char in "\u201c\u201e":
            quotes.append(at)
        elif char == "\u201d":
            if quotes:
                spans.append((quotes.pop(), at))
        elif char == "(":
            parentheses.append(at)
        elif char == ")":
            if parentheses:
                spans.append((parentheses.pop(), at))
        elif char == "\u00ab":
            guillemets.append(at)
        elif guillemets:
            spans.append((guillemets.pop(), at))
    continued = quotes[0] if len(quotes) == 1 and _opens_sentence(masked, quotes[0]) else None
    if continued is not None:
        spans.append((continued, len(masked)))
    if not spans:
        return [], [], None
    spans.sort()
    merged: list[list[int]] = []
    for opening, close in spans:
        if merged and opening <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], close)
        else:
            merged.append([opening, close])
    return [m[0] for m in merged], [m[1] for m in merged], continued


def _inside(enclosed: tuple[list[int], list[int], int | None], cut: int) -> bool:
    openings, closings = enclosed[0], enclosed[1]
    if not openings:
        return False
    i = bisect.bisect_left(openings, cut) - 1
    return i >= 0 and cut <= closings[i]


def _accept(masked: str, previous: int, cut: int, enclosed: tuple[list[int], list[int], int | None]) -> bool:
    """Whether ``cut`` may start a new sentence, given the last accepted cut ``previous``."""
    if not previous < cut < len(masked) or masked[cut - 1] != " ":
        return False
    before = masked[previous:cut].rstrip()
    bare = before.rstrip(_CLOSERS)
    if not bare or bare[-1] not in _TERMINALS:
        return False
    if not _starts_sentence(masked, cut) or _inside(enclosed, cut):
        return False
    word = before[before.rfind(" ") + 1 :]  # the last word, the full stop included
    if word.lstrip(_OPENERS) in _TITLES:
        return False
    if word in _NUMBER_ABBREVIATIONS and masked[cut].isdigit():
        return False
    if word in _CLOCK:
        following = masked[cut : masked.find(" ", cut) % (len(masked) + 1)].rstrip(",.;")
        if following in _TIME_ZONES or following in _WEEKDAYS:
            return False
    return not (len(word) <= 4 and _ENUMERATOR.fullmatch(before.lstrip()))


# --- The reference implementation ---------------------------------------------------------------------------
# The three public functions, in Python. The native module (below) replaces them when it is built; these stay
# the specification it is tested against and the fallback when it is not.


def split_with_py(text: str, annotations: list[Annotation]) -> list[tuple[int, int]]:
    """``split_sentences`` for a caller that already found the annotations of ``text`` (in order, as
    ``find_annotations`` returns them)."""
    masked = _mask(text, annotations)
    enclosed = _enclosed(masked)
    list_cuts, vetoes = _list_items(masked)
    # A quotation that runs on into the next paragraph may start a sentence where it opens.
    continued = () if enclosed[2] is None else (enclosed[2],)
    cuts, previous = [], 0
    for cut in sorted({*_sentencex_cuts(masked), *_added_cuts(masked), *list_cuts, *continued}):
        if cut in vetoes:
            continue
        if cut in list_cuts or _accept(masked, previous, cut, enclosed):
            cuts.append(cut)
            previous = cut
    spans = []
    for start, end in pairwise([0, *cuts, len(text)]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def split_sentences_py(paragraph: str) -> list[tuple[int, int]]:
    """Raw (start, end) spans of the sentences of ``paragraph``, stripped of surrounding whitespace.

    Markers and cleanup tags after a sentence's full stop stay inside that sentence's span. The spans are
    ordered, do not overlap and together cover every non-whitespace character of the paragraph.
    """
    return split_with_py(paragraph, find_annotations_py(paragraph))


# --- Public API: the native accelerator when built ------------------------------------------------------------
# claims/importing/_segment.c is the same algorithm in C (sentencex is ~3 us a paragraph, these rules ~20 us in
# Python, ~1 us in C). It is built by scripts/build_native.py (make install / install-run). It repeats the
# constants above; when one here changes and the C does not, the two disagree and the accelerator stays off.

try:
    from . import _segment as _native
except ImportError:  # not built: the pure-Python splitter, same results, slower
    _native = None


def native_disagreements(native=_native) -> list[str]:
    """The rules the native module implements differently from this file's constants (empty: it agrees)."""
    differ = []
    for name, value in native.CONSTANTS.items():
        ours = globals().get(name)
        if isinstance(ours, re.Pattern):
            ours = ours.pattern
        if ours != value:
            differ.append(name)
    return differ


NATIVE = _native is not None and not native_disagreements()
if NATIVE:
    _native.configure(Annotation, segment, LANGUAGE, split_with_py)
    find_annotations = _native.find_annotations
    split_with = _native.split_with
    split_sentences = _native.split_sentences
else:
    find_annotations = find_annotations_py
    split_with = split_with_py
    split_sentences = split_sentences_py
