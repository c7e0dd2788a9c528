"""The COPY writer writes the same claims, links and history as the ORM path (bulk_create_with_history)."""

from pathlib import Path

import pytest
from django.db import connection, transaction

from claims.models import Citation, Claim, ClaimCitation, Source
from claims.search import search_claims
from claims.services import copy_writer
from claims.services.importing import article_import
from claims.services.sources import source_update
from tests.dbrole import load_reference_data

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "northwestern_syria_offensive.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
# Ids and timestamps differ between two runs by nature; everything else must not.
VOLATILE = {"id", "history_id", "created_at", "updated_at", "history_date", "decided_at"}


class Rollback(Exception):
    pass


def _natural(row: dict, claims: dict[int, tuple], citations: dict[int, str]) -> dict:
    """A row with its ids replaced by what they stand for (a claim by its place, a citation by its label)."""
    row = {k: v for k, v in row.items() if k not in VOLATILE and k not in ("article_id", "revision_id")}
    if "claim_id" in row:
        row["claim_id"] = claims[row["claim_id"]]
    if "citation_id" in row:
        row["citation_id"] = citations[row["citation_id"]]
    if "history_relation_id" in row:
        row["history_relation_id"] = claims.get(row["history_relation_id"])
    return row


def _import_and_read(editor, *, use_copy: bool, settings) -> dict:
    settings.CLAIMS_IMPORT_COPY = use_copy
    try:
        with transaction.atomic():
            report = article_import(text=SAMPLE_TEXT, actor=editor, suggest_relations=False)
            claims = {
                c.pk: (c.paragraph_index, c.sentence_index) for c in Claim.objects.filter(article=report.article_id)
            }
            citations = dict(
                ClaimCitation.objects.filter(claim__article=report.article_id).values_list(
                    "citation_id", "citation__label"
                )
            )
            ids = list(claims)
            order = ("paragraph_index", "sentence_index")
            read = {
                "claims": [
                    _natural(r, claims, citations) for r in Claim.objects.filter(pk__in=ids).order_by(*order).values()
                ],
                "claim_history": [
                    _natural(r, claims, citations) for r in Claim.history.filter(id__in=ids).order_by(*order).values()
                ],
                "links": sorted(
                    (_natural(r, claims, citations) for r in ClaimCitation.objects.filter(claim_id__in=ids).values()),
                    key=repr,
                ),
                "link_history": sorted(
                    (_natural(r, claims, citations) for r in ClaimCitation.history.filter(claim_id__in=ids).values()),
                    key=repr,
                ),
                "citations": sorted(
                    (
                        _natural(r, claims, citations)
                        for r in Citation.objects.filter(article=report.article_id).values()
                    ),
                    key=repr,
                ),
                "citation_history": sorted(
                    (
                        _natural(r, claims, citations)
                        for r in Citation.history.filter(article=report.article_id).values()
                    ),
                    key=repr,
                ),
                "search": sorted(claims[c.pk] for c in search_claims(Claim.objects.filter(pk__in=ids), "observatory")),
            }
            raise Rollback
    except Rollback:
        return read


def test_copy_path_writes_the_rows_and_history_the_orm_path_writes(editor, settings):
    load_reference_data()
    orm = _import_and_read(editor, use_copy=False, settings=settings)
    copied = _import_and_read(editor, use_copy=True, settings=settings)
    assert len(copied["claims"]) > 80 and len(copied["links"]) > 80
    assert copied["claims"][0]["search_document"] and copied["search"]  # the trigger filled the search vector
    assert len(copied["citations"]) == len(copied["citation_history"]) > 80
    for table in ("claims", "claim_history", "links", "link_history", "citations", "citation_history", "search"):
        assert copied[table] == orm[table], table
    history = copied["claim_history"][0]
    assert history["history_type"] == "+" and history["history_user_id"] == editor.pk
    assert history["history_change_reason"].startswith("imported from revision ")


def test_copy_sets_pks_from_the_sequence_and_later_inserts_do_not_collide(editor, settings):
    load_reference_data()
    report = article_import(text=SAMPLE_TEXT, actor=editor, suggest_relations=False)
    copied = list(Claim.objects.filter(article=report.article_id).values_list("pk", flat=True))
    settings.CLAIMS_IMPORT_COPY = False
    other = article_import(text=SAMPLE_TEXT.replace("Northwestern", "Northeastern"), actor=editor, title="Other",
                           suggest_relations=False)  # fmt: skip
    later = Claim.objects.filter(article=other.article_id).values_list("pk", flat=True)
    assert min(later) > max(copied)
    assert Claim.history.filter(id__in=copied).count() == len(copied)


def test_large_load_is_analyzed(editor):
    load_reference_data()
    report = article_import(text=SAMPLE_TEXT, actor=editor, suggest_relations=False)
    n = Claim.objects.filter(article=report.article_id).count()
    analysed = copy_writer.analyze_if_stale("default", {"claims_claim": n})
    assert "claims_claim" in analysed
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'claims_claim'::regclass")
        assert cursor.fetchone()[0] == Claim.objects.count() >= n  # the planner now knows the rows just written
    assert copy_writer.analyze_if_stale("default", {"claims_claim": 1}) == []


def _regrade_and_read(editor, lead, *, use_copy: bool, settings) -> dict:
    """Import the sample, regrade the source its claims are most attributed to, and read the rescored claims
    and their "~" history rows."""
    settings.CLAIMS_IMPORT_COPY = use_copy
    try:
        with transaction.atomic():
            report = article_import(text=SAMPLE_TEXT, actor=editor, suggest_relations=False)
            claims = {
                c.pk: (c.paragraph_index, c.sentence_index) for c in Claim.objects.filter(article=report.article_id)
            }
            source = Source.objects.get(
                pk=Claim.objects.filter(article=report.article_id, attributed_source__isnull=False)
                .values_list("attributed_source", flat=True)
                .first()
            )
            _, rescored = source_update(source=source, actor=lead, reason="regraded in the test", grade="E")
            order = ("paragraph_index", "sentence_index")
            read = {
                "rescored": rescored,
                "claims": [
                    _natural(r, claims, {}) for r in Claim.objects.filter(pk__in=claims).order_by(*order).values()
                ],
                "history": [
                    _natural(r, claims, {})
                    for r in Claim.history.filter(id__in=claims, history_type="~").order_by(*order).values()
                ],
            }
            raise Rollback
    except Rollback:
        return read


def test_rescoring_writes_the_rows_and_history_the_orm_path_writes(editor, lead, settings):
    load_reference_data()
    orm = _regrade_and_read(editor, lead, use_copy=False, settings=settings)
    copied = _regrade_and_read(editor, lead, use_copy=True, settings=settings)
    assert copied["rescored"] == orm["rescored"] == len(copied["history"]) > 0
    assert copied["claims"] == orm["claims"]
    assert copied["history"] == orm["history"]
    history = copied["history"][0]
    assert history["history_user_id"] == lead.pk and history["history_change_reason"].startswith(
        "confidence recomputed: source "
    )


def _estimated_claims() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'claims_claim'::regclass")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_load_that_rolled_back_does_not_stop_later_loads_being_analyzed(editor):
    """The rows a transaction wrote are counted until it commits; a rollback drops its on-commit callback, and
    the next import on the same connection must still get its ANALYZE (it did not: its counts went to the dead
    transaction's counter)."""
    load_reference_data()
    with pytest.raises(Rollback), transaction.atomic():
        article_import(text=SAMPLE_TEXT, actor=editor, suggest_relations=False)
        raise Rollback
    with connection.cursor() as cursor:
        cursor.execute("SELECT claims_analyze('claims_claim'::regclass)")  # the empty table: estimate 0
    assert _estimated_claims() == 0
    report = article_import(text=SAMPLE_TEXT, actor=editor, suggest_relations=False)
    assert _estimated_claims() == Claim.objects.filter(article=report.article_id).count() > 50
