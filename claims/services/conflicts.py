"""Running the conflict detectors (claims/conflicts.py) and writing what they find as suggested relations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from simple_history.utils import bulk_create_with_history

from .. import conflicts, keys
from ..models import Article, Claim, ClaimKey, ClaimRelation
from ._common import delete_tracked, require_perm, require_reason, save_tracked
from .confidence import claims_recompute_confidence

ROW_FIELDS = ("id", "article_id", "text", "event_date")
CHUNK = 2000
# A key shared by more claims than this picks no candidates ("e:russia"): it says nothing about a pair.
KEY_CAP = 500
# Candidates read for one run, those sharing the most keys first: bounds the time of one article's check.
CANDIDATE_LIMIT = 2000
# Any number: identifies the detection runs' advisory lock, so that two runs never propose the same pair twice.
ADVISORY_LOCK = 0x636C616D  # "clam"


@dataclass
class SuggestReport:
    """What one detection run did."""

    scope: str
    claims: int = 0  # claims read (those in scope and the candidates they were compared with)
    candidates_seen: int = 0  # claims of other articles sharing a place or number with those in scope (SQL)
    focus: int = 0  # claims in scope
    comparisons: int = 0
    findings: int = 0
    created: int = 0
    already_related: int = 0  # pairs that already had a relation (dismissed ones included): never proposed again
    rescored: int = 0
    by_detector: Counter = field(default_factory=Counter)
    skipped_blocks: list[str] = field(default_factory=list)
    relation_ids: list[int] = field(default_factory=list)
    refreshed: int = 0  # suggestions of an edited claim whose evidence was rewritten for its new words
    withdrawn: int = 0  # suggestions of an edited claim that its new words no longer support (deleted)

    def as_text(self) -> str:
        lines = [
            f"Conflict detection over {self.scope}: {self.focus} claim(s) in scope, {self.claims} read "
            f"({self.candidates_seen} of other articles sharing a place or number), "
            f"{self.comparisons} pair(s) compared.",
            f"{self.findings} finding(s): {self.created} new suggestion(s), {self.already_related} already related.",
        ]
        lines += [f"  {rule}: {n}" for rule, n in sorted(self.by_detector.items())]
        if self.refreshed or self.withdrawn:
            lines.append(
                f"Edited claims: {self.refreshed} suggestion(s) rewritten for the new words, "
                f"{self.withdrawn} withdrawn."
            )
        lines.append(f"{self.rescored} claim(s) rescored.")
        if self.skipped_blocks:
            lines.append(f"{len(self.skipped_blocks)} block(s) too common to compare pairwise:")
            lines += [f"  {b}" for b in self.skipped_blocks[:20]]
        return "\n".join(lines)


def _rows(qs: QuerySet[Claim]) -> Iterable[dict]:
    return qs.exclude(anchor_state=Claim.AnchorState.ORPHANED).values(*ROW_FIELDS).iterator(chunk_size=CHUNK)


def claim_keys_refresh(
    rows: list[dict], *, known_aliases: dict | None = None, everything: bool = False
) -> dict[int, set[str]]:
    """Compute and store the keys of these claims (rows: id, article_id, text, event_date), replacing the old
    ones; abbreviations are those defined in the same rows (an import passes a whole article) and in
    `known_aliases` ({article_id: {short: long}}). Derived data, rebuilt from the text at will:
    `detect_conflicts` over everything backfills it."""
    return _keys_refresh(rows, known_aliases=known_aliases, everything=everything, for_keys=True)[0]


def _keys_refresh(
    rows: list[dict], *, known_aliases: dict | None = None, everything: bool = False, for_keys: bool = False
) -> tuple[dict[int, set[str]], conflicts.Reading]:
    """`claim_keys_refresh`, and what it read of the claims: all the detectors read, for them to reuse, unless
    `for_keys` (nothing will compare these claims now)."""
    reading = conflicts.read_rows(rows, aliases=known_aliases, for_keys=for_keys)
    out: dict[int, set[str]] = {}
    for row in rows:
        out[row["id"]] = conflicts.claim_keys(reading.facts[row["id"]], keys.definitions(row["text"]))
    _write_keys(out, everything=everything)
    return out, reading


def article_keys_refresh(*, article: Article | int) -> int:
    """Store the keys of one article's claims (an import that does not run the detectors still leaves its claims
    findable by later runs). Returns how many claims were keyed."""
    article_id = article.pk if isinstance(article, Article) else article
    rows = list(_rows(Claim.objects.filter(article_id=article_id)))
    return len(claim_keys_refresh(rows))


def _write_keys(stored: dict[int, set[str]], *, everything: bool) -> None:
    """Replace the stored keys of these claims (of all claims with `everything`). On PostgreSQL one COPY writes
    them, so a run over a million claims sends a fixed number of statements; elsewhere batched inserts."""
    pairs = ((cid, k) for cid, ks in stored.items() for k in sorted(ks))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if everything:
                cursor.execute("DELETE FROM claims_claimkey")
            else:
                # One statement on the (claim, key) index: an import's new claims have none, so this finds
                # nothing in milliseconds, where Django's delete in chunks cost a second for 15k claims.
                cursor.execute("DELETE FROM claims_claimkey WHERE claim_id = ANY(%s)", [list(stored)])
            with cursor.cursor.copy("COPY claims_claimkey (claim_id, key) FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row(pair)
        return
    if everything:
        ClaimKey.objects.all().delete()
    else:
        ids = list(stored)
        for start in range(0, len(ids), CHUNK):
            ClaimKey.objects.filter(claim_id__in=ids[start : start + CHUNK]).delete()
    batch: list[ClaimKey] = []
    for cid, key in pairs:
        batch.append(ClaimKey(claim_id=cid, key=key))
        if len(batch) >= 5000:
            ClaimKey.objects.bulk_create(batch)
            batch = []
    if batch:
        ClaimKey.objects.bulk_create(batch)


def _stored_aliases(rows: list[dict]) -> dict:
    """Abbreviations defined anywhere in the articles of these rows, from the `x:` keys stored at import."""
    article_ids = {row.get("article_id") for row in rows} - {None}
    if not article_ids:
        return {}
    out: dict = {}
    stored = ClaimKey.objects.filter(key__startswith="x:", claim__article_id__in=article_ids)
    for article_id, key in stored.values_list("claim__article_id", "key").iterator(chunk_size=CHUNK):
        short, _, long = key[2:].partition("=")
        out.setdefault(article_id, {})[short] = long
    return out


def _candidates(stored: dict[int, set[str]], focus: set[int], exclude: dict) -> list[dict]:
    """Claims that share a selecting key (a name's word, a number) with the claims in scope, chosen in SQL on
    the key index: keys held by more than KEY_CAP claims are left out, the claims sharing most keys come first."""
    wanted = set().union(*(conflicts.selecting_keys(ks) for ks in stored.values())) if stored else set()
    if not wanted:
        return []
    if connection.vendor == "postgresql":
        ids = _candidate_ids_postgresql(sorted(wanted), focus, exclude.get("article_id"))
    else:
        usable = (
            ClaimKey.objects.filter(key__in=sorted(wanted))
            .values("key")
            .annotate(n=Count("id"))
            .filter(n__lte=KEY_CAP)
            .values("key")
        )
        shared = ClaimKey.objects.filter(key__in=usable).exclude(claim_id__in=focus)
        if exclude:
            shared = shared.exclude(claim__article_id=exclude["article_id"])
        ids = list(
            shared.values("claim_id")
            .annotate(n=Count("id"))
            .order_by("-n", "claim_id")
            .values_list("claim_id", flat=True)[:CANDIDATE_LIMIT]
        )
    rows = []
    for start in range(0, len(ids), CHUNK):
        rows += list(_rows(Claim.objects.filter(pk__in=ids[start : start + CHUNK])))
    return rows


# Each wanted key is counted only up to KEY_CAP + 1 (an index-only scan that stops there), so a key held by
# 100,000 claims costs as little to rule out as a rare one; then the claims sharing most usable keys come first.
# The claims in scope are left out through a hashed subplan (NOT IN a set), not `<> ALL(array)`: in an import's
# transaction the new keys have no statistics yet, the planner may join all of them first, and testing each of
# ~100k key rows against a 15k-element array took seconds.
CANDIDATES_SQL = """
SELECT ck.claim_id
FROM claims_claimkey ck JOIN claims_claim c ON c.id = ck.claim_id
WHERE ck.key IN (
    SELECT k FROM unnest(%(wanted)s::text[]) AS k
    WHERE (SELECT count(*) FROM (SELECT 1 FROM claims_claimkey x WHERE x.key = k LIMIT %(over)s) AS s) <= %(cap)s
)
AND ck.claim_id NOT IN (SELECT unnest(%(focus)s::bigint[])) AND c.article_id IS DISTINCT FROM %(article)s
GROUP BY ck.claim_id
ORDER BY count(*) DESC, ck.claim_id
LIMIT %(limit)s
"""


def _candidate_ids_postgresql(wanted: list[str], focus: set[int], article_id: int | None) -> list[int]:
    params = {"wanted": wanted, "over": KEY_CAP + 1, "cap": KEY_CAP, "focus": sorted(focus), "article": article_id,
              "limit": CANDIDATE_LIMIT}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(CANDIDATES_SQL, params)
        return [row[0] for row in cursor.fetchall()]


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


def _open_suggestions(claim_ids: Iterable[int]) -> dict[tuple[int, int], ClaimRelation]:
    """The still-suggested, detector-made relations of these claims (nobody has judged them yet), by pair."""
    ids = list(claim_ids)
    if not ids:
        return {}
    qs = (
        ClaimRelation.objects.select_for_update()
        .filter(Q(claim_a__in=ids) | Q(claim_b__in=ids), state=ClaimRelation.State.SUGGESTED)
        .exclude(detector=ClaimRelation.Detector.MANUAL)
    )
    return {(r.claim_a_id, r.claim_b_id): r for r in qs}


def _refresh(relation: ClaimRelation, finding: conflicts.Finding, *, actor, reason: str) -> bool:
    """Rewrite a suggestion from a new finding for the same pair; False when nothing differs."""
    fresh = {"kind": finding.kind, "detector": finding.detector, "evidence": finding.evidence, "score": finding.score}
    if all(getattr(relation, name) == value for name, value in fresh.items()):
        return False
    for name, value in fresh.items():
        setattr(relation, name, value)
    save_tracked(relation, actor=actor, reason=f"evidence refreshed: {reason}", validate=False)
    return True


@transaction.atomic
def relations_suggest(
    *,
    actor,
    reason: str = "conflict detection",
    claims: QuerySet[Claim] | Iterable[int] | None = None,
    article: Article | int | None = None,
    options: conflicts.Options | None = None,
    edited: Iterable[int] = (),
) -> SuggestReport:
    """Run the detectors and write what they find as suggested relations; rescore the claims involved.

    Scope: one article's claims (`article`), some claims (`claims`), or, with neither, every claim. Claims in
    scope are compared with each other and with the claims of other articles that share a place, a named
    thing or (for claims naming none) a number with them, chosen in SQL on the stored keys (claims_claimkey),
    which this run writes for the claims in scope (for every claim, in a run over everything). Pairs that
    already have a relation in any state — dismissed included — are never proposed again, so running it
    twice adds nothing — except for the claims in `edited` (their text changed): their open, machine-made
    suggestions quote the old words, so each is rewritten from what the detectors find now, or withdrawn
    (deleted, with history) when the new words no longer support it. The cost in queries does not depend on
    how many claims there are: the rows are read in streamed queries, the keys written with one COPY and the
    suggestions in batches.
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
        # every claim is read: the abbreviations come from the rows themselves
        _, reading = _keys_refresh(rows, everything=True)
    else:
        rows = list(_rows(focus_qs))
        focus = {row["id"] for row in rows}
        report.focus = len(rows)
        stored, reading = _keys_refresh(rows)
        exclude = {"article_id": article_id} if article is not None else {}
        nearby_rows = _candidates(stored, focus, exclude)
        report.candidates_seen = len(nearby_rows)
        rows += nearby_rows
    report.claims = len(rows)
    if not rows or (focus is not None and not focus):
        return report

    run = conflicts.Run()
    # Abbreviations defined in the candidates' articles (the focus rows define their own article's).
    aliases = _stored_aliases([r for r in rows if r["id"] not in focus]) if focus is not None else None
    # The claims in scope were just read for their keys: read again only where the candidates' abbreviations
    # change what they say (conflicts.read_rows).
    findings = conflicts.detect(rows, focus=focus, options=options, run=run, aliases=aliases, earlier=reading)
    report.comparisons, report.skipped_blocks, report.findings = run.comparisons, run.skipped_blocks, len(findings)

    existing_qs = ClaimRelation.objects.all()
    if focus_qs is not None:
        in_scope = focus_qs.values("pk")
        existing_qs = existing_qs.filter(Q(claim_a__in=in_scope) | Q(claim_b__in=in_scope))
    existing = set(existing_qs.values_list("claim_a_id", "claim_b_id").iterator(chunk_size=CHUNK))
    stale = _open_suggestions(edited)

    new = []
    touched: set[int] = set()
    for finding in findings:
        pair = (finding.claim_a, finding.claim_b)
        if pair in stale:
            if _refresh(stale.pop(pair), finding, actor=actor, reason=reason):
                report.refreshed += 1
                touched.update(pair)
            report.already_related += 1
            continue
        if pair in existing:
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
    for relation in stale.values():
        touched.update((relation.claim_a_id, relation.claim_b_id))
        delete_tracked(relation, actor=actor, reason=f"withdrawn: the edited words no longer support it ({reason})")
        report.withdrawn += 1
    if new:
        created = bulk_create_with_history(
            new, ClaimRelation, batch_size=1000, default_user=actor, default_change_reason=f"suggested: {reason}"
        )
        report.created = len(created)
        report.relation_ids = [r.pk for r in created]
        touched |= {r.claim_a_id for r in created} | {r.claim_b_id for r in created}
    if not touched:
        return report
    report.rescored = claims_recompute_confidence(
        claim_ids=touched, actor=actor, reason=f"new suggested relations ({reason})", batch_size=2000
    )
    return report
