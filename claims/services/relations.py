"""Writes to claim relations: suggest, add by hand, confirm, dismiss, resolve."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..errors import ServiceError
from ..models import Claim, ClaimRelation
from ._common import apply_changes, delete_tracked, require_perm, require_reason, save_tracked
from .confidence import claims_recompute_confidence
from .review import claim_reopen_after_lost_conflict

R = ClaimRelation
RELATION_FIELDS = ("kind", "state", "detector", "evidence", "score")


def ordered_pair(a: Claim | int, b: Claim | int) -> tuple[int, int]:
    a_id, b_id = (x.pk if isinstance(x, Claim) else x for x in (a, b))
    if a_id == b_id:
        raise ServiceError(f"claim #{a_id} cannot be related to itself")
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def _rescore(relation: ClaimRelation, *, actor, reason: str) -> None:
    claims_recompute_confidence(claim_ids=[relation.claim_a_id, relation.claim_b_id], actor=actor, reason=reason)


@transaction.atomic
def relation_create(
    *, claim_a: Claim | int, claim_b: Claim | int, kind: str, actor, reason: str, evidence: str = "", **fields
) -> ClaimRelation:
    """Relate two claims by hand; each pair exists once. Confirmed when the actor may confirm relations (a
    reviewer's call), otherwise suggested, for a reviewer to confirm or dismiss."""
    require_perm(actor, "claims.add_claimrelation", "relate claims")
    may_confirm = actor.has_perm("claims.confirm_relation")
    state = fields.pop("state", R.State.CONFIRMED if may_confirm else R.State.SUGGESTED)
    if state != R.State.SUGGESTED:
        require_perm(actor, "claims.confirm_relation", f"create a relation as {state}")
    a_id, b_id = ordered_pair(claim_a, claim_b)
    existing = ClaimRelation.objects.filter(claim_a_id=a_id, claim_b_id=b_id).first()
    if existing is not None:
        raise ServiceError(
            f"claims #{a_id} and #{b_id} are already related ({existing.get_kind_display()}, "
            f"{existing.get_state_display()})"
        )
    relation = ClaimRelation(
        claim_a_id=a_id,
        claim_b_id=b_id,
        kind=kind,
        evidence=evidence or reason,
        created_by=actor,
        state=state,
        detector=fields.pop("detector", R.Detector.MANUAL),
    )
    apply_changes(relation, fields, allowed=RELATION_FIELDS)
    save_tracked(relation, actor=actor, reason=reason)
    _rescore(relation, actor=actor, reason=reason)
    return relation


@transaction.atomic
def relation_update(*, relation: ClaimRelation, actor, reason: str, **changes) -> ClaimRelation:
    require_perm(actor, "claims.change_claimrelation", "edit a relation")
    relation = ClaimRelation.objects.select_for_update().get(pk=relation.pk)
    if "state" in changes and changes["state"] != relation.state:
        raise ServiceError("change a relation's state by confirming, dismissing or resolving it")
    changed = apply_changes(relation, changes, allowed=RELATION_FIELDS)
    if "kind" in changed and relation.state in (R.State.RESOLVED, R.State.DISMISSED):
        raise ServiceError(
            f"relation #{relation.pk} is {relation.get_state_display()}: its kind is settled and cannot change"
        )
    if changed:
        save_tracked(relation, actor=actor, reason=reason)
        _rescore(relation, actor=actor, reason=reason)
    return relation


def _locked(relation: ClaimRelation | int) -> ClaimRelation:
    pk = relation.pk if isinstance(relation, ClaimRelation) else relation
    return ClaimRelation.objects.select_for_update().get(pk=pk)


@transaction.atomic
def relation_confirm(*, relation: ClaimRelation | int, actor, note: str) -> ClaimRelation:
    """A reviewer agrees the suggested relation is real."""
    require_perm(actor, "claims.confirm_relation", "confirm a suggested relation")
    note = require_reason(note, what="confirming a relation")
    relation = _locked(relation)
    if relation.state != R.State.SUGGESTED:
        raise ServiceError(f"relation #{relation.pk} is {relation.get_state_display()}, not suggested")
    relation.state = R.State.CONFIRMED
    save_tracked(relation, actor=actor, reason=f"confirmed: {note}")
    _rescore(relation, actor=actor, reason=f"relation #{relation.pk} confirmed")
    return relation


@transaction.atomic
def relation_dismiss(*, relation: ClaimRelation | int, actor, note: str) -> ClaimRelation:
    """A reviewer rejects a suggestion; the detectors never propose this pair again."""
    require_perm(actor, "claims.confirm_relation", "dismiss a suggested relation")
    note = require_reason(note, what="dismissing a relation")
    relation = _locked(relation)
    if relation.state not in (R.State.SUGGESTED, R.State.CONFIRMED):
        raise ServiceError(f"relation #{relation.pk} is {relation.get_state_display()} and cannot be dismissed")
    relation.state = R.State.DISMISSED
    save_tracked(relation, actor=actor, reason=f"dismissed: {note}")
    _rescore(relation, actor=actor, reason=f"relation #{relation.pk} dismissed")
    return relation


@transaction.atomic
def relation_resolve(*, relation: ClaimRelation | int, resolution: str, note: str, actor) -> ClaimRelation:
    """A Lead settles a confirmed conflict: which claim stands, both partly, or unresolved (with a note)."""
    require_perm(actor, "claims.resolve_relation", "resolve a conflict")
    note = require_reason(note, what="resolving a conflict")
    if resolution not in R.Resolution.values or not resolution:
        choices = ", ".join(v for v in R.Resolution.values if v)
        raise ServiceError(f"'{resolution}' is not a resolution: choose one of {choices}")
    relation = _locked(relation)
    if relation.kind != R.Kind.CONFLICTS:
        raise ServiceError(
            f"relation #{relation.pk} is a '{relation.get_kind_display()}' relation: only conflicts are resolved"
        )
    if relation.state != R.State.CONFIRMED:
        raise ServiceError(
            f"relation #{relation.pk} is {relation.get_state_display()}: only a confirmed conflict can be resolved"
        )
    relation.state = R.State.RESOLVED
    relation.resolution, relation.resolution_note = resolution, note
    relation.resolved_by, relation.resolved_at = actor, timezone.now()
    save_tracked(relation, actor=actor, reason=f"resolved ({relation.get_resolution_display()}): {note}")
    loser = {R.Resolution.A_STANDS: relation.claim_b_id, R.Resolution.B_STANDS: relation.claim_a_id}.get(resolution)
    if loser is not None:
        # A decision must not outlive the conflict it lost (docs/workflow.md): the claim goes back to review.
        claim_reopen_after_lost_conflict(claim_id=loser, relation=relation, actor=actor, note=note)
    _rescore(relation, actor=actor, reason=f"relation #{relation.pk} resolved")
    return relation


@transaction.atomic
def relation_delete(*, relation: ClaimRelation, actor, reason: str) -> None:
    require_perm(actor, "claims.delete_claimrelation", "delete a relation")
    delete_tracked(relation, actor=actor, reason=reason)
    _rescore(relation, actor=actor, reason=reason)
