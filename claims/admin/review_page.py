"""What the claim review page shows: the claim in its paragraph, evidence, relations, log, allowed buttons."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html

from .. import selectors, workflow
from ..importing import ParseError, parse_article
from ..inputs import is_id
from ..models import DECIDED_STATUSES, Claim, ClaimStatus, CleanupTag


@lru_cache(maxsize=64)
def _parsed(sha256: str, text: str, title: str | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # Parsing is pure and takes milliseconds; cache per revision so the page does not reparse. ``title`` is
    # the title the import was given (then the first line was content), as the import report stores it.
    try:
        return tuple((p.text, tuple(s.text for s in p.sentences)) for p in parse_article(text, title=title).paragraphs)
    except ParseError:  # a revision with no prose (e.g. a claim added by hand): nothing to highlight in
        return ()


def _revision_parsed(revision) -> tuple[tuple[str, tuple[str, ...]], ...]:
    given = (revision.report or {}).get("title_given") or None
    return _parsed(revision.sha256, revision.text, given)


def article_words(claim: Claim) -> str | None:
    """The sentence as the article's revision has it (markers removed, as the importer made claims), when the
    claim still points at it; None when it cannot be placed."""
    if claim.anchor_state == Claim.AnchorState.ORPHANED:
        return None
    parsed = _revision_parsed(claim.revision)
    if claim.paragraph_index >= len(parsed):
        return None
    sentences = parsed[claim.paragraph_index][1]
    return sentences[claim.sentence_index] if claim.sentence_index < len(sentences) else None


def paragraph_with_highlight(claim: Claim):
    """The claim's paragraph as HTML with the claim's own words marked; None when it cannot be placed."""
    if claim.anchor_state == Claim.AnchorState.ORPHANED:
        return None  # its words are gone from the current revision: the offsets point at other words
    paragraphs = [paragraph for paragraph, _ in _revision_parsed(claim.revision)]
    if claim.paragraph_index >= len(paragraphs):
        return None
    text = paragraphs[claim.paragraph_index]
    start, end = claim.start, min(claim.end, len(text))
    if start >= end:
        return None
    return format_html(
        '{}<mark class="claim-highlight" id="claim-highlight">{}</mark>{}', text[:start], text[start:end], text[end:]
    )


def _refusal(claim: Claim, *, to: str, action: str, user) -> str:
    """'' when the transition table accepts the move from this user, else the reason it gives."""
    try:
        # Whether the button shows; the evidence a verification needs is shown beside it, not hidden with it.
        workflow.check_transition(claim, to=to, actor=user, note="(checking)", action=action, override="(checking)")
    except (PermissionDenied, ValidationError) as err:
        return "; ".join(err.messages) if isinstance(err, ValidationError) else str(err)
    return ""


def allowed_actions(user, claim: Claim) -> dict[str, bool]:
    """Which buttons to show: exactly the moves the transition table would accept from this user."""
    open_claim = claim.status in (ClaimStatus.UNREVIEWED, ClaimStatus.NEEDS_SOURCE)
    in_review = claim.status == ClaimStatus.IN_REVIEW
    decided = claim.status in DECIDED_STATUSES
    return {
        "start": open_claim and not _refusal(claim, to=ClaimStatus.IN_REVIEW, action="start_review", user=user),
        "decide": in_review and not _refusal(claim, to=ClaimStatus.VERIFIED, action="decide", user=user),
        "release": in_review and not _refusal(claim, to=ClaimStatus.UNREVIEWED, action="release", user=user),
        "reopen": decided and not _refusal(claim, to=ClaimStatus.IN_REVIEW, action="reopen", user=user),
        "assign": not decided and user.has_perm(workflow.ASSIGN),
    }


def decide_refusal(user, claim: Claim) -> str:
    """Why this user may not decide this claim (shown where the decision form would be), or ''.

    Asked as if the claim were in review, whatever its status, so that the creator of a claim reads the
    four-eyes rule on its page rather than an empty panel."""
    as_in_review = copy.copy(claim)
    as_in_review.status = ClaimStatus.IN_REVIEW
    return _refusal(as_in_review, to=ClaimStatus.VERIFIED, action="decide", user=user)


def _differs(claim: Claim) -> str | None:
    """The article's own words when the claim's text was edited away from them (shown next to each other)."""
    words = article_words(claim)
    if words is None or " ".join(words.split()) == " ".join(claim.text.split()):
        return None
    return words


# A claim page shows at most this many citations (in the panel and in the edit inline), relations and log entries
# per page of each: an inline row costs Django's admin ~15 ms to render, so 60 of them took a second.
PANEL_ROWS = 25


@dataclass
class PanelPage:
    """One page of a review-page panel, read as PANEL_ROWS + 1 rows (one query, no COUNT): the extra row only
    says whether there is a next page."""

    rows: list
    number: int
    has_next: bool
    param: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def first_row(self) -> int:
        return (self.number - 1) * PANEL_ROWS + 1

    @property
    def paginated(self) -> bool:
        return self.has_next or self.has_previous


def page_number(request, param: str) -> int:
    raw = request.GET.get(param, "1")
    return int(raw) if is_id(raw) and 0 < int(raw) < 10**6 else 1


def panel_page(request, queryset, param: str) -> PanelPage:
    number = page_number(request, param)
    start = (number - 1) * PANEL_ROWS
    rows = list(queryset[start : start + PANEL_ROWS + 1])
    return PanelPage(rows=rows[:PANEL_ROWS], number=number, has_next=len(rows) > PANEL_ROWS, param=param)


def review_context(request, claim: Claim, *, decide_form, assign_form) -> dict:
    citations = claim.claim_citations.select_related("citation__source").order_by("position", "pk")
    citations_page = panel_page(request, citations, "citations_page")
    relations_page = panel_page(request, selectors.claim_relations(claim), "relations_page")
    reviews_page = panel_page(request, selectors.claim_reviews(claim), "reviews_page")
    return {
        "claim": claim,
        "paragraph_html": paragraph_with_highlight(claim),
        "article_says": _differs(claim),
        "claim_citations": citations_page.rows,
        "citations_page": citations_page,
        "relations": relations_page.rows,
        "relations_page": relations_page,
        "reviews": reviews_page.rows,
        "reviews_page": reviews_page,
        "actions": allowed_actions(request.user, claim),
        "decide_refusal": decide_refusal(request.user, claim),
        "verify_missing": workflow.missing_evidence(claim) if claim.status == ClaimStatus.IN_REVIEW else [],
        "decide_form": decide_form,
        "assign_form": assign_form,
        "tag_labels": [dict(CleanupTag.choices).get(t, t) for t in claim.tags],
    }
