"""The article report page in Chromium: claims highlighted by status, footnotes linked, timeline drawn,
and a printable layout. Saves screenshots (screen and print media) under the test's output directory."""

import datetime as dt
import os

import pytest

from tests.exports.conftest import SAMPLE_TEXT, anchored, decide
from tests.factories import ArticleFactory, CitationFactory, ClaimCitationFactory, RevisionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(transactional_db):
    reviewer = UserFactory(username="rita", role="Reviewer", first_name="Rita", last_name="Reviewer")
    article = ArticleFactory(title="Test offensive (2024)", url="https://example.org/wiki/Test_offensive")
    revision = RevisionFactory(article=article, text=SAMPLE_TEXT)
    article.current_revision = revision
    article.save()
    claims = [
        anchored(revision, 0, 0, event_date=dt.date(2024, 11, 27), event_date_precision="day"),
        anchored(revision, 0, 1, event_date=dt.date(2024, 11, 27), event_date_precision="day"),
        anchored(
            revision, 1, 0, event_date=dt.date(2024, 11, 29), event_date_precision="day", tags=["citation_needed"]
        ),
        anchored(revision, 2, 0, event_date=dt.date(2024, 11, 28), event_date_precision="day"),
        anchored(revision, 2, 1),
    ]
    for label, claim in zip(("1", "2", "4", "5"), claims, strict=False):
        citation = CitationFactory(
            article=article, label=label, title=f"Report {label}", url=f"https://example.org/{label}"
        )
        ClaimCitationFactory(claim=claim, citation=citation)
    when = dt.datetime(2024, 12, 2, 10, 30, tzinfo=dt.UTC)
    decide(claims[0], "verified", reviewer, "Confirmed.", when)
    decide(claims[2], "refuted", reviewer, "Wrong actor.", when)
    decide(claims[3], "disputed", reviewer, "Dates differ.", when)
    return article, claims


def test_report_page_in_chromium(page, live_server, log_in, article, output_path):
    article, claims = article
    UserFactory(username="vera", role="Viewer")
    log_in("vera")
    page.goto(f"{live_server.url}/articles/{article.pk}/report/")

    assert page.locator("h1").inner_text() == "Test offensive (2024)"
    marks = page.locator("mark.claim")
    assert marks.count() == 5
    verified = page.locator(f"#claim-{claims[0].pk}")
    assert verified.get_attribute("data-status") == "verified"
    # Status colours really apply: the verified highlight is green-tinted, the refuted one red-tinted.
    assert verified.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(220, 252, 231)"
    refuted = page.locator(f"#claim-{claims[2].pk}")
    assert refuted.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(254, 226, 226)"
    # Footnote markers jump to their footnote.
    page.locator(f"#claim-{claims[0].pk} sup.ref a").first.click()
    assert page.url.endswith("#fn-1")
    assert "Report 1" in page.locator("#fn-1").inner_text()
    # The timeline: one dot per dated claim, drawn as inline SVG (no script).
    assert page.locator("figure.timeline svg circle").count() == 4
    assert page.locator("script").count() == 0

    os.makedirs(output_path, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.screenshot(path=os.path.join(output_path, "report.png"), full_page=True)

    # Printable: the navigation bar disappears, the colours stay.
    page.emulate_media(media="print")
    assert page.locator("header.bar").is_hidden()
    assert verified.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(220, 252, 231)"
    page.screenshot(path=os.path.join(output_path, "report-print.png"), full_page=True)
    assert os.path.getsize(os.path.join(output_path, "report.png")) > 10_000
