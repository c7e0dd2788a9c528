"""Markdown a writer can paste: each article's claims in order, a status badge on each, citation markers as
footnotes (`[^54]`) whose definitions carry the citation's details.

    ## Northwestern Syria offensive (2024)

    <https://en.wikipedia.org/wiki/…>

    1. **✅ Verified** — On 29 November 2024, HTS entered Aleppo.[^55][^56]

       _29 November 2024 · confidence 72/100 (high)_

    [^55]: Jane Doe. “Rebels enter Aleppo”. Kyiv Post, 2024-11-29. <https://…> — source: Kyiv Post (grade B)

Text from the database is escaped (CommonMark backslash escapes), so a claim cannot turn into a link, an
HTML tag or emphasis; only http(s) URLs become links. When an export spans several articles the footnote
names carry the article id (`[^a3-54]`), since footnote names are global to a document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..display import event_date_text
from ..inputs import is_id
from . import query, rows
from .runner import Tally

BADGES = {
    "verified": "✅ Verified",
    "disputed": "⚠️ Disputed",
    "refuted": "❌ Refuted",
    "unverifiable": "❔ Unverifiable",
    "in_review": "🔎 In review",
    "unreviewed": "⬜ Unreviewed",
    "needs_source": "📎 Needs source",
}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!])")


def escape(text: str) -> str:
    """Plain text as Markdown that renders as that text: specials backslash-escaped, lines joined."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def link(url: str) -> str:
    """An autolink for http(s) URLs; anything else is shown as (escaped) text, never made clickable."""
    if re.match(r"^https?://", url, re.IGNORECASE):
        return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E") + ">"
    return escape(url)


def footnote_name(label: str, article_id: int, prefixed: bool) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "-", label).strip("-") or "ref"
    return f"a{article_id}-{name}" if prefixed else name


def label_order(label: str) -> tuple:
    return (0, int(label), "") if is_id(label) else (1, 0, label)


def human_date(event: dict) -> str:
    """An exported event date ({"date", "precision", "end"?}) at its precision: "2018", "Dec 2024", "7 Dec 2024"."""
    return event_date_text(event["date"], event["precision"], event.get("end"))


# What may follow a reference at the end of a sentence: it goes after these, not before ("ceasefire.[^52]").
CLOSING = frozenset(".!?…;:\"'”’»)] \t\n")


def ref_cut(text: str, position: int | None, *, edited: bool = False) -> int:
    """Where a reference goes in the claim's text: where its marker stood, clamped to the text and never
    before the sentence's closing punctuation. The end when the position is unknown or the claim's words no
    longer are the article's (``edited``: the position counts characters of words that are gone)."""
    if position is None or edited:
        return len(text)
    cut = max(0, min(position, len(text)))
    return len(text) if all(ch in CLOSING for ch in text[cut:]) else cut


def with_refs(text: str, refs: list[tuple[int | None, str]], *, edited: bool = False) -> str:
    """The claim's text (escaped) with each footnote reference where its marker stood in the article
    ("Codenamed Deterrence of Aggression[^note-3] by HTS, … ceasefire.[^52][^53]"); a reference without
    a known position, or in a claim whose text was edited away from the article's, goes at the end."""
    out, at = [], 0
    for cut, ref in sorted(((ref_cut(text, p, edited=edited), ref) for p, ref in refs), key=lambda r: r[0]):
        out.append(_escape_keeping_edges(text[at:cut]) + ref)
        at = cut
    out.append(_escape_keeping_edges(text[at:]))
    return "".join(out).strip()


def _escape_keeping_edges(segment: str) -> str:
    # escape() collapses whitespace; keep one space where the segment had one at either edge.
    lead = " " if segment[:1].isspace() else ""
    trail = " " if segment[-1:].isspace() and segment.strip() else ""
    return lead + escape(segment) + trail if segment.strip() else lead


def claim_item(number: int, record: dict, refs: list[tuple[int | None, str]]) -> str:
    badge = BADGES.get(record["status"], escape(record["status"]))
    edited = record["anchor"]["state"] == "changed"
    lines = [f"{number}. **{badge}** — {with_refs(record['text'], refs, edited=edited)}"]
    meta = []
    hedge = record["hedge"]
    if hedge:
        said = hedge["kind"] or "attributed"
        if hedge["attributed_to"]:
            said += f" — according to {escape(hedge['attributed_to'])}"
        if hedge["phrase"]:
            said += f" (“{escape(hedge['phrase'])}”)"
        meta.append(said)
    if record["event_date"]:
        meta.append(human_date(record["event_date"]))
    conf = record["confidence"]
    confidence = f"confidence {conf['value']}/100" + (f" ({conf['band']})" if conf["band"] else "")
    if conf["override"] is not None:
        confidence += ", reviewer's override"
    meta.append(confidence)
    against = [c["label"] for c in record["citations"] if c["stance"] == "contradicts"]
    if against:
        meta.append("contradicted by " + ", ".join(f"\\[{escape(label)}\\]" for label in against))
    if record["tags"]:
        meta.append("flagged: " + ", ".join(escape(tag.replace("_", " ")) for tag in record["tags"]))
    decision = record["last_decision"]
    if decision and record["status"] == decision["status"] and record["status"] in BADGES:
        meta.append(f"{escape(decision['status'].replace('_', ' '))} by {escape(decision['reviewer'])}")
        if decision.get("override_reason"):
            meta.append(f"verified by override: {escape(decision['override_reason'])}")
    lines.append(f"   _{' · '.join(meta)}_")
    return "\n\n".join(lines) + "\n\n"


def footnote(name: str, citation: dict) -> str:
    parts = []
    if citation["author"]:
        parts.append(escape(citation["author"]) + ".")
    if citation["title"]:
        parts.append(f"“{escape(citation['title'])}”.")
    published_by = citation["publisher"] or (citation["source"]["name"] if citation["source"] else "")
    where = ", ".join(p for p in (escape(published_by) if published_by else "", citation["published"] or "") if p)
    if where:
        parts.append(where + ".")
    if citation["url"]:
        parts.append(link(citation["url"]))
    if citation["archive_url"]:
        parts.append(f"(archived: {link(citation['archive_url'])})")
    if citation["accessed"]:
        parts.append(f"Accessed {citation['accessed']}.")
    if citation["source"]:
        src = citation["source"]
        parts.append(f"— source: {escape(src['name'])} (grade {escape(src['grade'])})")
    if not parts:
        parts.append(f"Citation \\[{escape(citation['label'])}\\]: details not filled in yet.")
    return f"[^{name}]: " + " ".join(parts) + "\n"


def render(f, tally: Tally) -> Iterator[str]:
    prefixed = query.spans_articles(f)
    article_id = None
    number = 0
    notes: dict[str, tuple[str, dict]] = {}

    def close_article() -> str:
        if not notes:
            return ""
        ordered = sorted(notes.items(), key=lambda item: label_order(item[0]))
        return "".join(footnote(name, citation) for _, (name, citation) in ordered) + "\n"

    for chunk in rows.chunks(f):
        tally.add(len(chunk))
        out = []
        for record in chunk:
            article = record["article"]
            if article["id"] != article_id:
                out.append(close_article())
                notes.clear()
                article_id, number = article["id"], 0
                out.append(f"## {escape(article['title'])}\n\n")
                if article["url"]:
                    out.append(f"{link(article['url'])}\n\n")
            number += 1
            refs = []
            for citation in record["citations"]:
                name = footnote_name(citation["label"], article_id, prefixed)
                notes.setdefault(citation["label"], (name, citation))
                refs.append((citation["position"], f"[^{name}]"))
            out.append(claim_item(number, record, refs))
        yield "".join(out)
    if article_id is None:
        # An empty export still says what it is: a 0-byte file reads as a failed download.
        yield f"# Claims\n\nNo claims matched the filter ({escape(f.describe())}).\n"
        return
    yield close_article()
