"""The review workflow in the admin: the queue views, "Take next", the claim review page, its buttons by role,
bulk actions, frozen fields and stale versions — all through the real admin with the Django test client."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims import selectors, services
from claims.models import Claim, ClaimCitation, ClaimStatus, Review
from claims.services.importing import article_import
from tests.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

S = ClaimStatus
ARTICLE = """Test offensive
On 28 November 2024, HTS captured the village of Tal Kurdi.[1] The airport was reportedly taken by the SDF.[2] \
Rebels entered the city. [ better source needed ]
On 30 November 2024, the army withdrew from Aleppo, according to the Kyiv Post.[3][4] Nobody knows why.
"""
CHANGELIST = reverse("admin:claims_claim_changelist")
TAKE_NEXT = reverse("admin:claims_claim_take_next")


def change_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def workflow_url(claim) -> str:
    return reverse("admin:claims_claim_workflow", args=[claim.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def article(editor):
    """A small imported article: five claims by the editor, cited, hedged, tagged, uncited."""
    SourceFactory(name="Kyiv Post", grade="B")
    report = article_import(text=ARTICLE, actor=editor, url="https://example.org/test-offensive")
    citation = Claim.objects.get(text__startswith="On 28 November").claim_citations.get().citation
    source = SourceFactory(name="Reuters", grade="A")
    services.citation_update(citation=citation, actor=editor, reason="filled in", title="HTS takes Tal Kurdi",
                             url="https://example.org/tal-kurdi", source=source)  # fmt: skip
    return report


def claim_of(prefix: str) -> Claim:
    return Claim.objects.get(text__startswith=prefix)


def in_review(prefix: str, reviewer) -> Claim:
    claim = claim_of(prefix)
    return services.claim_start_review(claim_id=claim.pk, actor=reviewer)


def decided(prefix: str, reviewer, status=S.VERIFIED) -> Claim:
    claim = in_review(prefix, reviewer)
    return services.claim_decide(claim_id=claim.pk, status=status, note="checked", seen_version=claim.version,
                                 actor=reviewer)  # fmt: skip


def snapshot(claim) -> tuple:
    return (
        Claim.objects.values().get(pk=claim.pk),
        list(ClaimCitation.objects.filter(claim=claim).values()),
        Review.objects.filter(claim=claim).count(),
        claim.history.count(),
    )


def change_form_data(response) -> dict:
    """What the browser would post back from a change page, unchanged: the claim form and its inline."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        widget = form.fields[name].widget
        if hasattr(widget, "post_data"):  # a widget of several inputs (the hedge rows) posts them all
            data.update(widget.post_data(form.add_prefix(name), value))
            continue
        if value is None:
            value = ""
        data[name] = value if not hasattr(value, "isoformat") else value.isoformat()
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else value
    return data


# ---- the admin index: my counts, linking to the lists -----------------------------------------------------------


def test_index_shows_my_counts_linking_to_the_filtered_lists(client, article, reviewer, reviewer2, lead):
    in_review("On 28 November", reviewer)
    reopened = decided("The airport", reviewer2)
    services.claim_reopen(claim_id=reopened.pk, note="new source", seen_version=reopened.version, actor=lead)
    services.claim_assign(claim_id=reopened.pk, assignee=reviewer, actor=lead)
    client.force_login(reviewer)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="claim-dashboard"' in page and 'id="take-next"' in page
    rows = dict(re.findall(r'<a href="([^"]+)">(\d+)</a>', page))
    expected = {
        f"{CHANGELIST}?queue=mine": 2,
        f"{CHANGELIST}?queue=mine&amp;status__exact=in_review": 2,
        f"{CHANGELIST}?reopened=mine": 1,
        f"{CHANGELIST}?queue=desk": 3,
    }
    assert {url: int(n) for url, n in rows.items()} == expected
    for url, count in expected.items():  # each number is the length of the list it links to
        listed = client.get(url.replace("&amp;", "&")).context["cl"].result_count
        assert listed == count, url


def test_viewer_and_editor_get_no_take_next(client, article, viewer, editor):
    for user in (viewer, editor):
        client.force_login(user)
        assert 'id="claim-dashboard"' in client.get(reverse("admin:index")).content.decode()
        for url in (reverse("admin:index"), CHANGELIST):
            assert 'id="take-next"' not in client.get(url).content.decode()
        response = client.post(TAKE_NEXT, follow=True)
        assert any("may not take claims from the queue" in m for m in messages_of(response))


# ---- the queue views and take next ----------------------------------------------------------------------------


def test_desk_and_my_queue_list_claims_in_priority_order(client, article, reviewer):
    client.force_login(reviewer)
    page = client.get(CHANGELIST).content.decode()
    assert 'id="take-next"' in page and 'href="?queue=mine"' in page and 'href="?queue=desk"' in page
    desk = client.get(CHANGELIST + "?queue=desk").context["cl"]
    assert [c.pk for c in desk.result_list] == list(selectors.review_queue().values_list("pk", flat=True))
    priorities = [c.priority for c in desk.result_list]
    assert priorities == sorted(priorities, reverse=True) and priorities[0] > priorities[-1]
    assert desk.get_ordering_field_columns() == {desk.list_display.index("priority"): "desc"}

    taken = services.claim_take_next(actor=reviewer)
    mine = client.get(CHANGELIST + "?queue=mine").context["cl"]
    assert [c.pk for c in mine.result_list] == [taken.pk]
    assert taken.pk not in [c.pk for c in client.get(CHANGELIST + "?queue=desk").context["cl"].result_list]


def test_take_next_button_gives_the_top_claim_and_opens_it(client, article, reviewer):
    top = selectors.review_queue().first()
    client.force_login(reviewer)
    response = client.post(TAKE_NEXT)
    assert response.status_code == 302 and response["Location"] == change_url(top)
    top.refresh_from_db()
    assert (top.status, top.assigned_to) == (S.IN_REVIEW, reviewer)
    page = client.get(response["Location"])
    assert f"Claim #{top.pk} is yours to review." in [str(m) for m in page.context["messages"]]


def test_take_next_by_get_changes_nothing(client, article, reviewer):
    client.force_login(reviewer)
    before = list(Claim.objects.values_list("pk", "version"))
    response = client.get(TAKE_NEXT)
    assert response.status_code == 302 and response["Location"].endswith("?queue=mine")
    assert list(Claim.objects.values_list("pk", "version")) == before


def test_take_next_on_an_empty_desk_says_so(client, reviewer):
    client.force_login(reviewer)
    response = client.post(TAKE_NEXT, follow=True)
    assert any("The desk queue is empty" in m for m in messages_of(response))


# ---- the claim review page ------------------------------------------------------------------------------------


def test_review_page_shows_the_claim_in_its_paragraph_with_its_evidence(client, article, reviewer):
    claim = in_review("On 28 November", reviewer)
    client.force_login(reviewer)
    page = client.get(change_url(claim)).content.decode()
    highlighted = re.search(r'<mark class="claim-highlight" id="claim-highlight">(.*?)</mark>', page).group(1)
    assert highlighted.startswith("On 28 November 2024, HTS captured the village of Tal Kurdi.")
    assert "The airport was reportedly taken by the SDF." in page  # the rest of the paragraph around it
    assert "[1]" in page and "HTS takes Tal Kurdi" in page and "Reuters" in page  # citation, its source
    assert "A · generally reliable" in page  # the source's grade
    assert 'id="claim-event-date">event 28 Nov 2024 (day' in page  # at its precision (claims.display)
    assert 'id="decide-form"' in page and 'name="note"' in page and 'id="decide"' in page
    assert "No decision yet." in page


def test_review_page_shows_hedges_and_tags(client, article, reviewer):
    client.force_login(reviewer)
    hedged = client.get(change_url(claim_of("The airport"))).content.decode()
    assert 'id="claim-hedge">reported: “reportedly”' in hedged
    attributed = client.get(change_url(claim_of("On 30 November"))).content.decode()
    assert "attributed: “according to the Kyiv Post” — attributed to the Kyiv Post" in attributed
    assert "attributed source: Kyiv Post (B · generally reliable)" in attributed
    tagged = client.get(change_url(claim_of("Rebels entered"))).content.decode()
    assert "[better source needed]" in tagged


def test_creator_sees_why_not_instead_of_a_decide_button_and_cannot_force_it(client, article, editor, reviewer):
    claim = in_review("On 28 November", reviewer)
    client.force_login(editor)
    page = client.get(change_url(claim)).content.decode()
    assert 'id="decide-form"' not in page and 'id="decide"' not in page
    assert re.search(r'id="decide-refusal">four-eyes rule: Eddie Editor created claim #\d+ and may not decide', page)
    before = snapshot(claim)
    response = client.post(workflow_url(claim), {"action": "decide", "status": "verified", "note": "mine is right",
                                                 "seen_version": claim.version}, follow=True)  # fmt: skip
    assert any(m.startswith("Nothing was changed: four-eyes rule") for m in messages_of(response))
    assert snapshot(claim) == before


def test_buttons_by_role(client, article, viewer, editor, reviewer, reviewer2, lead):
    open_claim = claim_of("Nobody knows")
    claim = in_review("On 28 November", reviewer)
    done = decided("The airport", reviewer)
    pages = {}
    for user in (viewer, editor, reviewer, reviewer2, lead):
        client.force_login(user)
        pages[user.username] = {
            c: client.get(change_url(c)).content.decode() for c in (open_claim, claim, done)
        }  # fmt: skip

    def has(user, claim, button):
        return f'id="{button}"' in pages[user][claim]

    assert has("reviewer", open_claim, "start-review") and has("lead", open_claim, "start-review")
    assert not any(has(u, open_claim, "start-review") for u in ("viewer", "editor"))
    assert has("reviewer", claim, "decide") and has("lead", claim, "decide")
    assert not any(has(u, claim, "decide") for u in ("viewer", "editor", "reviewer2"))  # reviewer2: not theirs
    assert "assigned to Rita Reviewer: only they or a Lead may decide it" in pages["reviewer2"][claim]
    assert has("reviewer", claim, "release") and not has("reviewer2", claim, "release")
    assert has("lead", done, "reopen") and not any(has(u, done, "reopen") for u in ("reviewer", "editor"))
    assert has("lead", open_claim, "assign") and not any(has(u, open_claim, "assign") for u in ("reviewer", "editor"))
    assert "may not decide" in pages["viewer"][claim]


def test_deciding_on_the_page_logs_the_note_in_review_and_history(client, article, reviewer):
    claim = in_review("On 28 November", reviewer)
    client.force_login(reviewer)
    decision = {
        "action": "decide",
        "status": "disputed",
        "note": "SOHR gives another date",
        "seen_version": claim.version,
    }
    response = client.post(workflow_url(claim), decision)
    assert response.status_code == 302 and response["Location"] == change_url(claim)
    claim.refresh_from_db()
    assert claim.status == S.DISPUTED
    page = client.get(change_url(claim)).content.decode()
    assert "Decided: disputed." in page
    assert "in review → <strong>disputed</strong></td><td>SOHR gives another date" in page
    history = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert "SOHR gives another date" in history


@pytest.mark.parametrize("note", ["", "   "])
def test_a_decision_without_a_note_is_refused_on_the_page(client, article, reviewer, note):
    claim = in_review("On 28 November", reviewer)
    before = snapshot(claim)
    client.force_login(reviewer)
    response = client.post(workflow_url(claim), {"action": "decide", "status": "verified", "note": note,
                                                 "seen_version": claim.version}, follow=True)  # fmt: skip
    assert any("a decision needs a status and a note" in m and "note" in m for m in messages_of(response))
    assert snapshot(claim) == before


def test_a_stale_decision_on_the_page_is_refused_naming_who_changed_it(client, article, reviewer, lead):
    claim = in_review("On 28 November", reviewer)
    seen = claim.version
    services.claim_update(claim_id=claim.pk, seen_version=seen, actor=lead, reason="date", event_date="2024-11-27")
    claim.refresh_from_db()
    before = snapshot(claim)
    client.force_login(reviewer)
    response = client.post(workflow_url(claim), {"action": "decide", "status": "verified", "note": "ok",
                                                 "seen_version": seen}, follow=True)  # fmt: skip
    assert any("this claim changed since you opened it (by Lena Lead at" in m for m in messages_of(response))
    assert snapshot(claim) == before


def test_a_lead_reopens_with_a_reason(client, article, reviewer, lead):
    claim = decided("On 28 November", reviewer)
    client.force_login(lead)
    response = client.post(workflow_url(claim), {"action": "reopen", "note": "", "seen_version": claim.version},
                           follow=True)  # fmt: skip
    assert any("you must write a note" in m for m in messages_of(response))
    client.post(workflow_url(claim), {"action": "reopen", "note": "retracted", "seen_version": claim.version})
    claim.refresh_from_db()
    assert claim.status == S.IN_REVIEW
    assert Review.objects.filter(claim=claim).last().note == "retracted"


def test_a_reviewer_cannot_reopen_even_by_posting(client, article, reviewer):
    claim = decided("On 28 November", reviewer)
    before = snapshot(claim)
    client.force_login(reviewer)
    response = client.post(workflow_url(claim), {"action": "reopen", "note": "please",
                                                 "seen_version": claim.version}, follow=True)  # fmt: skip
    assert any("reopen claim" in m and "takes the Lead role" in m for m in messages_of(response))
    assert snapshot(claim) == before


def test_start_release_and_assign_buttons_work(client, article, reviewer, reviewer2, lead):
    claim = claim_of("Nobody knows")
    client.force_login(reviewer)
    client.post(workflow_url(claim), {"action": "start", "seen_version": claim.version})
    claim.refresh_from_db()
    assert (claim.status, claim.assigned_to) == (S.IN_REVIEW, reviewer)
    client.post(workflow_url(claim), {"action": "release", "seen_version": claim.version})
    claim.refresh_from_db()
    assert (claim.status, claim.assigned_to) == (S.NEEDS_SOURCE, None)
    client.force_login(lead)
    client.post(workflow_url(claim), {"action": "assign", "assignee": reviewer2.pk, "seen_version": claim.version})
    claim.refresh_from_db()
    assert claim.assigned_to == reviewer2


# ---- bulk actions ---------------------------------------------------------------------------------------------


def action_names(client) -> set[str]:
    choices = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    return {name for name, _ in choices if name}


def test_bulk_actions_only_where_allowed(client, article, viewer, editor, reviewer, lead):
    review_actions = {"start_review_action", "decide_action", "release_action"}
    for user, expected, absent in (
        (viewer, set(), review_actions | {"assign_action"}),
        (editor, set(), review_actions | {"assign_action"}),
        (reviewer, review_actions, {"assign_action"}),
        (lead, review_actions | {"assign_action"}, set()),
    ):
        client.force_login(user)
        names = action_names(client)
        assert expected <= names and not (absent & names), (user.username, names)


def test_bulk_decide_asks_for_one_note_then_reports_each_refusal(client, article, reviewer):
    ready = in_review("On 28 November", reviewer)
    not_started = claim_of("Nobody knows")
    before = snapshot(not_started)
    client.force_login(reviewer)
    selected = {"action": "decide_action", "_selected_action": [ready.pk, not_started.pk]}
    form_page = client.post(CHANGELIST, selected)
    assert (
        form_page.status_code == 200
        and b'name="note"' in form_page.content
        and b"2 claim(s) selected" in form_page.content
    )

    no_note = client.post(CHANGELIST, {**selected, "apply": "1", "status": "verified", "note": ""})
    assert no_note.status_code == 200 and b"This field is required" in no_note.content
    assert Claim.objects.get(pk=ready.pk).status == S.IN_REVIEW

    response = client.post(CHANGELIST, {**selected, "apply": "1", "status": "verified", "note": "wires agree"},
                           follow=True)  # fmt: skip
    (message,) = messages_of(response)
    assert message.startswith("1 claim(s) decided; 1 refused — ")
    assert f"#{not_started.pk}: claim #{not_started.pk} is needs source, so it cannot become verified now" in message
    assert Claim.objects.get(pk=ready.pk).status == S.VERIFIED
    assert Review.objects.get(claim=ready).note == "wires agree"
    assert snapshot(not_started) == before


def test_bulk_start_and_assign(client, article, reviewer, lead):
    a, b = claim_of("Nobody knows"), claim_of("Rebels entered")
    client.force_login(lead)
    response = client.post(CHANGELIST, {"action": "assign_action", "_selected_action": [a.pk, b.pk], "apply": "1",
                                        "assignee": reviewer.pk}, follow=True)  # fmt: skip
    assert messages_of(response) == ["2 claim(s) assigned"]
    client.force_login(reviewer)
    response = client.post(CHANGELIST, {"action": "start_review_action", "_selected_action": [a.pk, b.pk]},
                           follow=True)  # fmt: skip
    assert messages_of(response) == ["2 claim(s) started"]
    assert set(Claim.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", "assigned_to")) == {
        (S.IN_REVIEW, reviewer.pk)
    }


# ---- editing in the admin: through the services, frozen once decided, never on a stale version ------------------


def test_admin_edit_goes_through_the_service_and_makes_the_editor_the_last_editor(client, article, lead):
    claim = claim_of("Nobody knows")
    client.force_login(lead)
    data = change_form_data(client.get(change_url(claim)))
    data.update(text="Nobody knows why the army withdrew.", change_reason="clearer")
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, messages_of(response)
    claim.refresh_from_db()
    assert (claim.text, claim.last_edited_by, claim.version) == ("Nobody knows why the army withdrew.", lead, 2)
    assert claim.history.order_by("-history_id").first().history_change_reason == "clearer"
    page = client.get(change_url(claim)).content.decode()
    assert "four-eyes rule: Lena Lead last edited the text or citations" in page


def test_admin_edit_on_a_stale_version_is_refused(client, article, lead, editor):
    claim = claim_of("Nobody knows")
    client.force_login(lead)
    data = change_form_data(client.get(change_url(claim)))
    services.claim_update(claim_id=claim.pk, seen_version=claim.version, actor=editor, reason="r", text="Edited.")
    claim.refresh_from_db()
    before = snapshot(claim)
    data.update(text="My edit.")
    response = client.post(change_url(claim), data, follow=True)
    assert any(
        m.startswith("Nothing was saved: this claim changed since you opened it (by Eddie Editor at")
        for m in messages_of(response)
    )
    assert snapshot(claim) == before


def test_admin_edit_without_the_version_is_refused(client, article, lead):
    claim = claim_of("Nobody knows")
    client.force_login(lead)
    data = change_form_data(client.get(change_url(claim)))
    data.pop("seen_version")
    data.update(text="My edit.")
    before = snapshot(claim)
    response = client.post(change_url(claim), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors["seen_version"]
    assert snapshot(claim) == before


def test_decided_claim_form_shows_text_anchor_and_citations_read_only(client, article, reviewer, lead):
    claim = decided("On 28 November", reviewer)
    client.force_login(lead)
    response = client.get(change_url(claim))
    page = response.content.decode()
    form = response.context["adminform"].form
    assert not {"text", "start", "end", "paragraph_index", "prefix", "anchor_state"} & set(form.fields)
    # What the reviewer judged is frozen too (issue #12): hedges, tags and the event date.
    assert not {"event_date", "hedge_kind", "hedges", "tags", "attributed_to"} & set(form.fields)
    assert 'name="text"' not in page and "HTS captured the village of Tal Kurdi" in page
    assert 'name="claim_citations-0-stance"' not in page and 'name="claim_citations-0-citation"' not in page
    (inline,) = response.context["inline_admin_formsets"]
    assert not inline.has_add_permission and not inline.has_change_permission and not inline.has_delete_permission


@pytest.mark.parametrize("field, value", [("text", "A different claim."), ("start", "5"), ("anchor_state", "moved")])
def test_posting_a_frozen_field_of_a_decided_claim_is_refused(client, article, reviewer, lead, field, value):
    claim = decided("On 28 November", reviewer)
    client.force_login(lead)
    data = change_form_data(client.get(change_url(claim)))
    data.update({field: value, "event_date": "2024-11-27"})
    before = snapshot(claim)
    response = client.post(change_url(claim), data, follow=True)
    assert any(
        m.startswith(f"Nothing was saved: claim #{claim.pk} is verified: its ") and "until a Lead reopens it" in m
        for m in messages_of(response)
    ), messages_of(response)
    assert snapshot(claim) == before  # not even the event date, posted alongside


def test_posting_citation_changes_to_a_decided_claim_is_refused(client, article, reviewer, lead):
    claim = decided("On 28 November", reviewer)
    client.force_login(lead)
    base = change_form_data(client.get(change_url(claim)))
    link = claim.claim_citations.get()
    extra = CitationFactory(article=claim.article, label="99")
    attempts = [
        {"claim_citations-0-stance": "contradicts"},
        {"claim_citations-0-DELETE": "on"},
        {"claim_citations-TOTAL_FORMS": "2", "claim_citations-1-citation": extra.pk,
         "claim_citations-1-claim": claim.pk, "claim_citations-1-stance": "supports",
         "claim_citations-1-info_grade": "6"},
    ]  # fmt: skip
    before = snapshot(claim)
    for attempt in attempts:
        data = {**base, "claim_citations-0-id": link.pk, "claim_citations-0-claim": claim.pk, **attempt}
        response = client.post(change_url(claim), data, follow=True)
        assert any("its citations cannot change until a Lead reopens it" in m for m in messages_of(response)), attempt
    assert snapshot(claim) == before


def test_a_decided_claim_event_date_is_frozen_and_an_unchanged_post_writes_nothing(client, article, reviewer, lead):
    """Issue #12: the event date is part of what the reviewer judged; only reopening unfreezes it."""
    claim = decided("On 28 November", reviewer)
    client.force_login(lead)
    data = change_form_data(client.get(change_url(claim)))
    before = snapshot(claim)
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, messages_of(response)
    assert snapshot(claim) == before  # an unchanged save changes nothing and writes no history
    data.update(event_date="2024-11-27", change_reason="the article's date is a day late")
    response = client.post(change_url(claim), data, follow=True)
    assert any("cannot change until a Lead reopens it" in m for m in messages_of(response))
    assert snapshot(claim) == before


def test_a_reviewer_reads_the_claim_form_without_reason_or_version_fields(client, article, reviewer):
    client.force_login(reviewer)
    page = client.get(change_url(claim_of("Nobody knows"))).content.decode()
    assert "Reason for this change" not in page and "Seen version" not in page and 'name="_save"' not in page


# ---- hedges as rows, not JSON (issue #12, item 13) ------------------------------------------------------------


def test_hedges_are_edited_as_rows_and_saved_through_the_service(client, article, lead):
    claim = claim_of("The airport")
    assert [h["phrase"] for h in claim.hedges] == ["reportedly"]
    client.force_login(lead)
    response = client.get(change_url(claim))
    page = response.content.decode()
    assert 'name="hedges-0-phrase" value="reportedly"' in page and '<textarea name="hedges"' not in page
    data = change_form_data(response)
    data.update({"hedges-1-kind": "attributed", "hedges-1-phrase": "said the SDF", "hedges-1-attributed_to": "SDF; AFP",
                 "change_reason": "second hedge"})  # fmt: skip
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, messages_of(response)
    claim.refresh_from_db()
    assert [(h["kind"], h["phrase"], h["attributed_to"]) for h in claim.hedges] == [
        ("reported", "reportedly", []),
        ("attributed", "said the SDF", ["SDF", "AFP"]),
    ]
    assert claim.hedges[0]["rule"] == article_rule(claim)  # the importer's bookkeeping rides along unchanged
    assert claim.history.order_by("-history_id").first().history_change_reason == "second hedge"
    # Emptying a row removes that hedge.
    data = change_form_data(client.get(change_url(claim)))
    data.update({"hedges-0-kind": "", "hedges-0-phrase": "", "change_reason": "not hedged after all"})
    assert client.post(change_url(claim), data).status_code == 302
    claim.refresh_from_db()
    assert [h["phrase"] for h in claim.hedges] == ["said the SDF"]


def article_rule(claim) -> str:
    return claim.history.earliest("history_id").hedges[0]["rule"]


def test_a_hedge_row_without_its_kind_is_refused_and_nothing_is_saved(client, article, lead):
    claim = claim_of("The airport")
    client.force_login(lead)
    data = change_form_data(client.get(change_url(claim)))
    data.update({"hedges-1-phrase": "allegedly"})
    before = snapshot(claim)
    response = client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "hedge 2: choose its kind" in str(response.context["adminform"].form.errors["hedges"])
    assert snapshot(claim) == before


def test_a_read_only_claim_lists_its_hedges_and_tags_in_words(client, article, reviewer, lead):
    claim = decided("The airport", reviewer)
    client.force_login(lead)
    page = client.get(change_url(claim)).content.decode()
    assert '<ul class="hedge-list"><li>reported: “reportedly”</li></ul>' in page
    tags = re.search(r'field-tags_list.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert tags and tags.group(1) == "—"  # no JSON list: a dash when there is none
    assert 'field-hedges"' not in page and 'field-tags"' not in page
