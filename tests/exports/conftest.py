"""Export fixtures: a small article whose claims are anchored by the real parser, with sources, citations,
decisions and a relation; and a hostile one whose every text field tries to break a format."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from claims.importing import parse_article
from claims.models import Claim, Review
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimCitationFactory,
    ClaimFactory,
    RelationFactory,
    RevisionFactory,
    SourceFactory,
)

SAMPLE_TEXT = """Test offensive (2024) | ||||
On 27 November 2024, rebels attacked the city. [1] The army reportedly withdrew, according to the Kyiv Post. [2][3]
On 29 November 2024, the airport was captured by the SDF. [4] [citation needed]
The airport was taken by HTS on 28 November 2024. [5] Nobody knows who fired first.
"""


def anchored(revision, paragraph: int, sentence: int, **fields) -> Claim:
    """A claim on the parser's own paragraph/sentence span of the revision text."""
    parsed = parse_article(revision.text)
    s = parsed.paragraphs[paragraph].sentences[sentence]
    return ClaimFactory(
        revision=revision,
        article=revision.article,
        text=s.text,
        paragraph_index=paragraph,
        sentence_index=sentence,
        start=s.start,
        end=s.end,
        **fields,
    )


def decide(claim: Claim, status: str, reviewer, note: str, at: dt.datetime) -> None:
    """Record a decision the way the review service leaves it (status, decided_at, one Review row)."""
    claim.status, claim.decided_at = status, at
    claim.save()
    Review.objects.create(
        claim=claim, reviewer=reviewer, from_status="in_review", to_status=status, note=note, claim_version=1
    )


@pytest.fixture
def sample(db, reviewer, lead):
    kyiv = SourceFactory(name="Kyiv Post", grade="B", kind="newspaper", aliases=["KP"])
    sohr = SourceFactory(name="Syrian Observatory for Human Rights", grade="C", kind="monitor", aliases=["SOHR"])
    article = ArticleFactory(title="Test offensive (2024)", url="https://example.org/wiki/Test_offensive")
    revision = RevisionFactory(article=article, text=SAMPLE_TEXT)
    article.current_revision = revision
    article.save()
    cites = {
        "1": CitationFactory(
            article=article,
            label="1",
            title="Rebels attack the city",
            url="https://www.kyivpost.com/a/1",
            author="Doe, Jane",
            publisher="Kyiv Post",
            source=kyiv,
            published=dt.date(2024, 11, 27),
            accessed=dt.date(2024, 12, 1),
        ),
        "2": CitationFactory(
            article=article, label="2", title="Army withdraws", source=kyiv, url="https://kp.example/2"
        ),
        "3": CitationFactory(
            article=article, label="3", title="SOHR report", source=sohr, url="https://sohr.example/3"
        ),
        "4": CitationFactory(article=article, label="4"),  # an imported marker nobody filled in yet
        "5": CitationFactory(
            article=article, label="5", title="HTS takes airport", source=sohr, archive_url="https://archive.example/5"
        ),
    }
    c = {}
    c["attack"] = anchored(revision, 0, 0, event_date=dt.date(2024, 11, 27), event_date_precision="day", confidence=72)
    c["withdrew"] = anchored(
        revision,
        0,
        1,
        hedge_kind="reported",
        hedge_phrase="reportedly",
        attributed_to="the Kyiv Post",
        attributed_source=kyiv,
        confidence=45,
        event_date=dt.date(2024, 11, 27),
        event_date_precision="day",
    )
    c["sdf"] = anchored(
        revision,
        1,
        0,
        tags=["citation_needed"],
        event_date=dt.date(2024, 11, 29),
        event_date_precision="day",
        confidence=20,
    )
    c["hts"] = anchored(revision, 2, 0, event_date=dt.date(2024, 11, 28), event_date_precision="day", confidence=30)
    c["hts"].confidence_override = 80
    c["hts"].save()
    c["nobody"] = anchored(revision, 2, 1, status=Claim.Status.NEEDS_SOURCE, confidence=0)
    ClaimCitationFactory(claim=c["attack"], citation=cites["1"], position=46, info_grade=2)
    ClaimCitationFactory(claim=c["withdrew"], citation=cites["2"], position=60)
    ClaimCitationFactory(claim=c["withdrew"], citation=cites["3"], position=61, stance="contradicts")
    ClaimCitationFactory(claim=c["sdf"], citation=cites["4"], position=None)
    ClaimCitationFactory(claim=c["hts"], citation=cites["5"], position=48)
    RelationFactory(claim_a=c["sdf"], claim_b=c["hts"], state="confirmed", detector="actor_mismatch")
    when = dt.datetime(2024, 12, 2, 10, 30, tzinfo=dt.UTC)
    decide(c["attack"], "verified", reviewer, "Two outlets confirm.", when)
    decide(c["sdf"], "refuted", reviewer, "HTS took it, not the SDF.", when)
    decide(c["hts"], "disputed", lead, "Dates differ between sources.", when)
    c["withdrew"].status = Claim.Status.IN_REVIEW
    c["withdrew"].save()
    for claim in c.values():
        claim.refresh_from_db()
    return SimpleNamespace(article=article, revision=revision, claims=c, citations=cites, kyiv=kyiv, sohr=sohr)


HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\tTabbed",
    "\rCarriage",
    'Quote "inside", and comma',
    "Line one\nline two",
    "*bold* _em_ [link](javascript:alert(1)) <script>alert(1)</script> & `code` | pipe # hash",
    "Ünïcødé — “quotes” \u2028 separator",
]


@pytest.fixture
def hostile(db, reviewer):
    """Claims and citations whose text tries formula injection and markup injection."""
    source = SourceFactory(name='=HYPERLINK("http://evil")', grade="E")
    article = ArticleFactory(title='@Hostile, "article"', url="https://example.org/hostile")
    revision = RevisionFactory(article=article, text="Hostile\n" + "\n".join(t.replace("\n", " ") for t in HOSTILE))
    claims = []
    for i, text in enumerate(HOSTILE):
        claim = ClaimFactory(
            revision=revision,
            article=article,
            text=text,
            paragraph_index=i,
            sentence_index=0,
            hedge_kind="attributed",
            hedge_phrase="-according to",
            attributed_to="+the ministry",
            tags=["dubious"],
        )
        citation = CitationFactory(
            article=article,
            label=str(i + 1),
            title=text,
            publisher="@publisher",
            url="https://example.org/" + str(i),
            source=source,
        )
        ClaimCitationFactory(claim=claim, citation=citation, position=0)
        claims.append(claim)
    when = dt.datetime(2024, 12, 3, 8, 0, tzinfo=dt.UTC)
    decide(claims[0], "verified", reviewer, "=1+1 looks right", when)
    return SimpleNamespace(article=article, claims=claims, source=source)
