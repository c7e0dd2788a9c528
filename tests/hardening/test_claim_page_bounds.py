"""A claim with thousands of citation links (or relations, or confidence factors) renders one bounded page."""

import pytest
from django.urls import reverse

from claims.admin.review_page import PANEL_ROWS
from claims.models import Citation, ClaimCitation
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

LINKS = 250


@pytest.fixture
def marker_storm():
    """A claim carrying LINKS markers (the attack used 10,000; the bound is the same)."""
    claim = ClaimFactory()
    citations = Citation.objects.bulk_create(Citation(article=claim.article, label=str(i)) for i in range(1, LINKS + 1))
    ClaimCitation.objects.bulk_create(
        ClaimCitation(claim=claim, citation=c, position=i) for i, c in enumerate(citations)
    )
    claim.confidence_factors = [
        {"factor": f"supporting citation [{i}]", "effect": "+1", "detail": "x"} for i in range(LINKS)
    ]
    claim.save()
    return claim


def markers_on(html: str) -> list[int]:
    import re

    return [int(m) for m in re.findall(r"<tr><td>\[(\d+)\]</td>", html)]


def inline_forms(html: str) -> int:
    import re

    found = re.search(r'name="claim_citations-TOTAL_FORMS" value="(\d+)"', html)
    return int(found.group(1)) if found else 0


def test_the_claim_page_shows_one_page_of_citations_and_of_their_forms(client, lead, marker_storm):
    client.force_login(lead)
    url = reverse("admin:claims_claim_change", args=[marker_storm.pk])
    html = client.get(url).content.decode()
    assert markers_on(html) == list(range(1, PANEL_ROWS + 1))
    assert inline_forms(html) == PANEL_ROWS  # the edit inline holds the same page of links, not LINKS forms
    assert f"…and {LINKS - 50} more factors" in html
    third = client.get(url + "?citations_page=3").content.decode()
    assert markers_on(third) == list(range(2 * PANEL_ROWS + 1, 3 * PANEL_ROWS + 1))
    assert inline_forms(third) == PANEL_ROWS
    assert len(html) < 400_000  # bounded whatever LINKS is (the attack's 10,000 markers made 47 MB)


def test_a_page_number_out_of_range_or_odd_shows_a_page_not_an_error(client, reviewer, marker_storm):
    client.force_login(reviewer)
    url = reverse("admin:claims_claim_change", args=[marker_storm.pk])
    far = client.get(url + "?citations_page=99")
    assert far.status_code == 200 and markers_on(far.content.decode()) == []
    assert client.get(url + "?citations_page=abc").status_code == 200


def test_the_links_can_also_be_edited_on_the_filtered_link_list(client, lead, marker_storm):
    client.force_login(lead)
    list_url = reverse("admin:claims_claimcitation_changelist") + f"?claim__id__exact={marker_storm.pk}"
    response = client.get(list_url)
    assert response.status_code == 200
    assert f"{LINKS} claim citations" in response.content.decode()


def test_a_claim_with_few_links_keeps_its_inline(client, lead):
    claim = ClaimFactory()
    client.force_login(lead)
    html = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "claim_citations-TOTAL_FORMS" in html
