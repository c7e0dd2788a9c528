"""The claim list's autocomplete filters (article, cited source, assignee): the same querystring keys as the
filters they replace, one cheap query each, and a choices view that finds rows as one types."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from tests.factories import (
    ArticleFactory,
    CitationFactory,
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


def test_the_source_filter_is_a_semi_join_on_the_links_of_the_sources_cited_citations(client, lead, desk):
    """One query reads which of the source's citations claims cite; the count and the page then ask for the
    links of those ids (a constant array the planner can size), without joining the citations again."""
    client.force_login(lead)
    _, queries = listed(client, f"?source={desk['reuters'].pk}")
    reads_citations = [sql for sql in queries if 'FROM "claims_citation"' in sql]
    assert len(reads_citations) == 1 and "EXISTS" in reads_citations[0]
    page = next(sql for sql in queries if sql.startswith('SELECT "claims_claim"."id", "claims_claim"."article_id"'))
    count = next(sql for sql in queries if sql.startswith("SELECT COUNT(*)"))
    for sql in (page, count):
        assert '"claims_claim"."id" IN (SELECT U0."claim_id"' in sql
        assert 'U0."citation_id" IN (SELECT unnest(' in sql
        assert "claims_citation" not in sql and "EXISTS" not in sql


@pytest.fixture
def citing_desk(lead):
    """Claims in two articles citing two sources, some through several links: one claim cites Reuters through
    two of its citations, another through two plus an AP one. Reuters also has a citation nobody cites; one
    source has no citation at all, another only a citation nobody cites."""
    reuters, ap, silent, uncited = (SourceFactory(name=name) for name in ("Reuters", "AP", "Silent", "Uncited"))
    aleppo = RevisionFactory(article__title="Battle of Aleppo")
    idlib = RevisionFactory(article__title="Idlib offensive")

    def citation(revision, source):
        return CitationFactory(article=revision.article, source=source)

    r1, r2, r3 = citation(aleppo, reuters), citation(aleppo, reuters), citation(idlib, reuters)
    citation(aleppo, reuters)  # cited by no claim
    a1, a2 = citation(aleppo, ap), citation(idlib, ap)
    citation(idlib, uncited)
    cites = [[r1, r2], [r1, a1], [a1], [r2], [], [r1, r2, a1], [a1], [r3], [a2], [r3, a2], [], [r3]]
    statuses = ["verified", "unreviewed", "verified", "refuted", "verified"]
    claims = []
    for i, links in enumerate(cites):
        claim = ClaimFactory(
            revision=aleppo if i < 7 else idlib, paragraph_index=(11 - i) % 4, sentence_index=i % 2,
            status=statuses[i % len(statuses)], priority=i % 3,
        )  # fmt: skip
        for position, cited in enumerate(links):
            ClaimCitationFactory(claim=claim, citation=cited, position=position)
        claims.append(claim)
    return {
        "reuters": reuters, "ap": ap, "silent": silent, "uncited": uncited,
        "citing_reuters": [claims[i].pk for i in (0, 1, 3, 5, 7, 9, 11)],
        "citing_ap": [claims[i].pk for i in (1, 2, 5, 6, 8, 9)],
    }  # fmt: skip


def listed_all(client, params: str):
    """Every claim the list shows for `params` (one page: `all`), the count it shows, and its queries."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(CHANGELIST) + params + "&all=")
    assert response.status_code == 200, params
    cl = response.context["cl"]
    return [c.pk for c in cl.result_list], cl.result_count, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("source", ["reuters", "ap"])
@pytest.mark.parametrize("order", ["", "&o=3", "&o=-4", "&o=2.-10"])
def test_the_source_filter_lists_and_counts_its_claims_once_in_the_lists_order(
    client, lead, citing_desk, source, order
):
    """The same claims, in the same order, as the whole list narrowed to those citing the source; each once
    however many of its links cite it; counted exactly."""
    client.force_login(lead)
    expected = set(citing_desk[f"citing_{source}"])
    everything, _, _ = listed_all(client, "?" + order.lstrip("&"))
    ids, count, queries = listed_all(client, f"?source={citing_desk[source].pk}{order}")
    assert ids == [pk for pk in everything if pk in expected]
    assert len(ids) == len(set(ids)) == count == len(expected)
    assert len(queries) <= 10
    assert not any("DISTINCT" in sql or "GROUP BY" in sql for sql in queries)


def test_the_source_filter_pages_through_its_claims_once_each(client, lead, citing_desk, monkeypatch):
    from claims.admin.claim import ClaimAdmin

    monkeypatch.setattr(ClaimAdmin, "list_per_page", 3)
    client.force_login(lead)
    seen = []
    for page in (1, 2, 3):
        response = client.get(reverse(CHANGELIST) + f"?source={citing_desk['reuters'].pk}&p={page}")
        seen += [c.pk for c in response.context["cl"].result_list]
        assert response.context["cl"].result_count == 7
    everything = listed_all(client, "?")[0]
    assert seen == [pk for pk in everything if pk in set(citing_desk["citing_reuters"])]


def test_the_source_filter_narrows_with_the_other_filters(client, lead, citing_desk):
    client.force_login(lead)
    reuters = citing_desk["reuters"].pk
    verified = set(Claim.objects.filter(status="verified").values_list("pk", flat=True))
    ids, count, _ = listed_all(client, f"?source={reuters}&status__exact=verified")
    assert set(ids) == set(citing_desk["citing_reuters"]) & verified and count == len(ids) > 0
    ids, count, _ = listed_all(client, f"?source={reuters}&q=village")
    assert set(ids) == set(citing_desk["citing_reuters"]) and count == 7


def test_a_long_source_list_is_counted_up_to_the_cap_then_estimated(client, lead, citing_desk, monkeypatch):
    from claims.admin import paginator

    monkeypatch.setattr(paginator, "FILTERED_EXACT_BELOW", 3)
    with connection.cursor() as cursor:
        for table in ("claims_claim", "claims_claimcitation", "claims_citation"):
            cursor.execute("SELECT claims_analyze(%s::regclass)", [table])  # as the app may (migration 0015)
    client.force_login(lead)
    ids, count, queries = listed_all(client, f"?source={citing_desk['reuters'].pk}")
    assert any(sql.startswith("EXPLAIN") for sql in queries)
    assert count >= 4  # never below what was counted (4 of the 7)
    assert sorted(ids) == sorted(citing_desk["citing_reuters"])


@pytest.mark.parametrize("source", ["silent", "uncited"])
def test_a_source_no_claim_cites_lists_nothing_without_reading_claims(client, lead, citing_desk, source):
    client.force_login(lead)
    ids, count, queries = listed_all(client, f"?source={citing_desk[source].pk}")
    assert ids == [] and count == 0
    assert not any('FROM "claims_claim"' in sql for sql in queries)


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
