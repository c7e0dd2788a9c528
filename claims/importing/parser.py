"""Parse a scraped article (plain text) into paragraphs and sentences with markers, tags, hedges and dates.

Strings in, frozen dataclasses out; no Django here, so the parser is fast to test and fuzz and can be used
from a command, the admin upload form or an API alike.

The input format (design.md, "The article text format"):

- the first non-blank line is the title, without a trailing run of ``|``, ``-`` and spaces, when it looks
  like one (short, no sentence end, not a dated lead or a wire dateline); otherwise, and always when the
  caller gives the title, it is content like any other line. When the first line is page chrome a scraper
  kept ("Accessibility links", a masthead printed twice, a site notice, a line in the site's own script),
  the title is the longest line that looks like one before the first paragraph of prose, chrome and
  bylines left out (a headline is longer than the section labels, credits and tags around it);
- a line is prose only when it reads as a sentence (claims/importing/lines.py); every other line is junk,
  reported with its line number, its kind (table row, image or link stub, file name, hatnote, label row,
  list of names, not a sentence) and its text;
- every prose line is a paragraph. A bracket broken across lines ("….[a" then "] Next") joins the two
  lines into one paragraph, so the marker is not lost; markers at the start of a line ("…Legion.⏎[13]
  Various…") belong to the last sentence of the paragraph before;
- markers found in junk lines are returned as ``stray_markers`` so that citations can still be made.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .dates import EventDate, date_paragraph, dateline_date, heading_reference, infer_year
from .hedges import Hedge, find_hedges
from .lines import clean_title, headline_candidate, is_page_chrome, junk_kind, looks_like_title, text_script
from .references import ArticleMeta, Reference
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
    section: str = ""  # the heading the paragraph stands under (wikitext, HTML and news readers)


@dataclass(frozen=True)
class JunkLine:
    """A line that did not become a paragraph, and why."""

    line_no: int  # 1-based
    kind: str  # one of the kinds in claims/importing/lines.py: "table row", "hatnote", …
    text: str


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    year: int | None  # as given, else the most frequent year among full dates in the prose
    paragraphs: tuple[Paragraph, ...]
    junk_lines: tuple[int, ...]  # 1-based line numbers skipped as infobox/table junk
    stray_markers: tuple[Marker, ...]  # markers in junk lines and in the title line
    empty_brackets: int  # every [] dropped, junk lines included
    junk: tuple[JunkLine, ...] = ()  # the same lines with their kind and text, for the import report
    title_line: int | None = None  # 1-based line number of the line read as the title, None when none was
    # Filled by the wikitext, HTML and news readers (claims.importing.readers); plain text leaves the defaults.
    format: str = "text"
    references: tuple[Reference, ...] = ()  # what each marker label points to
    skipped: tuple[tuple[str, int], ...] = ()  # (what, how many): infoboxes, tables, files, categories…
    meta: ArticleMeta | None = None
    text: str = ""  # the plain text the claims anchor to, when the input was not plain text


class ParseError(ValueError):
    """The text cannot be imported; the message names the reason."""


# --- Lines -------------------------------------------------------------------------------------------------

_OPEN_BRACKET_AT_END = re.compile(r"\[[^\[\]]{0,40}$")
_CLOSE_BRACKET_AT_START = re.compile(r"^[^\[\]]{0,40}\]")


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


def _first_line(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if line.strip())


_HEADLINE_SEARCH = 40  # lines below page chrome looked at for the headline


def _title_index(lines: list[str], first: int) -> int | None:
    """Index of the line that is the title: the first line when it looks like one; below page chrome, the
    longest line that looks like one before the first prose line; None when there is none."""
    script = text_script("\n".join(lines[first + 1 : first + 80]))
    if not is_page_chrome(lines[first], script):
        return first if looks_like_title(lines[first], find_annotations(lines[first])) else None
    best, most = None, 0
    for index in range(first + 1, min(len(lines), first + 1 + _HEADLINE_SEARCH)):
        line = lines[index]
        if not line.strip():
            continue
        annotations = find_annotations(line)
        if junk_kind(line, annotations) is None:
            break  # the prose has begun
        words = headline_candidate(line, annotations, script)
        if words > most:
            best, most = index, words
    return best


def _leading_markers(block: str, annotations: list[Annotation]) -> int:
    """How many citation markers open the block before any text ("[13] Various militias…")."""
    count, position = 0, 0
    for note in annotations:
        if block[position : note.start].strip() or note.kind not in ("reference", "note"):
            break
        count += 1
        position = note.end
    return count


def _move_leading_markers(drafts: list[list[_Draft]], leading: list[int]) -> None:
    """Markers that open a paragraph follow the last sentence before it: they belong to it. A line of nothing but
    annotations moves whole (its cleanup tags too), onto the last sentence *with words*, so that several such
    lines in a row all reach it."""
    last: tuple[int, int] | None = None  # (paragraph, sentence) of the last sentence with words so far
    for index, paragraph in enumerate(drafts):
        if paragraph and last is not None and (leading[index] or not paragraph[0].text):
            count, first = leading[index], paragraph[0]
            previous = drafts[last[0]][last[1]]
            take = len(first.markers) if not first.text else count
            moved = tuple(Marker(m.label, m.kind, len(previous.text)) for m in first.markers[:take])
            previous = replace(previous, markers=previous.markers + moved)
            if first.text:
                paragraph[0] = replace(first, markers=first.markers[take:])
            else:
                previous = replace(
                    previous,
                    tags=previous.tags + tuple(t for t in first.tags if t not in previous.tags),
                    empty_brackets=previous.empty_brackets + first.empty_brackets,
                )
                paragraph[0] = replace(first, markers=(), tags=(), empty_brackets=0)
            drafts[last[0]][last[1]] = previous
        for position in range(len(paragraph) - 1, -1, -1):
            if paragraph[position].text:
                last = (index, position)
                break
    for paragraph in drafts:  # a line that was only markers leaves an empty sentence behind
        paragraph[:] = [d for d in paragraph if d.text or d.markers or d.tags or d.empty_brackets]


def parse_article(
    text: str, *, year: int | None = None, title: str | None = None, published: datetime.date | None = None
) -> ParsedArticle:
    """Parse an article's text. Raises ParseError (only) for empty text or text with no prose paragraph.

    With ``title`` given, the first line is content like any other; without, it is the title when it looks
    like one (else the title is the start of the first sentence). ``published``, the article's publication
    date when known, dates wire copy's "on Thursday", "yesterday"; without it, the date of a wire dateline
    that opens the first paragraph ("WASHINGTON, April 30, 2006 – …") is taken for it."""
    lines = _lines(text)
    if not any(line.strip() for line in lines):
        raise ParseError("empty text")
    first = _first_line(lines)
    strays: list[Marker] = []
    title_line = None
    title_index = _title_index(lines, first) if title is None else None
    if title_index is not None:
        title_annotations = find_annotations(lines[title_index])
        title = clean_title(lines[title_index], title_annotations)
        title_line = title_index + 1
        strays += [_marker(note, note.start) for note in title_annotations if note.kind in ("reference", "note")]
        if title_index == first:
            first += 1

    junk: list[JunkLine] = []
    empty_brackets = 0
    prose: list[tuple[int, str, list[Annotation]]] = []
    leading: list[int] = []
    for numbers, block in _blocks(lines, first):
        if numbers[0] == title_line:
            continue  # the headline below the page chrome
        annotations = find_annotations(block)
        count = _leading_markers(block, annotations)
        only_annotations = bool(annotations) and not _remove(block, annotations).strip()
        kind = None if only_annotations and prose else junk_kind(block, annotations)
        if kind is not None:
            junk += [JunkLine(n, kind, lines[n - 1].strip()) for n in numbers]
            strays += [_marker(note, note.start) for note in annotations if note.kind in ("reference", "note")]
            empty_brackets += sum(note.kind == "empty" for note in annotations)
        else:
            prose.append((numbers[0], block, annotations))
            leading.append(count)
    if not prose:
        skipped = f"{len(junk)} line{'' if len(junk) == 1 else 's'}"
        raise ParseError(f"no prose paragraphs found ({skipped} skipped as infobox/table rows)")

    drafts = [_drafts(block, annotations) for _, block, annotations in prose]
    _move_leading_markers(drafts, leading)
    kept = [i for i, paragraph in enumerate(drafts) if paragraph]  # a markers-only line joined the one before
    prose, drafts = [prose[i] for i in kept], [drafts[i] for i in kept]
    if title is None:
        opening = drafts[0][0].text
        title = opening if len(opening) <= 80 else opening[:79].rsplit(" ", 1)[0] + "\u2026"
    if year is None:
        year = infer_year([draft.text for paragraph in drafts for draft in paragraph])
    if published is None:
        published = dateline_date(prose[0][1])

    paragraphs = []
    previous_date: EventDate | None = None
    reference: datetime.date | None = None  # the nearest date so far: a new year in the text moves it on
    headings = {j.line_no: j.text for j in junk if j.kind == "not a sentence"}
    after = 0
    for index, ((line_no, block, _), sentences) in enumerate(zip(prose, drafts, strict=True)):
        # A heading with a year ("Winter escalation (November–December 2022)") dates its section's days
        # and months, whatever year the paragraphs before it ended in.
        for number in range(after + 1, line_no):
            if number in headings and (moved := heading_reference(headings[number])) is not None:
                reference = moved
        after = line_no + block.count("\n")
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
        junk_lines=tuple(line.line_no for line in junk),
        stray_markers=tuple(strays),
        empty_brackets=empty_brackets,
        junk=tuple(junk),
        title_line=title_line,
    )
