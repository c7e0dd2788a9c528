"""Event dates of sentences: "On 28 November", "By 8 December 2024", "The next day", and inheritance.

How a sentence gets its date, in order:

1. **Leading explicit date** — the sentence *starts* with a date phrase ("On 28 November", "On the evening
   of 30 November 2024", "In the early hours of 30 November", "Concurrently on 30 November", "In October
   2024", "Starting in late 2022"), or a range of days ("On 6–7 December", "Between 3 and 5 May", "From 28
   November to 2 December"), which keeps its first day as the value and its last as ``end``. It becomes
   the paragraph's current date.
2. **Leading relative date** — "The next day", "By afternoon on the next day", "That day", "Two days
   later", "Later in the same day": resolved against the latest date the text gave, leading or inside a
   sentence (at the start of a paragraph, against the last date of the paragraph before it; after a range,
   against its last day). "The following month", "A month later" give month precision (a day inside the
   sentence, "In the next month … on March 19", is finer and wins). Only a day-precise base is
   used; a relative phrase that cannot be resolved leaves the sentence undated (it is not inherited). It
   becomes the current date.
3. **Inner date** — no leading date, but exactly one "on <day> <month> [year]", one range ("from 3 to 5
   May", "between 3 and 5 May") or one "in <month> <year>" inside the sentence ("…capturing it on 5
   December", "Attacks intensified in November 2022"). Used as the sentence's date (origin explicit) but,
   being possibly a back-reference, it does *not* move the paragraph's current date. Bare years and dates
   without these prepositions inside a sentence ("…since the Aleppo offensive in 2016", "the March 2020
   ceasefire") are never used. A day and month in the sentence take their year from a date written before
   them in the same sentence ("While the shelling began in May 2022, the assault started on 1 August").
4. **Wire copy** — only when the article's publication date is known (given, or the date of a wire
   dateline that opens the text: "WASHINGTON, April 30, 2006 –"): "on Thursday", "late Wednesday",
   "Saturday night", "yesterday", "today", "this morning", "last week" (a Monday–Sunday range), "last month"
   (month precision), "last year" (year precision), counted back from that date (a weekday is the latest such
   day on or before it). A sentence that names two different days gets none.
5. **Inherited** — a sentence without any date, in a chronology paragraph (one whose first sentence
   starts with a date, explicit or relative), gets the current date with origin "inherited".

**Years.** A day and month without a year take the year that puts them nearest to the *reference*: the
last full date (day, month and year as written) or dated phrase before them, anywhere earlier in the text,
across paragraphs. So a new year in the text moves the year on, and "On 3 January" after "On 20 December"
is in the next year (rollover). Before any dated phrase, the article's year (the most frequent among its
full dates) is used. A section heading with a year ("Winter escalation (November–December 2022)", kept out
of the claims as junk) moves the reference to its first month, so a lead that mentions the end of a war does
not push the body's "On 1 August" into the wrong year. "In late 2018" is year precision; "December 2024"
month precision; "in the first week of January 2021" month precision; "In its 7 January assessment" dates
the sentence; "came into effect from 1 July 2017" too ("from" a single day only after a beginning verb).

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
    value: datetime.date  # first day of the period for month/year precision; a range's first day
    precision: str  # "day" | "month" | "year"
    origin: str  # "explicit" | "relative" | "inherited"
    phrase: str  # the words found; "" when inherited
    end: datetime.date | None = None  # a range's last day ("On 6–7 December"); None for a single date


MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
                        "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}  # fmt: skip
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)} | _MONTH_ABBREVIATIONS
# Month names are matched case-sensitively so that "may" and "march" stay verbs. A full name never takes a
# dot (a dot after it ends the sentence); an abbreviation may ("Dec.").
_MONTH = (
    "(?:" + "|".join(MONTH_NAMES) + "|(?:" + "|".join(sorted(_MONTH_ABBREVIATIONS, key=len, reverse=True)) + r")\.?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d|20)\d\d"

# A range of days: "6–7 December", "3 to 5 May 2022", "between 3 and 5 May", "28 November – 2 December".
_RANGE = (
    rf"(?P<r_day1>\d{{1,2}}){_ORDINAL}(?:\s+(?P<r_month1>{_MONTH}))?(?:,?\s+(?P<r_year1>{_YEAR}))?"
    rf"(?:\s*[\u2013\u2014-]\s*|\s+(?:to|and|until|till|through)\s+)"
    rf"(?P<r_day2>\d{{1,2}}){_ORDINAL}\s+(?P<r_month2>{_MONTH})(?:,?\s+(?P<r_year2>{_YEAR}))?"
)
# The date itself, one alternative per shape; group names carry the shape.
_DATE = (
    rf"(?:{_RANGE}"
    rf"|(?P<d_day>\d{{1,2}}){_ORDINAL}\s+(?P<d_month>{_MONTH})(?:,?\s+(?P<d_year>{_YEAR}))?"  # 28 November
    # "Nov 28, 2024", and "March 4 2022" without the comma when the year is one of this era's (a bare "1500"
    # after the day is more likely a count: "on March 4 1500 soldiers").
    rf"|(?P<m_month>{_MONTH})\s+(?P<m_day>\d{{1,2}}){_ORDINAL}(?!\d)"
    rf"(?:(?:,\s*|\s+(?=(?:19|20)\d\d(?!\d)))(?P<m_year>{_YEAR}))?"
    rf"|(?P<y_month>{_MONTH})(?:\s+(?P<y_year>{_YEAR}))?"  # October 2024; "In October" after a preposition
    rf"|(?P<year>{_YEAR}))(?![\w-])"  # 2016
)
# What may stand before a leading date. "Since" and "Until" are left out on purpose: "Since the March 2020
# ceasefire" and "Until 8 December" bound a state of affairs; they do not say when an event happened.
_CONNECTIVE = r"(?i:(?:concurrently|meanwhile|also|then|later|earlier|separately|subsequently|finally|again)\s*,?\s+)"
_PREPOSITION = (
    r"(?i:(?P<prep>on|by|in|as\s+of|from|between|around|during|throughout"
    r"|(?:starting|beginning)(?:\s+(?:on|in|from))?)\s+)"
)
_TIME_OF_DAY = (
    r"(?i:(?:the\s+)?(?:(?:early|late)\s+)?(?:hours|morning|afternoon|evening|night|end|beginning|start|middle)"
    r"\s+(?:of|on)\s+)"
)
_QUALIFIER = r"(?i:(?:early|mid|late)[\s-]+)"

# "In the first week of January 2021", "in the last days of December", "in the second half of March": a part
# of a month dates the sentence to that month.
_PART_OF = (
    r"(?i:the\s+(?:(?:first|second|third|fourth|last|final|closing|opening)\s+(?:week|weeks|days|half|fortnight)"
    r"|(?:first|second)\s+half)\s+of\s+)"
)
LEADING_DATE = re.compile(rf"{_CONNECTIVE}?{_PREPOSITION}?(?:{_TIME_OF_DAY}|{_PART_OF})?{_QUALIFIER}?{_DATE}")
# A dated report, statement or speech that the sentence reports on: "In its 7 January assessment, the ISW…",
# "In their June 2 report", "At a 3 March press conference". The noun is required: "In the March 2020
# ceasefire agreement" names an earlier event and does not date the sentence.
_DOCUMENT = (
    r"(?i:(?:\w+\s+)?(?:report|assessment|update|statement|briefing|interview|speech|address|post|video|bulletin"
    r"|article|message|announcement|press\s+(?:conference|release|briefing)))\b"
)
DOCUMENT_DATE = re.compile(
    rf"{_CONNECTIVE}?(?i:in|at|during)\s+(?i:its|their|his|her|our|a|an|the)\s+{_DATE}\s+{_DOCUMENT}"
)
INNER_DATE = re.compile(rf"\b(?P<inner>on|between|from|in)\s+(?:{_TIME_OF_DAY}|{_PART_OF})?{_QUALIFIER}?{_DATE}")
# "came into effect from 1 July 2017", "began from 3 May": "from" a single day dates the start of what the
# verb says begins. Elsewhere "from 3 May" is the start of a period ("from 3 May onwards") and dates nothing.
_BEGINS = re.compile(
    r"(?i:\b(?:effect|force|effective|began|begun|begins|started|starts|commenced|valid|applicable))\s+$"
)
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

# "The following month", "Later that month", "In the next month": a month after (or the same as) the date
# before, month precision.
LEADING_RELATIVE_MONTH = re.compile(
    rf"(?i:{_CONNECTIVE}?(?:(?:in|by|during)\s+)?"
    r"(?P<rel>the\s+(?:next|following|previous|same)\s+month|(?:that|this)\s+(?:same\s+)?month"
    r"|(?:(?P<count>\d{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r")|a)\s+months?\s+(?P<direction>later|after|earlier|before)))\b"
)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Wire copy dates events by the day of the week and "yesterday", counted back from its publication date.
# Weekday names are matched case-sensitively ("a Sunday market" would still match: a rare, cheap miss).
WIRE_RELATIVE = re.compile(
    r"(?:\b(?i:(?:late|early)\s+(?:on\s+)?)|\b(?i:on)\s+)?(?:(?i:the\s+)?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    r"(?:\s+(?i:morning|afternoon|evening|night))?"
    r"|\b(?P<word>(?i:yesterday|today|tonight|last\s+(?:week|month|year)|(?:earlier\s+)?this\s+(?:week|month)"
    r"|this\s+(?:morning|afternoon|evening))\b))"
)
# A wire dateline that opens a story gives the day it was filed: "WASHINGTON, April 30, 2006 –", "MOORE,
# Okla., May 26, 2013 —", "BEIRUT, 3 May 2021 (Reuters) -". The place is in capitals; the date is a full one.
DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'\u2019 -]{1,40}(?:,\s*[A-Z][\w.'\u2019 ]{1,30})?,\s*"
    rf"(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),\s*|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})\s+)(?P<year>{_YEAR})"
    r"\s*(?:\([^()]{1,40}\)\s*)?(?:[-\u2013\u2014]{1,2})\s"
)


def dateline_date(text: str) -> datetime.date | None:
    """The date of the wire dateline ``text`` opens with, or None."""
    match = DATELINE.match(text)
    if match is None:
        return None
    month = MONTHS[(match.group("month") or match.group("month2")).rstrip(".")]
    try:
        return datetime.date(int(match.group("year")), month, int(match.group("day") or match.group("day2")))
    except ValueError:
        return None


def _number(match: re.Match[str], name: str) -> int | None:
    value = match.group(name)
    return int(value) if value else None


def _month(match: re.Match[str], name: str) -> int | None:
    value = match.group(name)
    return MONTHS[value.rstrip(".")] if value else None


def _date_parts(match: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a _DATE match (a range's first day); None where the text leaves it out."""
    if match.group("r_day1"):
        return (
            _number(match, "r_year1"),
            _month(match, "r_month1") or _month(match, "r_month2"),
            _number(match, "r_day1"),
        )
    if match.group("d_day"):
        return _number(match, "d_year"), _month(match, "d_month"), _number(match, "d_day")
    if match.group("m_day"):
        return _number(match, "m_year"), _month(match, "m_month"), _number(match, "m_day")
    if match.group("y_month"):
        return _number(match, "y_year"), _month(match, "y_month"), None
    return _number(match, "year"), None, None


def _nearest_year(month: int, day: int, reference: datetime.date) -> int | None:
    """The year that puts day/month nearest to the reference date: "On 3 January" after 20 December 2022 is
    in 2023 (the rollover), "On 28 December" after 5 January 2023 is in 2022."""
    best: tuple[int, int] | None = None
    for year in (reference.year + 1, reference.year, reference.year - 1):  # later first: it wins a tie
        try:
            distance = abs((datetime.date(year, month, day) - reference).days)
        except ValueError:  # 29 February
            continue
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


@dataclass(frozen=True)
class _Context:
    """What a date without its year is read against."""

    reference: datetime.date | None  # the nearest date with a month before the phrase, in the whole text
    fallback_year: int | None  # the article's year, when the text has no dated phrase before

    def year_for(self, month: int, day: int) -> int | None:
        if self.reference is not None:
            return _nearest_year(month, day, self.reference)
        return self.fallback_year


def _make(parts: tuple[int | None, int | None, int | None], context: _Context) -> tuple[datetime.date, str] | None:
    """The date and precision of (year, month, day), or None when it is not a real date."""
    year, month, day = parts
    if year is None and month is not None:
        year = context.year_for(month, day or 15)  # "In December": the December nearest the reference
    elif year is None:
        year = context.fallback_year
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


def _event(match: re.Match[str], context: _Context, origin: str, phrase: str) -> EventDate | None:
    """The EventDate of a _DATE match: a single date, or a range with its first and last day."""
    if not match.group("r_day1"):
        made = _make(_date_parts(match), context)
        return EventDate(made[0], made[1], origin, phrase) if made else None
    last = _make((_number(match, "r_year2"), _month(match, "r_month2"), _number(match, "r_day2")), context)
    if last is None:
        return None
    year, month, day = _date_parts(match)
    if year is None:  # "28 December – 3 January 2025": the first day is in the year before
        year = last[0].year if (month, day) <= (last[0].month, last[0].day) else last[0].year - 1
    first = _make((year, month, day), context)
    if first is None or first[0] >= last[0]:
        return None
    return EventDate(first[0], "day", origin, phrase, end=last[0])


def _leading_explicit(text: str, context: _Context) -> EventDate | None:
    match = LEADING_DATE.match(text)
    if not match:
        document = DOCUMENT_DATE.match(text)
        if document is None or document.group("year"):
            return None
        return _event(document, context, "explicit", document.group().strip())
    if match.group("year") and not match.group("prep"):  # "2000 fighters were killed" is not a date
        return None
    if match.group("y_month") and not match.group("y_year") and not match.group("prep"):
        return None  # "March on Damascus", "May Day": a month alone needs "in", "by", "during"…
    if match.group("prep") and match.group("prep").lower() == "between" and not match.group("r_day1"):
        return None  # "Between 2016 and 2020" and the like: not a day range
    return _event(match, context, "explicit", match.group().strip())


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
        value = (base.end or base.value) + datetime.timedelta(days=_relative_offset(match))
    except OverflowError:
        return None
    return EventDate(value, "day", "relative", match.group().strip())


def _leading_relative_month(text: str, base: EventDate | None) -> EventDate | None:
    match = LEADING_RELATIVE_MONTH.match(text)
    if not match or base is None or base.precision == "year":
        return None
    words = match.group("rel").lower()
    if match.group("direction"):
        count = (match.group("count") or "1").lower()
        months = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        months = months if match.group("direction").lower() in ("later", "after") else -months
    else:
        months = 1 if ("next" in words or "following" in words) else -1 if "previous" in words else 0
    start = base.end or base.value
    index = start.year * 12 + start.month - 1 + months
    if not 1 <= index // 12 <= 9999:
        return None
    return EventDate(datetime.date(index // 12, index % 12 + 1, 1), "month", "relative", match.group().strip())


def heading_reference(text: str) -> datetime.date | None:
    """The date a section heading puts its section in: "Winter escalation (November–December 2022)" is in
    November 2022, "1941" in the middle of 1941; None when the heading names no year. A day and month without
    a year in the section then take the year nearest to it, whatever the lead before said."""
    year = re.search(rf"(?<!\d){_YEAR}(?!\d)", text)
    if year is None:
        return None
    month = re.search(r"\b(?:" + "|".join(MONTH_NAMES) + r")\b", text)
    return datetime.date(int(year.group()), MONTHS[month.group()] if month else 7, 1)


def _inner(text: str, context: _Context) -> EventDate | None:
    days, months = [], []
    for m in INNER_DATE.finditer(text):
        inner = m.group("inner").lower()
        day = m.group("d_day") or m.group("m_day")
        if (
            (inner == "on" and (day or m.group("r_day1")))
            or (inner in ("between", "from") and m.group("r_day1"))  # not "from 3 May onwards"
            or (inner == "from" and day and _BEGINS.search(text, max(0, m.start() - 24), m.start()))
        ):
            days.append(m)
        elif inner == "in" and m.group("y_month") and m.group("y_year"):  # "in November 2022"
            months.append(m)
    # A day is the finer date: "began in May 2022, … started on 1 August" is dated 1 August.
    matches = days or months
    if len(matches) != 1:
        return None
    context = _Context(_reference_at(text, matches[0].start(), context.reference), context.fallback_year)
    return _event(matches[0], context, "explicit", matches[0].group())


# A weekday in a clause about what is still to come counts forward: "talks will resume on Thursday", "the vote
# is due on Friday", "next Monday". Only the words right before the weekday in the same clause are read, so
# "said on Monday that it will withdraw" keeps Monday in the past. Wire style names today's date by its
# weekday too, so a future weekday may be the publication day itself.
_FUTURE_BEFORE = re.compile(
    r"(?i:\b(?:will|shall|won't|(?:is|are)\s+(?:due|scheduled|set|expected|planned|going|to)|plans?\s+to"
    r"|intends?\s+to)\b[^.;,:]{0,60}$|\b(?:next|(?:this\s+)?coming)\s+$)"
)


def _wire(text: str, published: datetime.date | None) -> EventDate | None:
    """ "On Thursday", "late Wednesday", "yesterday", "last week" counted back from the publication date;
    None without one, or when the sentence names two different days."""
    if published is None:
        return None
    found = {(m.group("weekday") or m.group("word").lower()): m for m in WIRE_RELATIVE.finditer(text)}
    if len(found) != 1:
        return None
    ((key, match),) = found.items()
    phrase = match.group().strip()
    if match.group("weekday"):
        if _FUTURE_BEFORE.search(text, 0, match.start()):  # the next such day after publication
            ahead = (_WEEKDAYS.index(key) - published.weekday()) % 7
            return EventDate(published + datetime.timedelta(days=ahead), "day", "relative", phrase)
        back = (published.weekday() - _WEEKDAYS.index(key)) % 7  # the latest such day on or before it
        return EventDate(published - datetime.timedelta(days=back), "day", "relative", phrase)
    words = " ".join(key.split())
    monday = published - datetime.timedelta(days=published.weekday())
    if words in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return EventDate(published, "day", "relative", phrase)
    if words == "yesterday":
        return EventDate(published - datetime.timedelta(days=1), "day", "relative", phrase)
    if words == "last week":
        start = monday - datetime.timedelta(days=7)
        return EventDate(start, "day", "relative", phrase, end=start + datetime.timedelta(days=6))
    if words in ("this week", "earlier this week"):
        if monday == published:
            return EventDate(published, "day", "relative", phrase)
        return EventDate(monday, "day", "relative", phrase, end=published)
    if words in ("this month", "earlier this month"):
        return EventDate(published.replace(day=1), "month", "relative", phrase)
    if words == "last month":
        previous = published.replace(day=1) - datetime.timedelta(days=1)
        return EventDate(previous.replace(day=1), "month", "relative", phrase)
    return EventDate(datetime.date(published.year - 1, 1, 1), "year", "relative", phrase)  # last year


# A month and year that names a thing rather than dating the sentence: "the March 2020 ceasefire",
# "since the March 2020 agreement". It does not move the reference.
_ATTRIBUTIVE = re.compile(r"(?i:\b(?:the|a|an|since|until|till|before)\s+)$")


def _mentions(text: str) -> list[tuple[int, datetime.date]]:
    """(position, date) of each date written with its year in the text: full dates ("1 August 2022", "August
    1, 2022", a range's last day) and months ("in May 2022"), in order."""
    found = []
    for match in FULL_DATE.finditer(text):
        if match.group("r_year2"):
            parts = (_number(match, "r_year2"), _month(match, "r_month2"), _number(match, "r_day2"))
        elif (match.group("d_year") and match.group("d_day")) or (match.group("m_year") and match.group("m_day")):
            parts = _date_parts(match)
        elif match.group("y_month") and match.group("y_year"):
            if _ATTRIBUTIVE.search(text, max(0, match.start() - 12), match.start()):
                continue
            parts = _date_parts(match)
        else:
            continue
        made = _make(parts, _Context(None, None))
        if made is not None:
            found.append((match.start(), made[0]))
    return found


def _reference_at(text: str, position: int, reference: datetime.date | None) -> datetime.date | None:
    """The reference for a phrase at ``position``: the last date with its year written before it in the same
    sentence ("While the shelling began in May 2022, the assault started on 1 August"), else the one before."""
    before = [day for at, day in _mentions(text) if at < position]
    return before[-1] if before else reference


def _moved_reference(text: str, found: EventDate | None, reference: datetime.date | None) -> datetime.date | None:
    """The reference after a sentence: its last date written with its year, else its own dated phrase with
    a month, else unchanged."""
    mentions = _mentions(text)
    if mentions:
        return mentions[-1][1]
    if found is not None and found.precision in ("day", "month") and found.origin != "inherited":
        return found.end or found.value
    return reference


@dataclass(frozen=True)
class ParagraphDates:
    dates: tuple[EventDate | None, ...]
    chronology: bool
    last: EventDate | None  # the latest date the paragraph gave (None if it had none), for the next
    reference: datetime.date | None = None  # the nearest date before the next paragraph, for its years


def date_paragraph(
    sentences: Sequence[str],
    *,
    article_year: int | None,
    previous: EventDate | None = None,
    reference: datetime.date | None = None,
    published: datetime.date | None = None,
) -> ParagraphDates:
    """Event dates for the sentences of one paragraph (see the module docstring for the rules).

    ``previous`` is the last date of the paragraph before; it only resolves a relative phrase that comes
    before this paragraph has a date of its own ("That day, revolutionaries entered…"). ``reference`` is the
    nearest date before this paragraph in the whole text: a day and month without a year take the year that
    puts them nearest to it. ``published`` is the article's publication date, for wire copy's "on Thursday".
    """
    current: EventDate | None = None
    # The latest date the text gave, leading or inside a sentence: what "the next day" and "the following
    # month" count from ("…shelling on 23 November. The next day, …" is 24 November).
    latest: EventDate | None = None
    chronology = False
    dates: list[EventDate | None] = []
    for index, text in enumerate(sentences):
        context = _Context(reference, article_year)
        base = latest or current or previous
        found = _leading_explicit(text, context) or _leading_relative(text, base)
        if found is None and LEADING_RELATIVE_MONTH.match(text):
            # "In the next month … were killed on March 19": the day inside is finer than the month.
            inner = _inner(text, context)
            found = inner if inner is not None and inner.precision == "day" else _leading_relative_month(text, base)
        if found is None and published is not None and (leading := WIRE_RELATIVE.match(text)) and leading.start() == 0:
            found = _wire(text, published)
        if found:
            current = found
            chronology = chronology or index == 0
        elif LEADING_RELATIVE.match(text) or LEADING_RELATIVE_MONTH.match(text):
            pass  # "The next day" after "In October 2024": a date we cannot know is no date, not an inherited one
        else:
            found = _inner(text, context) or _wire(text, published)
            if found is None and chronology and current is not None:
                found = EventDate(current.value, current.precision, "inherited", "", current.end)
        dates.append(found)
        if found is not None and found.origin != "inherited":
            latest = found
        reference = _moved_reference(text, found, reference)
    return ParagraphDates(tuple(dates), chronology, latest or current, reference)


def infer_year(texts: Sequence[str]) -> int | None:
    """The article's year: the most frequent year among full dates (day, month and year), the latest on a
    tie; failing that, among month-and-year dates; None when the text has neither."""
    full: Counter[int] = Counter()
    monthly: Counter[int] = Counter()
    for text in texts:
        for match in FULL_DATE.finditer(text):
            year, month, day = _date_parts(match)
            if match.group("r_day1"):
                year = _number(match, "r_year2")
            if year is not None and month is not None:
                (full if day is not None else monthly)[year] += 1
    for counts in (full, monthly):
        if counts:
            return max(counts, key=lambda y: (counts[y], y))
    return None
