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


# ---- the walk: a term in most claims is found by reading the list in its order ------------------------------
@pytest.fixture
def desk(db):
    """60 claims over two articles, most saying "heavy fighting", some not, a few rare words."""
    revisions = [RevisionFactory(), RevisionFactory()]
    for i in range(60):
        words = "after heavy fighting" if i % 7 else "after a lull"
        rare = " near the airport" if i % 20 == 3 else ""
        ClaimFactory(
            revision=revisions[i % 2], paragraph_index=i // 5, sentence_index=i % 5, priority=i % 4,
            text=f"On day {i} the village fell {words}{rare}.", hedge_kind="reported" if i % 3 == 0 else "",
        )  # fmt: skip


ORDERS = [
    ("article_id", "paragraph_index", "sentence_index", "id"),
    ("-priority", "created_at", "id"),
    ("hedge_kind", "-id"),
]


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("wanted", [1, 10, 30])
@pytest.mark.parametrize("base", ["all", "reported"])
def test_the_walk_finds_the_same_first_claims_in_the_same_order_as_the_index(desk, order, wanted, base):
    from claims.search import walk_matches

    queryset = Claim.objects.all() if base == "all" else Claim.objects.filter(hedge_kind="reported")
    queryset = queryset.order_by(*order)
    expected = list(search_claims(queryset, '"heavy fighting"').values_list("pk", flat=True))
    walk = walk_matches(queryset, '"heavy fighting"', wanted=wanted, rows=40)
    assert walk is not None
    assert walk.ids == expected[:wanted]
    if walk.exhausted:
        assert walk.hits == len(expected)


def test_a_rare_term_is_left_to_the_index(desk):
    from claims.search import walk_matches

    queryset = Claim.objects.order_by("article_id", "paragraph_index", "sentence_index", "id")
    assert walk_matches(queryset, "airport", wanted=10, rows=20) is None  # 3 matches: not 10 within 20 claims
    walk = walk_matches(queryset, "airport", wanted=10, rows=100)  # read them all: exact, however few
    assert walk is not None and walk.exhausted and walk.hits == 3
    assert walk.ids == list(search_claims(queryset, "airport").values_list("pk", flat=True))


def test_the_walk_tests_the_search_outside_the_where_clause(desk):
    """The planner must not be able to trade the list's order for the full-text index (a phrase looks rare to
    it): the search is a column of the walk's SELECT, and the WHERE holds only the list's own filters."""
    from claims import search

    queryset = Claim.objects.filter(hedge_kind="reported").order_by("article_id", "paragraph_index", "id")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        search.walk_matches(queryset, '"heavy fighting"', wanted=5, rows=30)
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    inner = sql.split("FROM (", 1)[1]
    where = inner.split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
    assert "@@" not in where and "@@" in inner.split(" FROM ")[0]
    assert inner.removesuffix(") AS w").endswith("LIMIT 30")


@pytest.mark.parametrize("params", ["", "&hedge_kind__exact=reported", "&o=-4", "&p=2", "&queue=open"])
def test_the_admin_list_pages_a_frequent_term_by_the_walk_and_shows_what_the_index_would(
    client, lead, desk, monkeypatch, params
):
    from django.test.utils import CaptureQueriesContext

    from claims import search
    from claims.admin.claim import ClaimAdmin

    monkeypatch.setattr(search, "WALK_ROWS", 40)
    monkeypatch.setattr(ClaimAdmin, "list_per_page", 10)
    client.force_login(lead)
    url = reverse("admin:claims_claim_changelist") + '?q="heavy+fighting"' + params
    with CaptureQueriesContext(connection) as ctx:
        walked = client.get(url)
    assert any("_walk_hit" in q["sql"] for q in ctx.captured_queries)
    walked_ids = [c.pk for c in walked.context["cl"].result_list]
    monkeypatch.setattr(search, "walk_matches", lambda *args, **kwargs: None)  # the full-text index only
    indexed = client.get(url)
    assert walked_ids == [c.pk for c in indexed.context["cl"].result_list]
    assert walked_ids
    page = walked.content.decode()
    assert '<mark class="search-hit">heavy</mark>' in page  # the rows still carry the search for the marks


def test_the_walked_list_is_a_few_queries_and_counts_from_what_it_read(client, lead, desk, monkeypatch):
    from claims import search
    from claims.admin.claim import ClaimAdmin

    monkeypatch.setattr(search, "WALK_ROWS", 20)
    monkeypatch.setattr(ClaimAdmin, "list_per_page", 10)
    client.force_login(lead)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:claims_claim_changelist") + '?q="heavy+fighting"')
    queries = [q["sql"] for q in ctx.captured_queries]
    assert len(queries) <= 10
    assert not any(sql.startswith("SELECT COUNT(*) FROM (SELECT") for sql in queries)  # no capped count
    cl = response.context["cl"]
    assert cl.result_count > 10  # estimated from the 20 read (51 really match): at least a next page
    assert len(cl.result_list) == 10
    assert cl.multi_page
