"""The explainable confidence score (design.md §Confidence; the weights are documented in docs/confidence.md).

A claim's confidence is 0–100 with the list of factors that made it:

1. Each supporting citation weighs w = source grade × source reliability × information grade (× a penalty
   when the source speaks for a party to the conflict). The supporting citations combine as
   1 − Π(1 − wᵢ): every independent source adds, none can reach certainty alone. Each one's factor shows the
   points it added in order, so the "+" effects sum to the evidence score.
2. Contradicting citations, combined the same way into C, multiply the score by (1 − C).
3. A hedge in the article's own words, an attribution in the text to a registered source (by its grade), an
   attribution to a party to the conflict, each cleanup tag and each open conflict multiply it by the factor
   in WEIGHTS.
4. No supporting citation means no evidence: 0 (band "none"), never a middle score.

`compute(claim)` reads only what the caller loaded when citations and relations are prefetched (batch
rescoring); otherwise it loads them in two queries. A reviewer's override is stored beside the score
(`Claim.confidence_override`) and never changes what `compute` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Every number the score uses, in one table. docs/confidence.md explains each with worked examples.
WEIGHTS: dict[str, dict] = {
    # Admiralty source grade → the weight of one citation of that source (before the information grade).
    "source_grade": {"A": 0.90, "B": 0.75, "C": 0.55, "D": 0.35, "E": 0.15, "F": 0.30},
    # A citation not yet linked to a source is weighed like grade F (cannot be judged).
    "no_source": 0.30,
    # WP:RSP reliability class → multiplier on the citation's weight.
    "reliability": {
        "generally_reliable": 1.0,
        "no_consensus": 0.85,
        "generally_unreliable": 0.6,
        "deprecated": 0.3,
        "unknown": 1.0,
    },
    # Admiralty information grade (per citation) → multiplier.
    "info_grade": {1: 1.0, 2: 0.85, 3: 0.65, 4: 0.4, 5: 0.15, 6: 0.6},
    # A citation whose source speaks for a party to the conflict.
    "party_source": 0.5,
    # The article's own hedge (the strongest one counts).
    "hedge": {"reported": 0.85, "attributed": 0.9, "alleged": 0.7, "speculative": 0.6, "disputed": 0.5},
    # The claim is attributed in the text to a source that is a party to the conflict.
    "party_attribution": 0.6,
    # The claim is attributed in the text to a registered source ("SOHR said"): how far its Admiralty grade
    # lifts or lowers the article's own hedge. F (cannot be judged) and C change nothing.
    "attributed_source_grade": {"A": 1.1, "B": 1.05, "C": 1.0, "D": 0.85, "E": 0.7, "F": 1.0},
    # Wikipedia cleanup tags on the claim, each applied.
    "tag": {
        "better_source_needed": 0.7,
        "citation_needed": 0.8,
        "clarification_needed": 0.9,
        "dubious": 0.5,
        "failed_verification": 0.3,
        "according_to_whom": 0.8,
        "when": 0.95,
    },
    # Conflicts with other claims, each applied: suggested (not yet checked), confirmed, resolved against it.
    "conflict": {
        "suggested": 0.9,
        "confirmed": 0.7,
        "unresolved": 0.7,
        "both_partly": 0.85,
        "other_stands": 0.3,
    },
}

# Bands as shown in the admin and used by exports: (name, lowest, highest).
BANDS: tuple[tuple[str, int, int], ...] = (("none", 0, 0), ("low", 1, 39), ("medium", 40, 69), ("high", 70, 100))


def band(value: int | None) -> str:
    """The band of a score: none (0), low (1–39), medium (40–69), high (70–100)."""
    if value is None:
        return "none"
    for name, low, high in BANDS:
        if low <= value <= high:
            return name
    raise ValueError(f"confidence {value} is outside 0–100")


def band_range(name: str) -> tuple[int, int]:
    for band_name, low, high in BANDS:
        if band_name == name:
            return low, high
    raise ValueError(f"no confidence band '{name}'")


@dataclass(frozen=True)
class Score:
    value: int
    factors: list[dict] = field(default_factory=list)

    @property
    def band(self) -> str:
        return band(self.value)


def _factor(name: str, effect: str, detail: str) -> dict:
    return {"factor": name, "effect": effect, "detail": detail}


def _times(m: float) -> str:
    return f"×{m:.2f}".rstrip("0").rstrip(".")


def _links(claim) -> list:
    if claim.pk is None:
        return []
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "claim_citations" in cache:
        return list(cache["claim_citations"])
    return list(claim.claim_citations.select_related("citation__source"))


def _relations(claim) -> list:
    if claim.pk is None:
        return []
    cache = getattr(claim, "_prefetched_objects_cache", {})
    if "relations_as_a" in cache and "relations_as_b" in cache:
        return [*cache["relations_as_a"], *cache["relations_as_b"]]
    from django.db.models import Q

    from .models import ClaimRelation

    return list(ClaimRelation.objects.filter(Q(claim_a=claim) | Q(claim_b=claim)))


def citation_weight(link) -> tuple[float, str]:
    """The weight of one cited work for this claim, and the sentence explaining it."""
    citation = link.citation
    source = citation.source
    info = WEIGHTS["info_grade"][link.info_grade]
    if source is None:
        w = WEIGHTS["no_source"]
        parts = [f"no source recorded yet (weighed as grade F, {w:.2f})"]
    else:
        w = WEIGHTS["source_grade"][source.grade]
        rel = WEIGHTS["reliability"].get(source.reliability, 1.0)
        parts = [f"{source.name}: grade {source.grade} ({w:.2f})"]
        if rel != 1.0:
            parts.append(f"{source.get_reliability_display()} ({_times(rel)})")
        w *= rel
        if source.party_to_conflict:
            w *= WEIGHTS["party_source"]
            parts.append(f"party to the conflict ({_times(WEIGHTS['party_source'])})")
    w *= info
    parts.append(f"information grade {link.info_grade} ({_times(info)})")
    return w, " × ".join(parts) + f" = weight {w:.2f}"


def _conflict_effects(claim, relations) -> list[tuple[float, str, str]]:
    effects = []
    weights = WEIGHTS["conflict"]
    for rel in relations:
        if rel.kind != "conflicts" or rel.state == "dismissed":
            continue
        other = rel.claim_b_id if rel.claim_a_id == claim.pk else rel.claim_a_id
        if rel.state in ("suggested", "confirmed"):
            how = "suggested by a detector, not yet checked" if rel.state == "suggested" else "confirmed, not resolved"
            effects.append((weights[rel.state], f"{rel.state} conflict", f"conflicts with claim #{other} ({how})"))
            continue
        resolution = rel.resolution
        stands = {"a_stands": rel.claim_a_id, "b_stands": rel.claim_b_id}.get(resolution)
        if stands == claim.pk:
            continue  # this claim was judged to stand: the conflict costs it nothing
        if stands is not None:
            effects.append(
                (
                    weights["other_stands"],
                    "conflict resolved against it",
                    f"lost the conflict with claim #{other} (relation #{rel.pk}): claim #{other} was judged to stand",
                )
            )
        elif resolution == "both_partly":
            effects.append((weights["both_partly"], "conflict resolved: both partly", f"with claim #{other}"))
        else:
            effects.append((weights["unresolved"], "conflict left unresolved", f"with claim #{other}"))
    return effects


def compute(claim, *, links: list | None = None) -> Score:
    """Score a claim from its citations, hedges, attribution, tags and relations, with the factors.

    `links` gives the claim's citation links when the caller holds them in memory (an import scores each
    claim before it is written, so that its first history row already carries its score)."""
    links = _links(claim) if links is None else links
    supporting = [link for link in links if link.stance == "supports"]
    contradicting = [link for link in links if link.stance == "contradicts"]
    factors: list[dict] = []

    if not supporting:
        detail = "the claim cites nothing" if not links else "none of its citations supports it"
        factors.append(_factor("no evidence", "=0", f"{detail}: no evidence, not a middle score"))
        for link in contradicting:
            _, why = citation_weight(link)
            factors.append(_factor(f"contradicting citation [{link.citation.label}]", "=0", why))
        # The score is 0 already, but a reader must still see that the claim lost (or is in) a conflict.
        for m, name, conflict in _conflict_effects(claim, _relations(claim)):
            factors.append(_factor(name, _times(m), f"{conflict} (no evidence: the score stays 0)"))
        return Score(0, factors)

    # 1. Supporting citations: 1 − Π(1 − wᵢ), each shown with the points it added.
    remaining = 1.0
    for link in sorted(supporting, key=lambda x: -citation_weight(x)[0]):
        w, why = citation_weight(link)
        before = 1.0 - remaining
        remaining *= 1.0 - w
        added = round(100 * (1.0 - remaining)) - round(100 * before)
        factors.append(_factor(f"supporting citation [{link.citation.label}]", f"+{added}", why))
    value = 1.0 - remaining

    # 2. Contradicting citations: × (1 − C).
    if contradicting:
        against = 1.0
        whys = []
        for link in contradicting:
            w, why = citation_weight(link)
            against *= 1.0 - w
            whys.append(f"[{link.citation.label}] {why}")
        m = against  # = 1 − C
        value *= m
        factors.append(_factor("contradicting citations", _times(m), "; ".join(whys) + f"; combined 1 − C = {m:.2f}"))

    # 3. Multipliers: hedge, attribution to a party, cleanup tags, conflicts.
    hedge_kinds = {h.get("kind") for h in (claim.hedges or []) if isinstance(h, dict)} | {claim.hedge_kind}
    hedges = [(WEIGHTS["hedge"][k], k) for k in hedge_kinds if k in WEIGHTS["hedge"]]
    if hedges:
        m, kind = min(hedges)
        phrase = f" (“{claim.hedge_phrase}”)" if claim.hedge_phrase and kind == claim.hedge_kind else ""
        value *= m
        factors.append(_factor("hedge", _times(m), f"the article itself hedges it as {kind}{phrase}"))

    source = claim.attributed_source if claim.attributed_source_id else None
    if source is not None:
        m = WEIGHTS["attributed_source_grade"].get(source.grade, 1.0)
        value *= m
        said = f" (“{claim.attributed_to}”)" if claim.attributed_to else ""
        factors.append(
            _factor(
                "attributed to a registered source",
                _times(m),
                f"the article attributes the claim to {source}{said}, source grade {source.grade}",
            )
        )
    if source is not None and source.party_to_conflict:
        m = WEIGHTS["party_attribution"]
        value *= m
        said = f" (“{claim.attributed_to}”)" if claim.attributed_to else ""
        factors.append(
            _factor("attributed to a party to the conflict", _times(m), f"the claim is attributed to {source}{said}")
        )

    for tag in claim.tags or []:
        m = WEIGHTS["tag"].get(tag)
        if m is not None:
            value *= m
            factors.append(_factor(f"tag: {tag.replace('_', ' ')}", _times(m), "flagged by the article's editors"))

    for m, name, detail in _conflict_effects(claim, _relations(claim)):
        value *= m
        factors.append(_factor(name, _times(m), detail))

    return Score(max(1, min(100, round(100 * value))), factors)
