"""ClaimReview JSON-LD: decided claims only, the verdict on a stated scale, valid against schema.org."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from claims.exports import as_claimreview
from tests.exports.conftest import decide
from tests.exports.util import run

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "claimreview.schema.json").read_text())


def test_lists_the_decided_claims_with_their_verdicts(sample, settings):
    settings.CLAIMS_ORGANISATION_NAME = "Example Desk"
    settings.CLAIMS_ORGANISATION_URL = "https://desk.example/"
    settings.CLAIMS_SITE_URL = "https://tracker.example/"
    data, provenance = run("claimreview")
    reviews = json.loads(data)
    jsonschema.validate(reviews, SCHEMA)
    by_text = {r["claimReviewed"]: r for r in reviews}
    c = sample.claims
    assert set(by_text) == {c["attack"].text, c["sdf"].text, c["hts"].text}  # not the open ones
    assert provenance["rows"] == 3 and provenance["filter"] == {"decided": ["1"]}
    verified = by_text[c["attack"].text]
    assert verified["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "True",
    }
    assert by_text[c["sdf"].text]["reviewRating"]["alternateName"] == "False"
    assert by_text[c["sdf"].text]["reviewRating"]["ratingValue"] == 1
    assert by_text[c["hts"].text]["reviewRating"]["alternateName"] == "Disputed"
    assert verified["author"] == {"@type": "Organization", "name": "Example Desk", "url": "https://desk.example/"}
    assert verified["url"] == f"https://tracker.example/articles/{sample.article.pk}/report/#claim-{c['attack'].pk}"
    assert verified["itemReviewed"]["appearance"]["url"] == sample.article.url
    assert verified["datePublished"] == "2024-12-02T10:30:00Z"  # the decision time
    assert verified["reviewBody"] == "Two outlets confirm."


def test_every_status_maps_to_a_verdict_on_the_scale():
    for status, (value, verdict) in as_claimreview.RATINGS.items():
        assert verdict
        assert as_claimreview.WORST <= value <= as_claimreview.BEST, status


def test_unverifiable_sits_in_the_middle_of_the_scale(sample, reviewer2):
    """Issue #12: every reviewRating has a ratingValue on the documented 1–5 scale."""
    claim = sample.claims["nobody"]
    decide(claim, "unverifiable", reviewer2, "No source says who fired first.", timezone.now())
    reviews = json.loads(run("claimreview")[0])
    jsonschema.validate(reviews, SCHEMA)
    review = next(r for r in reviews if r["claimReviewed"] == claim.text)
    assert review["reviewRating"] == {
        "@type": "Rating", "ratingValue": 3, "bestRating": 5, "worstRating": 1, "alternateName": "Unverifiable",
    }  # fmt: skip
    # The sample article's publication date is not known, and the import date is not it: itemReviewed has none.
    assert "datePublished" not in review["itemReviewed"]


def test_item_reviewed_is_dated_by_the_articles_publication_date(sample, settings):
    """Issue #12 (15): itemReviewed.datePublished is when the article published the claim."""
    sample.article.published_on = dt.date(2024, 11, 30)
    sample.article.save()
    reviews = json.loads(run("claimreview")[0])
    jsonschema.validate(reviews, SCHEMA)
    assert len(reviews) == 3 and {r["itemReviewed"]["datePublished"] for r in reviews} == {"2024-11-30"}
    # The date feeds ClaimReview only: the JSON record stays as documented.
    claims = json.loads(run("json")[0])["claims"]
    assert not any(key.startswith("_") for claim in claims for key in claim)


def test_safe_inside_a_script_tag(hostile):
    data = run("claimreview", article=str(hostile.article.pk))[0].decode()
    assert "<" not in data and ">" not in data and "&" not in data
    reviews = json.loads(data)
    jsonschema.validate(reviews, SCHEMA)
    assert reviews[0]["claimReviewed"] == "=cmd|' /C calc'!A0"
    assert reviews[0]["itemReviewed"]["author"] == {"@type": "Organization", "name": "+the ministry"}
