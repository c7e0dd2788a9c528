"""Searching claims: one meaning in the admin and in exports, indexed on PostgreSQL."""

import pytest
from django.db import connection
from django.urls import reverse

from claims.exports import ExportFilter
from claims.exports.query import where
from claims.models import Claim
from claims.search import search_claims, split_terms, tsquery
from tests.factories import ClaimFactory, RevisionFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "airport": "In the afternoon, the SDF captured Aleppo International Airport and the towns of Nubbul.",
    "hamwi": "According to Abu Hassan al-Hamwi, head of HTS's military wing, the offensive had been planned.",
    "idlib": "Pro-government forces retreated from most of the Idlib Governorate.",
    "kyiv": "Some Islamist social media accounts said that the rebels received some training.",
}


@pytest.fixture
def claims(db):
    revision = RevisionFactory()
    made = {key: ClaimFactory(revision=revision, text=text) for key, text in TEXTS.items()}
    made["kyiv"].attributed_to = "the Kyiv Post; some Islamist social media accounts"
    made["kyiv"].save()
    return made


def found(search: str) -> set[str]:
    pks = set(search_claims(Claim.objects.all(), search).values_list("pk", flat=True))
    return {key for key, text in TEXTS.items() if Claim.objects.get(text=text).pk in pks}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("aleppo airp", {"airport"}),  # every word, each a prefix
        ("AIRPORT", {"airport"}),  # case does not matter
        ("hamwi", {"hamwi"}),  # a part of a hyphenated name
        ("al-Hamwi", {"hamwi"}),
        ('"Idlib Governorate"', {"idlib"}),  # a quoted phrase: adjacent words
        ('"Governorate Idlib"', set()),
        ("kyiv post", {"kyiv"}),  # the attributed-to text is searched too
        ("aleppo idlib", set()),  # all terms must match
        ("HTS's", {"hamwi"}),
    ],
)
def test_search_meaning(claims, search, expected):
    assert found(search) == expected


def test_terms_never_reach_tsquery_as_syntax():
    assert tsquery(split_terms("a & b | !c:* <-> (d)")) == "(a:*) & (b:*) & (c:*) & (d:*)"
    assert tsquery(split_terms("&&& |||")) is None


def test_export_filter_and_admin_search_find_the_same_claims(claims):
    for search in ("aleppo airp", '"Idlib Governorate"', "kyiv post", "hamwi", "nothing-like-this"):
        sql, params = where(ExportFilter.from_params({"q": search}))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM claims_claim WHERE {sql}", params)  # noqa: S608 - our own builder
            exported = {row[0] for row in cursor.fetchall()}
        admin = set(search_claims(Claim.objects.all(), search).values_list("pk", flat=True))
        assert exported == admin, search


def test_the_gin_index_serves_the_search(claims):
    sql, params = where(ExportFilter.from_params({"q": "aleppo airport"}))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN SELECT id FROM claims_claim WHERE {sql}", params)  # noqa: S608
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claim_search_idx" in plan, plan
    # The search's own condition, without the list's ordering (whose join a planner may prefer on 4 rows).
    queryset = search_claims(Claim.objects.all(), "aleppo airport").order_by().values("pk")
    admin_sql = str(queryset.query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        compiled, admin_params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + compiled, admin_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "claim_search_idx" in plan, (admin_sql, plan)


def test_admin_search_box_uses_it(client, lead, claims):
    client.force_login(lead)
    page = client.get(reverse("admin:claims_claim_changelist") + "?q=airp")
    assert page.context["cl"].result_count == 1


def test_highlight_marks_each_searched_word_as_the_search_matches_it():
    from claims.search import highlight

    html = highlight('The SDF captured Aleppo <airport> & "the towns"', 'airp "aleppo" sdf')
    assert html == (
        'The <mark class="search-hit">SDF</mark> captured <mark class="search-hit">Aleppo</mark> '
        '&lt;<mark class="search-hit">airport</mark>&gt; &amp; &quot;the towns&quot;'
    )
    assert highlight("al-Hamwi said", "hamwi") == 'al-<mark class="search-hit">Hamwi</mark> said'
    assert highlight("nothing here", "") == "nothing here"
