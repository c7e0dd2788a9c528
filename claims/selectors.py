"""Reads that pages and services reuse, each costing a fixed number of queries."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from .models import (
    DECIDED_STATUSES,
    OPEN_STATUSES,
    Citation,
    Claim,
    ClaimCitation,
    ClaimRelation,
    ClaimStatus,
    Review,
    Source,
)


def review_queue(*, user=None) -> QuerySet[Claim]:
    """Open claims, most urgent first (needs source, open conflicts, hedges, tags), then oldest.

    Ordered by the stored priority so that the partial index on open claims serves it and "take next"
    can lock rows (no aggregate in this query).
    """
    qs = Claim.objects.filter(status__in=OPEN_STATUSES).select_related("article", "assigned_to")
    if user is not None:
        qs = qs.filter(assigned_to=user)
    return qs.order_by("-priority", "created_at", "id")


def claims_with_tag(qs: QuerySet[Claim], tag: str) -> QuerySet[Claim]:
    """Claims carrying a cleanup tag. On PostgreSQL, JSON containment on the GIN index of `tags` (a substring
    match read every claim: 0.35 s at 100k); elsewhere (SQLite has no JSON `contains`) the quoted slug in
    the list's text."""
    if connections[qs.db].vendor == "postgresql":
        return qs.filter(tags__contains=[tag])
    return qs.filter(tags__icontains=f'"{tag}"')


def source_and_cited_citations(source_id: int) -> tuple[str, list[int]] | None:
    """The source's name and the ids of those of its citations that some claim cites (one index probe each),
    in one query on PostgreSQL; None when there is no such source. What `claims_citing` needs, read with the
    name the claim list's sidebar shows anyway."""
    cited = Citation.objects.filter(Exists(ClaimCitation.objects.filter(citation_id=OuterRef("pk")))).order_by("pk")
    if connections[Source.objects.db].vendor != "postgresql":
        name = Source.objects.filter(pk=source_id).order_by("pk").values_list("name", flat=True).first()
        return None if name is None else (name, list(cited.filter(source_id=source_id).values_list("pk", flat=True)))
    ids = ArraySubquery(cited.filter(source_id=OuterRef("pk")).values("pk"))
    return Source.objects.filter(pk=source_id).order_by("pk").values_list("name", ids).first()


def claims_citing(qs: QuerySet[Claim], citation_ids: list[int]) -> QuerySet[Claim]:
    """Claims that cite at least one of the citations, each once however many of its links do: a semi-join
    on the links, so the list keeps its own order and its own query. No citation, no claim, no query.

    For the claim list's cited-source filter, with the ids of the source's citations that claims cite
    (`source_and_cited_citations`), given to the list as a constant array. A single query joining the
    citations left the planner two wrong ideas on the 1M-claim bench desk (docs/benchmarks.md, "the
    cited-source filter"): that the list was four times longer than it is (each of the source's 822 citations
    counted for an average cited citation's links, though claims cite 207 of them), and that walking every
    link in claim order, probing each one's citation, was a cheap way to the first 1,001 claims of the capped
    count (the page's SQL took 0.11 s on a quiet machine). Given the ids, it sizes the list right (16,738 for
    16,717), counts it from the source's 16.7k links through the (citation_id, claim_id) index, and a page
    walks the list's own index testing each claim's links against a hash of the ids built once:
    `IN (SELECT unnest(...))`; with `= ANY(...)` that test is priced once per claim walked, which made a
    parallel plan of the page look cheaper (slower on 2 busy cores)."""
    if not citation_ids:
        return qs.none()
    if connections[qs.db].vendor == "postgresql":
        # Integers read from the database, bound as one array parameter.
        wanted = RawSQL("SELECT unnest(%s::bigint[])", [list(citation_ids)])
    else:
        wanted = list(citation_ids)
    links = ClaimCitation.objects.filter(citation_id__in=wanted).order_by().values("claim_id")
    return qs.filter(pk__in=links)


def claim_relations(claim: Claim) -> QuerySet[ClaimRelation]:
    return (
        ClaimRelation.objects.filter(Q(claim_a=claim) | Q(claim_b=claim))
        .select_related("claim_a__article", "claim_b__article", "resolved_by", "created_by")
        .order_by("state", "-created_at")
    )


def claim_reviews(claim: Claim) -> QuerySet[Review]:
    return Review.objects.filter(claim=claim).select_related("reviewer").order_by("created_at", "pk")


# Lists and counts are counted exactly up to this many rows, then estimated. At 1M claims a cap of 10,000 cost
# 0.25 s (tag filter) and 0.51 s (cited source) in the count alone; 1,000 costs 0.05 s and 0.33 s.
EXACT_BELOW = 1_000


def count_or_estimate(queryset: QuerySet, exact_below: int = EXACT_BELOW) -> tuple[int, bool]:
    """(how many rows, whether exactly): COUNT(*) of at most `exact_below` + 1 ids — reading that many index
    entries costs about what a page costs — and past that PostgreSQL's row estimate for the whole query (never
    below what was counted). At a million claims an exact count of a large filter costs more than the page."""
    if queryset.query.is_empty():  # .none(): nothing to ask the database
        return 0, True
    connection = connections[queryset.db]
    ids = queryset.order_by().values("pk")
    if connection.vendor != "postgresql":
        return ids.count(), True
    sql, params = ids[: exact_below + 1].query.sql_with_params()
    with connection.cursor() as cursor:
        # `sql` is Django's own compiled query with its values bound as parameters: nothing typed is pasted.
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS capped", params)  # noqa: S608
        counted = cursor.fetchone()[0]
        if counted <= exact_below:
            return counted, True
    return max(planner_rows(queryset), counted), False


def planner_rows(queryset: QuerySet) -> int:
    """PostgreSQL's estimate of how many rows `queryset` has (EXPLAIN: nothing is read). PostgreSQL only."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def dashboard_counts(user) -> dict[str, int]:
    """The admin index's numbers for one person: what is on their plate. The desk queue of a large desk is
    estimated past EXACT_BELOW claims (`desk_exact` says which); the others are one person's and small."""
    mine = Claim.objects.filter(assigned_to=user)
    counts = mine.aggregate(
        assigned=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        waiting=Count("pk", filter=Q(status=ClaimStatus.IN_REVIEW)),
    )
    desk = Claim.objects.filter(status__in=OPEN_STATUSES, assigned_to__isnull=True)  # the desk queue's index
    counts["desk"], exact = count_or_estimate(desk, EXACT_BELOW)
    if not exact:
        counts["desk_estimated"] = True
    counts["reopened"] = reopened_claims(user=user).count()
    return counts


def desk_attention_counts() -> dict[str, int]:
    """What the desk as a whole must look at: confirmed conflicts waiting for a Lead's resolution, and claims a
    new article revision orphaned (their sentence is gone; decided ones no longer stand on the article's text).
    Two queries."""
    conflicts = ClaimRelation.objects.filter(kind=ClaimRelation.Kind.CONFLICTS, state=ClaimRelation.State.CONFIRMED)
    orphaned = Claim.objects.filter(anchor_state=Claim.AnchorState.ORPHANED).aggregate(
        all=Count("pk"), decided=Count("pk", filter=Q(status__in=DECIDED_STATUSES))
    )
    return {
        "conflicts_to_resolve": conflicts.count(),
        "orphaned": orphaned["all"],
        "orphaned_decided": orphaned["decided"],
    }


def conflicts_to_resolve() -> QuerySet[ClaimRelation]:
    """Confirmed conflicts, oldest first: a Lead's queue."""
    return (
        ClaimRelation.objects.filter(kind=ClaimRelation.Kind.CONFLICTS, state=ClaimRelation.State.CONFIRMED)
        .select_related("claim_a", "claim_b")
        .order_by("created_at", "pk")
    )


def reopened_condition(*, user=None) -> Q:
    """Claims back in review after a decision (reopened by a Lead, or sent back by a changed text); for a
    user, those assigned to them or that they had decided. The stored flag has a partial index: the few
    reopened claims are read without looking at the others."""
    condition = Q(status=ClaimStatus.IN_REVIEW, reopened=True)
    if user is not None:
        decided = Review.objects.filter(claim=OuterRef("pk"), to_status__in=DECIDED_STATUSES, reviewer=user)
        condition &= Q(assigned_to=user) | Exists(decided)
    return condition


def reopened_claims(*, user=None) -> QuerySet[Claim]:
    return Claim.objects.filter(reopened_condition(user=user))


def reviewers():
    """People who may be assigned claims: active users whose roles include deciding claims."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__codename="review_claim"))
        .distinct()
        .order_by("username")
    )


def source_has_claims(source) -> bool:
    """Whether any claim cites `source` or is attributed to it: a regrade has something to rescore."""
    return (
        Claim.objects.filter(claim_citations__citation__source=source).exists()
        or Claim.objects.filter(attributed_source=source).exists()
    )
