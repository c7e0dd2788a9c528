"""The explainable confidence score (design.md §Confidence). Placeholder until issue 6 fills it in."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Score:
    value: int
    factors: list[dict] = field(default_factory=list)


def compute(claim) -> Score:
    """Score a claim from its citations, hedges, tags and relations (read through the claim's relations)."""
    citations = list(claim.claim_citations.all()) if claim.pk else []
    if not citations:
        return Score(0, [{"factor": "no evidence", "effect": "0", "detail": "the claim cites nothing"}])
    return Score(50, [{"factor": "citations", "effect": "50", "detail": f"{len(citations)} citation(s)"}])
