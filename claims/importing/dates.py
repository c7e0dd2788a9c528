"""Event dates of sentences: "On 28 November", "By 8 December 2024", "The next day", and inheritance.

How a sentence gets its date, in order:

1. **Leading explicit date** — the sentence *starts* with a date phrase ("On 28 November", "On the evening
   of 30 November 2024", "In the early hours of 30 November", "Concurrently on 30 November", "In October
   2024", "Starting in late 2022"). A day and month without a year take the year of the paragraph's
   current date, else the article's year. It becomes the paragraph's current date.
2. **Leading relative date** — "The next day", "By afternoon on the next day", "That day", "Two days
   later": resolved against the paragraph's current date (at the start of a paragraph, against the last
   date of the paragraph before it). Only a day-precise base is used; a relative phrase that cannot be
   resolved leaves the sentence undated (it is not inherited). It becomes the current date.
3. **Inner date** — no leading date, but exactly one "on <day> <month> [year]" inside the sentence
   ("…capturing it on 5 December"). Used as the sentence's date (origin explicit) but, being possibly a
   back-reference, it does *not* move the paragraph's current date. Years, months and dates without "on"
   inside a sentence ("…since the Aleppo offensive in 2016") are never used.
4. **Inherited** — a sentence without any date, in a chronology paragraph (one whose first sentence
   starts with a date, explicit or relative), gets the current date with origin "inherited".

Anything else has no event date.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class EventDate:
    value: datetime.date  # first day of the period for month/year precision
    precision: str  # "day" | "month" | "year"
    origin: str  # "explicit" | "relative" | "inherited"
    phrase: str  # the words found; "" when inherited


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                        "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip
MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)} | _MONTH_ABBREVIATIONS
# Month names are matched case-sensitively so that "may" and "march" stay verbs. A full name never takes a
# dot (a dot after it ends the sentence); an abbreviation may ("Dec.").
_MONTH = (
    "(?:" + "|".join(_MONTH_NAMES) + "|(?:" + "|".join(sorted(_MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")\.?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d|20)\d\d"

# The date itself, one alternative per shape; group names carry the shape.
_DATE = (
    rf"(?:(?P<d_day>\d{{1,2}}){_ORDINAL}\s+(?P<d_month>{_MONTH})(?:,?\s+(?P<d_year>{_YEAR}))?"  # 28 November
    rf"|(?P<m_month>{_MONTH})\s+(?P<m_day>\d{{1,2}}){_ORDINAL}(?!\d)(?:,\s*(?P<m_year>{_YEAR}))?"  # Nov 28, 2024
    rf"|(?P<y_month>{_MONTH})\s+(?P<y_year>{_YEAR})"  # October 2024
    rf"|(?P<year>{_YEAR}))(?![\w-])"  # 2016
)
# What may stand before a leading date. "Since" and "Until" are left out on purpose: "Since the March 2020
# ceasefire" and "Until 8 December" bound a state of affairs; they do not say when an event happened.
_CONNECTIVE = r"(?i:(?:concurrently|meanwhile|also|then|later|earlier|separately|subsequently|finally|again)\s*,?\s+)"
_PREPOSITION = (
    r"(?i:(?P<prep>on|by|in|as\s+of|from|around|during|throughout"
    r"|(?:starting|beginning)(?:\s+(?:on|in|from))?)\s+)"
)
_TIME_OF_DAY = (
    r"(?i:(?:the\s+)?(?:(?:early|late)\s+)?(?:hours|morning|afternoon|evening|night|end|beginning|start|middle)"
    r"\s+(?:of|on)\s+)"
)
_QUALIFIER = r"(?i:(?:early|mid|late)[\s-]+)"

LEADING_DATE = re.compile(rf"{_CONNECTIVE}?{_PREPOSITION}?{_TIME_OF_DAY}?{_QUALIFIER}?{_DATE}")
INNER_DATE = re.compile(rf"\bon\s+{_TIME_OF_DAY}?{_DATE}")
FULL_DATE = re.compile(r"(?=[\dA-Z])" + _DATE)  # the lookahead lets the scan skip most positions: 5x faster

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_RELATIVE_DAYS = (
    r"(?P<rel>the\s+(?:next|following|previous|same)\s+(?:day|morning|afternoon|evening|night)"
    r"|the\s+day\s+(?:after|before)"
    r"|(?:that|this)\s+(?:same\s+)?(?:day|morning|afternoon|evening|night)"
    r"|(?P<count>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s+days?\s+(?P<direction>later|after|earlier|before))"
)
LEADING_RELATIVE = re.compile(
    rf"(?i:{_CONNECTIVE}?(?:(?:on|by|in|at|during)\s+)?"
    rf"(?:(?:the\s+)?(?:(?:early|late)\s+)?(?:hours|morning|afternoon|evening|night|end)\s+(?:of|on)\s+)?"
    rf"{_RELATIVE_DAYS})\b"
)


def _date_parts(match: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a _DATE match; None where the text leaves it out."""

    def number(name: str) -> int | None:
        value = match.group(name)
        return int(value) if value else None

    def month(name: str) -> int | None:
        value = match.group(name)
        return MONTHS[value.rstrip(".")] if value else None

    if match.group("d_day"):
        return number("d_year"), month("d_month"), number("d_day")
    if match.group("m_day"):
        return number("m_year"), month("m_month"), number("m_day")
    if match.group("y_month"):
        return number("y_year"), month("y_month"), None
    return number("year"), None, None


def _make(
    parts: tuple[int | None, int | None, int | None], fallback_year: int | None
) -> tuple[datetime.date, str] | None:
    """The date and precision of (year, month, day), or None when it is not a real date."""
    year, month, day = parts
    year = year if year is not None else fallback_year
    if year is None:
        return None
    try:
        if day is not None and month is not None:
            return datetime.date(year, month, day), "day"
        if month is not None:
            return datetime.date(year, month, 1), "month"
        return datetime.date(year, 1, 1), "year"
    except ValueError:  # 31 February, year 0
        return None


def _leading_explicit(text: str, fallback_year: int | None) -> EventDate | None:
    match = LEADING_DATE.match(text)
    if not match:
        return None
    if match.group("year") and not match.group("prep"):  # "2000 fighters were killed" is not a date
        return None
    made = _make(_date_parts(match), fallback_year)
    return EventDate(made[0], made[1], "explicit", match.group().strip()) if made else None


def _relative_offset(match: re.Match[str]) -> int:
    if match.group("count"):
        count = match.group("count").lower()
        days = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        return days if match.group("direction").lower() in ("later", "after") else -days
    words = match.group("rel").lower()
    if "next" in words or "following" in words or "after" in words:
        return 1
    if "previous" in words or "before" in words:
        return -1
    return 0


def _leading_relative(text: str, base: EventDate | None) -> EventDate | None:
    match = LEADING_RELATIVE.match(text)
    if not match or base is None or base.precision != "day":
        return None
    try:
        value = base.value + datetime.timedelta(days=_relative_offset(match))
    except OverflowError:
        return None
    return EventDate(value, "day", "relative", match.group().strip())


def _inner(text: str, fallback_year: int | None) -> EventDate | None:
    matches = [m for m in INNER_DATE.finditer(text) if m.group("d_day") or m.group("m_day")]
    if len(matches) != 1:
        return None
    made = _make(_date_parts(matches[0]), fallback_year)
    return EventDate(made[0], made[1], "explicit", matches[0].group()) if made else None


@dataclass(frozen=True)
class ParagraphDates:
    dates: tuple[EventDate | None, ...]
    chronology: bool
    last: EventDate | None  # the current date at the paragraph's end (None if it had none), for the next


def date_paragraph(
    sentences: Sequence[str], *, article_year: int | None, previous: EventDate | None = None
) -> ParagraphDates:
    """Event dates for the sentences of one paragraph (see the module docstring for the rules).

    ``previous`` is the last date of the paragraph before; it only resolves a relative phrase that comes
    before this paragraph has a date of its own ("That day, revolutionaries entered…").
    """
    current: EventDate | None = None
    chronology = False
    dates: list[EventDate | None] = []
    for index, text in enumerate(sentences):
        year = current.value.year if current else article_year
        found = _leading_explicit(text, year) or _leading_relative(text, current or previous)
        if found:
            current = found
            chronology = chronology or index == 0
        elif LEADING_RELATIVE.match(text):
            pass  # "The next day" after "In October 2024": a date we cannot know is no date, not an inherited one
        else:
            found = _inner(text, year)
            if found is None and chronology and current is not None:
                found = EventDate(current.value, current.precision, "inherited", "")
        dates.append(found)
    return ParagraphDates(tuple(dates), chronology, current)


def infer_year(texts: Sequence[str]) -> int | None:
    """The article's year: the most frequent year among full dates (day, month and year), the latest on a
    tie; failing that, among month-and-year dates; None when the text has neither."""
    full: Counter[int] = Counter()
    monthly: Counter[int] = Counter()
    for text in texts:
        for match in FULL_DATE.finditer(text):
            year, month, day = _date_parts(match)
            if year is not None and month is not None:
                (full if day is not None else monthly)[year] += 1
    for counts in (full, monthly):
        if counts:
            return max(counts, key=lambda y: (counts[y], y))
    return None
