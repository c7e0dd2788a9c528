"""Issue #12 in the services: what "verified" needs, conflicts that reach decided claims, what a decision
freezes, and four-eyes against every contributor. Every refusal writes nothing."""

import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from claims import services, workflow
from claims.models import Claim, ClaimCitation, ClaimRelation, ClaimStatus, Review
from tests.factories import ClaimCitationFactory, ClaimFactory, RelationFactory, UserFactory

pytestmark = pytest.mark.django_db

S = ClaimStatus
R = ClaimRelation


def in_review(*, cited: bool = True, stance: str = "supports", **fields) -> Claim:
    claim = ClaimFactory(status=S.IN_REVIEW, **fields)
    if cited:
        ClaimCitationFactory(claim=claim, stance=stance)
    return claim


def snapshot(claim: Claim) -> tuple:
    return (
        Claim.objects.values().get(pk=claim.pk),
        Review.objects.filter(claim=claim).count(),
        claim.history.count(),
        list(ClaimCitation.objects.filter(claim=claim).values()),
    )


def verify(claim, actor, *, override: str = "", note: str = "checked the sources"):
    claim.refresh_from_db()
    return services.claim_decide(
        claim_id=claim.pk, status=S.VERIFIED, note=note, seen_version=claim.version, actor=actor,
        override_reason=override,
    )  # fmt: skip


# ---- 1. verified needs evidence, or an override reason --------------------------------------------------------


def test_the_table_marks_verification_as_needing_evidence():
    assert workflow.TRANSITIONS[(S.IN_REVIEW, S.VERIFIED)].needs_evidence
    for other in (S.DISPUTED, S.REFUTED, S.UNVERIFIABLE):
        assert not workflow.TRANSITIONS[(S.IN_REVIEW, other)].needs_evidence


@pytest.mark.parametrize("cited, stance", [(False, "supports"), (True, "contradicts"), (True, "mentions")])
def test_verified_without_a_supporting_citation_is_refused(reviewer, cited, stance):
    claim = in_review(cited=cited, stance=stance)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match=rf"claim #{claim.pk} cannot be verified: no citation supports it"):
        verify(claim, reviewer)
    assert snapshot(claim) == before


@pytest.mark.parametrize(
    "state, resolution, phrase",
    [
        (R.State.SUGGESTED, "", "open conflict with claim #{other} \\(suggested"),
        (R.State.CONFIRMED, "", "open conflict with claim #{other} \\(confirmed"),
        (R.State.RESOLVED, R.Resolution.UNRESOLVED, "conflict with claim #{other} was left unresolved"),
        (R.State.RESOLVED, "lost", "conflict with claim #{other} was resolved against it"),
    ],
)
def test_verified_with_an_open_or_lost_conflict_is_refused(reviewer, state, resolution, phrase):
    claim = in_review()
    other = ClaimFactory(revision=claim.revision)
    a, b = sorted((claim, other), key=lambda c: c.pk)
    if resolution == "lost":
        resolution = R.Resolution.A_STANDS if other is a else R.Resolution.B_STANDS
    relation = RelationFactory(claim_a=a, claim_b=b, state=state, resolution=resolution)
    before = snapshot(claim)
    with pytest.raises(ValidationError, match=phrase.format(other=other.pk)) as err:
        verify(claim, reviewer)
    assert f"relation #{relation.pk}" in str(err.value)
    assert snapshot(claim) == before


@pytest.mark.parametrize(
    "state, resolution",
    [(R.State.DISMISSED, ""), (R.State.RESOLVED, R.Resolution.BOTH_PARTLY), (R.State.RESOLVED, "won")],
)
def test_a_settled_conflict_does_not_stand_in_the_way(reviewer, state, resolution):
    claim = in_review()
    other = ClaimFactory(revision=claim.revision)
    a, b = sorted((claim, other), key=lambda c: c.pk)
    if resolution == "won":
        resolution = R.Resolution.A_STANDS if claim is a else R.Resolution.B_STANDS
    RelationFactory(claim_a=a, claim_b=b, state=state, resolution=resolution)
    assert verify(claim, reviewer).status == S.VERIFIED
    assert Review.objects.get(claim=claim).override_reason == ""


def test_an_override_reason_verifies_anyway_and_is_kept_on_the_review(reviewer):
    claim = in_review(cited=False)
    RelationFactory(claim_a=claim, claim_b=ClaimFactory(revision=claim.revision), state=R.State.SUGGESTED)
    verify(claim, reviewer, override="  the ministry's own statement, read on its site today  ")
    claim.refresh_from_db()
    review = Review.objects.get(claim=claim)
    assert claim.status == S.VERIFIED
    assert review.override_reason == "the ministry's own statement, read on its site today"


def test_an_override_is_not_recorded_when_the_rule_was_met(reviewer):
    claim = in_review()
    verify(claim, reviewer, override="just in case")
    assert Review.objects.get(claim=claim).override_reason == ""


@pytest.mark.parametrize("status", [S.DISPUTED, S.REFUTED, S.UNVERIFIABLE])
def test_other_decisions_need_no_evidence(reviewer, status):
    claim = in_review(cited=False)
    RelationFactory(claim_a=claim, claim_b=ClaimFactory(revision=claim.revision), state=R.State.CONFIRMED)
    services.claim_decide(claim_id=claim.pk, status=status, note="n", seen_version=claim.version, actor=reviewer)
    assert Claim.objects.get(pk=claim.pk).status == status


def test_bulk_decide_refuses_unsupported_claims_and_takes_an_override(reviewer):
    supported, bare = in_review(), in_review(cited=False)
    result = services.claims_decide(claim_ids=[supported.pk, bare.pk], status=S.VERIFIED, note="n", actor=reviewer)
    assert result.done == [supported.pk]
    assert "no citation supports it" in result.refused[bare.pk]
    result = services.claims_decide(
        claim_ids=[bare.pk], status=S.VERIFIED, note="n", actor=reviewer, override_reason="seen on the video"
    )
    assert result.done == [bare.pk]
    assert Review.objects.get(claim=bare).override_reason == "seen on the video"


def test_exports_show_the_override_reason(reviewer):
    claim = in_review(cited=False)
    verify(claim, reviewer, override="confirmed by phone with the mayor")
    out = io.StringIO()
    call_command("export_claims", "--format", "csv", stdout=out, stderr=io.StringIO())
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["decision_override"] == "confirmed by phone with the mayor"
    out = io.StringIO()
    call_command("export_claims", "--format", "jsonl", stdout=out, stderr=io.StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    (record,) = [line for line in lines if line.get("id") == claim.pk]
    assert record["last_decision"]["override_reason"] == "confirmed by phone with the mayor"
    out = io.StringIO()
    call_command("export_claims", "--format", "markdown", stdout=out, stderr=io.StringIO())
    assert "verified by override: confirmed by phone with the mayor" in out.getvalue()


# ---- 2. a conflict resolved against a decided claim reopens it -------------------------------------------------


@pytest.fixture
def conflict(reviewer, lead):
    """Two verified claims in a confirmed conflict (confirmed after both were decided)."""
    a, b = in_review(), in_review()
    verify(a, reviewer)
    verify(b, reviewer)
    relation = RelationFactory(claim_a=a, claim_b=b, state=R.State.CONFIRMED)
    return relation, Claim.objects.get(pk=a.pk), Claim.objects.get(pk=b.pk)


def test_resolving_against_a_verified_claim_reopens_it_and_logs_the_relation(conflict, lead):
    relation, a, b = conflict
    services.relation_resolve(relation=relation, resolution=R.Resolution.A_STANDS, note="SOHR and AP agree", actor=lead)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == S.VERIFIED  # the claim that stands keeps its decision
    assert (b.status, b.decided_at) == (S.IN_REVIEW, None)
    review = Review.objects.filter(claim=b).latest("created_at", "pk")
    assert (review.from_status, review.to_status, review.reviewer) == (S.VERIFIED, S.IN_REVIEW, lead)
    assert f"relation #{relation.pk}" in review.note and f"claim #{a.pk} stands" in review.note
    assert "SOHR and AP agree" in review.note
    lost = [f for f in b.confidence_factors if f["factor"] == "conflict resolved against it"]
    assert lost and f"relation #{relation.pk}" in lost[0]["detail"]
    assert b in workflow_reopened()


def workflow_reopened():
    from claims import selectors

    return list(selectors.reopened_claims())


def test_a_lost_conflict_shows_in_the_factors_even_without_evidence(lead):
    a, b = ClaimFactory(), ClaimFactory()
    relation = RelationFactory(claim_a=a, claim_b=b, state=R.State.CONFIRMED)
    services.relation_resolve(relation=relation, resolution=R.Resolution.A_STANDS, note="n", actor=lead)
    b.refresh_from_db()
    assert b.confidence == 0
    assert [f["factor"] for f in b.confidence_factors] == ["no evidence", "conflict resolved against it"]


def test_a_refuted_claim_that_loses_stays_refuted(reviewer, lead):
    a, b = in_review(), in_review()
    verify(a, reviewer)
    services.claim_decide(claim_id=b.pk, status=S.REFUTED, note="n", seen_version=b.version, actor=reviewer)
    relation = RelationFactory(claim_a=a, claim_b=b, state=R.State.CONFIRMED)
    services.relation_resolve(relation=relation, resolution=R.Resolution.A_STANDS, note="n", actor=lead)
    assert Claim.objects.get(pk=b.pk).status == S.REFUTED
    assert Review.objects.filter(claim=b).count() == 1


def test_both_partly_reopens_nobody(conflict, lead):
    relation, a, b = conflict
    services.relation_resolve(relation=relation, resolution=R.Resolution.BOTH_PARTLY, note="n", actor=lead)
    assert set(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {S.VERIFIED}


def test_the_reopened_claim_cannot_be_verified_again_without_an_override(conflict, lead, reviewer2):
    relation, a, b = conflict
    services.relation_resolve(relation=relation, resolution=R.Resolution.A_STANDS, note="n", actor=lead)
    with pytest.raises(ValidationError, match="resolved against it"):
        verify(b, reviewer2)
    assert verify(b, reviewer2, override="the other claim is about another airport").status == S.VERIFIED


# ---- 3. a decision freezes everything the reviewer judged -----------------------------------------------------


@pytest.fixture
def decided(reviewer):
    claim = in_review(hedge_kind="reported", hedge_phrase="reportedly", tags=["dubious"])
    return verify(claim, reviewer)


@pytest.mark.parametrize(
    "changes",
    [
        {"hedge_kind": ""},
        {"hedge_phrase": "allegedly"},
        {"hedges": [{"kind": "alleged", "phrase": "allegedly", "attributed_to": []}]},
        {"tags": []},
        {"event_date": "2024-11-27"},
        {"event_date_precision": "month"},
        {"attributed_to": "SANA"},
    ],
)
def test_what_the_reviewer_judged_is_frozen(decided, lead, changes):
    before = snapshot(decided)
    with pytest.raises(services.FrozenClaim, match="cannot change until a Lead reopens it"):
        services.claim_update(claim_id=decided.pk, seen_version=decided.version, actor=lead, reason="x", **changes)
    assert snapshot(decided) == before


def test_reopen_unfreezes_what_the_reviewer_judged(decided, lead):
    claim = services.claim_reopen(
        claim_id=decided.pk, note="the tag was removed", seen_version=decided.version, actor=lead
    )
    claim = services.claim_update(claim_id=claim.pk, seen_version=claim.version, actor=lead, reason="x", tags=[])
    assert claim.tags == []


# ---- 4. four-eyes against every contributor since creation or the last decision ------------------------------


def test_a_lead_who_rewrote_the_text_may_not_decide_after_someone_else_edits_a_citation(lead, editor, reviewer):
    claim = in_review()
    claim = services.claim_update(
        claim_id=claim.pk, seen_version=claim.version, actor=lead, reason="clearer", text="Reworded claim."
    )
    link = claim.claim_citations.get()
    services.claim_citation_update(claim_citation=link, actor=editor, reason="graded", info_grade=2)
    claim.refresh_from_db()
    assert claim.last_edited_by == editor
    before = snapshot(claim)
    with pytest.raises(PermissionDenied, match="four-eyes rule: Lena Lead wrote the text or citations"):
        verify(claim, lead)
    assert snapshot(claim) == before
    with pytest.raises(ValidationError, match="four-eyes rule: Lena Lead"):
        services.claim_assign(claim_id=claim.pk, assignee=lead, actor=lead)
    assert verify(claim, reviewer).status == S.VERIFIED  # somebody who wrote nothing may


def test_whoever_completed_a_cited_reference_may_not_decide(lead, reviewer):
    claim = in_review()
    citation = claim.claim_citations.get().citation
    services.citation_update(citation=citation, actor=lead, reason="found it", url="https://example.org/a")
    claim.refresh_from_db()
    assert lead.pk in workflow.contributors(claim)
    with pytest.raises(PermissionDenied, match="four-eyes rule"):
        verify(claim, lead)


def test_a_contributor_may_not_start_a_review(lead, editor):
    claim = ClaimFactory(status=S.UNREVIEWED)
    ClaimCitationFactory(claim=claim)
    services.claim_update(claim_id=claim.pk, seen_version=claim.version, actor=lead, reason="x", text="New words.")
    link = claim.claim_citations.get()
    services.claim_citation_update(claim_citation=link, actor=editor, reason="graded", info_grade=3)
    claim.refresh_from_db()
    with pytest.raises(PermissionDenied, match="four-eyes rule: Lena Lead"):
        services.claim_start_review(claim_id=claim.pk, actor=lead, seen_version=claim.version)


def test_take_next_skips_claims_the_reviewer_contributed_to(lead, editor):
    written = ClaimFactory(status=S.UNREVIEWED, priority=10)
    ClaimCitationFactory(claim=written)
    services.claim_update(claim_id=written.pk, seen_version=written.version, actor=lead, reason="x", text="Mine.")
    written.refresh_from_db()
    services.claim_citation_update(
        claim_citation=written.claim_citations.get(), actor=editor, reason="graded", info_grade=2
    )
    fine = ClaimFactory(status=S.UNREVIEWED)
    ClaimCitationFactory(claim=fine)
    assert services.claim_take_next(actor=lead).pk == fine.pk
    assert services.claim_take_next(actor=lead) is None


def test_contributions_before_the_last_decision_no_longer_count(reviewer, lead, editor):
    writer = UserFactory(username="lead2", role="Lead")
    claim = in_review()
    services.claim_update(claim_id=claim.pk, seen_version=claim.version, actor=writer, reason="x", text="Words.")
    claim.refresh_from_db()
    link = claim.claim_citations.get()
    services.claim_citation_update(claim_citation=link, actor=editor, reason="graded", info_grade=2)
    assert writer.pk in workflow.contributors(Claim.objects.get(pk=claim.pk))
    verify(claim, reviewer)
    claim.refresh_from_db()
    claim = services.claim_reopen(claim_id=claim.pk, note="look again", seen_version=claim.version, actor=lead)
    assert writer.pk not in workflow.contributors(claim)
    assert editor.pk in workflow.contributors(claim)  # still its last editor: the plain rule keeps holding


# ---- 6. take next holds back a reviewer who already holds several ---------------------------------------------


def test_take_next_refuses_a_reviewer_who_holds_the_limit(reviewer, settings):
    settings.CLAIMS_MAX_HELD = 2
    for _ in range(3):
        ClaimCitationFactory(claim=ClaimFactory(status=S.UNREVIEWED))
    services.claim_take_next(actor=reviewer)
    services.claim_take_next(actor=reviewer)
    with pytest.raises(ValidationError, match="you already hold 2 claims in review"):
        services.claim_take_next(actor=reviewer)
    assert Claim.objects.filter(assigned_to=reviewer).count() == 2


# ---- 13. refusals in words a person uses ---------------------------------------------------------------------


def test_refusals_name_no_state_machine_or_permission_codes(reviewer, editor):
    claim = in_review()
    claim = verify(claim, reviewer)
    with pytest.raises(PermissionDenied) as err:
        services.claim_start_review(claim_id=claim.pk, actor=reviewer, seen_version=claim.version)
    assert str(err.value) == f"claim #{claim.pk} is verified, so it cannot go into review now; a Lead may reopen it"
    with pytest.raises(PermissionDenied) as err:
        services.claim_reopen(claim_id=claim.pk, note="n", seen_version=claim.version, actor=editor)
    assert "takes the Lead role" in str(err.value)
    assert "claims." not in str(err.value) and "_claim" not in str(err.value)


# ---- 10. an edited text is judged again -------------------------------------------------------------------------


def test_editing_a_claims_text_runs_the_detectors_for_it(editor):
    from datetime import date

    from tests.test_conflicts import AIRPORT_HTS, AIRPORT_SDF

    sdf = ClaimFactory(text=AIRPORT_SDF, event_date=date(2024, 11, 30))
    other = ClaimFactory(text="Rebels entered the city.", event_date=date(2024, 11, 30), revision=sdf.revision)
    assert not ClaimRelation.objects.exists()
    services.claim_update(claim_id=other.pk, seen_version=other.version, actor=editor, reason="fix", text=AIRPORT_HTS)
    relation = ClaimRelation.objects.get()
    assert {relation.claim_a_id, relation.claim_b_id} == {sdf.pk, other.pk}
    assert relation.state == R.State.SUGGESTED
    assert Claim.objects.get(pk=other.pk).priority >= workflow.PRIORITY_WEIGHTS["open_conflict"]


def test_an_edited_text_marks_the_anchor_changed(editor):
    claim = ClaimFactory(text="Rebels entered the city.")
    assert claim.anchor_state == Claim.AnchorState.ANCHORED
    services.claim_update(
        claim_id=claim.pk, seen_version=claim.version, actor=editor, reason="fix", text="Rebels held it."
    )
    assert Claim.objects.get(pk=claim.pk).anchor_state == Claim.AnchorState.CHANGED
    assert Claim.objects.filter(anchor_state="changed").count() == 1  # what the list filter shows


def test_an_edited_claims_open_suggestion_is_rewritten_for_its_new_words(editor):
    from datetime import date

    from tests.test_conflicts import AIRPORT_HTS, AIRPORT_SDF

    sdf = ClaimFactory(text=AIRPORT_SDF, event_date=date(2024, 11, 30))
    other = ClaimFactory(text="Rebels entered the airport.", event_date=date(2024, 11, 30), revision=sdf.revision)
    a, b = sorted((sdf, other), key=lambda c: c.pk)
    old = RelationFactory(
        claim_a=a, claim_b=b, detector=R.Detector.NUMBER_MISMATCH, evidence="quotes “Rebels entered the airport.”"
    )
    services.claim_update(claim_id=other.pk, seen_version=other.version, actor=editor, reason="fix", text=AIRPORT_HTS)
    relation = ClaimRelation.objects.get()  # the same row, not a second suggestion for the pair
    assert relation.pk == old.pk and relation.state == R.State.SUGGESTED
    assert "Rebels entered the airport." not in relation.evidence
    assert relation.detector != R.Detector.NUMBER_MISMATCH
    assert relation.history.first().history_change_reason.startswith("evidence refreshed")


def test_an_edited_claims_suggestion_its_new_words_no_longer_support_is_withdrawn(editor, reviewer):
    first = ClaimFactory(text="Rebels took the airport on 30 November.")
    second = ClaimFactory(text="Rebels took the airport on 1 December.", revision=first.revision)
    third = ClaimFactory(text="The army left the airport on 1 December.", revision=first.revision)
    stale = RelationFactory(claim_a=first, claim_b=second, detector=R.Detector.DATE_MISMATCH, evidence="old words")
    judged = RelationFactory(
        claim_a=first, claim_b=third, detector=R.Detector.DATE_MISMATCH, evidence="old words", state=R.State.CONFIRMED
    )
    services.claim_update(
        claim_id=first.pk, seen_version=first.version, actor=editor, reason="fix", text="The museum opened in 1990."
    )
    assert not ClaimRelation.objects.filter(pk=stale.pk).exists()
    gone = ClaimRelation.history.filter(id=stale.pk, history_type="-").get()
    assert gone.history_user == editor and "no longer support" in gone.history_change_reason
    # A relation someone confirmed is a person's judgement: the detectors do not take it back.
    assert ClaimRelation.objects.get(pk=judged.pk).evidence == "old words"
