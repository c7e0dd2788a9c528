"""Every write goes through a service and leaves exactly one history row naming the actor and the reason."""

import pytest
from django.core.exceptions import PermissionDenied

from claims import services
from claims.models import Article, Citation, Claim, ClaimCitation, ClaimRelation, Source
from tests.factories import ArticleFactory, CitationFactory, ClaimFactory, RevisionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def history_of(obj):
    return obj.history.order_by("-history_date", "-history_id")


def assert_one_new_row(obj, before: int, actor, reason: str):
    rows = history_of(obj)
    assert rows.count() == before + 1
    latest = rows.first()
    assert latest.history_user == actor
    assert latest.history_change_reason == reason


# One row per tracked model: how to create it, and one update, through the services.
def make_source(actor):
    return services.source_create(name="Kyiv Post (test)", actor=actor, reason="registering", domain="kyivpost.com")


def change_source(obj, actor):
    return services.source_update(source=obj, actor=actor, reason="regrade", grade="C")[0]


def make_article(actor):
    return services.article_create(title="Battle of Aleppo", actor=actor, reason="new article", url="https://x.org/a")


def change_article(obj, actor):
    return services.article_update(article=obj, actor=actor, reason="retitle", title="Battle of Aleppo (2024)")


def make_citation(actor):
    return services.citation_create(article=ArticleFactory(), label="54", actor=actor, reason="marker")


def change_citation(obj, actor):
    return services.citation_update(citation=obj, actor=actor, reason="completed", title="Reuters report")


def make_claim(actor):
    revision = RevisionFactory()
    return services.claim_create(
        article=revision.article, revision=revision, text="HTS entered Aleppo.", actor=actor, reason="by hand"
    )


def change_claim(obj, actor):
    return services.claim_update(
        claim_id=obj.pk, seen_version=obj.version, actor=actor, reason="typo", text="HTS took Aleppo."
    )


def make_link(actor):
    claim = ClaimFactory()
    citation = CitationFactory(article=claim.article)
    return services.claim_citation_add(claim_id=claim.pk, citation=citation, actor=actor, reason="cites it")


def change_link(obj, actor):
    return services.claim_citation_update(claim_citation=obj, actor=actor, reason="regrade", info_grade=2)


def make_relation(actor):
    a = ClaimFactory()
    b = ClaimFactory(revision=a.revision)
    return services.relation_create(claim_a=b, claim_b=a, kind="conflicts", actor=actor, reason="they disagree")


def change_relation(obj, actor):
    return services.relation_update(relation=obj, actor=actor, reason="better evidence", evidence="dates differ")


SWEEP = [
    (Source, make_source, change_source),
    (Article, make_article, change_article),
    (Citation, make_citation, change_citation),
    (Claim, make_claim, change_claim),
    (ClaimCitation, make_link, change_link),
    (ClaimRelation, make_relation, change_relation),
]


@pytest.mark.parametrize(("model", "create", "update"), SWEEP, ids=[m.__name__ for m, _, _ in SWEEP])
def test_every_tracked_model_keeps_user_and_reason(model, create, update, lead):
    obj = create(lead)
    created = history_of(obj)
    assert created.count() == 1
    assert created.first().history_type == "+"
    assert created.first().history_user == lead
    assert created.first().history_change_reason
    obj = model.objects.get(pk=obj.pk)
    update(obj, lead)
    reasons = {"Source": "regrade", "Article": "retitle", "Citation": "completed", "Claim": "typo",
               "ClaimCitation": "regrade", "ClaimRelation": "better evidence"}  # fmt: skip
    assert_one_new_row(obj, 1, lead, reasons[model.__name__])


def test_all_history_rows_written_by_services_name_a_user_and_a_reason(lead):
    """The sweep: every row of every tracked model that a service touched (the claim behind a citation link
    and the claims rescored by a relation included) carries a user and a reason."""
    for model, create, update in SWEEP:
        obj = create(lead)
        update(model.objects.get(pk=obj.pk), lead)
    since = min(model.history.order_by("history_date").first().history_date for model, _, _ in SWEEP)
    for model, _, _ in SWEEP:
        rows = model.history.filter(history_date__gte=since, history_user__isnull=False) | model.history.filter(
            history_date__gte=since, history_change_reason__isnull=False
        )
        assert rows.exists(), model.__name__
        assert not rows.filter(history_user__isnull=True).exists(), model.__name__
        assert not rows.filter(history_change_reason__isnull=True).exists(), model.__name__
        assert not rows.filter(history_change_reason="").exists(), model.__name__


def test_a_write_without_a_reason_is_refused(lead):
    with pytest.raises(services.ServiceError, match="needs a reason"):
        services.source_create(name="Nameless", actor=lead, reason="  ")
    assert not Source.objects.filter(name="Nameless").exists()


def test_permissions_are_checked_in_services(viewer, editor):
    with pytest.raises(PermissionDenied, match="may not add a source"):
        services.source_create(name="X", actor=viewer, reason="r")
    source = services.source_create(name="Registered by an editor", actor=editor, reason="r")
    with pytest.raises(PermissionDenied, match="reliability"):
        services.source_update(source=source, actor=editor, reason="r", reliability="generally_reliable")
    with pytest.raises(PermissionDenied, match="reliability"):
        services.source_create(name="Graded by an editor", actor=editor, reason="r", grade="A")
    assert source.history.count() == 1


def test_regrading_a_source_rescores_the_claims_citing_it(lead):
    source = SourceFactory(grade="E", reliability="generally_unreliable")
    claim = ClaimFactory()
    citation = CitationFactory(article=claim.article, source=source)
    services.claim_citation_add(claim_id=claim.pk, citation=citation, actor=lead, reason="cites", info_grade=2)
    _, rescored = services.source_update(source=source, actor=lead, reason="RSP says reliable", grade="A",
                                         reliability="generally_reliable")  # fmt: skip
    assert rescored == 1
    latest = history_of(Claim.objects.get(pk=claim.pk)).first()
    assert latest.history_user == lead and "RSP says reliable" in latest.history_change_reason


def test_adding_a_citation_takes_a_claim_out_of_needs_source(editor):
    claim = ClaimFactory(status="needs_source")
    citation = CitationFactory(article=claim.article)
    services.claim_citation_add(claim_id=claim.pk, citation=citation, actor=editor, reason="found a source")
    claim.refresh_from_db()
    assert claim.status == "unreviewed"
    link = claim.claim_citations.get()
    services.claim_citation_remove(claim_citation=link, actor=editor, reason="wrong source")
    claim.refresh_from_db()
    assert claim.status == "needs_source"
    assert link.history.order_by("-history_id").first().history_type == "-"


def test_a_citation_from_another_article_is_refused(editor):
    claim = ClaimFactory()
    with pytest.raises(services.ServiceError, match="another article"):
        services.claim_citation_add(claim_id=claim.pk, citation=CitationFactory(), actor=editor, reason="r")


def test_deleting_an_article_keeps_a_deletion_row_for_everything(lead):
    link = make_link(lead)
    article = link.claim.article
    services.article_delete(article=article, actor=lead, reason="duplicate import")
    assert not Article.objects.filter(pk=article.pk).exists()
    for model in (Article, Claim, Citation, ClaimCitation):
        deleted = model.history.filter(history_type="-")
        assert deleted.exists() and all(r.history_change_reason == "duplicate import" for r in deleted)


def test_a_settled_relation_keeps_its_kind(lead):
    relation = make_relation(lead)
    services.relation_resolve(relation=relation, resolution="both_partly", note="both partly true", actor=lead)
    with pytest.raises(services.ServiceError, match="kind is settled"):
        services.relation_update(relation=relation, actor=lead, reason="oops", kind="duplicates")
    assert ClaimRelation.objects.get(pk=relation.pk).kind == "conflicts"
