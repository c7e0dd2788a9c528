"""Issue #12's main flows in Chromium: a conflict resolved against a verified claim reopens it, decide and take
next, a stale decision keeps the typed note, and no admin page scrolls sideways at 1440 px."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims import services
from claims.models import Claim, ClaimRelation, ClaimStatus, Review
from claims.services.importing import article_import
from tests.e2e.sessions import signed_in
from tests.factories import ClaimCitationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "northwestern_syria_offensive.txt"
S = ClaimStatus


@pytest.fixture
def people(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return {
        "editor": UserFactory(username="editor", role="Editor", first_name="Eddie", last_name="Editor"),
        "reviewer": UserFactory(username="reviewer", role="Reviewer", first_name="Rita", last_name="Reviewer"),
        "reviewer2": UserFactory(username="reviewer2", role="Reviewer"),
        "lead": UserFactory(username="lead", role="Lead", first_name="Lena", last_name="Lead"),
    }


@pytest.fixture
def sample(people):
    return article_import(text=SAMPLE.read_text(encoding="utf-8"), actor=people["editor"])


def cited_in_review(claim: Claim, reviewer) -> Claim:
    if not claim.claim_citations.filter(stance="supports").exists():
        ClaimCitationFactory(claim=claim)
        claim.refresh_from_db()
    return services.claim_start_review(claim_id=claim.pk, actor=reviewer)


def verified(claim: Claim, reviewer) -> Claim:
    """Verified on a supporting citation; an override covers a conflict the detectors suggested at import."""
    claim = cited_in_review(claim, reviewer)
    return services.claim_decide(
        claim_id=claim.pk, status=S.VERIFIED, note="checked", seen_version=claim.version, actor=reviewer,
        override_reason="checked the conflict: it does not hold",
    )  # fmt: skip


def test_a_lead_resolves_a_conflict_against_a_verified_claim_and_it_reopens(browser, live_server, people, sample):
    relation = ClaimRelation.objects.filter(kind="conflicts").order_by("pk").first()
    assert relation is not None, "the sample's detectors suggest at least the airport pair"
    services.relation_confirm(relation=relation, actor=people["reviewer2"], note="same airport, two captors")
    loser = verified(relation.claim_b, people["reviewer"])
    page = signed_in(browser, live_server, "lead")
    page.goto("/admin/")
    expect(page.locator("#claim-dashboard")).to_contain_text("Conflicts to resolve")
    page.goto(f"/admin/claims/claimrelation/{relation.pk}/change/")
    expect(page.locator(f"#relation-{relation.pk}")).to_contain_text("same airport, two captors")
    expect(page.locator("#resolve-form input[name=resolution]:checked")).to_have_count(0)
    page.check("#resolve-form input[name=resolution][value=a_stands]")
    page.fill("#resolve-note", "AP and Reuters both name the first captor")
    page.click("#resolve")
    expect(page.locator("ul.messagelist")).to_contain_text(f"Relation #{relation.pk} resolved.")
    loser.refresh_from_db()
    assert loser.status == S.IN_REVIEW
    page.goto(f"/admin/claims/claim/{loser.pk}/change/")
    expect(page.locator("#claim-status")).to_have_text("in review")
    expect(page.locator("#review-log")).to_contain_text(f"conflict relation #{relation.pk}")
    expect(page.locator("#confidence-panel, #review-panel").first).to_contain_text("conflict resolved against it")


def test_decide_and_take_next(browser, live_server, people, sample):
    reviewer = people["reviewer"]
    first = cited_in_review(Claim.objects.order_by("pk").first(), reviewer)
    page = signed_in(browser, live_server, "reviewer")
    page.goto(f"/admin/claims/claim/{first.pk}/change/")
    page.check("#decide-form input[name=status][value=disputed]")
    page.fill("#decide-form textarea[name=note]", "Two sources disagree on the date.")
    page.click("#decide-next")
    expect(page.locator("ul.messagelist")).to_contain_text("is yours to review")
    next_id = int(re.search(r"/claim/(\d+)/change/", page.url).group(1))
    assert next_id != first.pk
    assert Claim.objects.get(pk=first.pk).status == S.DISPUTED
    assert Claim.objects.get(pk=next_id).assigned_to == reviewer


def test_a_stale_decision_keeps_the_typed_note(browser, live_server, people, sample):
    claim = cited_in_review(Claim.objects.order_by("pk").first(), people["reviewer"])
    services.claim_assign(claim_id=claim.pk, assignee=None, actor=people["lead"])
    page = signed_in(browser, live_server, "reviewer")
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    # Meanwhile another reviewer decides it.
    claim.refresh_from_db()
    services.claim_decide(
        claim_id=claim.pk, status=S.REFUTED, note="first", seen_version=claim.version, actor=people["reviewer2"]
    )
    typed = "A long note I spent ten minutes on, with the three sources I checked."
    page.check("#decide-form input[name=status][value=verified]")
    page.fill("#decide-form textarea[name=note]", typed)
    page.click("#decide")
    message = page.locator("ul.messagelist")
    expect(message).to_contain_text("changed since you opened it")
    expect(message).not_to_contain_text("try again")
    expect(page.locator("#kept-note-text")).to_have_value(typed)
    assert Review.objects.filter(claim=claim).count() == 1


@pytest.mark.parametrize("width", [1440, 1280])
def test_no_admin_page_scrolls_sideways(browser, live_server, people, sample, width):
    lead = people["lead"]
    claim = verified(Claim.objects.order_by("pk").first(), people["reviewer"])
    relation = ClaimRelation.objects.order_by("pk").first()
    article_id = sample.article_id
    pages = [
        "/admin/",
        "/admin/claims/claim/",
        "/admin/claims/claim/?queue=open",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{Claim.objects.order_by('-pk').first().pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/claims/claimrelation/",
        f"/admin/claims/claimrelation/{relation.pk}/change/",
        "/admin/claims/article/",
        f"/admin/claims/article/{article_id}/change/",
        "/admin/claims/article/import/",
        "/admin/claims/source/",
        "/admin/claims/citation/",
        "/admin/claims/review/",
        f"/articles/{article_id}/report/",
    ]
    assert lead.pk
    page = signed_in(browser, live_server, "lead", width=width)
    too_wide = {}
    for url in pages:
        page.goto(url)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            too_wide[url] = scroll
    assert not too_wide, f"wider than {width} px: {too_wide}"
