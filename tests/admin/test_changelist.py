"""The claim changelist costs a fixed number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ClaimCitationFactory, ClaimFactory, RevisionFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_claims(n: int):
    revision = RevisionFactory()
    assignee = UserFactory(username="assignee", role="Reviewer")
    creator = UserFactory(username="creator", role="Editor")
    for i in range(n):
        claim = ClaimFactory(
            revision=revision, created_by=creator, hedge_kind="reported" if i % 3 == 0 else "",
            assigned_to=assignee if i % 2 else None,
        )  # fmt: skip
        ClaimCitationFactory(claim=claim)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params", ["", "?queue=desk", "?status__exact=unreviewed&hedge_kind__exact=reported", "?q=village"]
)
def test_claim_list_query_count_does_not_grow_with_page_size(client, lead, params, django_assert_num_queries):
    client.force_login(lead)
    url = reverse("admin:claims_claim_changelist") + params
    make_claims(10)
    at_10 = count_queries(client, url + ("&" if params else "?") + "all=")
    make_claims(90)
    with django_assert_num_queries(at_10):
        response = client.get(url + ("&" if params else "?") + "all=")
    assert response.context["cl"].result_count >= 10


def test_claim_list_shows_the_columns_a_desk_needs(client, lead):
    make_claims(3)
    ClaimCitationFactory(citation__source=SourceFactory(name="Reuters"))  # the source filter lists cited sources
    client.force_login(lead)
    page = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    for column in ("claim", "article", "status", "hedge", "confidence", "citations", "assigned", "updated"):
        assert column in page.lower(), column
    for filter_title in ("By status", "By hedge kind", "By cleanup tag", "By cited source", "By article"):
        assert filter_title in page, filter_title


def test_the_unfiltered_list_uses_postgresqls_estimate_instead_of_counting(client, lead, monkeypatch):
    from claims.admin import paginator

    make_claims(12)
    with connection.cursor() as cursor:
        cursor.execute("SELECT claims_analyze('claims_claim'::regclass)")  # as the app may (migration 0015)
    monkeypatch.setattr(paginator, "EXACT_BELOW", 10)  # as if the table were large
    client.force_login(lead)
    url = reverse("admin:claims_claim_changelist")
    with CaptureQueriesContext(connection) as unfiltered:
        response = client.get(url)
    assert response.context["cl"].paginator.count == 12  # ANALYZE counted them exactly here
    assert not any(q["sql"].startswith("SELECT COUNT(*)") for q in unfiltered.captured_queries)  # not counted
    with CaptureQueriesContext(connection) as filtered:
        response = client.get(url + "?hedge_kind__exact=reported")
    assert response.context["cl"].paginator.count == 4  # a filtered list is counted exactly
    assert any(q["sql"].startswith("SELECT COUNT(*)") for q in filtered.captured_queries)
