"""Parse a scraped article (plain text) into paragraphs and sentences with markers, tags, hedges and dates.

Strings in, frozen dataclasses out; no Django here, so the parser is fast to test and fuzz and can be used
from a command, the admin upload form or an API alike.

The input format (design.md, "The article text format"):

- the first non-blank line is the title, without a trailing run of ``|``, ``-`` and spaces;
- infobox and table junk is skipped and its line numbers reported: rows that start or end with a pipe or
  hold a run of pipes, rows with no prose once image stubs ``![]()``, pipes and markers are gone, and
  short label rows ("Belligerents", "Casualties and losses") that do not read as prose. A short line that
  ends like a sentence (``. ! ?`` or a citation marker) is prose: when in doubt we keep text;
- every other non-blank line is a prose paragraph. A bracket broken across lines ("….[a" then "] Next")
  joins the two lines into one paragraph, so the marker is not lost;
- markers found in junk lines are returned as ``stray_markers`` so that citations can still be made.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .dates import EventDate, date_paragraph, infer_year
from .hedges import Hedge, find_hedges
from .segment import Annotation, find_annotations, split_with


@dataclass(frozen=True)
class Marker:
    """A citation marker as the article prints it: [54], [note 3], [a]."""

    label: str  # "54", "note 3", "a": no brackets, whitespace-normalised
    kind: str  # "reference" (numeric) or "note" ("note 3", "a")
    # Where the marker stood in the cleaned Sentence.text: the length of the text before it, trailing space
    # excluded (a marker after the final full stop has offset == len(text)). For stray markers (in junk
    # lines) it is the position of the marker's "[" in its line.
    offset: int


@dataclass(frozen=True)
class Sentence:
    index: int  # 0-based within its paragraph
    text: str  # the claim text: markers, tags and [] removed, whitespace collapsed (no space left before
    # ,.;:!?) by a removal), stripped
    start: int  # span of the raw sentence, trailing markers and tags included, in Paragraph.text
    end: int
    markers: tuple[Marker, ...]
    tags: tuple[str, ...]  # cleanup-tag slugs in order of appearance, each once: "better_source_needed", …
    hedges: tuple[Hedge, ...]
    event_date: EventDate | None
    empty_brackets: int


@dataclass(frozen=True)
class Paragraph:
    index: int  # 0-based among prose paragraphs
    line_no: int  # 1-based line number of the paragraph's (first) line in the input
    text: str  # the line as in the input, rstripped (lines joined by "\n" when a bracket was broken)
    sentences: tuple[Sentence, ...]
    chronology: bool  # the first sentence starts with a date: undated sentences inherit the current date


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    year: int | None  # as given, else the most frequent year among full dates in the prose
    paragraphs: tuple[Paragraph, ...]
    junk_lines: tuple[int, ...]  # 1-based line numbers skipped as infobox/table junk
    stray_markers: tuple[Marker, ...]  # markers in junk lines and in the title line
    empty_brackets: int  # every [] dropped, junk lines included


class ParseError(ValueError):
    """The text cannot be imported; the message names the reason."""


# --- Lines -------------------------------------------------------------------------------------------------

_TITLE_TAIL = re.compile(r"[|\s-]+$")
_IMAGE_STUB = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_TABLE_ROW = re.compile(r"^\||\|$|\|\s*\|")
_OPEN_BRACKET_AT_END = re.compile(r"\[[^\[\]]{0,40}$")
_CLOSE_BRACKET_AT_START = re.compile(r"^[^\[\]]{0,40}\]")
_TERMINALS = ".!?\u2026"
_CLOSERS = "\"')]\u201d\u2019\u00bb"
# A label row of an infobox or a section heading has at most this many words; a longer line without a
# final full stop is more likely a paragraph that lost it, and is kept.
_LABEL_MAX_WORDS = 12


def _lines(text: str) -> list[str]:
    """The input's lines, rstripped; numbering follows "\\n" only, as editors count lines."""
    return [line.rstrip() for line in text.split("\n")]


def _blocks(lines: list[str], first: int) -> Iterator[tuple[list[int], str]]:
    """(line numbers, text) of each non-blank line from index ``first``, a bracket broken across lines
    ("….[a" / "] Next") joining its lines."""
    index = first
    while index < len(lines):
        numbers, text = [index + 1], lines[index]
        while (
            index + 1 < len(lines)
            and _OPEN_BRACKET_AT_END.search(text)
            and (closing := _CLOSE_BRACKET_AT_START.match(lines[index + 1]))
            and find_annotations(text[text.rfind("[") :] + "\n" + closing.group())
        ):
            index += 1
            numbers.append(index + 1)
            text = text + "\n" + lines[index]
        index += 1
        if text.strip():
            yield numbers, text


def _ends_like_prose(line: str, annotations: list[Annotation]) -> bool:
    """Ends with a citation marker, or with . ! ? (closing quotes and brackets allowed after it)."""
    if annotations and annotations[-1].kind in ("reference", "note") and not line[annotations[-1].end :].strip():
        return True
    end = len(line)
    for note in reversed(annotations):  # trailing cleanup tags do not make a sentence end
        if line[note.end : end].strip():
            break
        end = note.start
    tail = line[:end].rstrip().rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _TERMINALS


def _is_junk(line: str, annotations: list[Annotation]) -> bool:
    stripped = line.strip()
    if _TABLE_ROW.search(stripped):
        return True
    prose = _IMAGE_STUB.sub(" ", _remove(line, annotations)).replace("|", " ")
    if not any(char.isalnum() for char in prose):
        return True
    return not _ends_like_prose(line, annotations) and len(prose.split()) <= _LABEL_MAX_WORDS


def _remove(text: str, annotations: list[Annotation]) -> str:
    pieces, last = [], 0
    for note in annotations:
        pieces.append(text[last : note.start])
        last = note.end
    pieces.append(text[last:])
    return "".join(pieces)


def _marker(note: Annotation, offset: int) -> Marker:
    return Marker(note.value, note.kind, offset)


# --- Sentences ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Draft:
    """A sentence before dates are known (they need the article's year and the sentences before it)."""

    start: int
    end: int
    text: str
    markers: tuple[Marker, ...]
    tags: tuple[str, ...]
    empty_brackets: int


# Punctuation that takes no space before it: "on a day [when?]." gives "on a day.", not "on a day .".
_NO_SPACE_BEFORE = ",.;:!?)"


def _draft(text: str, start: int, end: int, annotations: list[Annotation]) -> _Draft:
    """Clean text of text[start:end]: annotations removed, whitespace collapsed, and a space that a removal
    left before closing punctuation dropped; keeps where each marker stood."""
    parts: list[str] = []
    length = 0
    pending_space = False
    after_removal = False
    markers: list[Marker] = []
    tags: list[str] = []
    empty = 0

    def add(chunk: str) -> None:
        nonlocal length, pending_space, after_removal
        words = chunk.split()
        if not words:
            pending_space = pending_space or bool(chunk)
            return
        piece = " ".join(words)
        tight = after_removal and piece[0] in _NO_SPACE_BEFORE
        if length and (pending_space or chunk[0].isspace()) and not tight:
            parts.append(" ")
            length += 1
        parts.append(piece)
        length += len(piece)
        pending_space = chunk[-1].isspace()
        after_removal = False

    position = start
    for note in annotations:
        add(text[position : note.start])
        position = note.end
        after_removal = True
        if note.kind == "tag":
            if note.value not in tags:
                tags.append(note.value)
        elif note.kind == "empty":
            empty += 1
        else:
            markers.append(_marker(note, length))
    add(text[position:end])
    return _Draft(start, end, "".join(parts), tuple(markers), tuple(tags), empty)


def _drafts(text: str, annotations: list[Annotation]) -> list[_Draft]:
    drafts, cursor = [], 0
    for start, end in split_with(text, annotations):
        # Spans cover every non-space character and a cut never falls inside a bracket, so each
        # annotation lies in exactly one span, in order.
        first = cursor
        while cursor < len(annotations) and annotations[cursor].end <= end:
            cursor += 1
        drafts.append(_draft(text, start, end, annotations[first:cursor]))
    return drafts


# --- The article -------------------------------------------------------------------------------------------


def _title(lines: list[str]) -> tuple[int, str, list[Marker]]:
    """(index of the title line, title, markers found in it)."""
    index = next(i for i, line in enumerate(lines) if line.strip())
    line = lines[index]
    annotations = find_annotations(line)
    strays = [_marker(note, note.start) for note in annotations if note.kind in ("reference", "note")]
    title = " ".join(_TITLE_TAIL.sub("", _remove(line, annotations)).lstrip("\ufeff").split())  # BOM: not space
    return index, title, strays


def parse_article(text: str, *, year: int | None = None, published: datetime.date | None = None) -> ParsedArticle:
    """Parse an article's text. Raises ParseError (only) for empty text or text with no prose paragraph.

    ``published``, the article's publication date when known, dates wire copy's "on Thursday", "yesterday"."""
    lines = _lines(text)
    if not any(line.strip() for line in lines):
        raise ParseError("empty text")
    title_index, title, strays = _title(lines)

    junk_lines: list[int] = []
    empty_brackets = 0
    prose: list[tuple[int, str, list[Annotation]]] = []
    for numbers, block in _blocks(lines, title_index + 1):
        annotations = find_annotations(block)
        if _is_junk(block, annotations):
            junk_lines += numbers
            strays += [_marker(note, note.start) for note in annotations if note.kind in ("reference", "note")]
            empty_brackets += sum(note.kind == "empty" for note in annotations)
        else:
            prose.append((numbers[0], block, annotations))
    if not prose:
        skipped = f"{len(junk_lines)} line{'' if len(junk_lines) == 1 else 's'}"
        raise ParseError(f"no prose paragraphs found ({skipped} skipped as infobox/table rows)")

    drafts = [_drafts(block, annotations) for _, block, annotations in prose]
    if year is None:
        year = infer_year([draft.text for paragraph in drafts for draft in paragraph])

    paragraphs = []
    previous_date: EventDate | None = None
    reference: datetime.date | None = None  # the nearest date so far: a new year in the text moves it on
    for index, ((line_no, block, _), sentences) in enumerate(zip(prose, drafts, strict=True)):
        dated = date_paragraph(
            [s.text for s in sentences],
            article_year=year,
            previous=previous_date,
            reference=reference,
            published=published,
        )
        previous_date, reference = dated.last, dated.reference
        paragraphs.append(
            Paragraph(
                index=index,
                line_no=line_no,
                text=block,
                sentences=tuple(
                    Sentence(
                        index=i,
                        text=s.text,
                        start=s.start,
                        end=s.end,
                        markers=s.markers,
                        tags=s.tags,
                        hedges=find_hedges(s.text),
                        event_date=event_date,
                        empty_brackets=s.empty_brackets,
                    )
                    for i, (s, event_date) in enumerate(zip(sentences, dated.dates, strict=True))
                ),
                chronology=dated.chronology,
            )
        )
        empty_brackets += sum(s.empty_brackets for s in sentences)
    return ParsedArticle(
        title=title,
        year=year,
        paragraphs=tuple(paragraphs),
        junk_lines=tuple(junk_lines),
        stray_markers=tuple(strays),
        empty_brackets=empty_brackets,
    )
