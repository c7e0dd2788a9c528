"""Odd input never reaches int() or PostgreSQL: a 400 (or a refusal) naming the field, nothing changed."""

import pytest
from django.urls import reverse

from claims.inputs import BadInput, has_odd_digits, is_id, parse_id
from claims.models import Claim, Review
from tests.factories import ArticleFactory, ClaimFactory, RelationFactory

pytestmark = pytest.mark.django_db

SUPERSCRIPT_ONE, ARABIC_ONE = "\u00b9", "\u0661"


@pytest.mark.parametrize("value", ["1", "0", "123456789012345678"])
def test_ascii_ids_parse(value):
    assert is_id(value) and parse_id(value, field="id") == int(value)


@pytest.mark.parametrize("value", [SUPERSCRIPT_ONE, ARABIC_ONE, "1" + ARABIC_ONE, "", "-1", "1.0", "9" * 19, "1\x00"])
def test_other_ids_are_refused_naming_the_field(value):
    assert not is_id(value)
    with pytest.raises(BadInput, match="^seen_version: "):
        parse_id(value, field="seen_version")


def test_odd_digits_are_told_apart_from_words():
    assert has_odd_digits(SUPERSCRIPT_ONE) and has_odd_digits("\u0661\u0662")
    assert not has_odd_digits("12") and not has_odd_digits("Aleppo") and not has_odd_digits("")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/exports/claims.csv?article={SUPERSCRIPT_ONE}", "article"),
        ("/exports/claims.csv?source=%C2%B2", "source"),
        (f"/exports/claims.csv?article={ARABIC_ONE}", "article"),
        ("/exports/claims.csv?status=%00", "status"),
        ("/exports/claims.csv?q=%00", "q"),
        ("/admin/claims/claim/?status__exact=%00", "status__exact"),
        ("/admin/claims/claim/?source=%C2%B2", "source"),
        (f"/admin/claims/claim/?article__id__exact={SUPERSCRIPT_ONE}", "article__id__exact"),
        (f"/admin/claims/claim/?p={ARABIC_ONE}", "p"),
        ("/admin/claims/source/?q=%00", "q"),
    ],
)
def test_query_parameters_with_nul_or_odd_digits_are_a_400_naming_them(admin_client, url, field):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert f"'{field}'" in response.content.decode()


@pytest.mark.parametrize("model", ["claim", "claimrelation", "source", "article"])
@pytest.mark.parametrize("raw", [SUPERSCRIPT_ONE, ARABIC_ONE, "%00"])
def test_admin_path_ids_with_odd_digits_or_nul_are_a_400(admin_client, model, raw):
    ClaimFactory()
    RelationFactory()
    response = admin_client.get(f"/admin/claims/{model}/{raw}/change/")
    assert response.status_code == 400


def test_arabic_indic_one_is_not_read_as_one(admin_client):
    claim = ClaimFactory()
    assert admin_client.get(f"/admin/claims/claim/{claim.pk}/change/").status_code == 200
    odd = str(claim.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert admin_client.get(f"/admin/claims/claim/{odd}/change/").status_code == 400


def test_search_text_in_other_digits_is_still_searched(admin_client):
    assert admin_client.get("/admin/claims/claim/?q=%D9%A1%D9%A9%D9%A4%D9%A8").status_code == 200


@pytest.mark.parametrize("seen", [SUPERSCRIPT_ONE, "1\x00"])
def test_a_decision_posted_with_an_odd_seen_version_is_a_400_and_changes_nothing(client, reviewer, seen):
    claim = ClaimFactory(status="in_review", assigned_to=reviewer)
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:claims_claim_workflow", args=[claim.pk]),
        {"action": "decide", "status": "verified", "note": "checked", "seen_version": seen},
    )
    assert response.status_code == 400
    assert "seen_version" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "in_review" and not Review.objects.filter(claim=claim).exists()


def test_a_huge_path_id_is_not_found_not_a_crash(admin_client):
    response = admin_client.get(f"/admin/claims/claimrelation/{'9' * 40}/change/")
    assert response.status_code in (302, 404)
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    "query", ["article=1.5", "article=abc", "article=-", "source=1e3", "article=99999999999999999999"]
)
def test_an_add_page_with_an_initial_value_its_field_cannot_hold_starts_blank(admin_client, query):
    """Found by `make fuzz`: the citation add page took "?article=1.5" as the article's id and its autocomplete
    widget's query failed (a 500)."""
    response = admin_client.get(f"/admin/claims/citation/add/?{query}")
    assert response.status_code == 200
    assert response.context["adminform"].form.initial.get(query.split("=")[0]) is None


def test_an_add_page_keeps_an_initial_value_that_fits(admin_client):
    article = ArticleFactory()
    response = admin_client.get(f"/admin/claims/citation/add/?article={article.pk}")
    assert response.status_code == 200
    assert str(response.context["adminform"].form.initial["article"]) == str(article.pk)


def test_a_posted_id_its_field_cannot_hold_is_a_form_error(admin_client):
    """Found by `make fuzz`: the bound form handed "1.5" to the autocomplete widget's query (a 500)."""
    response = admin_client.post("/admin/claims/citation/add/", {"article": "1.5", "label": "1", "_reason": "x"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["article"]
