"""What a reader knows about each reference and about the article itself, beyond the plain text.

The plain-text parser only sees markers (``[54]``); the wikitext, HTML and news readers also know where each
reference points. These dataclasses carry that to the import service, which fills the article's Citations
from them. Pure Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# Reference fields as the Citation model stores them (model max lengths, so a long title never fails a save).
LIMITS = {"url": 1000, "archive_url": 1000, "title": 500, "author": 300, "publisher": 200}


@dataclass(frozen=True)
class Reference:
    """One reference of the article, by the label its markers carry (``54``, ``a``, ``note 3``)."""

    label: str
    kind: str = "reference"  # "reference" or "note", as Marker.kind
    url: str = ""
    title: str = ""
    author: str = ""
    publisher: str = ""  # the work or publisher as the reference names it ("The Guardian", "Reuters")
    published: date | None = None
    accessed: date | None = None
    archive_url: str = ""
    quote: str = ""
    text: str = ""  # the reference as a reader would see it, when no field could be told apart
    # (name, value) pairs such as ("doi", "10.1038/x"), ("isbn", "978-0-19-…"): see identifiers.py
    identifiers: tuple[tuple[str, str], ...] = ()

    def cleaned(self) -> Reference:
        """Whitespace collapsed, lengths within the model's limits, only http(s) URLs kept."""
        values = {}
        for name in ("url", "title", "author", "publisher", "archive_url", "quote", "text"):
            value = " ".join(str(getattr(self, name) or "").split())
            if name in ("url", "archive_url") and not re.match(r"^https?://[^\s/]+", value):
                value = ""
            values[name] = value[: LIMITS[name]] if name in LIMITS else value
        return Reference(
            self.label, self.kind, published=self.published, accessed=self.accessed,
            identifiers=tuple((name, value[:100]) for name, value in self.identifiers if value), **values,
        )  # fmt: skip


@dataclass(frozen=True)
class ArticleMeta:
    """What a page says about itself (news pages: byline, date, outlet; wiki pages: their address)."""

    url: str = ""
    author: str = ""
    published: date | None = None
    publisher: str = ""
    language: str = ""


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")


def parse_date(value: str) -> date | None:
    """A full calendar date as references write it (2024-12-01, 1 December 2024, December 1, 2024), else
    None: a month or a year alone is not a day, and a wrong day is worse than none."""
    value = " ".join((value or "").replace("\u00a0", " ").split()).strip(" .")
    if not value:
        return None
    try:
        if match := _ISO.match(value):
            return date(*(int(part) for part in match.groups()))
        if match := _DAY_MONTH_YEAR.match(value):
            day, month, year = match.groups()
        elif match := _MONTH_DAY_YEAR.match(value):
            month, day, year = match.groups()
        else:
            return None
        number = _MONTHS.get(month.lower())
        return date(int(year), number, int(day)) if number else None
    except ValueError:
        return None


def parse_iso_datetime(value: str) -> date | None:
    """The date part of an ISO 8601 timestamp (page metadata), else parse_date."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except (ValueError, AttributeError):
        return parse_date(value or "")
