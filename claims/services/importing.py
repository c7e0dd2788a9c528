"""Importing an article's text as anchored claims, and a references CSV as citation details.

One transaction per import: on any refusal nothing is written. Bulk writes keep history
(`bulk_create_with_history` / `bulk_update_with_history`), so the query count grows with batches, not claims.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from rapidfuzz import fuzz
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..importing import ParsedArticle, ParseError, Sentence
from ..importing.detect import FORMATS, read_article
from ..models import Article, ArticleRevision, Citation, Claim, ClaimCitation, ClaimStatus, Review, Source
from ._common import require_perm, save_tracked
from .confidence import DERIVED_FIELDS, refresh_confidence
from .conflicts import article_keys_refresh, relations_suggest
from .copy_writer import create_with_history
from .references import DomainMatcher, citations_fill, original_url, page_attribution
from .reimport_guard import check_new_revision
from .source_linking import SourceMatcher
from .text_checks import (
    ImportRefused,
    check_csv_text,
    check_field_lengths,
    check_text,
    check_title,
    csv_refusal,
    csv_rows,
    decode_utf16,
)

BATCH = 500
CONTEXT = 32  # characters of prefix and suffix kept around each anchored sentence
FUZZY_THRESHOLD = 85  # rapidfuzz ratio above which a changed sentence is taken for the old claim


@dataclass
class ImportReport:
    """What an import did, for the command, the admin page and the revision's record."""

    article_id: int | None = None
    title: str = ""
    sha256: str = ""
    noop: bool = False
    dry_run: bool = False
    paragraphs: int = 0
    sentences: int = 0
    created: int = 0
    unchanged: int = 0
    moved: int = 0
    changed: int = 0
    orphaned: int = 0
    returned_to_review: int = 0
    citations_created: int = 0
    citations_total: int = 0
    links_created: int = 0
    uncited: int = 0
    junk_lines: int = 0
    junk: list = field(default_factory=list)  # [{"line": n, "kind": "hatnote", "text": "…"}] of every skipped line
    title_given: str = ""  # the title the import was given: the first line was content (re-parsing needs it)
    empty_brackets: int = 0
    tags: Counter = field(default_factory=Counter)
    hedges: Counter = field(default_factory=Counter)
    dates: Counter = field(default_factory=Counter)
    attributions_linked: int = 0
    relations_suggested: int = 0
    format: str = "text"
    skipped: Counter = field(default_factory=Counter)  # what a wikitext/HTML reader left out, by kind
    citations_filled: int = 0
    citations_with_url: int = 0
    citations_with_source: int = 0
    sources_created: list = field(default_factory=list)
    shared_with_current: str = ""  # matched by title alone: how much of the current revision it shares

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        """The report a job stored (``as_dict``), for the job page to show as the import page does."""
        names = {f.name for f in fields(cls)}
        report = cls(**{k: v for k, v in data.items() if k in names})
        for name, value in report.__dict__.items():
            if isinstance(value, dict):
                setattr(report, name, Counter(value))
        return report

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if not isinstance(v, Counter)}
        data.update({k: dict(sorted(v.items())) for k, v in self.__dict__.items() if isinstance(v, Counter)})
        return data

    def as_text(self, *, junk: bool = True) -> str:
        """The report as text; ``junk=False`` leaves out the list of skipped lines (a page shows it as a table)."""
        if self.noop:
            return (
                f"'{self.title}': identical to the current revision {self.sha256[:12]} — nothing changed "
                f"({self.unchanged} claims unchanged)."
            )
        head = "DRY RUN — nothing was saved. " if self.dry_run else ""
        lines = [
            f"{head}Imported '{self.title}' (article #{self.article_id}) revision {self.sha256[:12]}",
            f"  paragraphs {self.paragraphs}, sentences {self.sentences}, junk lines skipped {self.junk_lines}, "
            f"empty [] dropped {self.empty_brackets}",
            f"  claims: {self.created} created, {self.unchanged} unchanged, {self.moved} moved, "
            f"{self.changed} changed, {self.orphaned} orphaned, {self.returned_to_review} returned to review",
            f"  citations: {self.citations_created} created ({self.citations_total} in the article), "
            f"{self.links_created} links; sentences without citation: {self.uncited}",
            f"  tags: {_counts(self.tags)}",
            f"  hedges: {_counts(self.hedges)}; attributions linked to a known source: {self.attributions_linked}",
            f"  event dates: {_counts(self.dates)}",
        ]
        if self.shared_with_current:
            lines.append(f"  matched by title alone; the new text {self.shared_with_current}")
        if self.relations_suggested:
            lines.append(f"  conflicts and duplicates suggested: {self.relations_suggested}")
        if junk:
            lines += self.junk_text()
        if self.format != "text":
            lines.append(
                f"  read as {self.format}; skipped: {_counts(self.skipped)}; citations filled from the page "
                f"{self.citations_filled}, with a URL {self.citations_with_url}, of which matched to a source "
                f"{self.citations_with_source}"
            )
            new = ", ".join(self.sources_created) or "none"
            lines.append(
                f"  new sources (reliability unknown, for a lead to grade): {len(self.sources_created)}: {new}"
            )
        return "\n".join(lines)

    def junk_by_kind(self) -> dict[str, list[dict]]:
        """Skipped lines grouped by why they were skipped, for the report and the admin import page."""
        grouped: dict[str, list[dict]] = {}
        for line in self.junk:
            grouped.setdefault(line["kind"], []).append(line)
        return dict(sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0])))

    def junk_text(self) -> list[str]:
        if not self.junk:
            return []
        lines = ["  skipped lines (not claims), by kind:"]
        for kind, rows in self.junk_by_kind().items():
            lines.append(f"    {kind} ({len(rows)}):")
            lines += [f"      line {row['line']}: {_clip(row['text'])}" for row in rows]
        return lines


def _clip(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _counts(counter: Counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "none"


# ---- reading the input -------------------------------------------------------------------------


def decode_article(data: bytes, *, name: str) -> str:
    """Bytes of an uploaded or read file → text, or a refusal naming the file and what is wrong."""
    limit = settings.CLAIMS_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(
            f"{name}: {len(data):,} bytes is larger than the import limit of {limit:,} bytes (CLAIMS_IMPORT_MAX_BYTES)"
        )
    if not data.strip():
        raise ImportRefused(f"{name}: the file is empty")
    utf16 = decode_utf16(data, name=name)
    if utf16 is not None:
        check_text(utf16, name=name)
        return utf16
    if b"\x00" in data:
        check_text(data.decode("utf-8", "replace"), name=name)  # refuses, naming the NUL's line
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ImportRefused(
            f"{name}: not valid UTF-8 — byte 0x{data[err.start]:02x} at offset {err.start} (line {line}); "
            "save the text as UTF-8 and try again"
        ) from None
    check_text(text, name=name)
    return text


def _parse(
    text: str,
    *,
    name: str,
    format: str = "text",
    title: str | None = None,
    url: str = "",
    published: date | None = None,
) -> ParsedArticle:
    if len(text.encode("utf-8")) > settings.CLAIMS_IMPORT_MAX_BYTES:
        raise ImportRefused(f"{name}: larger than the import limit of {settings.CLAIMS_IMPORT_MAX_BYTES:,} bytes")
    if not text.strip():
        raise ImportRefused(f"{name}: the text is empty")
    if format not in (*FORMATS, "auto"):
        raise ImportRefused(f"{name}: unknown format '{format}' (one of {', '.join(FORMATS)}, or auto)")
    check_text(text, name=name)  # pasted text and callers that skip decode_article get the same check
    try:
        return read_article(text, format=format, name=name, title=title or "", url=url or "", published=published)
    except ParseError as err:
        raise ImportRefused(f"{name}: {err}") from None


# ---- building claims from sentences ------------------------------------------------------------


def _anchor(paragraph_text: str, sentence: Sentence) -> dict:
    return {
        "start": sentence.start,
        "end": sentence.end,
        "prefix": paragraph_text[max(0, sentence.start - CONTEXT) : sentence.start],
        "suffix": paragraph_text[sentence.end : sentence.end + CONTEXT],
    }


def _says(sentence: Sentence, matcher: SourceMatcher) -> dict:
    """What the sentence itself says about its certainty, its date and its flags."""
    hedges = [
        {"kind": h.kind, "phrase": h.phrase, "attributed_to": list(h.attributed_to), "rule": h.rule}
        for h in sentence.hedges
    ]
    attributed = list(dict.fromkeys(name for h in sentence.hedges for name in h.attributed_to))
    source = next((s for s in (matcher.match(a) for a in attributed) if s is not None), None)
    first = sentence.hedges[0] if sentence.hedges else None
    when = sentence.event_date
    return {
        "hedges": hedges,
        "hedge_kind": first.kind if first else "",
        "hedge_phrase": first.phrase[:300] if first else "",
        "attributed_to": "; ".join(attributed)[:500],
        "attributed_source": source,
        "tags": list(sentence.tags),
        "event_date": when.value if when else None,
        "event_date_end": when.end if when else None,
        "event_date_precision": when.precision if when else "",
        "event_date_origin": when.origin if when else "",
        "event_date_phrase": (when.phrase[:100] if when else ""),
    }


def _cited(sentence: Sentence) -> bool:
    return any(m.kind == "reference" for m in sentence.markers) and "citation_needed" not in sentence.tags


@dataclass
class _Placed:
    """A sentence of the new revision with where it stands."""

    paragraph_index: int
    paragraph_text: str
    sentence: Sentence
    section: str = ""

    @property
    def text(self) -> str:
        return self.sentence.text


def _placed(parsed: ParsedArticle) -> list[_Placed]:
    return [
        _Placed(p.index, p.text, s, p.section)
        for p in parsed.paragraphs
        for s in p.sentences
        if s.text  # a sentence that was only markers leaves no claim
    ]


# ---- the import service ------------------------------------------------------------------------


@transaction.atomic
def article_import(
    *,
    text: str,
    actor,
    title: str | None = None,
    url: str | None = None,
    article: Article | None = None,
    name: str = "the text",
    dry_run: bool = False,
    retrieved_at=None,
    suggest_relations: bool = True,
    progress: Callable[[int, int], None] | None = None,
    format: str = "text",
    published: date | None = None,
    new_revision: bool = False,
) -> ImportReport:
    """Import one article text: a new revision, its citations, a claim per sentence (or a re-anchoring).

    `progress(n, total)` is called as each batch of n of the total sentences is written (the command's bar).
    `format` names the reader (text, wikitext, html, news) or "auto" to detect it from `name` and the text.
    `published` is the article's publication date (kept on the article; a re-import without one uses the
    article's): it dates wire copy's "on Thursday", "yesterday".
    `new_revision` confirms a text matched to an article by title alone that shares few of its sentences."""
    report_progress = progress or (lambda n, total: None)
    require_perm(actor, "claims.import_article", "import articles")
    parsed = _parse(text, name=name, format=format, title=title or None, url=url or "", published=published)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    report = ImportReport(
        title=title or parsed.title, sha256=sha, dry_run=dry_run, junk_lines=len(parsed.junk_lines),
        paragraphs=len(parsed.paragraphs), empty_brackets=parsed.empty_brackets, format=parsed.format,
        skipped=Counter(dict(parsed.skipped)),
        # Only a plain text's first line depends on a given title; the readers put the title line there themselves.
        title_given=(title or "") if parsed.format == "text" else "",
        junk=[{"line": j.line_no, "kind": j.kind, "text": j.text} for j in parsed.junk],
    )  # fmt: skip
    check_title(report.title, name=name, given=bool(title))
    by_title_only = article is None
    url = url or (parsed.meta.url if parsed.meta else "") or None
    article = article or _find_article(title=report.title, url=url)
    by_title_only = by_title_only and article is not None and not (url and article.url == url)
    reason = f"imported from revision {sha[:12]}"
    if article is None:
        article = Article(title=report.title, url=url or "", created_by=actor)
        save_tracked(article, actor=actor, reason=reason)
    else:
        Article.objects.select_for_update().get(pk=article.pk)  # one import of an article at a time
    report.article_id = article.pk
    if published is None and article.published_on is not None:  # a re-import without a date uses the article's
        published = article.published_on
        parsed = _parse(text, name=name, format=format, title=title or None, url=url or "", published=published)
    if published is None and parsed.meta is not None:
        published = parsed.meta.published  # a news page's own date (its reader already dated the text with it)

    current = article.current_revision
    if current is not None and current.sha256 == sha:
        report.noop = True
        report.unchanged = article.claims.exclude(anchor_state=Claim.AnchorState.ORPHANED).count()
        report.sentences = len(_placed(parsed))
        return report

    if by_title_only and current is not None:
        overlap = check_new_revision(article, [p.text for p in _placed(parsed)], name=name, confirmed=new_revision)
        report.shared_with_current = overlap.as_text()
    revision = ArticleRevision.objects.filter(article=article, sha256=sha).first() or ArticleRevision.objects.create(
        article=article,
        text=parsed.text or text,
        sha256=sha,
        imported_by=actor,
        retrieved_at=retrieved_at,
        format=parsed.format,
        source=text if parsed.text else "",
    )
    sentences = _placed(parsed)
    report.sentences = len(sentences)

    def progress(n: int) -> None:
        report_progress(n, len(sentences))

    matcher = SourceMatcher(Source.objects.all())
    matcher.learn(text)  # "… Observatory for Human Rights (SOHR)": later "SOHR said" names the source too
    if parsed.references:  # wikitext, HTML, news: citations written with their details and sources first
        existing_citations = {c.label: c for c in Citation.objects.filter(article=article).select_related("source")}
        filled = citations_fill(article=article, references=parsed.references, citations=existing_citations,
                                name_matcher=matcher, actor=actor, reason=reason)  # fmt: skip
        for key in ("citations_filled", "citations_with_url", "citations_with_source", "sources_created"):
            setattr(report, key, filled[key])
    citations = _ensure_citations(article, parsed, actor=actor, reason=reason, report=report)
    if parsed.references:
        citations.update({label: c for label, c in existing_citations.items() if label in citations})
        report.citations_created += filled["citations_created"]
    # Everything a claim's score reads, loaded once: re-anchoring rescores without a query per claim.
    existing = list(
        article.claims.select_related("attributed_source")
        .prefetch_related("claim_citations__citation__source", "relations_as_a", "relations_as_b")
        .order_by("paragraph_index", "sentence_index", "pk")
    )
    if existing:
        _reanchor(existing, sentences, revision, citations, matcher, actor=actor, report=report, progress=progress)
    else:
        _create(article, revision, sentences, citations, matcher, actor=actor, reason=reason, report=report,
                progress=progress)  # fmt: skip
    for placed in sentences:
        report.tags.update(placed.sentence.tags)
        report.hedges.update(h.kind for h in placed.sentence.hedges)
        if placed.sentence.event_date:
            report.dates[placed.sentence.event_date.origin] += 1
        report.uncited += not _cited(placed.sentence)
    report.attributions_linked = article.claims.filter(attributed_source__isnull=False).count()

    if suggest_relations:
        report.relations_suggested = _suggest_relations(article, actor=actor, reason=reason)
    else:
        article_keys_refresh(article=article)  # the claims' keys, so that later detection can find them

    article.current_revision = revision
    if title and article.title != title:
        article.title = title
    if url and not article.url:
        article.url = url
    for key, value in page_attribution(parsed).items():  # what the page says of itself, where still empty
        if value and not getattr(article, key):
            setattr(article, key, value)
    if published is not None:
        article.published_on = published
    save_tracked(article, actor=actor, reason=reason)
    revision.report = report.as_dict()
    revision.save(update_fields=["report"])
    if dry_run:
        transaction.set_rollback(True)
    return report


def _find_article(*, title: str, url: str | None) -> Article | None:
    if url:
        found = Article.objects.filter(url=url).order_by("pk").first()
        if found:
            return found
    return Article.objects.filter(title=title).order_by("pk").first()


def _ensure_citations(article, parsed: ParsedArticle, *, actor, reason, report) -> dict[str, Citation]:
    """A Citation per marker label (kept when it exists, so editors' details survive re-imports)."""
    markers = [m for p in parsed.paragraphs for s in p.sentences for m in s.markers] + list(parsed.stray_markers)
    kinds = {}
    for marker in markers:
        kinds.setdefault(marker.label, marker.kind)
    existing = {c.label: c for c in Citation.objects.filter(article=article)}
    new = [Citation(article=article, label=label, kind=kind) for label, kind in kinds.items() if label not in existing]
    if new:
        # COPY on PostgreSQL (copy_writer.py); the objects come back with their pks, as written: no query to read
        # them again.
        existing.update({c.label: c for c in create_with_history(new, Citation, actor=actor, reason=reason)})
    report.citations_created = len(new)
    report.citations_total = len(existing)
    return existing


def _claim_from(article, revision, placed: _Placed, matcher, actor) -> Claim:
    sentence = placed.sentence
    # Keys by id, not objects: nothing reads them back from a new claim (scoring reads its attributed source,
    # set as an object by _says), and each related object set through its descriptor costs a check per claim.
    return Claim(
        article_id=article.pk, revision_id=revision.pk, text=sentence.text, paragraph_index=placed.paragraph_index,
        sentence_index=sentence.index, section=placed.section[:300], created_by_id=actor.pk,
        last_edited_by_id=actor.pk,
        status=ClaimStatus.UNREVIEWED if _cited(sentence) else ClaimStatus.NEEDS_SOURCE,
        **_anchor(placed.paragraph_text, sentence), **_says(sentence, matcher),
    )  # fmt: skip


def _links_for(claim: Claim, sentence: Sentence, citations: dict[str, Citation], skip=()) -> list[ClaimCitation]:
    """One link per distinct marker label, at the marker's offset in the claim text."""
    seen, links = set(skip), []
    for marker in sentence.markers:
        if marker.label in seen:
            continue
        seen.add(marker.label)
        links.append(ClaimCitation(claim=claim, citation=citations[marker.label], position=marker.offset))
    return links


def _create(
    article, revision, sentences: list[_Placed], citations, matcher, *, actor, reason, report, progress
) -> None:
    """New claims and their links, each claim scored before it is written (its first history row has the score)."""
    claims, links = [], []
    for placed in sentences:
        claim = _claim_from(article, revision, placed, matcher, actor)
        own = _links_for(claim, placed.sentence, citations)
        refresh_confidence(claim, links=own)
        claims.append(claim)
        links += own
    for start in range(0, len(claims), BATCH):  # batch by batch, so that a progress bar can follow
        batch = claims[start : start + BATCH]
        create_with_history(batch, Claim, actor=actor, reason=reason)  # COPY on PostgreSQL (copy_writer.py)
        progress(len(batch))
    create_with_history(links, ClaimCitation, actor=actor, reason=reason)
    report.created += len(claims)
    report.links_created += len(links)


# ---- re-anchoring a new revision ---------------------------------------------------------------

ANCHOR_UPDATE_FIELDS = [
    "revision", "paragraph_index", "sentence_index", "start", "end", "prefix", "suffix", "anchor_state", "text",
    "section",
    "status", "decided_at", "reopened", "version", "last_edited_by", "hedges", "hedge_kind", "hedge_phrase",
    "attributed_to",
    "attributed_source", "tags", "event_date", "event_date_precision", "event_date_origin", "event_date_phrase",
    "event_date_end", *DERIVED_FIELDS,
]  # fmt: skip


def _match(existing: list[Claim], sentences: list[_Placed]) -> dict[int, int]:
    """Old claim index → new sentence index: exact text, then the same context, then fuzzy similarity."""
    matched: dict[int, int] = {}
    free = set(range(len(sentences)))
    by_text: dict[str, list[int]] = {}
    for j, placed in enumerate(sentences):
        by_text.setdefault(placed.text, []).append(j)
    # 1. Exact text: the same words (the nearest position when a sentence repeats).
    for i, claim in enumerate(existing):
        candidates = [j for j in by_text.get(claim.text, []) if j in free]
        if candidates:
            j = min(candidates, key=lambda j: abs(sentences[j].paragraph_index - claim.paragraph_index))
            matched[i] = j
            free.discard(j)
    # 2. Context: the words around it are unchanged, so this is the same sentence edited.
    by_context: dict[tuple[str, str], list[int]] = {}
    for j in free:
        anchor = _anchor(sentences[j].paragraph_text, sentences[j].sentence)
        by_context.setdefault((anchor["prefix"], anchor["suffix"]), []).append(j)
    for i, claim in enumerate(existing):
        if i in matched or not (claim.prefix or claim.suffix):
            continue
        candidates = sorted(j for j in by_context.get((claim.prefix, claim.suffix), []) if j in free)
        if candidates:
            matched[i] = candidates[0]
            free.discard(candidates[0])
    # 3. Fuzzy: the most similar remaining sentence above the threshold.
    for i, claim in enumerate(existing):
        if i in matched or not free:
            continue
        best = max(sorted(free), key=lambda j: fuzz.ratio(claim.text, sentences[j].text))
        if fuzz.ratio(claim.text, sentences[best].text) >= FUZZY_THRESHOLD:
            matched[i] = best
            free.discard(best)
    return matched


def _in_order(existing: list[Claim], matched: dict[int, int]) -> set[int]:
    """The matched old claims that kept their order relative to each other: a longest increasing run of their
    new positions (patience sorting). Moving one paragraph takes only its own claims out of it; inserting
    or deleting a paragraph takes none, though every paragraph number after it shifts."""
    order = [i for i in range(len(existing)) if i in matched]
    tails: list[int] = []  # tails[k]: index into ``order`` of the smallest tail of an increasing run of length k+1
    values: list[int] = []  # the new positions at those tails, for bisect
    back: list[int | None] = [None] * len(order)
    for position, i in enumerate(order):
        value = matched[i]
        k = bisect.bisect_left(values, value)
        back[position] = tails[k - 1] if k else None
        if k == len(tails):
            tails.append(position)
            values.append(value)
        else:
            tails[k], values[k] = position, value
    kept: set[int] = set()
    cursor = tails[-1] if tails else None
    while cursor is not None:
        kept.add(order[cursor])
        cursor = back[cursor]
    return kept


def _neighbourhood(prefix: str, suffix: str) -> tuple[str, str]:
    return " ".join(prefix.split()), " ".join(suffix.split())


def _revision_number(revision: ArticleRevision) -> int:
    return ArticleRevision.objects.filter(article_id=revision.article_id, pk__lte=revision.pk).count()


def _reanchor(existing, sentences, revision, citations, matcher, *, actor, report, progress) -> None:
    """Move the existing claims onto the new revision; orphan what is gone; add what is new.

    "moved" means the sentence's own neighbourhood changed: the words around it in its paragraph, or its
    order among the other claims (a paragraph moved elsewhere); paragraph numbers that shift because a
    paragraph was added or removed above do not count. A decided claim whose sentence is gone goes back to
    review, as one whose text changed does."""
    reason = f"re-anchored to revision {revision.sha256[:12]}"
    matched = _match(existing, sentences)
    in_order = _in_order(existing, matched)
    number = _revision_number(revision)
    updated: list[Claim] = []
    new_links: list[ClaimCitation] = []
    reopened: list[Review] = []
    for i, claim in enumerate(existing):
        j = matched.get(i)
        if j is None:
            if claim.anchor_state != Claim.AnchorState.ORPHANED:
                claim.anchor_state = Claim.AnchorState.ORPHANED
                claim.revision = revision
                claim.version += 1
                claim._change_reason = f"{reason}: the sentence is gone (orphaned, kept)"
                if claim.is_decided:
                    why = f"sentence removed from the article in revision {number} ({revision.sha256[:12]})"
                    reopened.append(
                        Review(
                            claim=claim, reviewer=actor, from_status=claim.status, to_status=ClaimStatus.IN_REVIEW,
                            note=f"reopened automatically: {why}",
                        )
                    )  # fmt: skip
                    claim.status, claim.decided_at, claim.reopened = ClaimStatus.IN_REVIEW, None, True
                    claim._change_reason = f"{reason}: {why}, back to review"
                    report.returned_to_review += 1
                updated.append(claim)
                report.orphaned += 1
            continue
        placed = sentences[j]
        text_changed = claim.text != placed.text
        old_neighbourhood = _neighbourhood(claim.prefix, claim.suffix)
        claim.revision = revision
        claim.paragraph_index, claim.sentence_index = placed.paragraph_index, placed.sentence.index
        claim.section = placed.section[:300]
        for key, value in {
            **_anchor(placed.paragraph_text, placed.sentence),
            **_says(placed.sentence, matcher),
        }.items():
            setattr(claim, key, value)
        claim._change_reason = reason
        if text_changed:
            old_text = claim.text
            claim.text = placed.text
            claim.anchor_state = Claim.AnchorState.CHANGED
            claim.last_edited_by = actor
            report.changed += 1
            if claim.is_decided:
                # design.md: a decided claim whose sentence changed goes back to review, with that reason,
                # and the review log says so next to the decision it undoes.
                reopened.append(
                    Review(
                        claim=claim, reviewer=actor, from_status=claim.status, to_status=ClaimStatus.IN_REVIEW,
                        note=f"reopened automatically: the article's revision {revision.sha256[:12]} changed the "
                        f"sentence from “{old_text}” to “{placed.text}”",
                    )
                )  # fmt: skip
                claim.status, claim.decided_at, claim.reopened = ClaimStatus.IN_REVIEW, None, True
                claim._change_reason = f"{reason}: text changed, back to review"
                report.returned_to_review += 1
        elif i in in_order and old_neighbourhood == _neighbourhood(claim.prefix, claim.suffix):
            claim.anchor_state = Claim.AnchorState.ANCHORED
            report.unchanged += 1
        else:
            claim.anchor_state = Claim.AnchorState.MOVED
            report.moved += 1
        # Markers the sentence gained become links; links it lost are kept (editors may have graded them).
        have = [link.citation.label for link in claim.claim_citations.all()]
        gained = _links_for(claim, placed.sentence, citations, skip=have)
        claim.version += 1
        refresh_confidence(claim, links=[*claim.claim_citations.all(), *gained])
        updated.append(claim)
        new_links += gained
    if updated:
        bulk_update_with_history(updated, Claim, ANCHOR_UPDATE_FIELDS, batch_size=BATCH, default_user=actor,
                                 default_change_reason=reason)  # fmt: skip
    for review in reopened:
        review.claim_version = review.claim.version
    Review.objects.bulk_create(reopened, batch_size=BATCH)  # the append-only log (not a history-tracked model)
    if new_links:
        bulk_create_with_history(new_links, ClaimCitation, batch_size=BATCH, default_user=actor,
                                 default_change_reason=reason)  # fmt: skip
    report.links_created += len(new_links)
    matched_new = set(matched.values())
    new = [p for j, p in enumerate(sentences) if j not in matched_new]
    progress(len(sentences) - len(new))
    _create(revision.article, revision, new, citations, matcher, actor=actor, reason=reason, report=report,
            progress=progress)  # fmt: skip


def _suggest_relations(article, *, actor, reason) -> int:
    """The conflict detectors run after every import (their rescoring covers the claims they relate)."""
    return relations_suggest(article=article, actor=actor, reason=reason).created


# ---- references CSV ----------------------------------------------------------------------------

REFERENCE_COLUMNS = ("label", "url", "title", "author", "publisher", "published", "accessed", "archive_url", "quote")


@dataclass
class ReferencesReport:
    updated: int = 0
    unchanged: int = 0
    sources_linked: int = 0

    def as_text(self) -> str:
        return (
            f"{self.updated} citation(s) completed, {self.unchanged} unchanged, "
            f"{self.sources_linked} linked to a registered source"
        )


def _date(value: str, *, line: int, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"line {line}: {column} '{value}' is not a date (use YYYY-MM-DD)") from None


@transaction.atomic
def citations_import_csv(
    *, article: Article, data: bytes | str, actor, name: str = "references.csv"
) -> ReferencesReport:
    """Complete an article's citations from a CSV (label,url,title,author,publisher,published,accessed,
    archive_url,quote). Every problem is reported with its line; if there is any, nothing is written."""
    require_perm(actor, "claims.change_citation", "complete citations")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ImportRefused(f"{name}: not valid UTF-8 (byte offset {err.start})") from None
    if not data.strip():
        raise ImportRefused(f"{name}: the file is empty")
    check_csv_text(data, name=name)
    reader = csv.DictReader(io.StringIO(data))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as err:
        raise csv_refusal(err, reader, name=name) from None
    missing = [c for c in REFERENCE_COLUMNS if c not in header]
    if missing:
        raise ImportRefused(
            f"{name}: line 1: missing column(s) {', '.join(missing)} (expected {','.join(REFERENCE_COLUMNS)})"
        )
    reader.fieldnames = header
    citations = {c.label: c for c in Citation.objects.filter(article=article)}
    matcher = SourceMatcher(Source.objects.all())
    domains = DomainMatcher(Source.objects.exclude(domain=""))
    problems, plans = [], []
    for line, row in csv_rows(reader, name=name):
        label = (row.get("label") or "").strip().strip("[]").strip()
        if label not in citations:
            problems.append(f"line {line}: label '{label}' is not a citation of '{article}'")
            continue
        try:
            values = {
                "url": (row.get("url") or "").strip(),
                "title": (row.get("title") or "").strip(),
                "author": (row.get("author") or "").strip(),
                "publisher": (row.get("publisher") or "").strip(),
                "published": _date(row.get("published") or "", line=line, column="published"),
                "accessed": _date(row.get("accessed") or "", line=line, column="accessed"),
                "archive_url": (row.get("archive_url") or "").strip(),
                "quote": (row.get("quote") or "").strip(),
            }
        except ValueError as err:
            problems.append(str(err))
            continue
        for column in ("url", "archive_url"):
            if values[column] and not re.match(r"^https?://\S+$", values[column]):
                problems.append(f"line {line}: {column} '{values[column][:80]}' is not an http(s) URL")
            elif values[column]:
                try:  # the model's own URL check ("http://0" has the shape but no host), so saving cannot fail
                    Citation._meta.get_field(column).run_validators(values[column])
                except ValidationError:
                    problems.append(f"line {line}: {column} '{values[column][:80]}' is not a valid URL")
        problems += check_field_lengths(Citation, values, line=line)
        source = matcher.match(values["publisher"]) if values["publisher"] else None
        if source is None and (values["url"] or values["archive_url"]):
            # by domain, subdomains folded and archive addresses unwrapped, as page imports do
            source = domains.match(original_url(values["url"]) or original_url(values["archive_url"]))
        if source is not None:
            values["source"] = source
        plans.append((citations[label], values))
    if problems:
        raise ImportRefused(f"{name}: " + "; ".join(problems))
    report = ReferencesReport()
    from .sources import citation_update

    for citation, values in plans:
        before = citation.source_id
        updated = citation_update(citation=citation, actor=actor, reason=f"completed from {name}", **values)
        if updated.updated_at != citation.updated_at or updated.source_id != before:
            report.updated += 1
        else:
            report.unchanged += 1
        report.sources_linked += updated.source_id is not None
    return report
