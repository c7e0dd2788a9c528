"""The claim page costs the same few queries whatever its citations and relations, and shows them in pages."""

import pytest
from django.urls import reverse

from claims.admin.review_page import PANEL_ROWS
from claims.models import ClaimRelation
from tests.factories import ClaimCitationFactory, ClaimFactory, RevisionFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def claim_with(n_links: int, n_relations: int):
    revision = RevisionFactory()
    claim = ClaimFactory(revision=revision)
    for _ in range(n_links):
        ClaimCitationFactory(claim=claim)
    others = [ClaimFactory(revision=revision) for _ in range(n_relations)]
    ClaimRelation.objects.bulk_create(  # plain rows: the page reads them, how they were written does not matter
        ClaimRelation(claim_a_id=min(claim.pk, o.pk), claim_b_id=max(claim.pk, o.pk), evidence="differs")
        for o in others
    )
    return claim


@pytest.mark.parametrize("size", [2, 60])
def test_claim_page_queries_do_not_grow_with_its_citations_and_relations(
    client, lead, size, django_assert_max_num_queries
):
    claim = claim_with(size, size)
    client.force_login(lead)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["claim_citations"]) == min(size, PANEL_ROWS)
    assert len(response.context["relations"]) == min(size, PANEL_ROWS)
    # The edit inline shows the same page of links as the panel.
    formset = response.context["inline_admin_formsets"][0].formset
    assert [f.instance.pk for f in formset.forms] == [cc.pk for cc in response.context["claim_citations"]]


def test_large_panels_and_the_inline_are_paged(client, lead):
    claim = claim_with(PANEL_ROWS + 10, PANEL_ROWS + 3)
    client.force_login(lead)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    first = client.get(url)
    assert first.context["citations_page"].has_next and first.context["relations_page"].has_next
    assert "?citations_page=2" in first.content.decode() and "?relations_page=2" in first.content.decode()
    second = client.get(url + "?citations_page=2&relations_page=2")
    assert len(second.context["claim_citations"]) == 10 and len(second.context["relations"]) == 3
    shown = {cc.pk for cc in first.context["claim_citations"]} | {cc.pk for cc in second.context["claim_citations"]}
    assert shown == set(claim.claim_citations.values_list("pk", flat=True))  # every link on one page or the other
    assert not second.context["citations_page"].has_next
    assert client.get(url + "?citations_page=junk").context["citations_page"].number == 1


def test_the_citation_inline_shows_each_selected_citation_without_a_query_per_row(client, lead):
    claim = claim_with(3, 0)
    client.force_login(lead)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    for link in claim.claim_citations.select_related("citation"):
        assert f'<option value="{link.citation_id}" selected>{link.citation}</option>' in page


def test_a_link_on_the_second_page_is_edited_from_that_page(client, lead):
    from tests.admin.test_review_admin import change_form_data

    claim = claim_with(PANEL_ROWS + 2, 0)
    last = claim.claim_citations.order_by("position", "pk").last()
    client.force_login(lead)
    url = reverse("admin:claims_claim_change", args=[claim.pk]) + "?citations_page=2"
    page = client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    assert len(formset.forms) == 2 and formset.forms[-1].instance == last
    data = change_form_data(page)
    data[formset.forms[-1].add_prefix("stance")] = "contradicts"
    data["change_reason"] = "grading the last link"
    response = client.post(url, data)
    assert response.status_code == 302
    last.refresh_from_db()
    assert last.stance == "contradicts"
    assert claim.claim_citations.count() == PANEL_ROWS + 2  # the first page's links are untouched
    assert last.history.order_by("-history_id").first().history_change_reason == "grading the last link"
