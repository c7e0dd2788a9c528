"""The claim list's autocomplete filters (article, cited source, assignee): the same querystring keys as the
filters they replace, one cheap query each, and a choices view that finds rows as one types."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from tests.factories import (
    ArticleFactory,
    ClaimCitationFactory,
    ClaimFactory,
    RevisionFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:claims_claim_changelist"


@pytest.fixture
def desk(lead):
    reuters, kyiv = SourceFactory(name="Reuters", domain="reuters.com"), SourceFactory(name="Kyiv Post")
    rita = UserFactory(username="rita", first_name="Rita", role="Reviewer")
    aleppo = RevisionFactory(article__title="Battle of Aleppo")
    idlib = RevisionFactory(article__title="Idlib offensive")
    for i in range(8):
        claim = ClaimFactory(revision=aleppo if i % 2 else idlib, assigned_to=rita if i % 3 == 0 else None)
        ClaimCitationFactory(claim=claim, citation__article=claim.article, citation__source=reuters if i < 3 else kyiv)
        if i == 0:  # a second link to the same source: the claim is still listed once
            ClaimCitationFactory(claim=claim, citation__article=claim.article, citation__source=reuters)
    for n in range(30):  # more articles than one page of choices
        ArticleFactory(title=f"Other article {n:02d}")
    return {"reuters": reuters, "rita": rita, "aleppo": aleppo.article}


def listed(client, params: str) -> tuple[list[int], list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(CHANGELIST) + params)
    assert response.status_code == 200, params
    return [c.pk for c in response.context["cl"].result_list], [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("?source={reuters}", lambda d: Claim.objects.filter(claim_citations__citation__source=d["reuters"])),
        ("?article__id__exact={aleppo}", lambda d: Claim.objects.filter(article=d["aleppo"])),
        ("?assigned_to__id__exact={rita}", lambda d: Claim.objects.filter(assigned_to=d["rita"])),
        (
            "?source={reuters}&assigned_to__id__exact={rita}",
            lambda d: Claim.objects.filter(claim_citations__citation__source=d["reuters"], assigned_to=d["rita"]),
        ),
    ],  # fmt: skip
)
def test_each_filter_lists_exactly_its_claims_with_its_old_key(client, lead, desk, params, expected):
    client.force_login(lead)
    ids, queries = listed(client, params.format(**{k: v.pk for k, v in desk.items()}))
    assert sorted(ids) == sorted(set(expected(desk).values_list("pk", flat=True)))
    assert len(ids) == len(set(ids))
    assert len(queries) <= 10
    assert not any("DISTINCT" in sql or "GROUP BY" in sql for sql in queries)


def test_the_source_filter_is_a_semi_join_from_the_sources_citations(client, lead, desk):
    client.force_login(lead)
    _, queries = listed(client, f"?source={desk['reuters'].pk}")
    page = next(sql for sql in queries if sql.startswith('SELECT "claims_claim"."id", "claims_claim"."article_id"'))
    assert '"claims_claim"."id" IN (SELECT U0."claim_id"' in page
    assert "EXISTS" not in page


def test_no_filter_lists_the_articles_sources_or_people(client, lead, desk):
    """The sidebar no longer reads every article and source: nothing chosen, nothing read for them."""
    client.force_login(lead)
    _, queries = listed(client, "")
    assert not any('FROM "claims_article"' in sql for sql in queries)
    assert not any('FROM "claims_source"' in sql for sql in queries)
    page = client.get(reverse(CHANGELIST)).content.decode()
    for key in ("article__id__exact", "source", "assigned_to__id__exact"):
        assert f'data-parameter="{key}"' in page
    assert 'data-choices-url="/admin/claims/claim/filter-choices/article/"' in page
    assert "claims/filter_autocomplete.js" in page and "select2" in page


def test_a_chosen_row_is_named_in_the_sidebar_with_one_query(client, lead, desk):
    client.force_login(lead)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse(CHANGELIST) + f"?article__id__exact={desk['aleppo'].pk}").content.decode()
    assert "Battle of Aleppo" in page
    assert sum('FROM "claims_article"' in q["sql"] and "LIMIT 1" in q["sql"] for q in ctx.captured_queries) == 1
    assert "Other article 01" not in page


def test_an_unknown_id_is_named_as_not_found_and_a_non_id_is_refused(client, lead, desk):
    client.force_login(lead)
    page = client.get(reverse(CHANGELIST) + "?source=999999").content.decode()
    assert "#999999 (not found)" in page
    response = client.get(reverse(CHANGELIST) + "?article__id__exact=abc")
    assert response.status_code == 302 and "e=1" in response["Location"]  # the admin's "invalid filter"


@pytest.mark.parametrize(
    ("kind", "term", "expected"),
    [
        ("article", "aleppo", ["Battle of Aleppo"]),
        ("source", "reuters.com", ["Reuters"]),
        ("source", "post", ["Kyiv Post"]),
        ("assignee", "rit", ["rita"]),
    ],
)
def test_the_choices_view_finds_rows_as_one_types(client, lead, desk, kind, term, expected):
    client.force_login(lead)
    url = reverse("admin:claims_claim_filter_choices", args=[kind])
    with CaptureQueriesContext(connection) as ctx:
        data = client.get(url, {"term": term}).json()
    assert [r["text"] for r in data["results"]] == expected
    assert data["pagination"] == {"more": False}
    assert sum("LIKE" in q["sql"] for q in ctx.captured_queries) == 1  # one query finds the matches


def test_the_choices_come_a_page_at_a_time(client, lead, desk):
    client.force_login(lead)
    url = reverse("admin:claims_claim_filter_choices", args=["article"])
    first = client.get(url, {"term": "other"}).json()
    second = client.get(url, {"term": "other", "page": "2"}).json()
    assert len(first["results"]) == 20 and first["pagination"]["more"]
    assert len(second["results"]) == 10 and not second["pagination"]["more"]
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})


def test_the_choices_view_needs_the_right_to_view_claims(client, desk):
    nobody = UserFactory(username="nobody")  # staff, no role
    client.force_login(nobody)
    response = client.get(reverse("admin:claims_claim_filter_choices", args=["source"]), {"term": "r"})
    assert response.status_code == 403
    client.force_login(UserFactory(username="viewer", role="Viewer"))
    assert client.get(reverse("admin:claims_claim_filter_choices", args=["source"])).status_code == 200
    assert client.get(reverse("admin:claims_claim_filter_choices", args=["nope"])).status_code == 404
