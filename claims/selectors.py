"""Reads that pages and services reuse, each costing a fixed number of queries."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import DECIDED_STATUSES, OPEN_STATUSES, Claim, ClaimRelation, ClaimStatus, Review


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
    """Claims carrying a cleanup tag. Tags are a JSON list; matching the quoted slug in its text works on
    PostgreSQL and SQLite alike (JSON `contains` does not exist on SQLite)."""
    return qs.filter(tags__icontains=f'"{tag}"')


def claim_relations(claim: Claim) -> QuerySet[ClaimRelation]:
    return (
        ClaimRelation.objects.filter(Q(claim_a=claim) | Q(claim_b=claim))
        .select_related("claim_a__article", "claim_b__article", "resolved_by", "created_by")
        .order_by("state", "-created_at")
    )


def claim_reviews(claim: Claim) -> QuerySet[Review]:
    return Review.objects.filter(claim=claim).select_related("reviewer").order_by("created_at", "pk")


def dashboard_counts(user) -> dict[str, int]:
    """The admin index's numbers for one person: what is on their plate."""
    mine = Claim.objects.filter(assigned_to=user)
    counts = mine.aggregate(
        assigned=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        waiting=Count("pk", filter=Q(status=ClaimStatus.IN_REVIEW)),
    )
    counts["desk"] = Claim.objects.filter(status__in=OPEN_STATUSES, assigned_to__isnull=True).count()
    counts["reopened"] = reopened_claims(user=user).count()
    return counts


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
