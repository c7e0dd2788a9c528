"""How statuses and event dates look, shared by the admin, the article report page and the exports' human
formats (Markdown): one place, so a date reads the same everywhere."""

import datetime

# Text colour and the highlight's tint, per claim status.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "unreviewed": ("#6b7280", "#f3f4f6"),
    "needs_source": ("#b45309", "#ffedd5"),
    "in_review": ("#1d4ed8", "#dbeafe"),
    "verified": ("#15803d", "#dcfce7"),
    "disputed": ("#be185d", "#fce7f3"),  # pink: must not read as needs_source's amber (issue #12)
    "refuted": ("#b91c1c", "#fee2e2"),
    "unverifiable": ("#7c3aed", "#ede9fe"),
}
STATUS_COLOURS: dict[str, str] = {status: colour for status, (colour, _) in STATUS_STYLE.items()}

# --- Event dates at their precision ------------------------------------------------------------------------

_MONTH_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _day(value: datetime.date, *, month: bool = True, year: bool = True) -> str:
    parts = [str(value.day)]
    if month:
        parts.append(_MONTH_ABBREVIATIONS[value.month - 1])
    if year:
        parts.append(str(value.year))
    return " ".join(parts)


def event_date_text(
    value: datetime.date | str | None, precision: str | None = "day", end: datetime.date | str | None = None
) -> str:
    """An event date as people write it, no finer than the article said it: "2018" (year precision),
    "Dec 2024" (month), "7 Dec 2024" (day); a range "6–7 Dec 2024", "28 Nov – 2 Dec 2024",
    "28 Dec 2024 – 3 Jan 2025". "" when there is no date. Accepts dates or ISO strings (exports' rows)."""
    if not value:
        return ""
    value = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    end = datetime.date.fromisoformat(end) if isinstance(end, str) and end else end or None
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{_MONTH_ABBREVIATIONS[value.month - 1]} {value.year}"
    if end is None or end <= value:
        return _day(value)
    if (value.year, value.month) == (end.year, end.month):
        return f"{value.day}\u2013{_day(end)}"
    if value.year == end.year:
        return f"{_day(value, year=False)} \u2013 {_day(end)}"
    return f"{_day(value)} \u2013 {_day(end)}"


def claim_event_date_text(claim) -> str:
    """``event_date_text`` of a Claim's own fields."""
    return event_date_text(claim.event_date, claim.event_date_precision, getattr(claim, "event_date_end", None))
