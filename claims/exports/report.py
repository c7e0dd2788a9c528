"""The article report page's content: the article's text with each claim highlighted in its status colour,
citation markers turned into footnote links, the footnotes, and a timeline of dated claims (inline SVG).

Read-only and printable; built with a fixed number of queries (article, revision, claims, their citation
links, the article's citations). An article may hold 15k claims: they are read as light records (one row
each, no model instances, no prefetch objects) and their HTML — highlights, markers, timeline dots, dated
rows, "cited by" links — is written here with escaping, not by a template node per claim (which cost 17 s and
226 MB for a 14.5k-claim article, docs/benchmarks.md). Claims are placed with their anchor: `paragraph_index`
indexes the prose paragraphs of `claims.importing.parse_article(revision.text)`, `start`/`end` are offsets in that
paragraph's text. Claims anchored to another revision, orphaned, or whose offsets no longer fit are
listed below the text instead of being highlighted in the wrong place.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from ..display import STATUS_STYLE, claim_event_date_text
from ..importing import ParseError, parse_article
from ..models import Article, Citation, Claim, ClaimCitation, ClaimStatus
from .as_markdown import label_order

_BRACKET = re.compile(r"\[([^\[\]\n]{0,60})\]")
_MARKER_LIKE = re.compile(r"^(\d+|note \d+|[a-z])$", re.IGNORECASE)


STATUS_LABELS = dict(ClaimStatus.choices)
ANCHOR_LABELS = dict(Claim.AnchorState.choices)


@dataclass(slots=True)
class ReportClaim:
    """What the report shows of one claim: a row, not a model instance (15k of these for a large article)."""

    pk: int
    text: str
    status: str
    confidence: int
    paragraph_index: int
    start: int
    end: int
    revision_id: int
    anchor_state: str
    event_date: dt.date | None
    event_date_precision: str
    event_date_end: dt.date | None

    FIELDS = (
        "pk", "text", "status", "confidence", "paragraph_index", "start", "end", "revision_id", "anchor_state",
        "event_date", "event_date_precision", "event_date_end", "confidence_override",
    )  # fmt: skip

    @classmethod
    def from_row(cls, row) -> ReportClaim:
        *values, override = row
        claim = cls(*values)
        if override is not None:
            claim.confidence = override  # the effective confidence, as the page shows it
        return claim

    def get_status_display(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def get_anchor_state_display(self) -> str:
        return ANCHOR_LABELS.get(self.anchor_state, self.anchor_state)


@dataclass
class Piece:
    kind: str  # "text", "marker" (a citation footnote link), "tag" (a cleanup tag), "claim" (a highlight)
    text: str = ""
    anchor: str = ""  # footnote id for markers
    claim: ReportClaim | None = None
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


def place(
    text: str, claims: list[ReportClaim], labels: set[str], used: set[str]
) -> tuple[list[Piece], list[ReportClaim]]:
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


def timeline(claims: list[ReportClaim], *, width: int = 860) -> dict | None:
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


# ---- HTML, written here rather than by a template node per claim --------------------------------------------
# With the standard library's escape (what Django's escape does, without its lazy-string wrapper: format_html
# on 80k pieces took most of the page's time). Every value from the database passes through `esc`.


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def piece_html(piece: Piece) -> str:
    if piece.kind == "marker":
        if piece.anchor:
            return f'<sup class="ref"><a href="#{esc(piece.anchor)}">[{esc(piece.text)}]</a></sup>'
        return f'<sup class="ref">[{esc(piece.text)}]</sup>'
    if piece.kind == "tag":
        return f'<span class="tag">[{esc(piece.text)}]</span>'
    if piece.kind == "claim":
        c = piece.claim
        inner = "".join(piece_html(p) for p in piece.pieces)
        return (
            f'<mark class="claim status-{esc(c.status)}" id="claim-{c.pk}" data-status="{esc(c.status)}" '
            f'title="#{c.pk} — {esc(c.get_status_display())}, confidence {c.confidence}">{inner}'
            f'<span class="claim-id">#{c.pk}</span></mark>'
        )
    return esc(piece.text)


def badge(c: ReportClaim) -> str:
    return f'<span class="badge text-{esc(c.status)}">{esc(c.get_status_display())}</span>'


def joined(parts) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every value in every part went through esc()


SLOT = re.compile("\x00slot:(\\w+)\x00")  # NUL never occurs in text from PostgreSQL nor in escaped HTML


class Slot:
    """A large part of the page, rendered where the template names it but produced only as the page is encoded:
    the template writes a marker, `page_bytes` replaces it with the rows, one at a time. The page is then never
    held as one Python string (which for 15k claims meant a 20 MB UCS-2 string plus its copies)."""

    def __init__(self, name: str, rows, empty: bool):
        self.name, self.rows, self.empty = name, rows, empty

    def __bool__(self) -> bool:
        return not self.empty

    def __html__(self) -> str:
        return f"\x00slot:{self.name}\x00"

    __str__ = __html__


def page_bytes(page: str, context: dict) -> Iterator[bytes]:
    """The rendered template with each slot's rows in place of its marker, as UTF-8 blocks of about 64 KiB."""
    slots = {value.name: value for value in _slots(context)}
    pending: list[str] = []
    size = 0
    position = 0
    for match in SLOT.finditer(page):
        pending.append(page[position : match.start()])
        for row in slots[match.group(1)].rows:
            pending.append(row)
            size += len(row)
            if size >= 65536:
                yield "".join(pending).encode()
                pending, size = [], 0
        position = match.end()
    pending.append(page[position:])
    yield "".join(pending).encode()


def _slots(context: dict) -> Iterator[Slot]:
    for value in context.values():
        if isinstance(value, Slot):
            yield value
        elif isinstance(value, dict):
            yield from (v for v in value.values() if isinstance(v, Slot))


def elsewhere_rows(claims: list[ReportClaim]) -> Iterator[str]:
    return (
        f'<tr id="claim-{c.pk}"><td>#{c.pk}</td><td>{badge(c)}</td><td>{esc(c.text)}</td>'
        f"<td>{esc(c.get_anchor_state_display())}</td></tr>\n"
        for c in claims
    )


def point_rows(points: list[dict]) -> Iterator[str]:
    return (
        f'<a href="#claim-{p["claim"].pk}"><circle class="dot status-{esc(p["claim"].status)}" cx="{p["x"]}" '
        f'cy="{p["y"]}" r="6" fill="{esc(p["colour"])}" stroke="#fff" stroke-width="1.5">'
        f"<title>{esc(p['title'])}</title></circle></a>\n"
        for p in points
    )


def dated_rows(dated: list[dict]) -> Iterator[str]:
    return (
        f'<tr><td style="white-space:nowrap">{esc(item["when"])}</td><td><a href="#claim-{item["claim"].pk}">'
        f"#{item['claim'].pk}</a></td><td>{badge(item['claim'])}</td><td>{esc(item['claim'].text)}</td></tr>\n"
        for item in dated
    )


def paragraph_rows(paragraphs: list[tuple[int, list[Piece]]]) -> Iterator[str]:
    for index, pieces in paragraphs:
        yield f'<p id="p{index}">' + "".join(piece_html(piece) for piece in pieces) + "</p>\n"


def cited_by_html(cited_by: list[tuple[ReportClaim, str]]) -> SafeString:
    return joined(
        ", ".join(
            f'<a href="#claim-{claim.pk}">#{claim.pk}</a>' + (f" ({esc(stance)})" if stance != "supports" else "")
            for claim, stance in cited_by
        )
    )


def build(article: Article) -> dict:
    revision = article.current_revision or article.revisions.order_by("-imported_at", "-pk").first()
    claims = [
        ReportClaim.from_row(row)
        for row in Claim.objects.filter(article=article)
        .order_by("paragraph_index", "sentence_index", "id")
        .values_list(*ReportClaim.FIELDS)
    ]
    links = (
        ClaimCitation.objects.filter(claim__article=article)
        .order_by("position", "id")
        .values_list("claim_id", "citation__label", "stance")
    )
    citations = {c.label: c for c in Citation.objects.filter(article=article).select_related("source")}
    labels = set(citations)
    used: set[str] = set()
    texts = paragraphs_of(revision.text, (revision.report or {}).get("title_given") or None) if revision else []

    by_paragraph: dict[int, list[ReportClaim]] = defaultdict(list)
    elsewhere: list[ReportClaim] = []
    for claim in claims:
        fits = revision is not None and claim.revision_id == revision.pk and claim.anchor_state != "orphaned"
        if fits and claim.paragraph_index < len(texts):
            by_paragraph[claim.paragraph_index].append(claim)
        else:
            elsewhere.append(claim)
    paragraphs = []  # (index, pieces): their HTML is written as the page is encoded
    for index, text in enumerate(texts):
        pieces, unplaced = place(text, by_paragraph.get(index, []), labels, used)
        elsewhere += unplaced
        paragraphs.append((index, pieces))
    # Each claim's links in the order of its markers, then grouped by citation for the footnotes.
    per_claim: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for claim_id, label, stance in links:
        per_claim[claim_id].append((label, stance))
        used.add(label)
    cited_by: dict[str, list[tuple[ReportClaim, str]]] = defaultdict(list)
    for claim in claims:
        for label, stance in per_claim.get(claim.pk, ()):
            cited_by[label].append((claim, stance))

    counts = Counter(claim.status for claim in claims)
    legend = [
        {"status": value, "label": label, "colour": STATUS_STYLE[value][0], "tint": STATUS_STYLE[value][1]}
        | {"count": counts.get(value, 0)}
        for value, label in ClaimStatus.choices
    ]
    line = timeline(claims)
    if line is not None:
        points = line.pop("points")
        line["points_html"] = Slot("points", point_rows(points), empty=not points)
    dated = [
        {"claim": c, "when": claim_event_date_text(c)}
        for c in sorted((c for c in claims if c.event_date), key=lambda c: (c.event_date, c.pk))
    ]
    return {
        "article": article,
        "article_url": safe_url(article.url),
        "revision": revision,
        "claim_count": len(claims),
        "paragraphs_html": Slot("paragraphs", paragraph_rows(paragraphs), empty=not paragraphs),
        "elsewhere_html": Slot("elsewhere", elsewhere_rows(sorted(elsewhere, key=lambda c: c.pk)), empty=not elsewhere),
        "footnotes": [
            {
                "id": footnote_id(label),
                "citation": citations[label],
                "url": safe_url(citations[label].url),
                "archive_url": safe_url(citations[label].archive_url),
                "cited_by_html": cited_by_html(cited_by.get(label, [])),
            }
            for label in sorted(used & labels, key=label_order)
        ],
        "legend": legend,
        "status_style": STATUS_STYLE,
        "timeline": line,
        "dated_html": Slot("dated", dated_rows(dated), empty=not dated),
    }
