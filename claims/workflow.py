"""The review workflow as one table: which status may move to which, by whom, and under what rule.

unreviewed ─┐                     ┌─► verified
needs_source ┴─► in_review ───────┼─► disputed
                    ▲             ├─► refuted
                    │             └─► unverifiable
                    └── reopen (Lead, reason) / text or citations of a decided claim changed (automatic)

Services call `check_transition`; nothing else decides what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models

from .errors import ServiceError, display_name
from .models import DECIDED_STATUSES, OPEN_STATUSES, ClaimRelation, ClaimStatus

S = ClaimStatus


@dataclass(frozen=True)
class Transition:
    action: str  # the service-level name: start_review, decide, reopen, release, source_added, source_removed
    perm: str | None  # the permission the actor needs; None for automatic moves made by the system
    needs_note: bool
    four_eyes: bool  # the actor may not be the claim's creator or last editor
    own: bool = False  # only the claim's assignee (or anybody while unassigned) — or a Lead — may make it
    verb: str = ""  # how a refusal names the move when not by its action: "may not review it"

    @property
    def label(self) -> str:
        return self.verb or self.action.replace("_", " ")


REVIEW = "claims.review_claim"
REOPEN = "claims.reopen_claim"
ASSIGN = "claims.assign_claim"
EDIT = "claims.change_claim"

_START = Transition("start_review", REVIEW, needs_note=False, four_eyes=True, own=True, verb="review")
_DECIDE = Transition("decide", REVIEW, needs_note=True, four_eyes=True, own=True)
_REOPEN = Transition("reopen", REOPEN, needs_note=True, four_eyes=False)
_RELEASE = Transition("release", REVIEW, needs_note=False, four_eyes=False, own=True)

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.UNREVIEWED, S.IN_REVIEW): _START,
    (S.NEEDS_SOURCE, S.IN_REVIEW): _START,
    **{(S.IN_REVIEW, decided): _DECIDE for decided in DECIDED_STATUSES},
    **{(decided, S.IN_REVIEW): _REOPEN for decided in DECIDED_STATUSES},
    # A reviewer may hand a claim back to the queue without deciding it.
    (S.IN_REVIEW, S.UNREVIEWED): _RELEASE,
    (S.IN_REVIEW, S.NEEDS_SOURCE): _RELEASE,
    # Made by the citation services: a citation added to or removed from an open claim (design.md §Review workflow).
    (S.NEEDS_SOURCE, S.UNREVIEWED): Transition("source_added", EDIT, needs_note=False, four_eyes=False),
    (S.UNREVIEWED, S.NEEDS_SOURCE): Transition("source_removed", EDIT, needs_note=False, four_eyes=False),
}


class TransitionRefused(PermissionDenied):
    """The move is not in the table, or the actor may not make it."""


def allowed_targets(from_status: str, action: str | None = None) -> list[str]:
    return [to for (frm, to), t in TRANSITIONS.items() if frm == from_status and (action is None or t.action == action)]


def check_transition(claim, *, to: str, actor, note: str = "", action: str | None = None) -> Transition:
    """Return the transition from the claim's status to `to`, or raise a message naming what is wrong.

    `action` is the move the caller means (a service that starts reviews must not reopen a decided claim,
    although both lead to in_review). The checks, in order: the move is in the table; four-eyes (the most
    specific reason, so the creator of a claim reads why even when they also lack the role); the actor's
    permission; the assignment (a claim in someone's hands is theirs, unless the actor is a Lead); the note.
    """
    frm = claim.status
    transition = TRANSITIONS.get((frm, to))
    label = dict(S.choices)
    if transition is None or (action is not None and transition.action != action):
        moves = [(t, TRANSITIONS[(frm, t)]) for t in allowed_targets(frm)]
        targets = ", ".join(f"{t.action.replace('_', ' ')} → {label[target]}" for target, t in moves) or "nothing"
        what = label.get(to, to) if action is None else f"{label.get(to, to)} by {action.replace('_', ' ')}"
        raise TransitionRefused(
            f"claim #{claim.pk} is {label.get(frm, frm)}: it cannot move to {what} (allowed from here: {targets})"
        )
    if transition.perm and (actor is None or not actor.is_authenticated):
        raise TransitionRefused(f"to {transition.label} claim #{claim.pk} you must be signed in")
    name = display_name(actor)
    verb = transition.label
    if transition.four_eyes and actor is not None:
        if claim.created_by_id == actor.pk:
            raise TransitionRefused(f"four-eyes rule: {name} created claim #{claim.pk} and may not {verb} it")
        if claim.last_edited_by_id == actor.pk:
            raise TransitionRefused(
                f"four-eyes rule: {name} last edited the text or citations of claim #{claim.pk} and may not {verb} it"
            )
    if transition.perm and not actor.has_perm(transition.perm):
        raise TransitionRefused(f"{name} may not {verb} claim #{claim.pk} (needs the permission '{transition.perm}')")
    if (
        transition.own
        and claim.assigned_to_id is not None
        and claim.assigned_to_id != actor.pk
        and not actor.has_perm(ASSIGN)
    ):
        raise TransitionRefused(
            f"claim #{claim.pk} is assigned to {display_name(claim.assigned_to)}: only they or a Lead may {verb} it"
        )
    if transition.needs_note and not (note or "").strip():
        raise ServiceError(f"to {verb} claim #{claim.pk} you must write a note saying why")
    return transition


DECISIONS: tuple[str, ...] = tuple(DECIDED_STATUSES)


def is_decided(status: str) -> bool:
    return status in DECIDED_STATUSES


# Review-queue urgency: what makes a claim jump the queue, and by how much. Ties go to the oldest claim.
PRIORITY_WEIGHTS = {
    "needs_source": 40,  # nothing backs it yet
    "open_conflict": 30,  # another claim contradicts it and nobody has settled which stands
    "hedged": 20,  # the article itself does not vouch for it
    "cleanup_tag": 10,  # Wikipedia editors flagged it ([better source needed], [dubious] …)
}


def queue_priority(claim) -> int:
    """Urgency of an open claim in the review queue (0 once decided)."""
    if claim.status not in OPEN_STATUSES:
        return 0
    score = 0
    if needs_source(claim):
        score += PRIORITY_WEIGHTS["needs_source"]
    if claim.pk and has_open_conflict(claim):
        score += PRIORITY_WEIGHTS["open_conflict"]
    if claim.hedge_kind:
        score += PRIORITY_WEIGHTS["hedged"]
    if claim.tags:
        score += PRIORITY_WEIGHTS["cleanup_tag"]
    return score


def needs_source(claim) -> bool:
    """Nothing backs the claim yet: waiting for a source, or taken into review without any citation."""
    if claim.status == S.NEEDS_SOURCE:
        return True
    if claim.status != S.IN_REVIEW or not claim.pk:
        return False
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "claim_citations" in cache:
        return not cache["claim_citations"]
    return not claim.claim_citations.exists()


def has_open_conflict(claim) -> bool:
    """Uses prefetched relations when the caller loaded them (batch rescoring), else one query."""
    open_states = ("suggested", "confirmed")
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "relations_as_a" in cache and "relations_as_b" in cache:
        rels = [*cache["relations_as_a"], *cache["relations_as_b"]]
        return any(r.kind == "conflicts" and r.state in open_states for r in rels)
    return (
        ClaimRelation.objects.filter(kind="conflicts", state__in=open_states)
        .filter(models.Q(claim_a=claim) | models.Q(claim_b=claim))
        .exists()
    )
