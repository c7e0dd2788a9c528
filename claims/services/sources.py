"""Writes to the source registry, articles and citations."""

from __future__ import annotations

from django.db import transaction

from ..errors import ServiceError
from ..models import Article, Citation, Claim, ClaimCitation, ClaimRelation, Review, Source
from ._common import ADMIN_REASON, apply_changes, delete_tracked, require_perm, save_tracked
from .confidence import claims_recompute_confidence

SOURCE_FIELDS = (
    "name",
    "aliases",
    "domain",
    "kind",
    "reliability",
    "grade",
    "party_to_conflict",
    "reliability_basis",
)
GRADING_FIELDS = {"reliability", "grade", "party_to_conflict"}


@transaction.atomic
def source_create(*, name: str, actor, reason: str, **fields) -> Source:
    require_perm(actor, "claims.add_source", "add a source")
    source = Source(name=name)
    # Editors may register a source; only a Lead may grade it away from the defaults (unknown, F).
    if GRADING_FIELDS & set(apply_changes(source, fields, allowed=SOURCE_FIELDS)):
        require_perm(actor, "claims.set_source_reliability", "grade a source's reliability")
    save_tracked(source, actor=actor, reason=reason)
    return source


@transaction.atomic
def source_update(*, source: Source, actor, reason: str, rescore: bool = True, **changes) -> tuple[Source, int]:
    """Change a source; when its grading changes, rescore every claim that cites it. Returns (source, n rescored).

    With `rescore=False` the caller queues the rescoring as a background job instead (jobs.job_rescore_enqueue)."""
    require_perm(actor, "claims.change_source", "edit a source")
    source = Source.objects.select_for_update().get(pk=source.pk)
    changed = apply_changes(source, changes, allowed=SOURCE_FIELDS)
    if not changed:
        return source, 0
    if GRADING_FIELDS & set(changed):
        require_perm(actor, "claims.set_source_reliability", "change a source's reliability or grade")
        if (reason or "").strip() in ("", ADMIN_REASON):
            # Like every other decision: a regrade rescores every claim citing the source, so it says why.
            raise ServiceError(
                f"regrading {source.name} needs a reason saying why (it rescores every claim that cites it)"
            )
    save_tracked(source, actor=actor, reason=reason)
    rescored = 0
    if rescore and GRADING_FIELDS & set(changed):
        affected = Claim.objects.filter(claim_citations__citation__source=source).values_list("pk", flat=True)
        attributed = Claim.objects.filter(attributed_source=source).values_list("pk", flat=True)
        rescored = claims_recompute_confidence(
            claim_ids=set(affected) | set(attributed),
            actor=actor,
            reason=f"source {source.name} regraded: {reason}",
        )
    return source, rescored


@transaction.atomic
def source_delete(*, source: Source, actor, reason: str) -> None:
    require_perm(actor, "claims.delete_source", "delete a source")
    delete_tracked(source, actor=actor, reason=reason)


ARTICLE_FIELDS = ("title", "url", "language", "licence", "attribution", "published_on", "current_revision")


@transaction.atomic
def article_create(*, title: str, actor, reason: str, **fields) -> Article:
    require_perm(actor, "claims.add_article", "add an article")
    article = Article(title=title, created_by=actor)
    apply_changes(article, fields, allowed=ARTICLE_FIELDS)
    save_tracked(article, actor=actor, reason=reason)
    return article


@transaction.atomic
def article_update(*, article: Article, actor, reason: str, **changes) -> Article:
    require_perm(actor, "claims.change_article", "edit an article")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if apply_changes(article, changes, allowed=ARTICLE_FIELDS):
        save_tracked(article, actor=actor, reason=reason)
    return article


@transaction.atomic
def article_delete(*, article: Article, actor, reason: str) -> None:
    """Delete an article and everything imported from it, each row leaving a deletion in history.

    Refused once any claim of it has a review: the review log is append-only and must keep its claims.
    """
    require_perm(actor, "claims.delete_article", "delete an article")
    if Review.objects.filter(claim__article=article).exists():
        raise ServiceError(
            f"article '{article}' has reviewed claims: the review log keeps them, so it cannot be deleted"
        )
    claim_ids = list(Claim.objects.filter(article=article).values_list("pk", flat=True))
    for rel in ClaimRelation.objects.filter(claim_a__in=claim_ids) | ClaimRelation.objects.filter(
        claim_b__in=claim_ids
    ):
        delete_tracked(rel, actor=actor, reason=reason)
    for link in ClaimCitation.objects.filter(claim__article=article):
        delete_tracked(link, actor=actor, reason=reason)
    for claim in Claim.objects.filter(article=article):
        delete_tracked(claim, actor=actor, reason=reason)
    for citation in Citation.objects.filter(article=article):
        delete_tracked(citation, actor=actor, reason=reason)
    article.current_revision = None
    article.revisions.all().delete()
    delete_tracked(article, actor=actor, reason=reason)


CITATION_FIELDS = (
    "label",
    "kind",
    "url",
    "title",
    "author",
    "publisher",
    "source",
    "published",
    "accessed",
    "archive_url",
    "quote",
    "identifiers",
)


@transaction.atomic
def citation_create(*, article: Article, label: str, actor, reason: str, **fields) -> Citation:
    require_perm(actor, "claims.add_citation", "add a citation")
    citation = Citation(article=article, label=label)
    apply_changes(citation, fields, allowed=CITATION_FIELDS)
    save_tracked(citation, actor=actor, reason=reason)
    return citation


@transaction.atomic
def citation_update(*, citation: Citation, actor, reason: str, **changes) -> Citation:
    """Complete or correct a citation; claims citing it are rescored when its source changes."""
    require_perm(actor, "claims.change_citation", "edit a citation")
    citation = Citation.objects.select_for_update().get(pk=citation.pk)
    changed = apply_changes(citation, changes, allowed=CITATION_FIELDS)
    if not changed:
        return citation
    save_tracked(citation, actor=actor, reason=reason)
    if "source" in changed:
        claims_recompute_confidence(
            claim_ids=citation.claim_citations.values_list("claim_id", flat=True), actor=actor, reason=reason
        )
    return citation


@transaction.atomic
def citation_delete(*, citation: Citation, actor, reason: str) -> None:
    require_perm(actor, "claims.delete_citation", "delete a citation")
    if citation.claim_citations.exists():
        raise ServiceError(f"citation [{citation.label}] is used by claims: unlink it from them first")
    delete_tracked(citation, actor=actor, reason=reason)
