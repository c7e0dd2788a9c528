"""Sources, articles and citations edited in the admin go through the services, inlines included."""

import pytest
from django.urls import reverse

from claims.models import Article, Citation, Claim, Source
from tests.factories import ArticleFactory, CitationFactory, RevisionFactory

pytestmark = pytest.mark.django_db


def inline_data(article, rows, *, extra_new=None):
    data = {
        "title": article.title, "url": article.url, "language": "en", "licence": "", "attribution": "",
        "change_reason": "cleanup of references",
        "citations-TOTAL_FORMS": str(len(rows) + (1 if extra_new else 0)), "citations-INITIAL_FORMS": str(len(rows)),
        "citations-MIN_NUM_FORMS": "0", "citations-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, (citation, delete) in enumerate(rows):
        data.update({
            f"citations-{i}-id": str(citation.pk), f"citations-{i}-article": str(article.pk),
            f"citations-{i}-label": citation.label, f"citations-{i}-kind": citation.kind,
            f"citations-{i}-title": citation.title, f"citations-{i}-publisher": "", f"citations-{i}-source": "",
            f"citations-{i}-url": "", f"citations-{i}-published": "", f"citations-{i}-accessed": "",
        })  # fmt: skip
        if delete:
            data[f"citations-{i}-DELETE"] = "on"
    if extra_new:
        i = len(rows)
        data.update({f"citations-{i}-article": str(article.pk), f"citations-{i}-label": extra_new,
                     f"citations-{i}-kind": "reference", f"citations-{i}-title": "New reference"})  # fmt: skip
    return data


def test_article_inline_citations_add_and_delete_with_the_reason(client, lead):
    article = ArticleFactory()
    keep = CitationFactory(article=article, label="1")
    drop = CitationFactory(article=article, label="2")
    client.force_login(lead)
    response = client.post(
        reverse("admin:claims_article_change", args=[article.pk]),
        inline_data(article, [(keep, False), (drop, True)], extra_new="3"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(Citation.objects.filter(article=article).values_list("label", flat=True)) == ["1", "3"]
    deleted = Citation.history.filter(id=drop.pk, history_type="-").get()
    added = Citation.history.filter(label="3", history_type="+").get()
    for row in (deleted, added):
        assert row.history_user == lead and row.history_change_reason == "cleanup of references"


def test_a_citation_in_use_cannot_be_deleted_and_nothing_is_saved(client, lead):
    revision = RevisionFactory()
    used = CitationFactory(article=revision.article, label="1")
    claim = Claim.objects.create(
        article=revision.article, revision=revision, text="x", paragraph_index=0, sentence_index=0, start=0, end=1
    )
    claim.claim_citations.create(citation=used)
    client.force_login(lead)
    response = client.post(
        reverse("admin:claims_article_change", args=[revision.article.pk]),
        {**inline_data(revision.article, [(used, True)]), "title": "Renamed"},
        follow=True,
    )
    assert "Nothing was saved" in response.content.decode() and "used by claims" in response.content.decode()
    assert Citation.objects.filter(pk=used.pk).exists()
    assert Article.objects.get(pk=revision.article.pk).title != "Renamed"  # the whole save rolled back


def test_adding_a_source_in_the_admin(client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("admin:claims_source_add"),
        {"name": "Enab Baladi (test)", "aliases": '["Enab"]', "domain": "enabbaladi.net", "kind": "newspaper",
         "reliability": "unknown", "grade": "F", "reliability_basis": "", "change_reason": ""},
    )  # fmt: skip
    assert response.status_code == 302
    source = Source.objects.get(name="Enab Baladi (test)")
    row = source.history.get()
    assert row.history_user == lead and row.history_change_reason == "edited in admin"
