"""What the claim review page shows: the claim in its paragraph, evidence, relations, log, allowed buttons."""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import format_html

from .. import selectors, workflow
from ..importing import parse_article
from ..models import DECIDED_STATUSES, Claim, ClaimStatus, CleanupTag


@lru_cache(maxsize=64)
def _paragraphs(sha256: str, text: str) -> tuple[str, ...]:
    # Parsing is pure and takes milliseconds; cache per revision so the page does not reparse.
    return tuple(p.text for p in parse_article(text).paragraphs)


def paragraph_with_highlight(claim: Claim):
    """The claim's paragraph as HTML with the claim's own words marked; None when it cannot be placed."""
    revision = claim.revision
    paragraphs = _paragraphs(revision.sha256, revision.text)
    if claim.paragraph_index >= len(paragraphs):
        return None
    text = paragraphs[claim.paragraph_index]
    start, end = claim.start, min(claim.end, len(text))
    return format_html(
        '{}<mark class="claim-highlight" id="claim-highlight">{}</mark>{}', text[:start], text[start:end], text[end:]
    )


def allowed_actions(user, claim: Claim) -> dict[str, bool]:
    """Which buttons to show: exactly the moves the transition table would accept from this user."""

    def can(to: str) -> bool:
        try:
            workflow.check_transition(claim, to=to, actor=user, note="(checking)")
        except Exception:  # noqa: BLE001 - any refusal means: no button
            return False
        return True

    open_claim = claim.status in (ClaimStatus.UNREVIEWED, ClaimStatus.NEEDS_SOURCE)
    mine_or_free = claim.assigned_to_id in (None, user.pk)
    return {
        "start": open_claim and mine_or_free and can(ClaimStatus.IN_REVIEW),
        "decide": claim.status == ClaimStatus.IN_REVIEW and can(ClaimStatus.VERIFIED),
        "release": claim.status == ClaimStatus.IN_REVIEW
        and (mine_or_free or user.has_perm("claims.assign_claim"))
        and can(ClaimStatus.UNREVIEWED),
        "reopen": claim.status in DECIDED_STATUSES and can(ClaimStatus.IN_REVIEW),
        "assign": claim.status not in DECIDED_STATUSES and user.has_perm("claims.assign_claim"),
    }


def decide_refusal(user, claim: Claim) -> str:
    """Why this user may not decide this claim (shown instead of the decision form), or ''."""
    if claim.status != ClaimStatus.IN_REVIEW:
        return ""
    try:
        workflow.check_transition(claim, to=ClaimStatus.VERIFIED, actor=user, note="(checking)")
    except Exception as err:  # noqa: BLE001
        return str(err.args[0]) if err.args else str(err)
    return ""


def review_context(request, claim: Claim, *, decide_form, assign_form) -> dict:
    citations = claim.claim_citations.select_related("citation__source").order_by("position", "pk")
    return {
        "claim": claim,
        "paragraph_html": paragraph_with_highlight(claim),
        "claim_citations": citations,
        "relations": selectors.claim_relations(claim),
        "reviews": selectors.claim_reviews(claim),
        "actions": allowed_actions(request.user, claim),
        "decide_refusal": decide_refusal(request.user, claim),
        "decide_form": decide_form,
        "assign_form": assign_form,
        "tag_labels": [dict(CleanupTag.choices).get(t, t) for t in claim.tags],
    }
