"""Running the conflict detectors (claims/conflicts.py) and writing what they find as suggested relations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from simple_history.utils import bulk_create_with_history

from .. import conflicts
from ..models import Article, Claim, ClaimRelation
from ._common import require_perm, require_reason
from .confidence import claims_recompute_confidence

ROW_FIELDS = ("id", "article_id", "text", "event_date")
CHUNK = 2000
# Any number: identifies the detection runs' advisory lock, so that two runs never propose the same pair twice.
ADVISORY_LOCK = 0x636C616D  # "clam"


@dataclass
class SuggestReport:
    """What one detection run did."""

    scope: str
    claims: int = 0  # claims read (those in scope and the candidates they were compared with)
    candidates_seen: int = 0  # claims of other articles dated near those in scope, before the word filter
    focus: int = 0  # claims in scope
    comparisons: int = 0
    findings: int = 0
    created: int = 0
    already_related: int = 0  # pairs that already had a relation (dismissed ones included): never proposed again
    rescored: int = 0
    by_detector: Counter = field(default_factory=Counter)
    skipped_blocks: list[str] = field(default_factory=list)
    relation_ids: list[int] = field(default_factory=list)

    def as_text(self) -> str:
        lines = [
            f"Conflict detection over {self.scope}: {self.focus} claim(s) in scope, {self.claims} read "
            f"({self.candidates_seen} nearby in date looked at), {self.comparisons} pair(s) compared.",
            f"{self.findings} finding(s): {self.created} new suggestion(s), {self.already_related} already related.",
        ]
        lines += [f"  {rule}: {n}" for rule, n in sorted(self.by_detector.items())]
        lines.append(f"{self.rescored} claim(s) rescored.")
        if self.skipped_blocks:
            lines.append(f"{len(self.skipped_blocks)} block(s) too common to compare pairwise:")
            lines += [f"  {b}" for b in self.skipped_blocks[:20]]
        return "\n".join(lines)


def _rows(qs: QuerySet[Claim]) -> Iterable[dict]:
    return qs.exclude(anchor_state=Claim.AnchorState.ORPHANED).values(*ROW_FIELDS).iterator(chunk_size=CHUNK)


def _window(dates: Iterable, days: int) -> list:
    out = set()
    for d in dates:
        out.update(d + timedelta(days=n) for n in range(-days, days + 1))
    return sorted(out)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


@transaction.atomic
def relations_suggest(
    *,
    actor,
    reason: str = "conflict detection",
    claims: QuerySet[Claim] | Iterable[int] | None = None,
    article: Article | int | None = None,
    options: conflicts.Options | None = None,
) -> SuggestReport:
    """Run the detectors and write what they find as suggested relations; rescore the claims involved.

    Scope: one article's claims (`article`), some claims (`claims`), or, with neither, every claim. Claims in
    scope are compared with each other and with the claims of other articles dated within the detectors'
    date window (undated claims of other articles are reached only by a run over everything). Pairs that
    already have a relation in any state — dismissed included — are never proposed again, so running it
    twice adds nothing. The cost in queries does not depend on how many claims there are: the rows are read
    in two streamed queries and the suggestions written in batches.
    """
    require_perm(actor, "claims.add_claimrelation", "suggest relations between claims")
    reason = require_reason(reason, what="conflict detection")
    options = options or conflicts.Options.from_settings()
    _lock()

    if article is not None:
        article_id = article.pk if isinstance(article, Article) else article
        focus_qs = Claim.objects.filter(article_id=article_id)
        scope = f"article #{article_id}"
    elif claims is not None:
        ids = claims.values("pk") if isinstance(claims, QuerySet) else list(claims)
        focus_qs = Claim.objects.filter(pk__in=ids)
        scope = "selected claims"
    else:
        focus_qs, scope = None, "all claims"

    report = SuggestReport(scope=scope)
    if focus_qs is None:
        rows = list(_rows(Claim.objects.all()))
        focus = None
        report.focus = len(rows)
    else:
        rows = list(_rows(focus_qs))
        focus = {row["id"] for row in rows}
        report.focus = len(rows)
        dates = _window({row["event_date"] for row in rows if row["event_date"]}, options.date_window_days)
        if dates:
            # Claims of other articles dated near these, read only when they share a place or a distinctive word.
            nearby = Claim.objects.filter(event_date__in=dates).exclude(pk__in=focus_qs.values("pk"))
            if article is not None:
                nearby = nearby.exclude(article_id=article_id)
            nearby_rows = list(_rows(nearby))
            word_sets = [conflicts.words_of(row["text"]) for row in nearby_rows]
            frequency = Counter(w for words in word_sets for w in words)
            keys = conflicts.key_words(
                (conflicts.read_claim(row) for row in rows), frequency=frequency, cap=options.max_duplicate_block
            )
            report.candidates_seen = len(nearby_rows)
            rows += [row for row, words in zip(nearby_rows, word_sets, strict=True) if not keys.isdisjoint(words)]
    report.claims = len(rows)
    if not rows or (focus is not None and not focus):
        return report

    run = conflicts.Run()
    findings = conflicts.detect(rows, focus=focus, options=options, run=run)
    report.comparisons, report.skipped_blocks, report.findings = run.comparisons, run.skipped_blocks, len(findings)

    existing_qs = ClaimRelation.objects.all()
    if focus_qs is not None:
        in_scope = focus_qs.values("pk")
        existing_qs = existing_qs.filter(Q(claim_a__in=in_scope) | Q(claim_b__in=in_scope))
    existing = set(existing_qs.values_list("claim_a_id", "claim_b_id").iterator(chunk_size=CHUNK))

    new = []
    for finding in findings:
        if (finding.claim_a, finding.claim_b) in existing:
            report.already_related += 1
            continue
        report.by_detector[finding.rule] += 1
        new.append(
            ClaimRelation(
                claim_a_id=finding.claim_a,
                claim_b_id=finding.claim_b,
                kind=finding.kind,
                state=ClaimRelation.State.SUGGESTED,
                detector=finding.detector,
                evidence=finding.evidence,
                score=finding.score,
                created_by=actor,
            )
        )
    if not new:
        return report
    created = bulk_create_with_history(
        new, ClaimRelation, batch_size=1000, default_user=actor, default_change_reason=f"suggested: {reason}"
    )
    report.created = len(created)
    report.relation_ids = [r.pk for r in created]
    touched = {r.claim_a_id for r in created} | {r.claim_b_id for r in created}
    report.rescored = claims_recompute_confidence(
        claim_ids=touched, actor=actor, reason=f"new suggested relations ({reason})", batch_size=2000
    )
    return report
