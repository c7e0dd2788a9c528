"""Issue #12 (12): one date format across lists, forms and imports — typed and shown in forms as YYYY-MM-DD
(as the CSV import wants), shown in lists as "7 Dec 2024 17:32", event dates at their precision."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim
from claims.services.importing import article_import
from tests.admin.test_review_admin import (
    ARTICLE,
    change_form_data,
    change_url,
    claim_of,
    decided,
    messages_of,
    snapshot,
)
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor):
    SourceFactory(name="Kyiv Post", grade="B")
    return article_import(text=ARTICLE, actor=editor, url="https://example.org/test-offensive")


def test_a_date_field_shows_and_takes_iso_dates(client, article, lead):
    claim = claim_of("On 28 November")
    assert claim.event_date == dt.date(2024, 11, 28)
    client.force_login(lead)
    response = client.get(change_url(claim))
    assert re.search(r'name="event_date" value="2024-11-28"', response.content.decode())
    data = change_form_data(response)
    before = snapshot(claim)
    data.update(event_date="27/11/2024", change_reason="a day earlier")  # the old en-GB format: refused
    response = client.post(change_url(claim), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors["event_date"]
    assert snapshot(claim) == before
    data.update(event_date="2024-11-27")
    response = client.post(change_url(claim), data)
    assert response.status_code == 302, messages_of(response)
    assert Claim.objects.get(pk=claim.pk).event_date == dt.date(2024, 11, 27)


def test_lists_show_datetimes_one_way(client, article, lead):
    claim = claim_of("On 28 November")
    client.force_login(lead)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    stamp = claim.updated_at
    assert f"{stamp.day} {stamp:%b %Y %H:%M}" in page  # "1 Dec 2026 17:32": day month year, 24-hour clock
    assert "a.m." not in page and "p.m." not in page
    history = client.get(reverse("admin:claims_claim_history", args=[claim.pk])).content.decode()
    assert f"{stamp.day} {stamp:%b %Y %H:%M}" in history


def test_a_read_only_event_date_shows_at_its_precision(client, article, reviewer, lead, editor):
    claim = claim_of("Nobody knows")
    services.claim_update(claim_id=claim.pk, seen_version=claim.version, actor=editor, reason="late 2018",
                          event_date=dt.date(2018, 1, 1), event_date_precision="year")  # fmt: skip
    claim = decided("Nobody knows", reviewer, status="disputed")
    client.force_login(lead)
    page = client.get(change_url(claim)).content.decode()
    shown = re.search(r'field-event_date_display.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert shown and shown.group(1) == "2018"
    assert "1 Jan 2018" not in page
