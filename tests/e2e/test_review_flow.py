"""The review flow in a real browser: an Editor imports the sample article, a Reviewer takes the next claim,
reads it highlighted in its paragraph and decides it with a note; the Editor who created it cannot decide it."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from playwright.sync_api import expect

from claims import services, workflow
from claims.importing import parse_article
from claims.models import Article, Claim, ClaimStatus, Review
from tests.e2e.sessions import signed_in
from tests.factories import UserFactory
from tests.jobs import run_queued_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "northwestern_syria_offensive.txt"


def test_editor_imports_reviewer_takes_and_decides_creator_cannot(browser, live_server, output_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # sign-ins in milliseconds
    editor = UserFactory(username="editor", role="Editor", first_name="Eddie", last_name="Editor")
    UserFactory(username="reviewer", role="Reviewer", first_name="Rita", last_name="Reviewer")

    # The Editor imports the sample article on the admin's import page.
    as_editor = signed_in(browser, live_server, "editor", width=1400, height=1000)
    as_editor.goto("/admin/claims/article/")
    as_editor.click("#import-article")
    as_editor.set_input_files("#id_file", str(SAMPLE))
    as_editor.click("#import-submit")
    # The import runs as a background job: its page shows it queued, a worker runs it, the page (refreshing
    # itself) then shows the report.
    expect(as_editor.locator("#job-status")).to_contain_text("queued")
    run_queued_jobs()
    expect(as_editor.locator("#job-result")).to_contain_text("Imported 'Northwestern Syria offensive'")
    expect(as_editor.locator("#job-progress")).to_have_attribute("value", "100")
    article = Article.objects.get()
    assert article.claims.count() > 50 and not article.claims.exclude(created_by=editor).exists()

    # The Reviewer takes the next claim from the queue: the most urgent one, now theirs and in review.
    as_reviewer = signed_in(browser, live_server, "reviewer", width=1400, height=1000)
    as_reviewer.goto("/admin/claims/claim/?queue=desk")
    first_row = as_reviewer.locator("#result_list tbody tr").first.locator(".field-excerpt")
    expected_text = first_row.inner_text()
    as_reviewer.click("#take-next")
    expect(as_reviewer.locator("ul.messagelist")).to_contain_text("is yours to review")
    claim_id = int(re.search(r"/claim/(\d+)/change/", as_reviewer.url).group(1))
    claim = Claim.objects.get(pk=claim_id)
    assert claim.text.startswith(expected_text.rstrip("…"))
    assert (claim.status, claim.assigned_to.username) == (ClaimStatus.IN_REVIEW, "reviewer")

    # …sees it highlighted inside its paragraph…
    highlight = as_reviewer.locator(".claim-paragraph mark#claim-highlight")
    expect(highlight).to_be_visible()
    assert claim.text.split(" [")[0][:60] in highlight.inner_text()
    paragraph = parse_article(claim.revision.text).paragraphs[claim.paragraph_index].text
    shown = as_reviewer.locator(".claim-paragraph").inner_text()
    assert " ".join(shown.split()) == " ".join(paragraph.split())  # the whole paragraph, the claim marked in it
    expect(as_reviewer.locator("#decide-form")).to_be_visible()
    shots = Path(output_path)
    shots.mkdir(parents=True, exist_ok=True)
    as_reviewer.screenshot(path=str(shots / "claim-review-page-before-decision.png"), full_page=True)

    # The Editor who created the claim opens the same page: no decision form, the reason instead.
    as_editor.goto(f"/admin/claims/claim/{claim_id}/change/")
    expect(as_editor.locator("#decide-refusal")).to_contain_text("four-eyes rule: Eddie Editor created claim")
    expect(as_editor.locator("#decide-form")).to_have_count(0)
    expect(as_editor.locator("#decide")).to_have_count(0)
    # Forcing it — a hand-made POST to the workflow endpoint with the page's CSRF token — is refused.
    as_editor.evaluate(
        """([url, version]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = url;
            const fields = {
                csrfmiddlewaretoken: document.querySelector("[name=csrfmiddlewaretoken]").value,
                action: "decide", status: "verified", note: "my own claim is right", seen_version: version,
            };
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [f"/admin/claims/claim/{claim_id}/workflow/", str(claim.version)],
    )
    expect(as_editor.locator("ul.messagelist")).to_contain_text("Nothing was changed: four-eyes rule")
    with pytest.raises(PermissionDenied, match="four-eyes rule"):
        services.claim_decide(claim_id=claim_id, status="verified", note="n", seen_version=claim.version, actor=editor)
    assert not Review.objects.filter(claim_id=claim_id).exists()

    # The Reviewer decides "verified" with a note; a decision without one is not sent. Nothing is pre-selected.
    as_reviewer.reload()
    expect(as_reviewer.locator("#decide-form input[name=status]:checked")).to_have_count(0)
    as_reviewer.check("#decide-form input[name=status][value=verified]")
    as_reviewer.click("#decide")
    assert Claim.objects.get(pk=claim_id).status == ClaimStatus.IN_REVIEW  # the browser refused the empty note
    # The most urgent claim of the sample has no supporting citation: verified is refused, the note is kept…
    assert "no citation supports it" in workflow.missing_evidence(claim)
    expect(as_reviewer.locator("#verify-missing")).to_contain_text("no citation supports it")
    note = "Checked against the cited reports: they agree."
    as_reviewer.fill("#decide-form textarea[name=note]", note)
    as_reviewer.click("#decide")
    expect(as_reviewer.locator("ul.messagelist")).to_contain_text("cannot be verified: no citation supports it")
    expect(as_reviewer.locator("#decide-form textarea[name=note]")).to_have_value(note)
    assert Claim.objects.get(pk=claim_id).status == ClaimStatus.IN_REVIEW
    # …and an override reason verifies it anyway, kept on the review.
    as_reviewer.check("#decide-form input[name=status][value=verified]")
    as_reviewer.fill("#decide-form textarea[name=override_reason]", "The ministry confirmed it to us by phone.")
    as_reviewer.click("#decide")
    expect(as_reviewer.locator("ul.messagelist")).to_contain_text("Decided: verified.")
    expect(as_reviewer.locator("#review-log")).to_contain_text("verified by override: The ministry confirmed it")
    expect(as_reviewer.locator("#claim-status")).to_have_text("verified")
    log = as_reviewer.locator("#review-log tbody tr")
    expect(log).to_have_count(1)
    expect(log.first).to_contain_text("in review → verified")
    expect(log.first).to_contain_text(note)
    expect(log.first).to_contain_text("Rita Reviewer")
    screenshot = shots / "claim-review-page.png"
    as_reviewer.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    # The history shows the decision with its reason.
    as_reviewer.click("text=Full history (who, when, why, what changed)")
    expect(as_reviewer.locator("#change-history")).to_contain_text(note)
    review = Review.objects.get(claim_id=claim_id)
    assert (review.reviewer.username, review.to_status, review.note) == ("reviewer", "verified", note)

    # Decided, the claim is frozen: the Editor's form shows its text read-only.
    as_editor.goto(f"/admin/claims/claim/{claim_id}/change/")
    expect(as_editor.locator("textarea[name=text]")).to_have_count(0)
    expect(as_editor.locator("#decide-form")).to_have_count(0)
