"""Constraints live in the database: each one rejects a bad row on PostgreSQL itself."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from claims.models import Claim, ClaimCitation, ClaimRelation, Review
from tests.dbrole import as_superuser
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimCitationFactory,
    ClaimFactory,
    RevisionFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def rejected(make, error=IntegrityError):
    with pytest.raises(error), transaction.atomic():
        make()


def test_citation_label_unique_per_article():
    citation = CitationFactory(label="54")
    rejected(lambda: CitationFactory(article=citation.article, label="54"))
    assert CitationFactory(label="54").article != citation.article  # same label, other article: fine


def test_citation_label_not_empty():
    rejected(lambda: CitationFactory(label=""))


def test_revision_sha256_unique_per_article():
    revision = RevisionFactory()
    rejected(lambda: RevisionFactory(article=revision.article, text=revision.text))
    rejected(lambda: RevisionFactory(sha256="not-a-sha"))


def test_claim_confidence_within_0_100():
    claim = ClaimFactory()
    claim.confidence = 101
    rejected(claim.save)
    claim = ClaimFactory()
    claim.confidence_override = 150
    rejected(claim.save)


def test_claim_offsets_start_not_after_end():
    rejected(lambda: ClaimFactory(start=10, end=5))


def test_claim_status_and_hedge_must_be_known_values():
    rejected(lambda: ClaimFactory(status="maybe"))
    rejected(lambda: ClaimFactory(hedge_kind="vague"))


def test_relation_claims_differ_and_pair_stored_once():
    a = ClaimFactory()
    b = ClaimFactory(revision=a.revision)
    low, high = sorted([a, b], key=lambda c: c.pk)
    rejected(lambda: ClaimRelation.objects.create(claim_a=low, claim_b=low))
    rejected(lambda: ClaimRelation.objects.create(claim_a=high, claim_b=low))  # the pair is stored ordered
    ClaimRelation.objects.create(claim_a=low, claim_b=high)
    rejected(lambda: ClaimRelation.objects.create(claim_a=low, claim_b=high, kind="duplicates"))


def test_claim_citation_pair_unique_and_info_grade_1_to_6():
    link = ClaimCitationFactory()
    rejected(lambda: ClaimCitation.objects.create(claim=link.claim, citation=link.citation))
    other = CitationFactory(article=link.claim.article)
    rejected(lambda: ClaimCitation.objects.create(claim=link.claim, citation=other, info_grade=7))
    rejected(lambda: ClaimCitation.objects.create(claim=link.claim, citation=other, info_grade=0))


def test_source_grade_a_to_f():
    rejected(lambda: SourceFactory(grade="G"))


def test_review_needs_a_note_and_is_append_only_even_in_sql():
    claim = ClaimFactory()
    reviewer = UserFactory()
    rejected(
        lambda: Review.objects.create(
            claim=claim, reviewer=reviewer, from_status="in_review", to_status="verified", note="", claim_version=1
        )
    )
    review = Review.objects.create(
        claim=claim, reviewer=reviewer, from_status="in_review", to_status="verified", note="ok", claim_version=1
    )
    with pytest.raises(Exception, match="append-only"):
        review.note = "changed"
        review.save()
    with pytest.raises(Exception, match="append-only"):
        review.delete()
    with pytest.raises(Exception, match="append-only"):
        Review.objects.filter(pk=review.pk).update(note="changed")
    # Even raw SQL is refused by the trigger, from a role that holds the privilege (the app's role does not:
    # tests/hardening/test_db_roles.py).
    with as_superuser():
        with pytest.raises((IntegrityError, InternalError), match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE claims_review SET note = 'x' WHERE id = %s", [review.pk])
        with pytest.raises((IntegrityError, InternalError), match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM claims_review WHERE id = %s", [review.pk])
    assert Review.objects.get(pk=review.pk).note == "ok"


def test_str_and_meta_of_every_model():
    claim = ClaimFactory(text="The SDF captured Aleppo International Airport.")
    link = ClaimCitationFactory(claim=claim)
    assert "Aleppo International Airport" in str(claim)
    assert str(link.citation.article) == link.citation.article.title
    assert f"[{link.citation.label}]" in str(link)
    assert str(ArticleFactory(title="T")) == "T"
    for model in (Claim, ClaimCitation, ClaimRelation, Review):
        assert model._meta.ordering and model._meta.verbose_name and model.__doc__


def _hue(hex_colour: str) -> float:
    import colorsys

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360


def test_needs_source_and_disputed_do_not_share_a_colour():
    """Issue #12: on the report page the two read as the same amber; text and tint must differ in hue."""
    from claims.display import STATUS_STYLE

    for a, b in zip(STATUS_STYLE["needs_source"], STATUS_STYLE["disputed"], strict=True):
        gap = abs(_hue(a) - _hue(b))
        assert min(gap, 360 - gap) >= 40, (a, b)
