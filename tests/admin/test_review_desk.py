"""Issue #12 in the admin: nothing pre-selected, a refused decision keeps the note, decide and take next, the
Lead's conflict queue and resolve page, no-op saves, read-only history views, the orphaned-claim warning."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimRelation, ClaimStatus, Review
from claims.services.importing import article_import
from tests.admin.test_review_admin import (
    ARTICLE,
    change_form_data,
    change_url,
    claim_of,
    in_review,
    messages_of,
    snapshot,
    workflow_url,
)
from tests.factories import ClaimCitationFactory, ClaimFactory, RelationFactory, SourceFactory
from tests.jobs import admin_import
from tests.test_conflicts import SAMPLE

pytestmark = pytest.mark.django_db

S = ClaimStatus
R = ClaimRelation


@pytest.fixture
def article(editor):
    SourceFactory(name="Kyiv Post", grade="B")
    return article_import(text=ARTICLE, actor=editor, url="https://example.org/test-offensive")


def test_the_decision_form_preselects_nothing_and_shows_what_verification_lacks(client, article, reviewer):
    claim = in_review("Nobody knows", reviewer)  # uncited
    client.force_login(reviewer)
    page = client.get(change_url(claim)).content.decode()
    assert (
        'type="radio" name="status"' in page and "checked" not in page.split('id="decide-form"')[1].split("</form>")[0]
    )
    assert 'id="verify-missing"' in page and "no citation supports it" in page
    assert 'id="decide-next"' in page


def test_the_bulk_decide_form_preselects_nothing(client, article, reviewer):
    claim = in_review("On 28 November", reviewer)
    client.force_login(reviewer)
    page = client.post(
        reverse("admin:claims_claim_changelist"), {"action": "decide_action", "_selected_action": [claim.pk]}
    ).content.decode()
    assert 'type="radio" name="status"' in page and " checked" not in page


def test_verify_without_a_source_is_refused_on_the_page_and_keeps_the_note(client, article, reviewer):
    claim = in_review("Nobody knows", reviewer)
    before = snapshot(claim)
    client.force_login(reviewer)
    data = {"action": "decide", "status": "verified", "note": "my careful note", "seen_version": claim.version}
    response = client.post(workflow_url(claim), data, follow=True)
    assert any("cannot be verified: no citation supports it" in m for m in messages_of(response))
    assert snapshot(claim) == before
    assert "my careful note" in response.content.decode()  # the form comes back filled in
    response = client.post(workflow_url(claim), {**data, "override_reason": "the mayor confirmed it on camera"})
    review = Review.objects.get(claim=claim)
    assert (review.to_status, review.override_reason) == (S.VERIFIED, "the mayor confirmed it on camera")


def test_a_stale_refusal_on_a_decided_claim_keeps_the_note_and_does_not_say_try_again(
    client, article, reviewer, reviewer2, lead
):
    claim = claim_of("On 28 November")
    claim = services.claim_start_review(claim_id=claim.pk, actor=reviewer)
    seen = claim.version
    services.claim_decide(claim_id=claim.pk, status=S.DISPUTED, note="first", seen_version=seen, actor=lead)
    client.force_login(reviewer)
    response = client.post(
        workflow_url(claim),
        {"action": "decide", "status": "refuted", "note": "my long typed note", "seen_version": seen},
        follow=True,
    )
    (message,) = [m for m in messages_of(response) if "changed since you opened it" in m]
    assert "try again" not in message and "now disputed" in message
    assert 'id="kept-note"' in response.content.decode() and "my long typed note" in response.content.decode()


def test_decide_and_take_next_opens_the_next_claim(client, article, reviewer):
    claim = in_review("On 28 November", reviewer)
    client.force_login(reviewer)
    response = client.post(
        workflow_url(claim),
        {"action": "decide", "status": "disputed", "note": "n", "seen_version": claim.version, "then": "next"},
    )
    claim.refresh_from_db()
    assert claim.status == S.DISPUTED
    nxt = Claim.objects.get(assigned_to=reviewer, status=S.IN_REVIEW)
    assert response.status_code == 302 and response["Location"] == change_url(nxt)


def test_no_op_save_of_the_claim_form_changes_nothing(client, article, lead):
    claim = claim_of("The airport")
    assert claim.prefix != claim.prefix.strip() or claim.suffix != claim.suffix.strip()  # the case of the issue
    client.force_login(lead)
    response = client.get(change_url(claim))
    assert not {"prefix", "suffix", "start", "end", "anchor_state"} & set(response.context["adminform"].form.fields)
    before = snapshot(claim)
    response = client.post(change_url(claim), change_form_data(response))
    assert response.status_code == 302, messages_of(response)
    assert snapshot(claim) == before


def test_a_history_view_page_refuses_a_post(client, article, lead):
    claim = claim_of("On 28 November")
    client.force_login(lead)
    history_id = claim.history.latest("history_id").history_id
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, history_id])
    assert client.get(url).status_code == 200
    before = snapshot(claim)
    data = change_form_data(client.get(change_url(claim)))
    response = client.post(url, {**data, "text": "Rewritten through the history page."})
    assert response.status_code == 405
    assert snapshot(claim) == before


def test_an_orphaned_decided_claim_is_flagged_on_its_page(client, article, reviewer, lead):
    claim = in_review("On 28 November", reviewer)
    claim = services.claim_decide(claim_id=claim.pk, status=S.VERIFIED, note="n", seen_version=claim.version,
                                  actor=reviewer)  # fmt: skip
    claim.anchor_state = Claim.AnchorState.ORPHANED
    services.save_tracked(claim, actor=lead, reason="re-import lost the sentence (test)")
    client.force_login(lead)
    assert 'id="orphaned-warning"' in client.get(change_url(claim)).content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert "Orphaned by a new revision (1 still decided)" in index


# ---- the Lead's conflicts ----------------------------------------------------------------------------------------


@pytest.fixture
def confirmed(editor, reviewer):
    a, b = ClaimFactory(), ClaimFactory()
    for c in (a, b):
        ClaimCitationFactory(claim=c)
    relation = RelationFactory(claim_a=a, claim_b=b, detector=R.Detector.DATE_MISMATCH, created_by=editor)
    services.relation_confirm(relation=relation, actor=reviewer, note="27 vs 28 November, same village")
    return relation


def test_a_lead_sees_the_conflicts_to_resolve_and_their_queue(client, confirmed, lead):
    client.force_login(lead)
    index = client.get(reverse("admin:index")).content.decode()
    queue = reverse("admin:claims_claimrelation_changelist") + "?to_resolve=1"
    assert "Conflicts to resolve" in index and queue.replace("?", "?") in index
    page = client.get(queue).content.decode()
    assert f"#{confirmed.pk}" in page


def test_the_resolve_page_shows_the_confirmation_and_says_claim_a_and_b(client, confirmed, lead):
    client.force_login(lead)
    page = client.get(reverse("admin:claims_claimrelation_change", args=[confirmed.pk])).content.decode()
    assert "27 vs 28 November, same village" in page  # the reviewer's confirmation note
    assert "suggested by the date mismatch detector" in page and "proposed by" not in page
    resolve = page.split('id="resolve-form"')[1].split("</form>")[0]
    assert "Claim A stands" in resolve and "Claim B stands" in resolve and "first" not in resolve
    assert "checked" not in resolve
    assert 'name="_addanother"' not in page and 'name="_continue"' not in page and "deletelink" not in page


def test_resolving_against_a_decided_claim_from_the_page_reopens_it(client, confirmed, reviewer2, lead):
    a = confirmed.claim_a
    a.refresh_from_db()
    a = services.claim_start_review(claim_id=a.pk, actor=reviewer2)
    services.claim_decide(claim_id=a.pk, status=S.VERIFIED, note="n", seen_version=a.version, actor=reviewer2,
                          override_reason="seen the video")  # fmt: skip
    client.force_login(lead)
    step = reverse("admin:claims_claimrelation_step", args=[confirmed.pk, "resolve"])
    client.post(step, {"resolution": "b_stands", "note": "the village fell on the 28th"})
    a.refresh_from_db()
    assert a.status == S.IN_REVIEW
    assert f"relation #{confirmed.pk}" in Review.objects.filter(claim=a).latest("created_at", "pk").note


# ---- articles, imports and sources ------------------------------------------------------------------------------


def test_the_article_page_shows_its_text_and_links_the_report(client, article, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:claims_article_change", args=[article.article_id])).content.decode()
    assert 'id="article-text"' in page and "HTS captured the village of Tal Kurdi" in page
    assert reverse("claims:article-report", args=[article.article_id]) in page
    relations = reverse("admin:claims_claimrelation_changelist") + f"?claim_a__article__id__exact={article.article_id}"
    assert client.get(relations).status_code == 200


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, as in production
def test_the_import_report_links_to_the_suggested_conflicts(client, editor):
    client.force_login(editor)
    text = SAMPLE.read_text(encoding="utf-8")
    page = admin_import(client, {"text": text})  # the job page the import lands on, once the worker ran it
    suggested = ClaimRelation.objects.filter(state=R.State.SUGGESTED).count()
    assert suggested >= 1  # the sample's airport pair, at least
    assert 'id="view-suggested-relations"' in page and "state__exact=suggested" in page
    assert f"Review the {suggested} suggested" in page


def test_regrading_a_source_needs_a_reason(lead):
    source = SourceFactory(name="SANA", grade="C")
    for reason in ("", "  ", services.ADMIN_REASON):
        with pytest.raises(services.ServiceError, match="regrading SANA needs a reason"):
            services.source_update(source=source, actor=lead, reason=reason, grade="E")
    source.refresh_from_db()
    assert source.grade == "C"
    services.source_update(source=source, actor=lead, reason="state media of a party", grade="E")
    source.refresh_from_db()
    assert source.grade == "E"


def test_the_source_page_says_when_a_regrade_affects_no_claim(client, lead):
    source = SourceFactory(name="Unused Wire", grade="C")
    client.force_login(lead)
    url = reverse("admin:claims_source_change", args=[source.pk])
    data = {
        "name": source.name, "aliases": "[]", "domain": "", "kind": source.kind, "reliability": source.reliability,
        "grade": "B", "reliability_basis": "", "change_reason": "",
    }  # fmt: skip
    response = client.post(url, data, follow=True)
    assert any("needs a reason" in m for m in messages_of(response))
    response = client.post(url, {**data, "change_reason": "checked their corrections policy"}, follow=True)
    assert any("No claim was rescored" in m for m in messages_of(response)), messages_of(response)


def test_the_claim_list_marks_the_searched_words(client, article, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_changelist") + "?q=tal+kurdi").content.decode()
    assert '<mark class="search-hit">Tal</mark> <mark class="search-hit">Kurdi</mark>' in page


# ---- words and pages for people ---------------------------------------------------------------------------------


def test_the_confidence_guide_is_a_page_linked_from_the_claim(client, article, viewer):
    client.force_login(viewer)
    claim = claim_of("On 28 November")
    page = client.get(change_url(claim)).content.decode()
    guide = reverse("admin:claims_guide", args=["confidence"])
    assert guide in page
    rendered = client.get(guide).content.decode()
    assert '<div class="guide" id="guide">' in rendered and "<h2" in rendered and "<table>" in rendered
    assert client.get(reverse("admin:claims_guide", args=["workflow"])).status_code == 200
    assert client.get("/admin/claims/claim/guide/secrets/").status_code == 404


def test_a_refusal_is_a_styled_page_that_says_why(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("admin:claims_article_import"))
    page = response.content.decode()
    assert response.status_code == 403
    assert 'id="forbidden"' in page and "Claim tracker" in page and "Back to the desk" in page


def test_an_edited_claim_shows_the_article_words_next_to_its_own(client, article, lead):
    claim = claim_of("Nobody knows")
    client.force_login(lead)
    assert 'id="edited-text"' not in client.get(change_url(claim)).content.decode()
    services.claim_update(claim_id=claim.pk, seen_version=claim.version, actor=lead, reason="clearer",
                          text="Nobody knows why the army withdrew.")  # fmt: skip
    page = client.get(change_url(claim)).content.decode()
    assert 'id="edited-text"' in page
    assert "The article says: <q>Nobody knows why.</q>" in page
    assert "The claim says: <q>Nobody knows why the army withdrew.</q>" in page


def test_tags_are_checkboxes_and_an_untouched_form_keeps_them(client, article, lead):
    claim = claim_of("Rebels entered the city")
    assert claim.tags == ["better_source_needed"]
    client.force_login(lead)
    response = client.get(change_url(claim))
    page = response.content.decode()
    assert 'type="checkbox" name="tags" value="better_source_needed"' in page and "checked" in page
    data = change_form_data(response)
    before = snapshot(claim)
    assert client.post(change_url(claim), data).status_code == 302
    assert snapshot(claim) == before
    data["tags"] = ["better_source_needed", "dubious"]
    assert client.post(change_url(claim), {**data, "change_reason": "flagged"}).status_code == 302
    claim.refresh_from_db()
    assert claim.tags == ["better_source_needed", "dubious"]
