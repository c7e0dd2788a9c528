"""Event dates shown at their precision, the same in the admin, the report page and the Markdown export."""

import datetime as dt

import pytest
from django.urls import reverse

from claims.display import event_date_text
from tests.exports.util import json_claims, run
from tests.factories import ClaimFactory

D = dt.date


@pytest.mark.parametrize(
    ("value", "precision", "end", "shown"),
    [
        (D(2018, 1, 1), "year", None, "2018"),  # "in late 2018": never "1 Jan 2018"
        (D(2024, 12, 1), "month", None, "Dec 2024"),
        (D(2024, 12, 7), "day", None, "7 Dec 2024"),
        (D(2024, 12, 6), "day", D(2024, 12, 7), "6–7 Dec 2024"),
        (D(2024, 11, 28), "day", D(2024, 12, 2), "28 Nov – 2 Dec 2024"),
        (D(2024, 12, 28), "day", D(2025, 1, 3), "28 Dec 2024 – 3 Jan 2025"),
        ("2024-12-07", "day", None, "7 Dec 2024"),  # exports' rows carry ISO strings
        ("2024-12-06", "day", "2024-12-07", "6–7 Dec 2024"),
        (None, "", None, ""),
    ],
)
def test_event_date_text(value, precision, end, shown):
    assert event_date_text(value, precision, end) == shown


@pytest.mark.django_db
def test_claim_list_and_page_show_dates_at_their_precision(client, reviewer):
    yearly = ClaimFactory(
        text="The group rebranded in late 2018.", event_date=D(2018, 1, 1), event_date_precision="year"
    )
    ranged = ClaimFactory(
        text="Rebels shelled the airport.",
        event_date=D(2024, 12, 6),
        event_date_end=D(2024, 12, 7),
        event_date_precision="day",
        revision=yearly.revision,
        article=yearly.article,
    )
    client.force_login(reviewer)
    listing = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert '<td class="field-event_date_display">2018</td>' in listing
    assert "6–7 Dec 2024" in listing
    assert "1 Jan 2018" not in listing and "Jan. 1, 2018" not in listing
    page = client.get(reverse("admin:claims_claim_change", args=[ranged.pk])).content.decode()
    assert 'id="claim-event-date">event 6–7 Dec 2024 (day' in page


@pytest.mark.django_db
def test_markdown_export_shows_month_precision(reviewer):
    claim = ClaimFactory(
        text="The regime fell in December 2024.", event_date=D(2024, 12, 1), event_date_precision="month"
    )
    text = run("markdown", article=str(claim.article.pk))[0].decode()
    assert "Dec 2024" in text and "1 Dec 2024" not in text


@pytest.mark.django_db
def test_json_export_keeps_a_ranges_last_day(reviewer):
    claim = ClaimFactory(
        text="Rebels shelled the airport.", event_date=D(2024, 12, 6), event_date_end=D(2024, 12, 7),
        event_date_precision="day", event_date_phrase="On 6–7 December",
    )  # fmt: skip
    (record,) = json_claims(run("json", article=str(claim.article.pk))[0])
    assert record["event_date"] == {"date": "2024-12-06", "precision": "day", "phrase": "On 6–7 December",
                                    "end": "2024-12-07"}  # fmt: skip
    markdown = run("markdown", article=str(claim.article.pk))[0].decode()
    assert "6–7 Dec 2024" in markdown


@pytest.mark.django_db
def test_a_range_that_ends_before_it_starts_is_refused_and_changes_nothing(editor):
    from claims.services import claim_update
    from claims.services._common import ServiceError

    claim = ClaimFactory(text="Rebels shelled the airport.", event_date=D(2024, 12, 6), event_date_precision="day")
    with pytest.raises(ServiceError, match="must end after it starts"):
        claim_update(claim_id=claim.pk, seen_version=claim.version, actor=editor, reason="range",
                     event_date_end=D(2024, 12, 5))  # fmt: skip
    claim.refresh_from_db()
    assert claim.event_date_end is None
    claim_update(claim_id=claim.pk, seen_version=claim.version, actor=editor, reason="range",
                 event_date_end=D(2024, 12, 7))  # fmt: skip
    claim.refresh_from_db()
    assert claim.event_date_end == D(2024, 12, 7)
