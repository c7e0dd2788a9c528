"""A text matched to an article by title alone that shares few of its sentences is refused unless confirmed."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from claims.models import Article, ArticleRevision, Claim
from claims.services import claim_decide, claim_start_review
from claims.services.importing import ImportRefused, article_import
from tests.jobs import admin_import

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "northwestern_syria_offensive.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
TITLE = SAMPLE_TEXT.splitlines()[0].split("|")[0].strip()
UNRELATED = f"{TITLE}\nThe bakery on the corner sells bread every morning.[1] Prices rose in spring.[2]\n"


@pytest.fixture
def sample(editor, reviewer):
    report = article_import(text=SAMPLE_TEXT, actor=editor, suggest_relations=False)
    article = Article.objects.get(pk=report.article_id)
    claim = article.claims.order_by("pk").first()
    claim_start_review(claim_id=claim.pk, actor=reviewer)
    claim_decide(claim_id=claim.pk, status="disputed", note="ok", seen_version=claim.version + 1, actor=reviewer)
    return article


def state(article):
    return (
        ArticleRevision.objects.filter(article=article).count(),
        sorted(article.claims.values_list("pk", "anchor_state", "status", "version")),
    )


def test_an_unrelated_text_with_the_same_title_is_refused_and_says_how_much_it_shares(sample, editor):
    before = state(sample)
    n = sample.claims.count()
    with pytest.raises(ImportRefused, match=rf"by its title alone, but it shares 0 of the current revision's {n} "):
        article_import(text=UNRELATED, actor=editor, name="other.txt")
    assert state(sample) == before
    assert not Claim.objects.filter(anchor_state="orphaned").exists()


def test_a_confirmed_new_revision_is_imported_and_the_report_says_how_much_it_shares(sample, editor):
    report = article_import(text=UNRELATED, actor=editor, new_revision=True)
    assert report.article_id == sample.pk
    assert "matched by title alone; the new text shares 0 of" in report.as_text()
    assert Claim.objects.filter(article=sample, anchor_state="orphaned").exists()


def test_a_real_revision_found_by_title_passes_without_confirmation(sample, editor):
    revised = SAMPLE_TEXT.replace("30 November", "1 December", 1)
    report = article_import(text=revised, actor=editor)
    assert report.article_id == sample.pk
    assert "(9" in report.shared_with_current or "(10" in report.shared_with_current  # 90-100 %


def test_a_url_match_or_a_chosen_article_is_not_questioned(sample, editor):
    sample.url = "https://example.org/a"
    sample.save()
    article_import(text=UNRELATED, actor=editor, url="https://example.org/a")  # the address says it is this one
    assert ArticleRevision.objects.filter(article=sample).count() == 2


def test_the_command_refuses_then_accepts_with_new_revision(sample, tmp_path):
    path = tmp_path / "other.txt"
    path.write_text(UNRELATED, encoding="utf-8")
    with pytest.raises(CommandError, match="--new-revision"):
        call_command("import_article", str(path), "--user", "editor")
    call_command("import_article", str(path), "--user", "editor", "--new-revision", stdout=io.StringIO())
    assert ArticleRevision.objects.filter(article=sample).count() == 2


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, as in production
def test_the_admin_form_has_the_confirmation_box(client, sample, editor):
    client.force_login(editor)
    url = reverse("admin:claims_article_import")
    assert "This is a new revision" in client.get(url).content.decode()  # the form's confirmation box
    page = admin_import(client, {"text": UNRELATED})  # refused by the import job: its page says why
    assert "This is a new revision" in page and "by its title alone" in page
    assert ArticleRevision.objects.filter(article=sample).count() == 1
    admin_import(client, {"text": UNRELATED, "new_revision": "on"})
    assert ArticleRevision.objects.filter(article=sample).count() == 2
