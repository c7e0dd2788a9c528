"""The conflicts admin: list and page with both claims side by side, the workflow steps through the services with
a note, the claim page's relations and confidence panels, the band filter."""

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin.confidence import ConfidenceBandFilter
from claims.models import Claim, ClaimRelation
from tests.factories import CitationFactory, ClaimCitationFactory, ClaimFactory, RelationFactory, SourceFactory

pytestmark = pytest.mark.django_db

AIRPORT_SDF = (
    "In the afternoon, the SDF captured Aleppo International Airport and the towns of Nubbul and Al-Zahraa, "
    "following the withdrawal of pro-government forces."
)
AIRPORT_HTS = (
    "On 30 November, the HTS-led opposition reportedly took control of Aleppo airport after the local SDF troops "
    "opted to withdraw."
)
NOV30 = date(2024, 11, 30)


@pytest.fixture
def conflict(editor):
    sdf = ClaimFactory(text=AIRPORT_SDF, event_date=NOV30)
    hts = ClaimFactory(text=AIRPORT_HTS, event_date=NOV30, revision=sdf.revision, hedge_kind="reported")
    reuters = SourceFactory(name="Reuters", grade="B")
    ClaimCitationFactory(claim=sdf, citation=CitationFactory(article=sdf.article, label="88", source=reuters))
    ClaimCitationFactory(claim=hts, citation=CitationFactory(article=sdf.article, label="55"))
    report = services.relations_suggest(claims=[sdf.pk, hts.pk], actor=editor, reason="test detection")
    assert report.created == 1
    return ClaimRelation.objects.get()


def step_url(relation, step):
    return reverse("admin:claims_claimrelation_step", args=[relation.pk, step])


def test_conflicts_list_shows_both_claims_citations_sources_and_evidence(client, lead, conflict):
    client.force_login(lead)
    response = client.get(reverse("admin:claims_claimrelation_changelist") + "?state__exact=suggested")
    page = response.content.decode()
    assert response.status_code == 200
    assert "the SDF captured Aleppo International Airport" in page and "HTS-led opposition reportedly" in page
    assert "[88] Reuters (B)" in page and "[55]" in page
    assert "Same object, different actor" in page
    for params in ("?state__exact=confirmed", "?kind__exact=duplicates", "?detector__exact=date_mismatch"):
        assert (
            "Same object, different actor"
            not in client.get(reverse("admin:claims_claimrelation_changelist") + params).content.decode()
        )


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("admin:claims_claimrelation_changelist")).status_code == 200
    return len(ctx.captured_queries)


def test_conflicts_list_query_count_is_fixed(client, lead):
    client.force_login(lead)

    def make(n):
        for _ in range(n):
            rel = RelationFactory(evidence="test")
            for claim in (rel.claim_a, rel.claim_b):
                ClaimCitationFactory(
                    claim=claim, citation=CitationFactory(article=claim.article, source=SourceFactory())
                )

    make(3)
    at_3 = _list_queries(client)
    make(20)
    assert _list_queries(client) == at_3


def test_relation_page_side_by_side_with_the_steps_a_reviewer_may_take(client, reviewer, conflict):
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claimrelation_change", args=[conflict.pk])).content.decode()
    assert 'id="relation-claim-a"' in page and 'id="relation-claim-b"' in page
    assert "Reuters (B, generally reliable)" in page
    assert 'id="confirm-form"' in page and 'id="dismiss-form"' in page
    assert 'id="resolve-form"' not in page  # only a Lead resolves, and only once confirmed


def test_confirm_then_resolve_from_the_admin(client, reviewer, lead, conflict):
    client.force_login(reviewer)
    response = client.post(step_url(conflict, "confirm"), {"note": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.state == "suggested"

    response = client.post(step_url(conflict, "confirm"), {"note": "they cannot both have taken it that afternoon"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.state == "confirmed"

    # A reviewer may not resolve: the service refuses and nothing changes.
    client.post(step_url(conflict, "resolve"), {"resolution": "b_stands", "note": "I think HTS"}, follow=True)
    conflict.refresh_from_db()
    assert conflict.state == "confirmed"

    client.force_login(lead)
    page = client.get(reverse("admin:claims_claimrelation_change", args=[conflict.pk])).content.decode()
    assert 'id="resolve-form"' in page
    response = client.post(
        step_url(conflict, "resolve"), {"resolution": "both_partly", "note": "SDF took it, withdrew; HTS took it"}
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert (conflict.state, conflict.resolution, conflict.resolved_by) == ("resolved", "both_partly", lead)
    assert (
        conflict.history.first().history_change_reason == "resolved (both partly): SDF took it, withdrew; HTS took it"
    )


def test_bulk_dismiss_asks_for_a_note_first(client, reviewer, conflict):
    client.force_login(reviewer)
    url = reverse("admin:claims_claimrelation_changelist")
    data = {"action": "dismiss_selected", "_selected_action": [conflict.pk]}
    response = client.post(url, data)
    assert response.status_code == 200 and 'id="step-form"' in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.state == "suggested"
    response = client.post(url, {**data, "apply": "1", "note": "the SDF withdrew before HTS arrived"}, follow=True)
    conflict.refresh_from_db()
    assert conflict.state == "dismissed"
    assert "1 relation(s) dismissed" in response.content.decode()


def test_add_a_relation_by_hand_and_through_the_add_page(client, editor, reviewer):
    a = ClaimFactory(text=AIRPORT_SDF)
    b = ClaimFactory(text=AIRPORT_HTS, revision=a.revision)
    url = reverse("admin:claims_claimrelation_add_for", args=[a.pk])
    client.force_login(reviewer)
    client.post(url, {"other": b.pk, "kind": "conflicts", "note": "who took it?"})
    assert not ClaimRelation.objects.exists()  # reviewers confirm; editors and leads add
    client.force_login(editor)
    response = client.post(url, {"other": b.pk, "kind": "conflicts", "note": "who took it?"})
    assert response.status_code == 302 and response["Location"].endswith("#claim-relations")
    relation = ClaimRelation.objects.get()
    # An editor may not confirm (issue #15): the relation waits for a reviewer as a suggestion.
    assert (relation.detector, relation.state, relation.evidence) == ("manual", "suggested", "who took it?")
    assert relation.history.first().history_user == editor
    # The same pair again is refused with a message, not an error page.
    response = client.post(url, {"other": b.pk, "kind": "duplicates", "note": "again"}, follow=True)
    assert "already related" in response.content.decode()


def test_add_page_creates_through_the_service(client, lead):
    a = ClaimFactory(text=AIRPORT_SDF)
    b = ClaimFactory(text=AIRPORT_HTS, revision=a.revision)
    client.force_login(lead)
    response = client.post(
        reverse("admin:claims_claimrelation_add"),
        {"claim_a": b.pk, "claim_b": a.pk, "kind": "conflicts", "evidence": "who?", "change_reason": "manual"},
    )
    assert response.status_code == 302
    relation = ClaimRelation.objects.get()
    assert relation.claim_a_id < relation.claim_b_id and relation.created_by == lead
    assert relation.history.first().history_change_reason == "manual"


def test_override_confidence_from_the_claim_page(client, reviewer, editor):
    claim = ClaimFactory(text=AIRPORT_HTS)
    url = reverse("admin:claims_claim_override_confidence", args=[claim.pk])
    client.force_login(reviewer)
    client.post(url, {"value": "30", "reason": ""})
    claim.refresh_from_db()
    assert claim.confidence_override is None
    client.post(url, {"value": "30", "reason": "SDF statement contradicts it"})
    claim.refresh_from_db()
    assert (claim.confidence_override, claim.confidence_override_reason) == (30, "SDF statement contradicts it")
    client.force_login(editor)
    client.post(url, {"value": "90", "reason": "editors may not"})
    claim.refresh_from_db()
    assert claim.confidence_override == 30


def test_claim_page_shows_relations_and_confidence_with_factors(client, reviewer, conflict):
    claim = Claim.objects.get(text=AIRPORT_SDF)
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'id="claim-relations"' in page and "Same object, different actor" in page
    assert 'id="confidence-panel"' in page and "supporting citation [88]" in page and "suggested conflict" in page
    assert 'id="override-form"' in page
    assert 'id="add-relation-form"' not in page  # a reviewer does not add relations


def test_confidence_band_filter():
    revision = ClaimFactory().revision
    scores = {0: None, 12: None, 55: None, 80: None, 20: 75}  # computed → override
    for value, override in scores.items():
        ClaimFactory(revision=revision, confidence=value, confidence_override=override)
    request = RequestFactory().get("/")

    def filtered(name):
        flt = ConfidenceBandFilter(request, {"band": [name]}, Claim, site._registry[Claim])
        return sorted(c.effective_confidence for c in flt.queryset(request, Claim.objects.filter(revision=revision)))

    assert filtered("none") == [0, 0]  # the first factory claim has confidence 0 too
    assert filtered("low") == [12]
    assert filtered("medium") == [55]
    assert filtered("high") == [75, 80]
    assert [v for v, _ in ConfidenceBandFilter(request, {}, Claim, site._registry[Claim]).lookup_choices] == [
        "none",
        "low",
        "medium",
        "high",
    ]


def test_a_claim_cell_lists_its_citations_escaped_as_format_html_join_did(client, lead):
    """The cell is built piece by piece for speed (a claim cited 60 times); it must read as it did."""
    from django.utils.html import format_html_join

    from claims.admin.relations import _claim_cell

    claim = ClaimFactory(text="A <claim> & more.")
    ClaimCitationFactory(claim=claim, citation__label='1"<b>', citation__source=SourceFactory(name="A & <B>"))
    ClaimCitationFactory(claim=claim, citation__label="2&", citation__source=None)
    links = claim.claim_citations.select_related("citation__source").order_by("position", "pk")
    expected = format_html_join(
        ", ", "[{}]{}",
        ((link.citation.label,
          f" {link.citation.source.name} ({link.citation.source.grade})" if link.citation.source else "")
         for link in links),
    )  # fmt: skip
    claim = Claim.objects.prefetch_related("claim_citations__citation__source").get(pk=claim.pk)
    cell = _claim_cell(claim)
    assert f"<small>cites: {expected}</small>" in cell
    assert f'<a href="{reverse("admin:claims_claim_change", args=[claim.pk])}">#{claim.pk}</a>' in cell
