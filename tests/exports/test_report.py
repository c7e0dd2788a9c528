"""The article report page: the text with claims highlighted by status, footnotes, an SVG timeline."""

import re

import pytest
from django.contrib.auth.models import Permission

from claims.exports import report
from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, RevisionFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(article) -> str:
    return f"/articles/{article.pk}/report/"


def test_anonymous_goes_to_login_and_others_need_view_permissions(client, sample):
    response = client.get(url(sample.article))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url(sample.article)).status_code == 403


def test_viewer_sees_claims_highlighted_in_their_paragraphs(client, viewer, sample):
    client.force_login(viewer)
    response = client.get(url(sample.article))
    assert response.status_code == 200
    html = response.content.decode()
    c = sample.claims
    marks = re.findall(r'<mark class="claim status-(\w+)" id="claim-(\d+)"', html)
    assert marks == [(claim.status, str(claim.pk)) for claim in c.values()]
    # The highlight holds the claim's words, and the markers became links to the footnotes.
    withdrew = re.search(rf'id="claim-{c["withdrew"].pk}"[^>]*>(.*?)</mark>', html, re.S).group(1)
    assert "The army reportedly withdrew, according to the Kyiv Post." in withdrew
    assert '<a href="#fn-2">[2]</a>' in withdrew and '<a href="#fn-3">[3]</a>' in withdrew
    assert '<span class="tag">[citation needed]</span>' in html
    for label in ("1", "2", "3", "4", "5"):
        assert f'<li id="fn-{label}">' in html
    assert "Rebels attack the city" in html and "grade B" in html
    assert ".status-verified { background: #dcfce7;" in html


def test_timeline_has_one_dot_per_dated_claim(client, viewer, sample):
    client.force_login(viewer)
    html = client.get(url(sample.article)).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg.count("<circle") == 4  # "nobody" has no date
    assert "27 Nov" in svg and "29 Nov" in svg
    assert "@media print" in html
    assert "<script" not in html  # no JavaScript library, inline SVG only


def test_claims_that_do_not_fit_are_listed_not_misplaced(client, viewer, sample):
    orphan = sample.claims["nobody"]
    orphan.anchor_state = Claim.AnchorState.ORPHANED
    orphan.save()
    overlapping = ClaimFactory(
        revision=sample.revision, article=sample.article, text="Overlap", paragraph_index=0, start=5, end=20
    )
    client.force_login(viewer)
    html = client.get(url(sample.article)).content.decode()
    placed = set(re.findall(r'<mark class="claim status-\w+" id="claim-(\d+)"', html))
    assert str(orphan.pk) not in placed and str(overlapping.pk) not in placed
    section = html.split("Claims not placed in this text", 1)[1]
    assert f'id="claim-{orphan.pk}"' in section and f'id="claim-{overlapping.pk}"' in section


def test_article_text_is_escaped(client, viewer):
    article = ArticleFactory(title="<b>Title</b>", url="javascript:alert(1)")
    revision = RevisionFactory(article=article, text="Title\nAn <img src=x onerror=alert(1)> attack happened. [1]\n")
    article.current_revision = revision
    article.save()
    ClaimFactory(revision=revision, article=article, text="An attack happened.", paragraph_index=0, start=0, end=45)
    client.force_login(viewer)
    html = client.get(url(article)).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:alert(1)"' not in html


def test_fixed_number_of_queries(client, viewer, sample, django_assert_max_num_queries):
    client.force_login(viewer)
    client.get(url(sample.article))
    for i in range(20):
        ClaimFactory(revision=sample.revision, article=sample.article, paragraph_index=3 + i, text=f"Extra {i}.")
    with django_assert_max_num_queries(12):
        assert client.get(url(sample.article)).status_code == 200


def test_timeline_scale():
    assert report.timeline([]) is None


def test_needs_view_article_too(client, sample):
    user = UserFactory(username="claims-only")
    user.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(user)
    assert client.get(url(sample.article)).status_code == 403


def test_claims_written_outside_the_template_are_escaped_everywhere(client, viewer, sample):
    """Highlights, the not-placed list, the timeline and the dated list are written by report.py, not by the
    template's autoescaping: a claim's text must come out escaped in each of them."""
    import datetime as dt

    hostile = ClaimFactory(
        revision=sample.revision, article=sample.article, text='<script>alert("x")</script> & co',
        paragraph_index=99, event_date=dt.date(2024, 11, 28), event_date_precision="day",
    )  # fmt: skip
    client.force_login(viewer)
    html = client.get(url(sample.article)).content.decode()
    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"
    not_placed = html.split("Claims not placed in this text", 1)[1].split("<h2>", 1)[0]
    assert f'id="claim-{hostile.pk}"' in not_placed and escaped in not_placed
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert escaped in svg  # the dot's tooltip
    dated = html.split("</svg>", 1)[1].split("<h2>", 1)[0]
    assert f'href="#claim-{hostile.pk}"' in dated and escaped in dated
    assert "\x00" not in html  # every slot was filled
