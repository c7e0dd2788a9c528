"""Every claim-list view the admin offers stays a small fixed number of queries with no aggregate over the table.

At a million claims (docs/benchmarks.md) a GROUP BY or a DISTINCT over the whole list before the LIMIT, or a sort
no index serves, costs seconds; these tests pin the shape of the SQL so that a change cannot bring them back.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.admin.claim import ClaimAdmin
from claims.models import Claim
from tests.factories import ClaimCitationFactory, ClaimFactory, RevisionFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10

FILTERS = [
    "",
    "?queue=mine",
    "?queue=desk",
    "?queue=open",
    "?status__exact=unreviewed",
    "?hedge_kind__exact=reported",
    "?band=low",
    "?tag=dubious",
    "?source={source}",
    "?anchor_state__exact=anchored",
    "?reopened=1",
    "?reopened=mine",
    "?article__id__exact={article}",
    "?q=village",
    "?q=%22heavy+fighting%22",
    "?status__exact=unreviewed&hedge_kind__exact=reported&q=village",
    "?p=2",
]


@pytest.fixture
def claims(lead):
    revision = RevisionFactory()
    assignee = UserFactory(username="assignee", role="Reviewer")
    source = SourceFactory(name="Reuters")
    for i in range(60):
        claim = ClaimFactory(
            revision=revision, hedge_kind="reported" if i % 3 == 0 else "", tags=["dubious"] if i % 4 == 0 else [],
            text=f"Heavy fighting near the village number {i}.", assigned_to=assignee if i % 2 else lead,
        )  # fmt: skip
        ClaimCitationFactory(claim=claim, citation__article=revision.article, citation__source=source)
    ClaimCitationFactory(claim=ClaimFactory(text="In another article."))  # two articles: the filter has a choice
    return {"source": source.pk, "article": revision.article.pk}


def list_sql(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in ctx.captured_queries]


def the_page_query(queries):
    return next(sql for sql in queries if sql.startswith('SELECT "claims_claim"."id", "claims_claim"."article_id"'))


@pytest.mark.parametrize("params", FILTERS)
def test_every_filter_and_search_is_a_few_queries_without_aggregates(client, lead, claims, params):
    client.force_login(lead)
    response, queries = list_sql(client, reverse("admin:claims_claim_changelist") + params.format(**claims))
    assert len(queries) <= MAX_QUERIES, queries
    assert not any("GROUP BY" in sql or "DISTINCT" in sql for sql in queries), queries
    assert response.context["cl"].result_count >= 0


def sortable_columns():
    """The `o=` index of every sortable column (the admin's list starts with the action checkbox)."""
    columns = ["action_checkbox", *ClaimAdmin.list_display]
    admin = ClaimAdmin(Claim, None)
    found = []
    for index, name in enumerate(columns):
        attr = getattr(admin, name, None)
        if name == "action_checkbox":
            continue
        if attr is None or getattr(attr, "admin_order_field", None):
            found.append(index)
    return found


def test_only_columns_an_index_can_sort_are_sortable():
    admin = ClaimAdmin(Claim, None)
    orders = {getattr(getattr(admin, name, None), "admin_order_field", name) for name in ClaimAdmin.list_display}
    orders &= {f.name for f in Claim._meta.get_fields()} | {"article_id"}
    assert orders == {"article_id", "status", "priority", "hedge_kind", "confidence", "event_date", "updated_at"}


@pytest.mark.parametrize("index", sortable_columns())
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_sort_breaks_ties_on_id_in_its_own_direction(client, lead, claims, index, direction):
    """(column, id) indexes serve a sort both ways only when the tie-break runs the same way as the column."""
    client.force_login(lead)
    response, queries = list_sql(client, reverse("admin:claims_claim_changelist") + f"?o={direction}{index}")
    assert len(queries) <= MAX_QUERIES
    sql = the_page_query(queries)
    order_by = sql.rsplit("ORDER BY", 1)[1].split("LIMIT")[0]
    assert "GROUP BY" not in sql
    assert order_by.strip().endswith('"claims_claim"."id" DESC' if direction else '"claims_claim"."id" ASC'), sql
    assert "claims_article" not in order_by  # by article id, never by the joined title


def test_default_order_is_the_anchor_index_order(client, lead, claims):
    client.force_login(lead)
    _, queries = list_sql(client, reverse("admin:claims_claim_changelist"))
    order_by = the_page_query(queries).rsplit("ORDER BY", 1)[1]
    assert [part.strip() for part in order_by.split("LIMIT")[0].split(", ")] == [
        '"claims_claim"."article_id" ASC',
        '"claims_claim"."paragraph_index" ASC',
        '"claims_claim"."sentence_index" ASC',
        '"claims_claim"."id" ASC',
    ]


def test_citation_counts_are_per_listed_claim(client, lead, claims):
    claim = Claim.objects.order_by("article_id", "paragraph_index", "sentence_index", "id").first()
    ClaimCitationFactory(claim=claim)
    client.force_login(lead)
    response = client.get(reverse("admin:claims_claim_changelist"))
    counts = {c.pk: c.n_citations for c in response.context["cl"].result_list}
    assert counts[claim.pk] == 2
    assert set(counts.values()) == {1, 2} and len(counts) == 50


def test_source_filter_lists_claims_once_however_many_links_cite_the_source(client, lead, claims):
    claim = Claim.objects.first()
    ClaimCitationFactory(claim=claim, citation__article=claim.article, citation__source_id=claims["source"])
    client.force_login(lead)
    response = client.get(reverse("admin:claims_claim_changelist") + f"?source={claims['source']}&all=")
    listed = [c.pk for c in response.context["cl"].result_list]
    assert len(listed) == len(set(listed)) == 60  # the other article's claim cites another source


def test_a_large_filtered_list_is_counted_up_to_a_cap_then_estimated(client, lead, claims, monkeypatch):
    from claims.admin import paginator

    monkeypatch.setattr(paginator, "FILTERED_EXACT_BELOW", 10)
    client.force_login(lead)
    with connection.cursor() as cursor:
        cursor.execute("SELECT claims_analyze('claims_claim'::regclass)")  # as the app may (migration 0015)
    response, queries = list_sql(client, reverse("admin:claims_claim_changelist") + "?hedge_kind__exact=reported")
    assert any(sql.startswith("EXPLAIN") for sql in queries)
    assert response.context["cl"].result_count > 10  # at least what was counted: 20 really match
    monkeypatch.setattr(paginator, "FILTERED_EXACT_BELOW", 100)
    response, queries = list_sql(client, reverse("admin:claims_claim_changelist") + "?hedge_kind__exact=reported")
    assert response.context["cl"].result_count == 20
    assert not any(sql.startswith("EXPLAIN") for sql in queries)
