"""Writes to claims and to the citations they carry."""

from __future__ import annotations

from django.db import transaction

from .. import workflow
from ..errors import FrozenClaim, ServiceError, StaleClaim
from ..models import Citation, Claim, ClaimCitation, ClaimStatus
from ._common import apply_changes, delete_tracked, require_perm, save_tracked
from .confidence import refresh_confidence
from .conflicts import relations_suggest

ANCHOR_FIELDS = (
    "revision",
    "paragraph_index",
    "sentence_index",
    "start",
    "end",
    "prefix",
    "suffix",
    "anchor_state",
)
CONTENT_FIELDS = (
    "event_date",
    "event_date_end",
    "event_date_precision",
    "event_date_origin",
    "event_date_phrase",
    "hedge_kind",
    "hedge_phrase",
    "attributed_to",
    "attributed_source",
    "hedges",
    "tags",
)
# What a decision is about — everything the reviewer judged: the text, where it stands in the article, and what
# the article says about it (hedges, attribution, tags, event date). Frozen once the claim is decided, until a
# Lead reopens it (or a new article revision or a lost conflict reopens it automatically).
FROZEN_FIELDS = frozenset(("text", *ANCHOR_FIELDS, *CONTENT_FIELDS))
CLAIM_FIELDS = ("text", *ANCHOR_FIELDS, *CONTENT_FIELDS)
LINK_FIELDS = ("stance", "info_grade", "position", "quote", "note")


def lock_claim(claim_id: int, *, seen_version: int | None) -> Claim:
    """Lock the claim row for this transaction and check the actor saw its current version."""
    try:
        claim = Claim.objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist:
        raise ServiceError(f"claim #{claim_id} does not exist") from None
    if seen_version is not None and claim.version != seen_version:
        raise StaleClaim(claim)
    return claim


def save_claim(claim: Claim, *, actor, reason: str) -> Claim:
    """Bump the version, rescore and save with history: the tail of every claim write."""
    refresh_confidence(claim)
    claim.version += 1
    save_tracked(claim, actor=actor, reason=reason)
    return claim


@transaction.atomic
def claim_create(*, article, text: str, revision, actor, reason: str, **fields) -> Claim:
    require_perm(actor, "claims.add_claim", "add a claim")
    if not text.strip():
        raise ServiceError("a claim needs its text")
    status = fields.pop("status", ClaimStatus.NEEDS_SOURCE)
    if status not in (ClaimStatus.UNREVIEWED, ClaimStatus.NEEDS_SOURCE):
        raise ServiceError(f"a new claim starts unreviewed or needing a source, not {status}: review decides the rest")
    claim = Claim(
        article=article,
        text=text.strip(),
        revision=revision,
        paragraph_index=fields.pop("paragraph_index", 0),
        sentence_index=fields.pop("sentence_index", 0),
        start=fields.pop("start", 0),
        end=fields.pop("end", len(text)),
        created_by=actor,
        last_edited_by=actor,
        status=status,
    )
    apply_changes(claim, fields, allowed=CLAIM_FIELDS)
    refresh_confidence(claim)
    save_tracked(claim, actor=actor, reason=reason)
    return claim


@transaction.atomic
def claim_update(*, claim_id: int, seen_version: int | None, actor, reason: str, **changes) -> Claim:
    """Edit a claim. A decided claim's text, anchor, hedges, tags and event date are frozen; editing the text
    makes the actor its last editor (who then may not decide it)."""
    require_perm(actor, "claims.change_claim", "edit a claim")
    claim = lock_claim(claim_id, seen_version=seen_version)
    changed = apply_changes(claim, changes, allowed=CLAIM_FIELDS)
    if not changed:
        return claim
    frozen = FROZEN_FIELDS.intersection(changed)
    if frozen and claim.is_decided:
        raise FrozenClaim(claim, _frozen_words(frozen))
    if "text" in changed:
        if not claim.text.strip():
            raise ServiceError("a claim needs its text")
        claim.last_edited_by = actor
        if claim.anchor_state != Claim.AnchorState.ORPHANED:
            # The anchor still points at the article's sentence, but the claim no longer says its words:
            # lists and filters show that ("changed"), and the review page shows both.
            claim.anchor_state = Claim.AnchorState.CHANGED
    if claim.event_date_end is not None and (claim.event_date is None or claim.event_date_end <= claim.event_date):
        raise ServiceError(
            f"the event date range must end after it starts (from {claim.event_date or 'no date'} "
            f"to {claim.event_date_end})"
        )
    save_claim(claim, actor=actor, reason=reason)
    if "text" in changed and actor.has_perm("claims.add_claimrelation"):
        # New words may conflict with (or duplicate) other claims: the detectors look again at its article.
        relations_suggest(
            actor=actor, reason=f"claim #{claim.pk} text edited: {reason}", article=claim.article_id, edited=[claim.pk]
        )
        claim.refresh_from_db()
    return claim


def _frozen_words(fields) -> str:
    """Name the frozen fields an edit tried to change, as the refusal says them."""
    parts = []
    if "text" in fields:
        parts.append("text and anchor")  # new words need a new anchor
    elif set(fields) & set(ANCHOR_FIELDS):
        parts.append("anchor")
    content = [Claim._meta.get_field(name).verbose_name for name in CONTENT_FIELDS if name in fields]
    parts += content
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _check_citations_editable(claim: Claim) -> None:
    if claim.is_decided:
        raise FrozenClaim(claim, "citations")


@transaction.atomic
def claim_citation_add(
    *, claim_id: int, citation: Citation, actor, reason: str, seen_version: int | None = None, **fields
) -> ClaimCitation:
    """Link a citation to a claim. A claim waiting for a source leaves needs_source."""
    require_perm(actor, "claims.add_claimcitation", "add a citation to a claim")
    claim = lock_claim(claim_id, seen_version=seen_version)
    _check_citations_editable(claim)
    if citation.article_id != claim.article_id:
        raise ServiceError(f"citation [{citation.label}] belongs to another article than claim #{claim.pk}")
    if ClaimCitation.objects.filter(claim=claim, citation=citation).exists():
        raise ServiceError(f"claim #{claim.pk} already cites [{citation.label}]")
    link = ClaimCitation(claim=claim, citation=citation)
    apply_changes(link, fields, allowed=LINK_FIELDS)
    save_tracked(link, actor=actor, reason=reason)
    if claim.status == ClaimStatus.NEEDS_SOURCE:
        workflow.check_transition(claim, to=ClaimStatus.UNREVIEWED, actor=actor, action="source_added")
        claim.status = ClaimStatus.UNREVIEWED
    claim.last_edited_by = actor
    save_claim(claim, actor=actor, reason=reason)
    return link


@transaction.atomic
def claim_citation_update(
    *, claim_citation: ClaimCitation, actor, reason: str, seen_version: int | None = None, **changes
) -> ClaimCitation:
    """Change how a citation bears on a claim (stance, information grade, quote)."""
    require_perm(actor, "claims.change_claimcitation", "change a claim's citation")
    claim = lock_claim(claim_citation.claim_id, seen_version=seen_version)
    link = ClaimCitation.objects.select_for_update().get(pk=claim_citation.pk)
    changed = apply_changes(link, changes, allowed=LINK_FIELDS)
    if not changed:
        return link
    _check_citations_editable(claim)
    save_tracked(link, actor=actor, reason=reason)
    claim.last_edited_by = actor
    save_claim(claim, actor=actor, reason=reason)
    return link


@transaction.atomic
def claim_citation_remove(
    *, claim_citation: ClaimCitation, actor, reason: str, seen_version: int | None = None
) -> Claim:
    """Unlink a citation; an unreviewed claim left with none goes back to needs_source."""
    require_perm(actor, "claims.delete_claimcitation", "remove a citation from a claim")
    claim = lock_claim(claim_citation.claim_id, seen_version=seen_version)
    _check_citations_editable(claim)
    # Delete the locked row, not the caller's object (which keeps its pk, e.g. to read the link's history).
    link = ClaimCitation.objects.select_for_update().filter(pk=claim_citation.pk, claim=claim).first()
    if link is None:
        raise ServiceError(f"claim #{claim.pk} no longer cites [{claim_citation.citation.label}]")
    delete_tracked(link, actor=actor, reason=reason)
    if claim.status == ClaimStatus.UNREVIEWED and not claim.claim_citations.exists():
        workflow.check_transition(claim, to=ClaimStatus.NEEDS_SOURCE, actor=actor, action="source_removed")
        claim.status = ClaimStatus.NEEDS_SOURCE
    claim.last_edited_by = actor
    return save_claim(claim, actor=actor, reason=reason)
