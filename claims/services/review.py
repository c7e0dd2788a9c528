"""The review workflow's writes: take, start, decide, reopen, release, assign — each checked by `workflow`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .. import workflow
from ..errors import ServiceError, display_name
from ..models import OPEN_STATUSES, Claim, ClaimStatus, Review
from ._common import require_perm, require_reason
from .claims import lock_claim, save_claim
from .confidence import DERIVED_FIELDS, _claims_for_scoring, refresh_confidence


def _transition(claim: Claim, *, to: str, action: str, actor, note: str, override: str = "") -> Review | None:
    """Check and apply one transition in memory; the review-log entry it calls for (unsaved), if any.

    An override reason is stored on the review only when the verification rule needed it."""
    override = (override or "").strip()
    transition = workflow.check_transition(claim, to=to, actor=actor, note=note, action=action, override=override)
    if override and not (transition.needs_evidence and workflow.missing_evidence(claim)):
        override = ""  # nothing was overridden: a verified claim that met the rule carries no override
    previous = claim.status
    claim.status = to
    if workflow.is_decided(to):
        claim.decided_at = timezone.now()
        claim.reopened = False
    elif workflow.is_decided(previous):
        claim.decided_at = None
        claim.reopened = True  # stays set through a release: cleared only by the next decision
    if not transition.needs_note:
        return None
    return Review(
        claim=claim, reviewer=actor, from_status=previous, to_status=to, note=note.strip(), override_reason=override
    )


def _move(claim: Claim, *, to: str, action: str, actor, note: str, reason: str, override: str = "") -> Claim:
    """Apply one checked transition; decisions and reopenings append to the review log."""
    review = _transition(claim, to=to, action=action, actor=actor, note=note, override=override)
    save_claim(claim, actor=actor, reason=reason)
    if review is not None:
        review.claim_version = claim.version
        review.save()
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
def claim_decide(
    *, claim_id: int, status: str, note: str, seen_version: int, actor, override_reason: str = ""
) -> Claim:
    """Decide a claim in review: verified, disputed, refuted or unverifiable, with a note saying why.

    Verified needs a supporting citation and no open or lost conflict (`workflow.missing_evidence`); a
    reviewer who verifies anyway gives `override_reason`, kept on the review and shown in exports."""
    if status not in workflow.DECISIONS:
        raise ServiceError(f"'{status}' is not a decision: choose one of {', '.join(workflow.DECISIONS)}")
    if seen_version is None:
        raise ServiceError("a decision must say which version of the claim it was made on")
    claim = lock_claim(claim_id, seen_version=seen_version)
    return _move(
        claim, to=status, action="decide", actor=actor, note=note, reason=note.strip(), override=override_reason
    )


@transaction.atomic
def claim_reopen(*, claim_id: int, note: str, seen_version: int | None, actor) -> Claim:
    """Send a decided claim back to review (Lead only); its text and citations can change again."""
    claim = lock_claim(claim_id, seen_version=seen_version)
    return _move(
        claim, to=ClaimStatus.IN_REVIEW, action="reopen", actor=actor, note=note, reason=f"reopened: {note.strip()}"
    )


@transaction.atomic
def claim_reopen_after_lost_conflict(*, claim_id: int, relation, actor, note: str) -> Claim | None:
    """A Lead resolved `relation` against this claim: a decided claim goes back to review (see
    workflow.AUTOMATIC_REOPENS), with a review-log entry naming the relation. Called inside relation_resolve's
    transaction; returns None when the claim stays as it is (open, or already refuted)."""
    claim = lock_claim(claim_id, seen_version=None)
    if not workflow.reopens_automatically(claim, "conflict_lost"):
        return None
    other = relation.claim_b_id if relation.claim_a_id == claim.pk else relation.claim_a_id
    why = (
        f"reopened automatically: conflict relation #{relation.pk} with claim #{other} was resolved against it "
        f"(claim #{other} stands) by {display_name(actor)}: {note.strip()}"
    )
    previous = claim.status
    claim.status, claim.decided_at, claim.reopened = ClaimStatus.IN_REVIEW, None, True
    save_claim(claim, actor=actor, reason=why)
    Review.objects.create(
        claim=claim, reviewer=actor, from_status=previous, to_status=claim.status, note=why, claim_version=claim.version
    )
    return claim


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
    _check_assignment(claim, assignee=assignee, actor=actor)
    if claim.assigned_to_id == (assignee.pk if assignee else None):
        return claim
    claim.assigned_to = assignee
    default = f"assigned to {display_name(assignee)}" if assignee else "unassigned"
    return save_claim(claim, actor=actor, reason=reason.strip() or default)


def _check_assignment(claim: Claim, *, assignee, actor) -> None:
    """Who may assign whom: reviewers take claims for themselves, a Lead assigns others; four-eyes holds."""
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
        if assignee.pk in workflow.contributors(claim):
            raise ServiceError(
                f"four-eyes rule: {display_name(assignee)} created or last edited claim #{claim.pk} (or wrote its "
                "text or citations since it was last decided) and could not decide it"
            )


TAKE_NEXT_WINDOW = 20  # candidates looked at per "take next" before saying the queue has nothing for the actor


@transaction.atomic
def claim_take_next(*, actor) -> Claim | None:
    """Give the reviewer the most urgent unassigned open claim, atomically.

    Two reviewers pressing "take next" at once never get the same claim: the row is locked with
    SKIP LOCKED, so the second one skips to the next claim instead of waiting.
    """
    require_perm(actor, "claims.review_claim", "take claims from the queue")
    limit = getattr(settings, "CLAIMS_MAX_HELD", 5)
    held = Claim.objects.filter(assigned_to=actor, status=ClaimStatus.IN_REVIEW).count()
    if held >= limit:
        raise ServiceError(
            f"you already hold {held} claims in review (at most {limit} at a time): decide or release one of "
            "them before taking the next"
        )
    from ..selectors import review_queue

    candidates = review_queue().filter(assigned_to__isnull=True).exclude(created_by=actor).exclude(last_edited_by=actor)
    locked = candidates.select_related(None).select_for_update(skip_locked=True, no_key=True, of=("self",))
    # The cheap exclusions above catch most four-eyes cases; an earlier contributor (found in history) is
    # skipped here, one locked row at a time so that other reviewers keep getting the rows after it.
    skipped: list[int] = []
    for _ in range(TAKE_NEXT_WINDOW):
        claim = locked.exclude(pk__in=skipped).first() if skipped else locked.first()
        if claim is None or actor.pk not in workflow.contributors(claim):
            break
        skipped.append(claim.pk)
    else:
        claim = None
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
    failed: dict[int, str] = field(default_factory=dict)  # not changed: the database failed, not the rules

    def summary(self, verb: str) -> str:
        text = f"{len(self.done)} claim(s) {verb}"
        if self.done and self.failed:  # the connection died part-way: say exactly which were done
            text += ": " + _ids(self.done)
        if self.refused:
            reasons = "; ".join(f"#{pk}: {why}" for pk, why in self.refused.items())
            text += f"; {len(self.refused)} refused — {reasons}"
        if self.failed:
            text += f"; {len(self.failed)} not {verb} because the database failed ({_ids(self.failed)}): " + (
                next(iter(self.failed.values()))
            )
        return text


def _ids(pks, shown: int = 50) -> str:
    pks = list(pks)
    text = ", ".join(f"#{pk}" for pk in pks[:shown])
    return text + (f" and {len(pks) - shown} more" if len(pks) > shown else "")


def _database_failed(err: DatabaseError) -> str:
    """The message for a claim the database failed on; a dead connection is dropped so the next claim gets a
    fresh one (each claim is its own transaction, so nothing of the failed one was written)."""
    if not connection.in_atomic_block and not connection.is_usable():
        connection.close()
    return f"nothing was written for it ({type(err).__name__}: {str(err).strip().splitlines()[0] if str(err) else ''})"


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
        except DatabaseError as err:
            result.failed[pk] = _database_failed(err)
        else:
            result.done.append(pk)
    return result


# ---- bulk actions in batches: a fixed number of queries per batch, whatever its size ---------------------------

BULK_BATCH = 500
# What a workflow move may change on a claim, written in one UPDATE per batch (with the derived score).
MOVE_FIELDS = ["status", "decided_at", "reopened", "assigned_to", "version", "updated_at", *DERIVED_FIELDS]


def claims_batch(claim_ids, change, *, actor, batch_size: int = BULK_BATCH) -> BulkResult:
    """Apply `change(claim) -> (reason, Review | None)`, or None for "nothing to do", to many claims in batches.

    Per batch: one query locks and reads the claims (with what scoring and the checks need, prefetched), the
    checks run in memory, then one UPDATE, one history INSERT and one review-log INSERT write every accepted
    claim — each with its own reason, the actor and a history row, as the one-claim services write them. A
    refused claim is reported and left untouched; the accepted ones of a batch commit together. When the database
    fails on a batch (a dead connection, a lock timeout), nothing of it was written and its claims are tried again
    one by one, so one claim's failure costs only that claim (reported in `failed`)."""
    result = BulkResult()
    ids = list(dict.fromkeys(int(pk) for pk in claim_ids))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        try:
            part = _batch(chunk, change, actor=actor, batch_size=batch_size)
        except DatabaseError as err:
            why = _database_failed(err)  # the batch wrote nothing; a dead connection is dropped
            if len(chunk) == 1:
                part = BulkResult(failed={chunk[0]: why})
            else:  # one claim's failure must not cost the others their change: each claim on its own
                part = BulkResult()
                for pk in chunk:
                    one = claims_batch([pk], change, actor=actor)
                    part.done += one.done
                    part.refused.update(one.refused)
                    part.failed.update(one.failed)
        result.done += part.done
        result.refused.update(part.refused)
        result.failed.update(part.failed)
    return result


def _batch(chunk, change, *, actor, batch_size: int) -> BulkResult:
    """One batch of `claims_batch`, in one transaction (a DatabaseError leaves nothing of it written)."""
    result = BulkResult()
    with transaction.atomic():
        claims = {
            claim.pk: claim
            for claim in _claims_for_scoring()
            .select_related("assigned_to")
            .select_for_update(of=("self",))
            .filter(pk__in=chunk)
        }
        workflow.prefetch_review_facts(claims.values())  # four-eyes and evidence for the batch, not per claim
        changed, reviews = [], []
        now = timezone.now()
        for pk in chunk:
            claim = claims.get(pk)
            if claim is None:
                result.refused[pk] = f"claim #{pk} does not exist"
                continue
            try:
                outcome = change(claim)
            except (PermissionDenied, ValidationError) as err:
                result.refused[pk] = _message(err)
                continue
            if outcome is None:  # already as asked: nothing to write, no new version
                result.done.append(pk)
                continue
            reason, review = outcome
            refresh_confidence(claim)
            claim.version += 1
            claim.updated_at = now
            claim._history_user = actor
            claim._change_reason = reason
            changed.append(claim)
            if review is not None:
                review.claim_version = claim.version
                reviews.append(review)
            result.done.append(pk)
        if changed:
            bulk_update_with_history(changed, Claim, MOVE_FIELDS, batch_size=batch_size, default_user=actor)
        if reviews:
            Review.objects.bulk_create(reviews)  # the append-only log (not a history-tracked model)
    return result


def _start(actor, note: str = ""):
    def change(claim: Claim):
        if claim.assigned_to_id is None:
            claim.assigned_to = actor
        review = _transition(claim, to=ClaimStatus.IN_REVIEW, action="start_review", actor=actor, note=note)
        return note.strip() or "review started", review

    return change


def _release(actor, note: str = ""):
    def change(claim: Claim):
        to = ClaimStatus.UNREVIEWED if claim.claim_citations.all() else ClaimStatus.NEEDS_SOURCE
        workflow.check_transition(claim, to=to, actor=actor, note=note, action="release")  # before unassigning
        claim.assigned_to = None
        review = _transition(claim, to=to, action="release", actor=actor, note=note)
        return note.strip() or "released to the queue", review

    return change


def _decide(actor, status: str, note: str, override: str = ""):
    def change(claim: Claim):
        return note.strip(), _transition(claim, to=status, action="decide", actor=actor, note=note, override=override)

    return change


def _assign(actor, assignee, reason: str = ""):
    def change(claim: Claim):
        _check_assignment(claim, assignee=assignee, actor=actor)
        if claim.assigned_to_id == (assignee.pk if assignee else None):
            return None
        claim.assigned_to = assignee
        default = f"assigned to {display_name(assignee)}" if assignee else "unassigned"
        return reason.strip() or default, None

    return change


def claims_start_review(*, claim_ids, actor) -> BulkResult:
    return claims_batch(claim_ids, _start(actor), actor=actor)


def claims_release(*, claim_ids, actor, note: str = "") -> BulkResult:
    return claims_batch(claim_ids, _release(actor, note), actor=actor)


def claims_decide(*, claim_ids, status: str, note: str, actor, override_reason: str = "") -> BulkResult:
    """Decide many claims with one note; each is decided on its current version."""
    require_reason(note, what="a decision")
    if status not in workflow.DECISIONS:
        raise ServiceError(f"'{status}' is not a decision: choose one of {', '.join(workflow.DECISIONS)}")
    result = claims_batch(claim_ids, _decide(actor, status, note, override_reason), actor=actor)
    for pk, why in result.refused.items():
        if why.endswith("does not exist"):
            result.refused[pk] = "no such claim"
    return result


def claims_assign(*, claim_ids, assignee, actor) -> BulkResult:
    """Assign many claims; claims already with that assignee are left as they are (no new version)."""
    return claims_batch(claim_ids, _assign(actor, assignee), actor=actor)


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
    "claims_batch",
    "claims_decide",
    "claims_release",
    "claims_start_review",
]
