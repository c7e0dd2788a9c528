"""Importing wikitext, Wikipedia HTML and news pages: citations with their details and sources, sections,
the revision's format, re-import across formats, and refusals that write nothing."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article, ArticleRevision, Citation, Claim, Source
from claims.services.importing import ImportRefused, article_import
from claims.services.references import DomainMatcher, original_url, registered_domain

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests/importing/pages"
BATTLE = (PAGES / "battle.wikitext").read_text(encoding="utf-8")


def counts():
    return (Article.objects.count(), Claim.objects.count(), Citation.objects.count(), Source.objects.count())


def test_wikitext_import_fills_citations_and_matches_sources(editor, sources):
    report = article_import(text=BATTLE, title="Battle of Somewhere", actor=editor, format="wikitext")
    article = Article.objects.get(pk=report.article_id)
    kp = Citation.objects.get(article=article, label="1")
    assert kp.url == "https://www.kyivpost.com/post/123"
    assert kp.source.name == "Kyiv Post"  # www. folded
    assert Citation.objects.get(article=article, label="2").source.name == "CNN"  # edition.cnn.com → cnn.com
    airport = Claim.objects.get(article=article, text="The airport was taken.")
    assert sorted(airport.claim_citations.values_list("citation__label", flat=True)) == ["1", "2"]
    assert Claim.objects.get(article=article, text__startswith="Casualties").section == "Aftermath"
    revision = article.current_revision
    assert revision.format == "wikitext" and revision.source == BATTLE
    assert "[1]" in revision.text and "{{" not in revision.text
    assert report.format == "wikitext" and report.skipped["infoboxes"] == 1


def test_unknown_domains_become_unknown_sources_with_history(editor, sources):
    report = article_import(text=BATTLE, title="Battle of Somewhere", actor=editor, format="wikitext")
    assert report.sources_created == ["example.org"]
    source = Source.objects.get(name="example.org")
    assert (source.domain, source.reliability, source.grade) == ("example.org", "unknown", "F")
    assert source.aliases == ["Hurst"]
    history = source.history.get()
    assert history.history_user == editor and "new source found by its domain" in history.history_change_reason
    assert "new sources (reliability unknown, for a lead to grade): 1: example.org" in report.as_text()


def test_editors_details_survive_a_reimport(editor, sources):
    report = article_import(text=BATTLE, title="Battle", actor=editor, format="wikitext")
    citation = Citation.objects.get(article_id=report.article_id, label="1")
    citation.title = "Edited by hand"
    citation.save()
    article_import(text=BATTLE + "\nOne more sentence here.\n", title="Battle", actor=editor, format="wikitext")
    citation.refresh_from_db()
    assert citation.title == "Edited by hand" and citation.url == "https://www.kyivpost.com/post/123"


def test_wikitext_of_an_article_first_imported_as_text_keeps_its_claims_and_fills_citations(editor, sources):
    plain = (
        "Battle of Somewhere\n\n"
        "The battle was fought in Idlib on 27 November 2024.[1] The airport was taken.[2][1]\n"
        "Casualties were reportedly high.[citation needed] The town fell on 30 November.[a] "
        "A later count differed.[3]\n"
    )
    first = article_import(text=plain, actor=editor)
    before = dict(Claim.objects.filter(article_id=first.article_id).values_list("text", "pk"))
    assert not Citation.objects.filter(article_id=first.article_id).exclude(url="").exists()

    second = article_import(text=BATTLE, title="Battle of Somewhere", actor=editor, format="wikitext")
    assert second.article_id == first.article_id
    after = dict(Claim.objects.filter(article_id=first.article_id).values_list("text", "pk"))
    for text, pk in before.items():
        assert after[text] == pk
    assert Citation.objects.get(article_id=first.article_id, label="1").source.name == "Kyiv Post"
    assert ArticleRevision.objects.filter(article_id=first.article_id).order_by("pk").last().format == "wikitext"
    assert second.created == 2  # the two sentences plain text did not have


def test_wikipedia_html_and_news_pages_import_with_sources(editor, sources):
    html = (ROOT / "fixtures/articles/mozilla.wikipedia.html").read_text(encoding="utf-8")
    report = article_import(text=html, actor=editor, name="mozilla.wikipedia.html", format="auto")
    assert report.format == "html"
    article = Article.objects.get(pk=report.article_id)
    assert article.url == "https://en.wikipedia.org/wiki/Mozilla"
    assert (article.licence, article.attribution) == ("CC BY-SA 4.0", "Wikipedia contributors")
    assert report.citations_with_url >= 0.95 * Citation.objects.filter(article=article).count()
    assert report.citations_with_source == report.citations_with_url

    news = (PAGES / "news-nytimes-1.html").read_text(encoding="utf-8")
    report = article_import(text=news, actor=editor, name="sudan.html", format="auto")
    assert report.format == "news" and report.title == "United States to Lift Sudan Sanctions"
    assert Citation.objects.filter(article_id=report.article_id, source__isnull=False).count() == 7
    assert Article.objects.get(pk=report.article_id).attribution == "Jeffrey Gettleman, NYTimes, 2017-01-13"


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ((PAGES / "redirect.wikitext").read_text(), "auto", "only a redirect to 'Toronto'"),
        ("<html><body><div class='mw-parser-output'><table><tr><td>x</td></tr></table></div></body></html>",
         "html", "no article text"),
        ("<html><head><title>Home</title></head><body><nav><a href='/a'>A</a></nav></body></html>", "news",
         "no article text"),
    ],
)  # fmt: skip
def test_bad_pages_are_refused_and_nothing_is_written(editor, sources, text, fmt, message):
    before = counts()
    with pytest.raises(ImportRefused, match=message):
        article_import(text=text, actor=editor, name="page", format=fmt)
    assert counts() == before


def test_import_command_reads_each_format(editor, sources, capsys):
    call_command("import_article", str(ROOT / "fixtures/articles/toronto_star.wikitext"), "--user", "editor")
    out = capsys.readouterr().out
    assert "Imported 'Toronto Star'" in out and "read as wikitext" in out
    with pytest.raises(CommandError, match="only a redirect"):
        call_command("import_article", str(PAGES / "redirect.wikitext"), "--user", "editor")
    call_command("import_article", str(PAGES / "news-bbc-1.html"), "--user", "editor", "--format", "news")
    assert "read as news" in capsys.readouterr().out


# --- sources by domain ---


@pytest.mark.parametrize(
    ("url", "original"),
    [
        ("https://web.archive.org/web/20241201000000/https://www.kyivpost.com/a", "https://www.kyivpost.com/a"),
        ("http://web.archive.org/web/20160101/http://bbc.co.uk/news", "http://bbc.co.uk/news"),
        ("https://archive.ph/2024.12.01-000000/https://sana.sy/en/?p=1", "https://sana.sy/en/?p=1"),
        ("https://archive.today/AbCd1", ""),
        ("https://www.reuters.com/world/", "https://www.reuters.com/world/"),
    ],
)
def test_archive_addresses_are_unwrapped(url, original):
    assert original_url(url) == original


def test_domains_fold_subdomains_and_www(sources):
    matcher = DomainMatcher(Source.objects.all())
    assert matcher.match("https://edition.cnn.com/2024/x").name == "CNN"
    assert matcher.match("https://WWW.Reuters.com/world").name == "Reuters"
    assert matcher.match("https://notreuters.com/") is None
    assert registered_domain("news.bbc.co.uk") == "bbc.co.uk"


def test_archived_citation_is_matched_by_its_original_and_publisher_is_the_fallback(editor, sources):
    page = (
        "'''X''' happened.<ref>{{cite web |url=https://archive.ph/AbCd1 |archive-url=https://web.archive.org/web/"
        "2024/https://www.aljazeera.com/news/1 |title=T}}</ref> Y followed.<ref>{{cite news |title=T2 "
        "|work=Reuters}}</ref>\n"
    )
    report = article_import(text=page, title="X", actor=editor, format="wikitext")
    by_label = {c.label: c for c in Citation.objects.filter(article_id=report.article_id).select_related("source")}
    assert by_label["1"].source.name == "Al Jazeera"
    assert by_label["2"].source.name == "Reuters"
    assert report.sources_created == []


# --- a real Parsoid page, identifiers, bylines, and bad input through each way in ---

DOG = ROOT / "fixtures/articles/dog.parsoid.html"


def test_real_parsoid_page_imports_with_identifiers_and_sources_by_domain_or_journal(editor, sources):
    report = article_import(text=DOG.read_text(encoding="utf-8"), actor=editor, name="Dog.html", format="auto")
    assert report.format == "html" and report.title == "Dog"
    article = Article.objects.get(pk=report.article_id)
    assert (article.url, article.language) == ("https://en.wikipedia.org/wiki/Dog", "en")
    by_label = {c.label: c for c in Citation.objects.filter(article=article).select_related("source")}
    plos = by_label["12"]
    assert plos.source.name == "plosgenetics.org" and plos.publisher == "PLOS Genetics"
    assert plos.identifiers == {"doi": "10.1371/journal.pgen.1004016", "pmc": "3894170", "pmid": "24453982"}
    # behind a doi.org link the source is the journal the citation names, not the resolver
    nature = by_label["5"]
    assert nature.url == "https://doi.org/10.1038/nature04338" and nature.source.name == "Nature"
    assert not Source.objects.filter(name__in=["doi.org", "nih.gov", "worldcat.org", "harvard.edu"]).exists()
    # a book: ISBN kept, no URL, its source (if any) by the publisher's name only
    assert by_label["23"].identifiers == {"isbn": "3-11-017473-1"} and by_label["23"].url == ""
    # the claim carries its citations
    lead = Claim.objects.get(article=article, text__startswith="The domestic dog (Canis lupus familiaris")
    assert sorted(lead.claim_citations.values_list("citation__label", flat=True), key=int) == [
        "4", "5", "6", "7", "8", "9", "10",
    ]  # fmt: skip
    # one free-text reference gives only a DOI and no journal name: no source is made up for doi.org
    assert report.citations_with_source == report.citations_with_url - 1
    unmatched = Citation.objects.get(article=article, source__isnull=True, url__startswith="https://doi.org/")
    assert unmatched.url == "https://doi.org/10.3389/fvets.2017.00001" and unmatched.publisher == ""


def test_identifiers_an_editor_typed_survive_a_reimport(editor, sources):
    page = "'''X''' was studied.<ref>{{cite journal |title=A |journal=Nature |doi=10.1038/nature04338}}</ref>\n"
    report = article_import(text=page, title="X", actor=editor, format="wikitext")
    citation = Citation.objects.get(article_id=report.article_id, label="1")
    assert citation.identifiers == {"doi": "10.1038/nature04338"}
    citation.identifiers = {"doi": "10.1038/typed-by-hand"}
    citation.save()
    article_import(text=page.replace("|doi", "|pmid=16341006 |doi"), title="X", actor=editor, format="wikitext")
    citation.refresh_from_db()
    assert citation.identifiers == {"doi": "10.1038/typed-by-hand", "pmid": "16341006"}


def test_news_byline_is_the_author_not_the_account_menu(editor, sources):
    wapo = (PAGES / "news-wapo-1.html").read_text(encoding="utf-8")
    report = article_import(text=wapo, actor=editor, name="wapo.html", format="auto")
    article = Article.objects.get(pk=report.article_id)
    assert article.attribution == "Erin Cunningham, Washington Post, 2015-03-18"


def test_import_command_reads_a_saved_parsoid_page(editor, sources, capsys):
    call_command("import_article", str(DOG), "--user", "editor")
    out = capsys.readouterr().out
    assert "Imported 'Dog'" in out and "read as html" in out


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("huge.html", b"<html><body><p>" + b"x" * (50 * 1024 * 1024) + b"</p></body></html>",
         "is larger than the import limit"),
        ("empty.html", b"<html><body><div class='mw-parser-output'><table><tr><td>x</td></tr></table></div>"
         b"</body></html>", "no article text"),
        ("redirect.wikitext", (PAGES / "redirect.wikitext").read_bytes(), "only a redirect to 'Toronto'"),
    ],
    ids=["50MB", "no-text", "redirect"],
)  # fmt: skip
def test_bad_files_give_one_message_and_change_nothing_from_the_command(editor, sources, tmp_path, name, data,
                                                                        message):  # fmt: skip
    path = tmp_path / name
    path.write_bytes(data)
    before = counts()
    with pytest.raises(CommandError, match=message) as err:
        call_command("import_article", str(path), "--user", "editor")
    assert str(err.value).count("\n") == 0  # one message
    assert counts() == before
