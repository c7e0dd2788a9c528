"""The review workflow as one table: which status may move to which, by whom, and under what rule.

unreviewed ─┐                     ┌─► verified
needs_source ┴─► in_review ───────┼─► disputed
                    ▲             ├─► refuted
                    │             └─► unverifiable
                    └── reopen (Lead, reason) / automatic: the article's new revision changed or lost the
                        sentence, or a Lead resolved a conflict against the claim (the other claim stands)

Verification rule (in the table: `needs_evidence` on in_review → verified): a claim is verified only with
at least one supporting citation and no open conflict — a conflict suggested or confirmed and not yet
resolved, or resolved as "unresolved" — nor a conflict resolved against it. Otherwise the reviewer gives an
explicit override reason, stored on the Review and shown in exports. docs/workflow.md says the same for users.

Four-eyes holds against every contributor (`contributors`): the creator, and everyone who wrote the claim's
text or citations since it was created or last decided.

Services call `check_transition`; nothing else decides what is allowed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models

from .errors import ServiceError, display_name, who_may
from .models import DECIDED_STATUSES, OPEN_STATUSES, Citation, Claim, ClaimCitation, ClaimRelation, ClaimStatus, Review

S = ClaimStatus


@dataclass(frozen=True)
class Transition:
    action: str  # the service-level name: start_review, decide, reopen, release, source_added, source_removed
    perm: str | None  # the permission the actor needs; None for automatic moves made by the system
    needs_note: bool
    four_eyes: bool  # the actor may not be the claim's creator or last editor
    own: bool = False  # only the claim's assignee (or anybody while unassigned) — or a Lead — may make it
    verb: str = ""  # how a refusal names the move when not by its action: "may not review it"
    # Verified needs evidence: a supporting citation and no open or lost conflict, or an override reason.
    needs_evidence: bool = False

    @property
    def label(self) -> str:
        return self.verb or self.action.replace("_", " ")


REVIEW = "claims.review_claim"
REOPEN = "claims.reopen_claim"
ASSIGN = "claims.assign_claim"
EDIT = "claims.change_claim"

_START = Transition("start_review", REVIEW, needs_note=False, four_eyes=True, own=True, verb="review")
_DECIDE = Transition("decide", REVIEW, needs_note=True, four_eyes=True, own=True)
_VERIFY = Transition("decide", REVIEW, needs_note=True, four_eyes=True, own=True, needs_evidence=True)
_REOPEN = Transition("reopen", REOPEN, needs_note=True, four_eyes=False)
_RELEASE = Transition("release", REVIEW, needs_note=False, four_eyes=False, own=True)

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (S.UNREVIEWED, S.IN_REVIEW): _START,
    (S.NEEDS_SOURCE, S.IN_REVIEW): _START,
    **{(S.IN_REVIEW, decided): _DECIDE for decided in DECIDED_STATUSES},
    (S.IN_REVIEW, S.VERIFIED): _VERIFY,
    **{(decided, S.IN_REVIEW): _REOPEN for decided in DECIDED_STATUSES},
    # A reviewer may hand a claim back to the queue without deciding it.
    (S.IN_REVIEW, S.UNREVIEWED): _RELEASE,
    (S.IN_REVIEW, S.NEEDS_SOURCE): _RELEASE,
    # Made by the citation services: a citation added to or removed from an open claim (design.md §Review workflow).
    (S.NEEDS_SOURCE, S.UNREVIEWED): Transition("source_added", EDIT, needs_note=False, four_eyes=False),
    (S.UNREVIEWED, S.NEEDS_SOURCE): Transition("source_removed", EDIT, needs_note=False, four_eyes=False),
}


# Moves the system makes as the consequence of another write, decided → in_review, with the Review note's reason.
# They need no permission of their own: the write that causes them (a re-import, a Lead's resolution) checked its.
AUTOMATIC_REOPENS: dict[str, tuple[frozenset[str], str]] = {
    # A new article revision changed or lost the sentence (services/importing.py).
    "revision_changed": (frozenset(DECIDED_STATUSES), "the article's new revision changed or lost the sentence"),
    # A Lead resolved a conflict against the claim (the other claim stands). A refuted claim stays refuted: the
    # resolution agrees with its decision.
    "conflict_lost": (
        frozenset({S.VERIFIED, S.DISPUTED, S.UNVERIFIABLE}),
        "a conflict was resolved against it (the other claim stands)",
    ),
}


class TransitionRefused(PermissionDenied):
    """The move is not in the table, or the actor may not make it."""


# How a refusal words the moves, for people rather than for the state machine.
_CAN_DO = {
    "start_review": "start its review first",
    "decide": "decide it",
    "reopen": "a Lead may reopen it",
    "release": "release it to the queue",
    "source_added": "add a citation",
    "source_removed": "remove its citations",
}
_CANNOT = {
    "start_review": "go into review",
    "reopen": "be reopened (only a decided claim is)",
    "release": "be released to the queue (only a claim in review is)",
    "source_added": "leave needs source",
    "source_removed": "go back to needs source",
}


def allowed_targets(from_status: str, action: str | None = None) -> list[str]:
    return [to for (frm, to), t in TRANSITIONS.items() if frm == from_status and (action is None or t.action == action)]


def check_transition(
    claim, *, to: str, actor, note: str = "", action: str | None = None, override: str = ""
) -> Transition:
    """Return the transition from the claim's status to `to`, or raise a message naming what is wrong.

    `action` is the move the caller means (a service that starts reviews must not reopen a decided claim,
    although both lead to in_review). The checks, in order: the move is in the table; four-eyes (the most
    specific reason, so the creator of a claim reads why even when they also lack the role); the actor's
    permission; the assignment (a claim in someone's hands is theirs, unless the actor is a Lead); the note;
    the evidence a verification needs (unless `override` gives the reason to verify anyway).
    """
    frm = claim.status
    transition = TRANSITIONS.get((frm, to))
    label = dict(S.choices)
    if transition is None or (action is not None and transition.action != action):
        options = list(dict.fromkeys(_CAN_DO[TRANSITIONS[(frm, t)].action] for t in allowed_targets(frm)))
        can = (", ".join(options[:-1]) + " or " + options[-1]) if len(options) > 1 else (options or ["nothing"])[0]
        what = _CANNOT.get(action or "", "") or f"become {label.get(to, to)}"
        raise TransitionRefused(f"claim #{claim.pk} is {label.get(frm, frm)}, so it cannot {what} now; {can}")
    if transition.perm and (actor is None or not actor.is_authenticated):
        raise TransitionRefused(f"to {transition.label} claim #{claim.pk} you must be signed in")
    name = display_name(actor)
    verb = transition.label
    if transition.four_eyes and actor is not None:
        check_four_eyes(claim, actor, verb=verb)
    if transition.perm and not actor.has_perm(transition.perm):
        raise TransitionRefused(f"{name} may not {verb} claim #{claim.pk}: {who_may(transition.perm)}")
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
    if transition.needs_evidence and not (override or "").strip():
        missing = missing_evidence(claim)
        if missing:
            raise ServiceError(
                f"claim #{claim.pk} cannot be verified: {'; '.join(missing)}. Add a supporting citation or settle "
                "the conflict first, or give an override reason saying why it stands anyway"
            )
    return transition


def check_four_eyes(claim, actor, *, verb: str) -> None:
    """Refuse when the actor contributed to what is being judged (see `contributors`)."""
    if actor.pk is None:
        return
    if claim.created_by_id == actor.pk:
        raise TransitionRefused(
            f"four-eyes rule: {display_name(actor)} created claim #{claim.pk} and may not {verb} it"
        )
    if claim.last_edited_by_id == actor.pk:
        raise TransitionRefused(
            f"four-eyes rule: {display_name(actor)} last edited the text or citations of claim #{claim.pk} "
            f"and may not {verb} it"
        )
    if actor.pk in contributors(claim):
        raise TransitionRefused(
            f"four-eyes rule: {display_name(actor)} wrote the text or citations of claim #{claim.pk} since it was "
            f"created or last decided, and may not {verb} it"
        )


def _last_decision_at(claim):
    if claim.pk is None:
        return None
    return (
        Review.objects.filter(claim_id=claim.pk, to_status__in=DECIDED_STATUSES)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )


def contributors(claim) -> set[int]:
    """The users who may not review or decide the claim: its creator, and everyone who wrote its text or its
    citations since it was created or last decided.

    Derived from history, so a later edit by someone else does not hide an earlier one: every write to the
    text or to a citation link sets `last_edited_by` (kept in each history row), and edits of the cited
    references themselves (URL, source, quote) are in the citations' own history.
    """
    known = getattr(claim, "_contributors", None)  # set by prefetch_review_facts for a batch of claims
    if known is not None:
        return known
    ids = {claim.created_by_id, claim.last_edited_by_id}
    if claim.pk is not None:
        since = _last_decision_at(claim)
        rows = claim.history.all()
        links = ClaimCitation.history.filter(claim_id=claim.pk)
        cited = Citation.history.filter(id__in=ClaimCitation.objects.filter(claim_id=claim.pk).values("citation_id"))
        if since is not None:
            rows = rows.filter(history_date__gt=since)
            links = links.filter(history_date__gt=since)
            cited = cited.filter(history_date__gt=since)
        ids.update(rows.values_list("last_edited_by_id", flat=True).distinct())
        ids.update(links.values_list("history_user_id", flat=True).distinct())
        ids.update(cited.values_list("history_user_id", flat=True).distinct())
    ids.discard(None)
    # Kept on this instance: a page asks several times (actions, refusals); a service reads a fresh instance.
    claim._contributors = ids
    return ids


def missing_evidence(claim) -> list[str]:
    """What the verification rule finds missing, worded for the reviewer ([] when the claim may be verified).

    Verified needs at least one supporting citation, no open conflict (suggested or confirmed and not yet
    resolved, or resolved as "unresolved") and no conflict resolved against the claim.
    """
    missing = []
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "claim_citations" in cache:
        supported = any(link.stance == "supports" for link in cache["claim_citations"])
    else:
        supported = claim.pk is not None and claim.claim_citations.filter(stance="supports").exists()
    if not supported:
        missing.append("no citation supports it")
    missing += [problem for _, problem in conflict_problems(claim)]
    return missing


def conflict_problems(claim) -> list[tuple[ClaimRelation, str]]:
    """The claim's conflicts that stand in the way of verifying it, each with a sentence naming it."""
    if claim.pk is None:
        return []
    relations = getattr(claim, "_conflict_relations", None)  # set by prefetch_review_facts for a batch
    if relations is None:
        relations = (
            ClaimRelation.objects.filter(kind="conflicts")
            .filter(models.Q(claim_a_id=claim.pk) | models.Q(claim_b_id=claim.pk))
            .order_by("pk")
        )
    problems = []
    for rel in relations:
        other = rel.claim_b_id if rel.claim_a_id == claim.pk else rel.claim_a_id
        stands = {"a_stands": rel.claim_a_id, "b_stands": rel.claim_b_id}.get(rel.resolution)
        if rel.state in ("suggested", "confirmed"):
            problems.append((rel, f"it is in an open conflict with claim #{other} ({rel.state}, relation #{rel.pk})"))
        elif rel.state == "resolved" and rel.resolution == "unresolved":
            problems.append((rel, f"its conflict with claim #{other} was left unresolved (relation #{rel.pk})"))
        elif rel.state == "resolved" and stands is not None and stands != claim.pk:
            problems.append((rel, f"its conflict with claim #{other} was resolved against it (relation #{rel.pk})"))
    return problems


def prefetch_review_facts(claims) -> None:
    """What `contributors` and `conflict_problems` read, for many claims at once (bulk actions): a fixed
    number of queries per batch instead of a few per claim. Each claim keeps its own answers."""
    claims = [claim for claim in claims if claim.pk is not None]
    ids = [claim.pk for claim in claims]
    if not ids:
        return
    last = dict(
        Review.objects.filter(claim_id__in=ids, to_status__in=DECIDED_STATUSES)
        .values("claim_id")
        .annotate(at=models.Max("created_at"))
        .values_list("claim_id", "at")
    )
    people: dict[int, set] = defaultdict(set)

    def since_decision(claim_id, at) -> bool:
        return last.get(claim_id) is None or at > last[claim_id]

    for claim_id, user_id, at in Claim.history.filter(id__in=ids).values_list(
        "id", "last_edited_by_id", "history_date"
    ):
        if since_decision(claim_id, at):
            people[claim_id].add(user_id)
    for claim_id, user_id, at in ClaimCitation.history.filter(claim_id__in=ids).values_list(
        "claim_id", "history_user_id", "history_date"
    ):
        if since_decision(claim_id, at):
            people[claim_id].add(user_id)
    citing: dict[int, list[int]] = defaultdict(list)
    for claim_id, citation_id in ClaimCitation.objects.filter(claim_id__in=ids).values_list("claim_id", "citation_id"):
        citing[citation_id].append(claim_id)
    for citation_id, user_id, at in Citation.history.filter(id__in=list(citing)).values_list(
        "id", "history_user_id", "history_date"
    ):
        for claim_id in citing[citation_id]:
            if since_decision(claim_id, at):
                people[claim_id].add(user_id)
    relations: dict[int, list] = defaultdict(list)
    for rel in (
        ClaimRelation.objects.filter(kind="conflicts")
        .filter(models.Q(claim_a_id__in=ids) | models.Q(claim_b_id__in=ids))
        .order_by("pk")
    ):
        for claim_id in {rel.claim_a_id, rel.claim_b_id}:
            relations[claim_id].append(rel)
    for claim in claims:
        claim._contributors = ({claim.created_by_id, claim.last_edited_by_id} | people[claim.pk]) - {None}
        claim._conflict_relations = relations[claim.pk]


def reopens_automatically(claim, cause: str) -> bool:
    """Whether `cause` (a key of AUTOMATIC_REOPENS) sends this claim back to review."""
    statuses, _ = AUTOMATIC_REOPENS[cause]
    return claim.status in statuses


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
