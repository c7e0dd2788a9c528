"""The article report page's content: the article's text with each claim highlighted in its status colour,
citation markers turned into footnote links, the footnotes, and a timeline of dated claims (inline SVG).

Read-only and printable; built with a fixed number of queries (article, revision, claims, their citation
links, the article's citations). Claims are placed with their anchor: `paragraph_index` indexes the prose
paragraphs of `claims.importing.parse_article(revision.text)`, `start`/`end` are offsets in that
paragraph's text. Claims anchored to another revision, orphaned, or whose offsets no longer fit are
listed below the text instead of being highlighted in the wrong place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ..display import STATUS_STYLE, claim_event_date_text
from ..importing import ParseError, parse_article
from ..models import Article, Citation, Claim, ClaimCitation, ClaimStatus
from .as_markdown import label_order

_BRACKET = re.compile(r"\[([^\[\]\n]{0,60})\]")
_MARKER_LIKE = re.compile(r"^(\d+|note \d+|[a-z])$", re.IGNORECASE)


@dataclass
class Piece:
    kind: str  # "text", "marker" (a citation footnote link), "tag" (a cleanup tag), "claim" (a highlight)
    text: str = ""
    anchor: str = ""  # footnote id for markers
    claim: Claim | None = None
    pieces: list[Piece] = field(default_factory=list)  # a claim's own pieces


def safe_url(url: str) -> str:
    """Only http(s) URLs become links (a stored "javascript:" URL must never be clickable)."""
    return url if re.match(r"^https?://", url or "", re.IGNORECASE) else ""


def footnote_id(label: str) -> str:
    return "fn-" + (re.sub(r"[^0-9A-Za-z]+", "-", label).strip("-") or "ref")


def paragraphs_of(text: str, title: str | None = None) -> list[str]:
    """The paragraphs as the import saw them (``title``: the title it was given, so the first line was content)."""
    try:
        return [paragraph.text for paragraph in parse_article(text, title=title).paragraphs]
    except ParseError:
        return []


def inline(text: str, labels: set[str], used: set[str]) -> list[Piece]:
    """Raw paragraph text → text, citation markers (linked when the article has that citation) and tags."""
    pieces: list[Piece] = []
    last = 0
    for match in _BRACKET.finditer(text):
        if match.start() > last:
            pieces.append(Piece("text", text[last : match.start()]))
        label = " ".join(match.group(1).split())
        if not label:
            pass  # "[]": dropped, as the importer drops it
        elif label in labels:
            used.add(label)
            pieces.append(Piece("marker", label, anchor=footnote_id(label)))
        elif _MARKER_LIKE.match(label):
            pieces.append(Piece("marker", label))
        else:
            pieces.append(Piece("tag", label))
        last = match.end()
    if last < len(text):
        pieces.append(Piece("text", text[last:]))
    return pieces


def place(text: str, claims: list[Claim], labels: set[str], used: set[str]) -> tuple[list[Piece], list[Claim]]:
    """One paragraph: its claims highlighted where their offsets say. Returns (pieces, claims not placed)."""
    pieces: list[Piece] = []
    unplaced: list[Claim] = []
    cursor = 0
    for claim in sorted(claims, key=lambda c: (c.start, c.end, c.pk)):
        if claim.start < cursor or claim.end > len(text) or claim.end <= claim.start:
            unplaced.append(claim)  # overlapping or out of range: listed, not guessed
            continue
        pieces += inline(text[cursor : claim.start], labels, used)
        pieces.append(Piece("claim", claim=claim, pieces=inline(text[claim.start : claim.end], labels, used)))
        cursor = claim.end
    pieces += inline(text[cursor:], labels, used)
    return pieces, unplaced


def timeline(claims: list[Claim], *, width: int = 860) -> dict | None:
    """Coordinates for the SVG timeline: one dot per dated claim, stacked when they share a date.

    The distinct dates stand in order at equal distances (not to scale): an article's events bunch into a
    few days with a few background dates years earlier, and a linear axis would crush the days together.
    Labels are thinned so that they never overlap; every dot keeps its exact date in its tooltip.
    """
    dated = sorted((c for c in claims if c.event_date), key=lambda c: (c.event_date, c.pk))
    if not dated:
        return None
    left, right, row, label_room = 50, 50, 16, 64
    days = sorted({c.event_date for c in dated})
    step = (width - left - right) / max(len(days) - 1, 1)
    position = {day: (width / 2 if len(days) == 1 else round(left + i * step, 1)) for i, day in enumerate(days)}
    stacks: Counter = Counter(c.event_date for c in dated)
    height = 70 + row * max(stacks.values())
    axis = height - 40
    seen: Counter = Counter()
    points = []
    for claim in dated:
        level = seen[claim.event_date]
        seen[claim.event_date] += 1
        colour, _ = STATUS_STYLE.get(claim.status, ("#000000", "#ffffff"))
        points.append(
            {
                "x": position[claim.event_date],
                "y": axis - 14 - level * row,
                "colour": colour,
                "claim": claim,
                "title": f"#{claim.pk} {claim.get_status_display()} — {claim_event_date_text(claim)}: {claim.text}",
            }
        )
    precision = {}
    for claim in dated:  # the finest precision any claim gives the date decides its label
        rank = {"day": 0, "month": 1, "year": 2}.get(claim.event_date_precision, 0)
        precision[claim.event_date] = min(precision.get(claim.event_date, 3), rank)
    one_year = days[0].year == days[-1].year
    ticks, last_x = [], None
    for day in days:
        x = position[day]
        if last_x is not None and x - last_x < label_room:
            continue
        ticks.append({"x": x, "label": tick_label(day, precision[day], one_year)})
        last_x = x
    return {"width": width, "height": height, "axis": axis, "points": points, "ticks": ticks, "left": left}


def tick_label(day: dt.date, precision: int, one_year: bool) -> str:
    if precision == 2:
        return str(day.year)
    if precision == 1:
        return day.strftime("%b %Y")
    return day.strftime("%d %b").lstrip("0") + ("" if one_year else day.strftime(" %Y"))


def build(article: Article) -> dict:
    revision = article.current_revision or article.revisions.order_by("-imported_at", "-pk").first()
    links = ClaimCitation.objects.select_related("citation__source").order_by("position", "id")
    claims = list(
        Claim.objects.filter(article=article)
        .prefetch_related(Prefetch("claim_citations", queryset=links))
        .order_by("paragraph_index", "sentence_index", "id")
    )
    citations = {c.label: c for c in Citation.objects.filter(article=article).select_related("source")}
    labels = set(citations)
    used: set[str] = set()
    texts = paragraphs_of(revision.text, (revision.report or {}).get("title_given") or None) if revision else []

    by_paragraph: dict[int, list[Claim]] = defaultdict(list)
    elsewhere: list[Claim] = []
    for claim in claims:
        fits = revision is not None and claim.revision_id == revision.pk and claim.anchor_state != "orphaned"
        if fits and claim.paragraph_index < len(texts):
            by_paragraph[claim.paragraph_index].append(claim)
        else:
            elsewhere.append(claim)
    paragraphs = []
    for index, text in enumerate(texts):
        pieces, unplaced = place(text, by_paragraph.get(index, []), labels, used)
        elsewhere += unplaced
        paragraphs.append({"index": index, "pieces": pieces})
    for claim in claims:
        for link in claim.claim_citations.all():
            used.add(link.citation.label)
    cited_by: dict[str, list[tuple[Claim, str]]] = defaultdict(list)
    for claim in claims:
        for link in claim.claim_citations.all():
            cited_by[link.citation.label].append((claim, link.stance))

    counts = Counter(claim.status for claim in claims)
    legend = [
        {"status": value, "label": label, "colour": STATUS_STYLE[value][0], "tint": STATUS_STYLE[value][1]}
        | {"count": counts.get(value, 0)}
        for value, label in ClaimStatus.choices
    ]
    return {
        "article": article,
        "article_url": safe_url(article.url),
        "revision": revision,
        "claims": claims,
        "paragraphs": paragraphs,
        "elsewhere": sorted(elsewhere, key=lambda c: c.pk),
        "footnotes": [
            {
                "id": footnote_id(label),
                "citation": citations[label],
                "url": safe_url(citations[label].url),
                "archive_url": safe_url(citations[label].archive_url),
                "cited_by": cited_by.get(label, []),
            }
            for label in sorted(used & labels, key=label_order)
        ],
        "legend": legend,
        "status_style": STATUS_STYLE,
        "timeline": timeline(claims),
        "dated": [
            {"claim": c, "when": claim_event_date_text(c)}
            for c in sorted((c for c in claims if c.event_date), key=lambda c: (c.event_date, c.pk))
        ],
    }
