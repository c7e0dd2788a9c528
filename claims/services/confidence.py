"""Keeping each claim's stored confidence in step with its inputs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .. import confidence, workflow
from ..errors import ServiceError
from ..models import Claim
from ._common import require_perm, require_reason, save_tracked
from .copy_writer import update_with_history

BATCH = 500


DERIVED_FIELDS = ["confidence", "confidence_factors", "priority"]


def refresh_confidence(claim: Claim, *, links: list | None = None) -> bool:
    """Recompute the claim's score and queue priority in memory (the caller saves); True when changed.

    `links`: the claim's citation links when they are not (yet) in the database, see confidence.compute."""
    score = confidence.compute(claim, links=links)
    priority = workflow.queue_priority(claim)
    before = (claim.confidence, claim.confidence_factors, claim.priority)
    claim.confidence, claim.confidence_factors, claim.priority = score.value, score.factors, priority
    return before != (score.value, score.factors, priority)


def _claims_for_scoring():
    return Claim.objects.select_related("attributed_source").prefetch_related(
        "claim_citations__citation__source", "relations_as_a", "relations_as_b"
    )


@transaction.atomic
def claims_recompute_confidence(*, claim_ids: Iterable[int], actor, reason: str, batch_size: int = BATCH) -> int:
    """Rescore the given claims in batches; only claims whose score changed are written. Returns how many."""
    ids = sorted(set(claim_ids))
    rescored = 0
    for start in range(0, len(ids), batch_size):
        batch = list(_claims_for_scoring().filter(pk__in=ids[start : start + batch_size]))
        changed = [claim for claim in batch if refresh_confidence(claim)]
        if changed:
            # One UPDATE and one INSERT … SELECT of the history rows on PostgreSQL (copy_writer.py).
            update_with_history(changed, Claim, DERIVED_FIELDS, actor=actor, reason=f"confidence recomputed: {reason}")
            rescored += len(changed)
    return rescored


@transaction.atomic
def claim_override_confidence(
    *, claim: Claim, value: int | None, actor, reason: str, seen_version: int | None = None
) -> Claim:
    """A reviewer's own confidence, kept beside the computed one; `None` removes the override.

    With `seen_version`, refused when the claim changed since the reviewer opened it (optimistic locking)."""
    from .claims import lock_claim  # claims.py imports this module

    require_perm(actor, "claims.override_confidence", "override a claim's confidence")
    reason = require_reason(reason, what="overriding the confidence")
    if value is not None and not 0 <= value <= 100:
        raise ServiceError(f"confidence override {value} is outside 0–100")
    claim = lock_claim(claim.pk, seen_version=seen_version)
    claim.confidence_override = value
    claim.confidence_override_reason = reason if value is not None else ""
    claim.version += 1
    save_tracked(claim, actor=actor, reason=reason)
    return claim
