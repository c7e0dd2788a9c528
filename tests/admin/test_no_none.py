"""Issue #12 (13): no page shows Python's "None" for a missing value; a dash or words stand in for it."""

import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import Article, Citation, Claim, ClaimCitation, ClaimRelation, Review, Source
from claims.services.importing import article_import
from tests.admin.test_review_admin import ARTICLE, in_review
from tests.factories import RelationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    """What a reader sees: the page without scripts, styles, tags and attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]*>", " ", html)


def pages(article_id: int) -> list[str]:
    claim = Claim.objects.filter(article_id=article_id).order_by("pk").first()
    relation = ClaimRelation.objects.first()
    citation = Citation.objects.first()
    source = Source.objects.first()
    link = ClaimCitation.objects.first()
    review = Review.objects.first()
    urls = [reverse("admin:index")]
    for model, obj in [
        ("claim", claim), ("article", Article.objects.get(pk=article_id)), ("claimrelation", relation),
        ("citation", citation), ("source", source), ("claimcitation", link), ("review", review),
    ]:  # fmt: skip
        urls.append(reverse(f"admin:claims_{model}_changelist"))
        urls.append(reverse(f"admin:claims_{model}_change", args=[obj.pk]))
        urls.append(reverse(f"admin:claims_{model}_history", args=[obj.pk]))
    urls.append(reverse("admin:claims_claimrelation_changelist") + "?state__exact=suggested")
    for obj in (claim, relation):
        name = f"admin:claims_{obj._meta.model_name}_simple_history"
        urls.append(reverse(name, args=[obj.pk, obj.history.earliest("history_id").history_id]))
    urls.append(reverse("claims:article-report", args=[article_id]))
    return urls


def test_no_admin_page_shows_none(client, editor, reviewer, lead, superuser):
    SourceFactory(name="Kyiv Post", grade="B")
    report = article_import(text=ARTICLE, actor=editor, url="https://example.org/test-offensive")
    claim = in_review("On 28 November", reviewer)
    services.claim_decide(claim_id=claim.pk, status="disputed", note="n", seen_version=claim.version, actor=reviewer)
    in_review("Nobody knows", reviewer)
    a, b = Claim.objects.order_by("pk")[:2]
    RelationFactory(claim_a=a, claim_b=b, score=None)
    services.citation_update(citation=Citation.objects.first(), actor=editor, reason="filled", title="A title")
    shown = {}
    for user in (lead, superuser):
        client.force_login(user)
        for url in pages(report.article_id):
            response = client.get(url)
            assert response.status_code == 200, url
            text = visible_text(response.content.decode()).replace("None available", "")  # Django's words, fine
            found = re.findall(r".{0,60}\bNone\b.{0,40}", text)
            if found:
                shown[url] = found
    assert not shown, "\n".join(f"{u}: {f}" for u, f in shown.items())
