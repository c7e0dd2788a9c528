"""The review workflow's writes: take, start, decide, reopen, release, assign — each checked by `workflow`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..errors import ServiceError, display_name
from ..models import OPEN_STATUSES, Claim, ClaimStatus, Review
from ._common import require_perm, require_reason
from .claims import lock_claim, save_claim


def _move(claim: Claim, *, to: str, action: str, actor, note: str, reason: str) -> Claim:
    """Apply one checked transition; decisions and reopenings append to the review log."""
    transition = workflow.check_transition(claim, to=to, actor=actor, note=note, action=action)
    previous = claim.status
    claim.status = to
    if workflow.is_decided(to):
        claim.decided_at = timezone.now()
        claim.reopened = False
    elif workflow.is_decided(previous):
        claim.decided_at = None
        claim.reopened = True  # stays set through a release: cleared only by the next decision
    save_claim(claim, actor=actor, reason=reason)
    if transition.needs_note:
        Review.objects.create(
            claim=claim,
            reviewer=actor,
            from_status=previous,
            to_status=to,
            note=note.strip(),
            claim_version=claim.version,
        )
    return claim


@transaction.atomic
def claim_start_review(*, claim_id: int, actor, seen_version: int | None = None, note: str = "") -> Claim:
    """Move an open claim into review. An unassigned claim becomes the actor's; a claim a Lead assigned to
    someone stays theirs (only its assignee or a Lead may start it — see `workflow`)."""
    claim = lock_claim(claim_id, seen_version=seen_version)
    if claim.assigned_to_id is None:
        claim.assigned_to = actor
    reason = note.strip() or "review started"
    return _move(claim, to=ClaimStatus.IN_REVIEW, action="start_review", actor=actor, note=note, reason=reason)


@transaction.atomic
def claim_decide(*, claim_id: int, status: str, note: str, seen_version: int, actor) -> Claim:
    """Decide a claim in review: verified, disputed, refuted or unverifiable, with a note saying why."""
    if status not in workflow.DECISIONS:
        raise ServiceError(f"'{status}' is not a decision: choose one of {', '.join(workflow.DECISIONS)}")
    if seen_version is None:
        raise ServiceError("a decision must say which version of the claim it was made on")
    claim = lock_claim(claim_id, seen_version=seen_version)
    return _move(claim, to=status, action="decide", actor=actor, note=note, reason=note.strip())


@transaction.atomic
def claim_reopen(*, claim_id: int, note: str, seen_version: int | None, actor) -> Claim:
    """Send a decided claim back to review (Lead only); its text and citations can change again."""
    claim = lock_claim(claim_id, seen_version=seen_version)
    return _move(
        claim, to=ClaimStatus.IN_REVIEW, action="reopen", actor=actor, note=note, reason=f"reopened: {note.strip()}"
    )


@transaction.atomic
def claim_release(*, claim_id: int, actor, seen_version: int | None = None, note: str = "") -> Claim:
    """Hand a claim in review back to the queue, unassigned."""
    claim = lock_claim(claim_id, seen_version=seen_version)
    to = ClaimStatus.UNREVIEWED if claim.claim_citations.exists() else ClaimStatus.NEEDS_SOURCE
    workflow.check_transition(claim, to=to, actor=actor, note=note, action="release")  # before unassigning
    claim.assigned_to = None
    return _move(claim, to=to, action="release", actor=actor, note=note, reason=note.strip() or "released to the queue")


@transaction.atomic
def claim_assign(*, claim_id: int, assignee, actor, seen_version: int | None = None, reason: str = "") -> Claim:
    """Assign a claim: reviewers may take a claim for themselves; only a Lead assigns others."""
    claim = lock_claim(claim_id, seen_version=seen_version)
    taking = assignee is not None and assignee.pk == actor.pk
    if taking and claim.assigned_to_id in (None, actor.pk):
        require_perm(actor, workflow.REVIEW, "take a claim")
    elif taking:
        require_perm(actor, workflow.ASSIGN, f"take claim #{claim.pk} from {display_name(claim.assigned_to)}")
    else:
        require_perm(actor, workflow.ASSIGN, "assign claims to others")
    if claim.is_decided:
        raise ServiceError(f"claim #{claim.pk} is already {claim.get_status_display()}: reopen it first")
    if assignee is not None:
        if not assignee.is_active or not assignee.has_perm(workflow.REVIEW):
            raise ServiceError(f"{display_name(assignee)} is not a reviewer and cannot be assigned claims")
        if assignee.pk in (claim.created_by_id, claim.last_edited_by_id):
            raise ServiceError(
                f"four-eyes rule: {display_name(assignee)} created or last edited claim #{claim.pk} "
                "and could not decide it"
            )
    if claim.assigned_to_id == (assignee.pk if assignee else None):
        return claim
    claim.assigned_to = assignee
    default = f"assigned to {display_name(assignee)}" if assignee else "unassigned"
    return save_claim(claim, actor=actor, reason=reason.strip() or default)


@transaction.atomic
def claim_take_next(*, actor) -> Claim | None:
    """Give the reviewer the most urgent unassigned open claim, atomically.

    Two reviewers pressing "take next" at once never get the same claim: the row is locked with
    SKIP LOCKED, so the second one skips to the next claim instead of waiting.
    """
    require_perm(actor, "claims.review_claim", "take claims from the queue")
    from ..selectors import review_queue

    candidates = review_queue().filter(assigned_to__isnull=True).exclude(created_by=actor).exclude(last_edited_by=actor)
    claim = candidates.select_related(None).select_for_update(skip_locked=True, no_key=True, of=("self",)).first()
    if claim is None:
        return None
    claim.assigned_to = actor
    if claim.status == ClaimStatus.IN_REVIEW:
        return save_claim(claim, actor=actor, reason="taken from the queue")
    return _move(
        claim, to=ClaimStatus.IN_REVIEW, action="start_review", actor=actor, note="", reason="taken from the queue"
    )


@dataclass
class BulkResult:
    """What a bulk action did: the claims it changed and, for each refused one, why."""

    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)

    def summary(self, verb: str) -> str:
        text = f"{len(self.done)} claim(s) {verb}"
        if self.refused:
            reasons = "; ".join(f"#{pk}: {why}" for pk, why in self.refused.items())
            text += f"; {len(self.refused)} refused — {reasons}"
        return text


def _message(err: Exception) -> str:
    if isinstance(err, ValidationError):
        return "; ".join(err.messages)
    return str(err)


def claims_bulk(claim_ids, action, **kwargs) -> BulkResult:
    """Apply one service per claim, each in its own transaction: a refusal never half-applies a claim."""
    result = BulkResult()
    for pk in claim_ids:
        try:
            action(claim_id=pk, **kwargs)
        except (PermissionDenied, ValidationError) as err:
            result.refused[pk] = _message(err)
        else:
            result.done.append(pk)
    return result


def claims_start_review(*, claim_ids, actor) -> BulkResult:
    return claims_bulk(claim_ids, claim_start_review, actor=actor)


def claims_decide(*, claim_ids, status: str, note: str, actor) -> BulkResult:
    """Decide many claims with one note; each is decided on its current version."""
    require_reason(note, what="a decision")
    if status not in workflow.DECISIONS:
        raise ServiceError(f"'{status}' is not a decision: choose one of {', '.join(workflow.DECISIONS)}")
    result = BulkResult()
    for claim in Claim.objects.filter(pk__in=claim_ids).only("pk", "version"):
        one = claims_bulk([claim.pk], claim_decide, status=status, note=note, seen_version=claim.version, actor=actor)
        result.done += one.done
        result.refused.update(one.refused)
    missing = set(claim_ids) - set(result.done) - set(result.refused)
    result.refused.update({pk: "no such claim" for pk in missing})
    return result


def claims_assign(*, claim_ids, assignee, actor) -> BulkResult:
    return claims_bulk(claim_ids, claim_assign, assignee=assignee, actor=actor)


__all__ = [
    "BulkResult",
    "OPEN_STATUSES",
    "claim_assign",
    "claim_decide",
    "claim_release",
    "claim_reopen",
    "claim_start_review",
    "claim_take_next",
    "claims_assign",
    "claims_decide",
    "claims_start_review",
]
