"""Sentence segmentation of one paragraph: sentencex, plus the few rules it was measured to miss.

sentencex (Wikimedia's rule-based segmenter) already handles most of English: abbreviations (U.S., Lt. Gen.,
No. 5), initials, decimals, a.m./p.m., e-mail addresses, URLs and numeric markers after a full stop. We
run it on a *masked* copy of the paragraph in which citation markers, cleanup tags and empty ``[]`` are
blanked out with spaces of the same length, so that

- offsets stay valid in the original text (the mask never changes a length),
- sentencex never sees ``[a]`` or ``[ better source needed ]`` as the start of the next sentence, and
- the cut between two sentences falls *after* the markers that follow a full stop: they belong to the
  sentence they follow.

On top of sentencex's cuts we add two kinds of cut it misses and veto cuts our rule forbids (a sentence
ends at ``. ? !`` followed by whitespace and a capital, never inside quotes or parentheses, never after a
title such as "Dr."). The measurements that justify each rule are in tests/importing/test_segment.py.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import pairwise

from sentencex import get_sentence_boundaries

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


@dataclass(frozen=True)
class Annotation:
    """A bracket group the parser removes from claim text: a marker, a cleanup tag or an empty []."""

    start: int
    end: int
    kind: str  # "reference" | "note" | "tag" | "empty"
    value: str  # the whitespace-normalised label for markers, the slug for tags, "" for []


def _is_image_stub(text: str, start: int, end: int) -> bool:
    return start > 0 and text[start - 1] == "!" and text.startswith("(", end)


def find_annotations(text: str) -> list[Annotation]:
    """Every marker, cleanup tag and empty [] in ``text``, in order. Other bracket text ([sic]) is prose."""
    found = []
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
        found.append(Annotation(match.start(), match.end(), kind, value))
    return found


# --- Masking ----------------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s")
# The Rust extension cannot take lone surrogates; one replacement character keeps the length.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _mask(text: str, annotations: list[Annotation]) -> str:
    """Same length as ``text``: annotations blanked, every whitespace character a plain space."""
    masked = _SURROGATE.sub("\ufffd", _WHITESPACE.sub(" ", text))
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
    boundaries = get_sentence_boundaries(LANGUAGE, masked)
    return [_next_non_space(masked, max(0, min(len(masked), b["start_index"]))) for b in boundaries[1:]]


# Missed by sentencex: a sentence that closes a parenthesis, "(See below.) Next".
_CLOSED_PARENTHESIS = re.compile(r"[.?!\u2026][\"'\u201d\u2019]*\)(?= )")
# Missed by sentencex: its English abbreviation list holds ordinary words that often end a sentence
# ("told me.", "in May.", "it was OK."), so it does not cut before a capital unless that word is a common
# sentence opener. Case-sensitive on purpose: "Ill." is Illinois.
_ORDINARY_WORD_END = re.compile(r"(?<![\w.])(?:me|ok|OK|ill|may|May|art|miss)\.(?= )")


def _added_cuts(masked: str) -> list[int]:
    ends = [m.end() for m in _CLOSED_PARENTHESIS.finditer(masked)]
    ends += [m.end() for m in _ORDINARY_WORD_END.finditer(masked)]
    return [_next_non_space(masked, end) for end in ends]


# --- Vetoes -------------------------------------------------------------------------------------------------

_TERMINALS = ".?!\u2026"
_CLOSERS = "\"')]\u201d\u2019\u00bb"
_OPENERS = "\"'([\u201c\u2018\u00ab"
_CURRENCY = "$\u20ac\u00a3\u00a5"
# A lone list number or letter: "1." then "First item." is one sentence, not two.
_ENUMERATOR = re.compile(r"\(?(?:\d{1,3}|[A-Za-z])[.)]")
_LOWER_ENUMERATOR_START = re.compile(r"[a-z][.)] ")
# Titles written before a name never end a sentence; sentencex cuts "Dr. Will Smith" because "Will" is
# one of its sentence openers.
_TITLE_END = re.compile(
    r"(?<![\w.])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Capt|Cpt|Sgt|Maj|Brig|Adm|Cmdr|Rev|Sen|Rep|Gov|Pres|Hon"
    r"|Msgr|Mt|Ft)\.$"
)
# Abbreviations that stand before a number: "Vol. 2", "pp. 3-4", "No. 5" (sentencex misses some).
_NUMBER_ABBREVIATION_END = re.compile(
    r"(?<![\w.])(?:No|Nos|no|nos|Nr|nr|Vol|vol|Vols|vols|p|pp|Fig|fig|Figs|figs|Art|art|Ch|ch|Sec|sec"
    r"|Para|para|Pt|pt|Op|op)\.$"
)


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


_ENCLOSERS = re.compile('["()\u201c\u201d\u00ab\u00bb]')


def _enclosed(masked: str) -> tuple[list[int], list[int]]:
    """Quoted and parenthesised stretches as merged, sorted (opening, closing) intervals.

    Straight double quotes pair in order of appearance (an odd last one is ignored); curly quotes, «» and
    parentheses pair by nesting (unclosed openers are ignored, so a stray "(" cannot swallow a paragraph).
    Single quotes are left out: in this text they are mostly apostrophes (Hay'at, Mare').
    """
    spans: list[tuple[int, int]] = []
    straight: list[int] = []
    stacks: dict[str, list[int]] = {"(": [], "\u201c": [], "\u00ab": []}
    closing = {")": "(", "\u201d": "\u201c", "\u00bb": "\u00ab"}
    for match in _ENCLOSERS.finditer(masked):
        char, at = match.group(), match.start()
        if char == '"':
            straight.append(at)
        elif char in stacks:
            stacks[char].append(at)
        elif stacks[closing[char]]:
            spans.append((stacks[closing[char]].pop(), at))
    spans += list(zip(straight[0::2], straight[1::2], strict=False))
    spans.sort()
    merged: list[list[int]] = []
    for opening, close in spans:
        if merged and opening <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], close)
        else:
            merged.append([opening, close])
    return [m[0] for m in merged], [m[1] for m in merged]


def _inside(enclosed: tuple[list[int], list[int]], cut: int) -> bool:
    openings, closings = enclosed
    i = bisect.bisect_left(openings, cut) - 1
    return i >= 0 and cut <= closings[i]


def _accept(masked: str, previous: int, cut: int, enclosed: tuple[list[int], list[int]]) -> bool:
    """Whether ``cut`` may start a new sentence, given the last accepted cut ``previous``."""
    if not previous < cut < len(masked) or masked[cut - 1] != " ":
        return False
    before = masked[previous:cut].rstrip()
    if not before.rstrip(_CLOSERS) or before.rstrip(_CLOSERS)[-1] not in _TERMINALS:
        return False
    if not _starts_sentence(masked, cut) or _inside(enclosed, cut):
        return False
    if _ENUMERATOR.fullmatch(before.lstrip()) or _TITLE_END.search(before):
        return False
    return not (_NUMBER_ABBREVIATION_END.search(before) and masked[cut].isdigit())


# --- Public API ---------------------------------------------------------------------------------------------


def split_with(text: str, annotations: list[Annotation]) -> list[tuple[int, int]]:
    """``split_sentences`` for a caller that already found the annotations of ``text``."""
    masked = _mask(text, annotations)
    enclosed = _enclosed(masked)
    cuts, previous = [], 0
    for cut in sorted(set(_sentencex_cuts(masked) + _added_cuts(masked))):
        if _accept(masked, previous, cut, enclosed):
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


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Raw (start, end) spans of the sentences of ``paragraph``, stripped of surrounding whitespace.

    Markers and cleanup tags after a sentence's full stop stay inside that sentence's span. The spans are
    ordered, do not overlap and together cover every non-whitespace character of the paragraph.
    """
    return split_with(paragraph, find_annotations(paragraph))
