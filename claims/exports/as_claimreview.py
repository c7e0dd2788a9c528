"""schema.org ClaimReview (JSON-LD) for decided claims, ready to embed in a page.

One ClaimReview per decided claim, in a JSON array (one object per line):

- claimReviewed — the claim's text;
- reviewRating — a Rating on the scale below: ratingValue (1–5, worstRating 1, bestRating 5) and
  alternateName, the human-readable verdict mapped from the status;
- itemReviewed — the Claim: appearance is the article (its URL and title), author the party it is
  attributed to, when the article names one, datePublished the article's publication date
  (Article.published_on) — omitted when it is not known (the import date is not it);
- author — the organisation (settings CLAIMS_ORGANISATION_NAME / CLAIMS_ORGANISATION_URL);
- datePublished — when the decision was made; reviewBody — the reviewer's note;
- url — the claim on the article's report page (settings CLAIMS_SITE_URL, else the organisation's URL).

Required and recommended properties follow Google's fact-check structured-data guidelines and the
schema.org vocabulary (ClaimReview, Rating, Claim); tests/exports/claimreview.schema.json checks them.
`<`, `>` and `&` are written as \\u escapes so the JSON can sit inside a <script> tag safely.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from . import rows
from .runner import Tally

WORST, BEST = 1, 5
# status → (ratingValue, alternateName) on a 1–5 truth scale (docs/exports.md), stated in every Rating
# (worstRating 1, bestRating 5): 1 false · 3 neither shown true nor false · 5 true. Disputed (sources
# disagree) and unverifiable (nothing to check it against) both sit in the middle; alternateName tells
# them apart, and it is what Google shows.
RATINGS: dict[str, tuple[int, str]] = {
    "verified": (5, "True"),
    "disputed": (3, "Disputed"),
    "refuted": (1, "False"),
    "unverifiable": (3, "Unverifiable"),
}


def site_url() -> str:
    return getattr(settings, "CLAIMS_SITE_URL", "") or settings.CLAIMS_ORGANISATION_URL


def review_url(record: dict) -> str:
    path = reverse("claims:article-report", args=[record["article"]["id"]])
    return urljoin(site_url(), path.lstrip("/")) + f"#claim-{record['id']}"


def claim_review(record: dict) -> dict:
    value, verdict = RATINGS[record["status"]]
    rating = {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST,
        "worstRating": WORST,
        "alternateName": verdict,
    }
    appearance: dict = {"@type": "CreativeWork", "headline": record["article"]["title"]}
    if record["article"]["url"]:
        appearance["url"] = record["article"]["url"]
    item: dict = {"@type": "Claim", "appearance": appearance}
    # The claim was published with the article. Without a known publication date it is omitted rather than
    # wrong: the import date is not it.
    if record.get("_article_published_on"):
        item["datePublished"] = record["_article_published_on"]
    hedge = record["hedge"] or {}
    if hedge.get("attributed_to"):
        item["author"] = {"@type": "Organization", "name": hedge["attributed_to"]}
    decision = record["last_decision"] or {}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url(record),
        "claimReviewed": record["text"],
        "itemReviewed": item,
        "author": {
            "@type": "Organization",
            "name": settings.CLAIMS_ORGANISATION_NAME,
            "url": settings.CLAIMS_ORGANISATION_URL,
        },
        "reviewRating": rating,
    }
    published = record["decided_at"] or decision.get("at")
    if published:
        review["datePublished"] = published
    if decision.get("note") and decision.get("status") == record["status"]:
        review["reviewBody"] = decision["note"]
    return review


# Characters that could end a <script> element or a JS string, written as JSON \\u escapes.
_SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dumps(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _SCRIPT_SAFE.items():
        text = text.replace(char, escaped)
    return text


def decided_only(f):
    return f.decided_only()


def render(f, tally: Tally) -> Iterator[str]:
    yield "["
    first = True
    for chunk in rows.chunks(f):
        lines = [dumps(claim_review(record)) for record in chunk if record["status"] in RATINGS]
        tally.add(len(lines))
        if lines:
            yield ("\n" if first else ",\n") + ",\n".join(lines)
            first = False
    yield "\n]\n"
