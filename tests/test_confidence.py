"""The explainable confidence score: each factor alone, combined, and kept in step with its inputs."""

import pytest
from django.core.exceptions import PermissionDenied

from claims import confidence, services
from claims.confidence import BANDS, WEIGHTS, band, compute
from claims.models import Claim, ClaimCitation, ClaimRelation
from claims.services.confidence import _claims_for_scoring
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimCitationFactory,
    ClaimFactory,
    RelationFactory,
    RevisionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

# The sample article's real sentences (fixtures/articles/northwestern_syria_offensive.txt).
AIRPORT_SDF = (
    "In the afternoon, the SDF captured Aleppo International Airport and the towns of Nubbul and Al-Zahraa, "
    "following the withdrawal of pro-government forces."
)
AIRPORT_HTS = (
    "On 30 November, the HTS-led opposition reportedly took control of Aleppo airport after the local SDF troops "
    "opted to withdraw."
)
FREE_ARMY = (
    "Concurrently with the advance towards Damascus, HTS launched an offensive into Homs, while the Syrian Free Army "
    "advanced into the capital from the southeast."
)
IRGC = (
    "Iranian state media reported that Islamic Revolutionary Guard Corps (IRGC) Brigadier General Kioumars "
    "Pourhashemi, who served as a senior military advisor in Syria, was killed by rebels in Aleppo."
)


def cite(claim, *, grade="B", reliability="generally_reliable", party=False, info=6, stance="supports", source=True):
    src = SourceFactory(grade=grade, reliability=reliability, party_to_conflict=party) if source else None
    citation = CitationFactory(article=claim.article, source=src)
    return ClaimCitationFactory(claim=claim, citation=citation, info_grade=info, stance=stance)


def score(claim) -> confidence.Score:
    return compute(Claim.objects.get(pk=claim.pk))


def effects(s: confidence.Score) -> dict[str, str]:
    return {f["factor"]: f["effect"] for f in s.factors}


# --- bands ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [(0, "none"), (1, "low"), (39, "low"), (40, "medium"), (69, "medium"), (70, "high"), (100, "high")],
)
def test_band_boundaries(value, expected):
    assert band(value) == expected


def test_bands_cover_0_to_100_without_gaps():
    covered = [v for _, low, high in BANDS for v in range(low, high + 1)]
    assert covered == list(range(101))


# --- no evidence ---------------------------------------------------------------------------------------


def test_no_citation_is_no_evidence_not_a_middle_score():
    claim = ClaimFactory(text=AIRPORT_SDF)
    s = score(claim)
    assert s.value == 0 and s.band == "none"
    assert s.factors == [
        {"factor": "no evidence", "effect": "=0", "detail": "the claim cites nothing: no evidence, not a middle score"}
    ]


def test_unsaved_claim_scores_without_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        s = compute(Claim(text=AIRPORT_SDF, hedge_kind="reported", tags=["dubious"]))
    assert s.value == 0


def test_only_contradicting_citations_is_still_no_evidence():
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, stance="contradicts")
    s = score(claim)
    assert s.value == 0
    assert s.factors[0]["detail"].startswith("none of its citations supports it")


# --- one factor at a time ------------------------------------------------------------------------------


def test_one_citation_weight_is_source_grade_times_information_grade():
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, grade="B", info=6)
    s = score(claim)
    assert s.value == round(100 * WEIGHTS["source_grade"]["B"] * WEIGHTS["info_grade"][6]) == 45
    (factor,) = s.factors
    assert factor["factor"].startswith("supporting citation [")
    assert factor["effect"] == "+45"
    assert "grade B (0.75)" in factor["detail"] and "information grade 6 (×0.6)" in factor["detail"]


@pytest.mark.parametrize("grade,expected", [("A", 90), ("B", 75), ("C", 55), ("D", 35), ("E", 15), ("F", 30)])
def test_source_grade(grade, expected):
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, grade=grade, info=1)
    assert score(claim).value == expected


@pytest.mark.parametrize("info,expected", [(1, 75), (2, 64), (3, 49), (4, 30), (5, 11), (6, 45)])
def test_information_grade(info, expected):
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, grade="B", info=info)
    assert score(claim).value == expected


def test_citation_without_source_counts_as_grade_f():
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, source=False)
    s = score(claim)
    assert s.value == 18
    assert "no source recorded yet" in s.factors[0]["detail"]


def test_reliability_class_scales_the_weight():
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, grade="B", reliability="deprecated", info=1)
    s = score(claim)
    assert s.value == round(100 * 0.75 * WEIGHTS["reliability"]["deprecated"])
    assert "deprecated (×0.3)" in s.factors[0]["detail"]


def test_party_to_the_conflict_source_halves_a_citation():
    claim = ClaimFactory(text=IRGC)
    cite(claim, grade="B", party=True, info=1)
    s = score(claim)
    assert s.value == round(100 * 0.75 * WEIGHTS["party_source"])
    assert "party to the conflict" in s.factors[0]["detail"]


def test_supporting_citations_combine_as_one_minus_product():
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, grade="A", info=1)  # w = 0.9
    cite(claim, grade="B", info=2)  # w = 0.6375
    s = score(claim)
    assert s.value == round(100 * (1 - (1 - 0.9) * (1 - 0.6375))) == 96
    added = [int(f["effect"]) for f in s.factors if f["factor"].startswith("supporting")]
    assert added == [90, 6]  # strongest first; the points sum to the score
    assert sum(added) == s.value


def test_contradicting_citation_pulls_the_score_down():
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, grade="A", info=1)
    cite(claim, grade="B", info=6, stance="contradicts")  # C = 0.45
    s = score(claim)
    assert s.value == round(100 * 0.9 * (1 - 0.45)) == 50
    assert effects(s)["contradicting citations"] == "×0.55"


def test_mentions_neither_support_nor_contradict():
    claim = ClaimFactory(text=AIRPORT_SDF)
    cite(claim, grade="A", info=1)
    cite(claim, grade="E", info=5, stance="mentions")
    assert score(claim).value == 90


@pytest.mark.parametrize("kind", ["reported", "attributed", "alleged", "speculative", "disputed"])
def test_hedge_kind(kind):
    claim = ClaimFactory(text=AIRPORT_HTS, hedge_kind=kind, hedge_phrase="reportedly")
    cite(claim, grade="A", info=1)
    s = score(claim)
    assert s.value == round(90 * WEIGHTS["hedge"][kind])
    assert effects(s)["hedge"] == confidence._times(WEIGHTS["hedge"][kind])


def test_strongest_of_several_hedges_counts_once():
    claim = ClaimFactory(
        text=AIRPORT_HTS,
        hedge_kind="reported",
        hedges=[
            {"kind": "reported", "phrase": "reportedly", "attributed_to": "", "rule": "reportedly"},
            {"kind": "speculative", "phrase": "either", "attributed_to": "", "rule": "either-or"},
        ],
    )
    cite(claim, grade="A", info=1)
    s = score(claim)
    assert s.value == round(90 * WEIGHTS["hedge"]["speculative"])
    assert [f["factor"] for f in s.factors].count("hedge") == 1


def test_attribution_to_a_party_to_the_conflict():
    state_media = SourceFactory(name="Iranian state media", party_to_conflict=True, grade="F")
    claim = ClaimFactory(
        text=IRGC, hedge_kind="attributed", attributed_to="Iranian state media", attributed_source=state_media
    )
    cite(claim, grade="A", info=1)
    s = score(claim)
    assert s.value == round(90 * WEIGHTS["hedge"]["attributed"] * WEIGHTS["party_attribution"])
    assert effects(s)["attributed to a party to the conflict"] == "×0.6"


def test_attribution_to_a_neutral_source_costs_nothing_beyond_the_hedge():
    kyiv_post = SourceFactory(name="Kyiv Post", party_to_conflict=False)
    claim = ClaimFactory(text=FREE_ARMY, attributed_to="the Kyiv Post", attributed_source=kyiv_post)
    cite(claim, grade="A", info=1)
    assert "attributed to a party to the conflict" not in effects(score(claim))


@pytest.mark.parametrize("tag", sorted(WEIGHTS["tag"]))
def test_cleanup_tag(tag):
    claim = ClaimFactory(text=FREE_ARMY, tags=[tag])
    cite(claim, grade="A", info=1)
    s = score(claim)
    assert s.value == max(1, round(90 * WEIGHTS["tag"][tag]))
    assert f"tag: {tag.replace('_', ' ')}" in effects(s)


@pytest.mark.parametrize(
    "state,resolution,multiplier_a,multiplier_b",
    [
        ("suggested", "", 0.9, 0.9),
        ("confirmed", "", 0.7, 0.7),
        ("dismissed", "", 1.0, 1.0),
        ("resolved", "a_stands", 1.0, 0.3),
        ("resolved", "b_stands", 0.3, 1.0),
        ("resolved", "both_partly", 0.85, 0.85),
        ("resolved", "unresolved", 0.7, 0.7),
    ],
)
def test_conflicts(state, resolution, multiplier_a, multiplier_b):
    a = ClaimFactory(text=AIRPORT_SDF)
    b = ClaimFactory(text=AIRPORT_HTS, revision=a.revision)
    for claim in (a, b):
        cite(claim, grade="A", info=1)
    RelationFactory(claim_a=a, claim_b=b, state=state, resolution=resolution)
    assert score(a).value == round(90 * multiplier_a)
    assert score(b).value == round(90 * multiplier_b)


def test_duplicates_do_not_lower_the_score():
    a = ClaimFactory(text=AIRPORT_SDF)
    b = ClaimFactory(text=AIRPORT_SDF, revision=a.revision)
    cite(a, grade="A", info=1)
    RelationFactory(claim_a=a, claim_b=b, kind="duplicates", state="confirmed")
    assert score(a).value == 90


def test_factors_combined_on_the_airport_claim():
    """The sample's "HTS-led opposition reportedly took control of Aleppo airport" with everything at once."""
    other = ClaimFactory(text=AIRPORT_SDF)
    claim = ClaimFactory(
        text=AIRPORT_HTS, hedge_kind="reported", hedge_phrase="reportedly", tags=["dubious"], revision=other.revision
    )
    cite(claim, grade="B", info=2)  # w = 0.6375
    cite(claim, source=False)  # w = 0.18
    cite(claim, grade="C", info=3, stance="contradicts")  # C = 0.3575
    RelationFactory(claim_a=other, claim_b=claim, state="confirmed")
    s = score(claim)
    support = 1 - (1 - 0.6375) * (1 - 0.18)
    expected = support * (1 - 0.3575) * 0.85 * 0.5 * 0.7
    assert s.value == round(100 * expected) == 13
    assert [f["factor"] for f in s.factors][2:] == [
        "contradicting citations",
        "hedge",
        "tag: dubious",
        "confirmed conflict",
    ]
    assert all(set(f) == {"factor", "effect", "detail"} for f in s.factors)


def test_prefetched_claims_score_without_queries(django_assert_num_queries):
    revision = RevisionFactory()
    claims = [ClaimFactory(revision=revision, text=AIRPORT_SDF) for _ in range(3)]
    for claim in claims:
        cite(claim, grade="B", info=2)
    RelationFactory(claim_a=claims[0], claim_b=claims[1])
    loaded = list(_claims_for_scoring().filter(pk__in=[c.pk for c in claims]))
    with django_assert_num_queries(0):
        values = [compute(claim).value for claim in loaded]
    assert values == [round(63.75 * 0.9), round(63.75 * 0.9), 64]


# --- stored and recomputed with its inputs -------------------------------------------------------------


@pytest.fixture
def article_with_claim(editor):
    article = ArticleFactory()
    revision = RevisionFactory(article=article)
    claim = services.claim_create(
        article=article, revision=revision, text=AIRPORT_SDF, actor=editor, reason="test", event_date=None
    )
    return article, claim


def test_claim_created_without_citation_stores_no_evidence(article_with_claim):
    _, claim = article_with_claim
    claim.refresh_from_db()
    assert claim.confidence == 0
    assert claim.confidence_factors[0]["factor"] == "no evidence"


def test_adding_and_changing_a_citation_rescores_in_the_same_transaction(article_with_claim, editor):
    article, claim = article_with_claim
    reuters = SourceFactory(name="Reuters", grade="B")
    citation = CitationFactory(article=article, label="88", source=reuters)
    link = services.claim_citation_add(claim_id=claim.pk, citation=citation, actor=editor, reason="cited [88]")
    claim.refresh_from_db()
    assert claim.confidence == 45
    services.claim_citation_update(claim_citation=link, info_grade=1, actor=editor, reason="confirmed elsewhere")
    claim.refresh_from_db()
    assert claim.confidence == 75
    services.claim_citation_update(claim_citation=link, stance="contradicts", actor=editor, reason="it says otherwise")
    claim.refresh_from_db()
    assert claim.confidence == 0
    reasons = list(claim.history.values_list("history_change_reason", flat=True)[:3])
    assert reasons == ["it says otherwise", "confirmed elsewhere", "cited [88]"]


def test_hedge_and_tags_edits_rescore(article_with_claim, editor):
    article, claim = article_with_claim
    link_source = SourceFactory(grade="A")
    services.claim_citation_add(
        claim_id=claim.pk, citation=CitationFactory(article=article, source=link_source), actor=editor, reason="cite"
    )
    claim.refresh_from_db()
    services.claim_update(
        claim_id=claim.pk, seen_version=claim.version, hedge_kind="reported", tags=["dubious"], actor=editor,
        reason="hedged and flagged",
    )  # fmt: skip
    claim.refresh_from_db()
    assert claim.confidence == round(54 * 0.85 * 0.5)


def test_source_regrade_rescores_affected_claims_in_batches(lead, editor):
    article = ArticleFactory()
    revision = RevisionFactory(article=article)
    sohr = SourceFactory(name="Syrian Observatory for Human Rights", grade="F", reliability="unknown")
    citation = CitationFactory(article=article, label="54", source=sohr)
    claims = [ClaimFactory(revision=revision, text=f"{AIRPORT_SDF} ({i})") for i in range(7)]
    for claim in claims:
        ClaimCitation.objects.create(claim=claim, citation=citation, info_grade=6)
    unrelated = ClaimFactory(revision=revision, text=FREE_ARMY)
    services.claims_recompute_confidence(claim_ids=[c.pk for c in claims], actor=lead, reason="initial")
    assert {c.confidence for c in Claim.objects.filter(pk__in=[c.pk for c in claims])} == {18}

    source, rescored = services.source_update(source=sohr, grade="B", actor=lead, reason="RSN discussion")
    assert rescored == 7
    assert {c.confidence for c in Claim.objects.filter(pk__in=[c.pk for c in claims])} == {45}
    assert Claim.objects.get(pk=unrelated.pk).confidence == 0
    last = claims[0].history.first()
    assert last.history_change_reason == (
        "confidence recomputed: source Syrian Observatory for Human Rights regraded: RSN discussion"
    )
    assert last.history_user == lead

    # A reliability change reaches the same claims; an unchanged score writes nothing.
    _, rescored = services.source_update(source=sohr, reliability="deprecated", actor=lead, reason="deprecated")
    assert rescored == 7
    _, rescored = services.source_update(source=sohr, domain="syriahr.com", actor=lead, reason="domain")
    assert rescored == 0


def test_batch_rescoring_writes_only_changed_claims(lead, django_assert_max_num_queries):
    revision = RevisionFactory()
    claims = [ClaimFactory(revision=revision, text=AIRPORT_SDF) for _ in range(30)]
    ids = [c.pk for c in claims]
    assert services.claims_recompute_confidence(claim_ids=ids, actor=lead, reason="first scoring") == 30
    for claim in claims[:10]:
        cite(claim, grade="B", info=1)
    with django_assert_max_num_queries(30):  # 3 batches of 10: a handful of queries each, none per claim
        n = services.claims_recompute_confidence(claim_ids=ids, actor=lead, reason="test", batch_size=10)
    assert n == 10  # the other 20 still have no evidence: nothing to write
    assert services.claims_recompute_confidence(claim_ids=ids, actor=lead, reason="again") == 0


def test_relation_workflow_rescores_both_claims(editor, reviewer, lead):
    a = ClaimFactory(text=AIRPORT_SDF)
    b = ClaimFactory(text=AIRPORT_HTS, revision=a.revision)
    for claim in (a, b):
        cite(claim, grade="A", info=1)
    services.claims_recompute_confidence(claim_ids=[a.pk, b.pk], actor=lead, reason="initial")
    relation = services.relation_create(
        claim_a=a, claim_b=b, kind="conflicts", state="suggested", actor=editor, reason="looks contradictory"
    )
    assert Claim.objects.get(pk=a.pk).confidence == 81
    services.relation_confirm(relation=relation, actor=reviewer, note="they disagree on who took it")
    assert Claim.objects.get(pk=b.pk).confidence == 63
    services.relation_resolve(relation=relation, resolution="b_stands", note="SDF withdrew", actor=lead)
    assert Claim.objects.get(pk=a.pk).confidence == 27
    assert Claim.objects.get(pk=b.pk).confidence == 90


# --- reviewer override ---------------------------------------------------------------------------------


def test_override_needs_a_reason_and_history_keeps_both(reviewer, editor):
    claim = ClaimFactory(text=AIRPORT_HTS)
    cite(claim, grade="B", info=1)
    services.claims_recompute_confidence(claim_ids=[claim.pk], actor=editor, reason="initial")
    with pytest.raises(services.ServiceError):
        services.claim_override_confidence(claim=claim, value=20, actor=reviewer, reason=" ")
    claim = services.claim_override_confidence(claim=claim, value=20, actor=reviewer, reason="SDF denied it")
    claim.refresh_from_db()
    assert (claim.confidence, claim.confidence_override, claim.effective_confidence) == (75, 20, 20)
    latest = claim.history.first()
    assert (latest.confidence, latest.confidence_override, latest.history_change_reason) == (75, 20, "SDF denied it")
    # The computed score goes on following its inputs beneath the override.
    cite(claim, grade="B", info=1, stance="contradicts")
    services.claims_recompute_confidence(claim_ids=[claim.pk], actor=editor, reason="new citation")
    claim.refresh_from_db()
    assert (claim.confidence, claim.effective_confidence) == (19, 20)
    claim = services.claim_override_confidence(claim=claim, value=None, actor=reviewer, reason="back to computed")
    assert claim.effective_confidence == 19 and claim.confidence_override_reason == ""


def test_override_is_refused_without_permission(editor):
    claim = ClaimFactory(text=AIRPORT_HTS)
    with pytest.raises(PermissionDenied) as err:
        services.claim_override_confidence(claim=claim, value=50, actor=editor, reason="I think so")
    assert "may not override a claim's confidence: that takes the" in str(err.value)  # roles, not a codename


def test_weights_table_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "confidence.md").read_text()
    for grade, w in WEIGHTS["source_grade"].items():
        assert f"| {grade} | {w:.2f}" in doc
    assert ClaimRelation.State.SUGGESTED in doc


def test_override_on_a_stale_version_is_refused_and_writes_nothing(reviewer, editor):
    from claims import services
    from claims.models import Claim
    from tests.factories import ClaimFactory

    claim = ClaimFactory()
    seen = claim.version
    services.claim_update(claim_id=claim.pk, seen_version=seen, actor=editor, reason="typo", text="Edited text.")
    with pytest.raises(services.StaleClaim, match="changed since you opened it"):
        services.claim_override_confidence(claim=claim, value=80, actor=reviewer, reason="I checked", seen_version=seen)
    assert Claim.objects.get(pk=claim.pk).confidence_override is None
