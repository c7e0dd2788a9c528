"""Importing from a URL: a local HTTP server on 127.0.0.1 started by the test (the private-address guard
switched off for that server only), and the guard refusing private, loopback and link-local addresses."""

import http.server
import socket
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article, ArticleRevision, Citation, Claim, Source
from claims.services.fetch import FetchRefused, article_import_url, fetch_url, wikipedia_source
from tests.jobs import admin_import

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
NEWS = (ROOT / "tests/importing/pages/news-nytimes-1.html").read_bytes()
WIKI = (ROOT / "tests/importing/pages/battle.wikitext").read_bytes()
DOG = (ROOT / "fixtures/articles/dog.parsoid.html").read_bytes()  # what the REST API's page/html answers


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        if self.path == "/news":
            self.reply(200, NEWS, "text/html; charset=utf-8")
        elif self.path == "/api/rest_v1/page/html/Dog":
            self.reply(200, DOG, "text/html; charset=utf-8")
        elif self.path == "/battle.wikitext":
            self.reply(200, WIKI, "text/plain; charset=utf-8")
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/inside":
            self.send_response(302)
            self.send_header("Location", "http://10.1.2.3/secret")
            self.end_headers()
        elif self.path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif self.path == "/huge-streamed":  # no Content-Length: the limit must hold while reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_000 + b"</p>"
            try:
                for _ in range(50 * 1024 * 1024 // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.reply(404, b"not here", "text/plain")

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    """A server on 127.0.0.1 only, for this test only; the guard lets 127.0.0.0/8 through and nothing else."""
    settings.CLAIMS_FETCH_ALLOW_PRIVATE = ["127.0.0.0/8"]
    settings.CLAIMS_FETCH_TIMEOUT = 10
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def counts():
    return (Article.objects.count(), ArticleRevision.objects.count(), Claim.objects.count(),
            Citation.objects.count(), Source.objects.count())  # fmt: skip


def test_a_news_page_is_fetched_and_imported(server, editor, sources):
    report = article_import_url(url=f"{server}/moved", actor=editor)
    assert report.format == "news" and report.title == "United States to Lift Sudan Sanctions"
    article = Article.objects.get(pk=report.article_id)
    assert article.url == f"{server}/moved"
    assert article.current_revision.retrieved_at is not None
    assert Citation.objects.filter(article=article, source__isnull=False).count() == 7


def test_the_command_fetches_with_a_forced_format(server, editor, sources, capsys):
    call_command("import_article", "--url-fetch", f"{server}/battle.wikitext", "--format", "wikitext",
                 "--title", "Battle", "--user", "editor")  # fmt: skip
    assert "read as wikitext" in capsys.readouterr().out
    assert Citation.objects.get(article__title="Battle", label="1").source.name == "Kyiv Post"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "answered 404"),
        ("/huge-declared", "52,428,800 bytes, over the import limit"),
        ("/huge-streamed", "larger than the import limit"),
        ("/loop", "more than 5 redirects"),
        ("/inside", "10.1.2.3 resolves to 10.1.2.3, a private"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(server, editor, sources, path, message):
    before = counts()
    with pytest.raises(FetchRefused, match=message):
        article_import_url(url=f"{server}{path}", actor=editor)
    assert counts() == before


def test_command_reports_a_refused_fetch(server, editor):
    with pytest.raises(CommandError, match="answered 404"):
        call_command("import_article", "--url-fetch", f"{server}/missing", "--user", "editor")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:9/page", "127.0.0.1 resolves to 127.0.0.1, a private, loopback or link-local"),
        ("http://10.0.0.1/page", "10.0.0.1 resolves to 10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 resolves to"),
        ("http://[::1]/page", "resolves to ::1"),
        ("http://localhost/page", "localhost resolves to 127.0.0.1"),
        ("ftp://example.org/file", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:pw@example.org/", "user name or password"),
    ],
)
def test_the_guard_refuses_inside_addresses_before_connecting(settings, editor, url, message):
    settings.CLAIMS_FETCH_ALLOW_PRIVATE = False
    before = counts()
    with pytest.raises(FetchRefused, match=message):
        article_import_url(url=url, actor=editor)
    assert counts() == before


def test_a_public_name_resolving_to_loopback_is_refused(settings, monkeypatch):
    """A name in public DNS pointing at 127.0.0.1 is refused after resolution (the resolver is the only thing
    replaced: the name would otherwise need a real DNS record)."""
    settings.CLAIMS_FETCH_ALLOW_PRIVATE = False
    real = socket.getaddrinfo

    def resolver(host, *args, **kwargs):
        if host == "intranet.example.com":
            return real("127.0.0.1", *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(FetchRefused, match="intranet.example.com resolves to 127.0.0.1"):
        fetch_url("http://intranet.example.com/")


def test_wikipedia_urls_fetch_the_pages_html_from_the_same_wiki():
    assert wikipedia_source("https://en.wikipedia.org/wiki/Northwestern_Syria_offensive_(2024)") == (
        "https://en.wikipedia.org/wiki/Northwestern_Syria_offensive_(2024)",
        "https://en.wikipedia.org/api/rest_v1/page/html/Northwestern_Syria_offensive_(2024)",
    )
    assert wikipedia_source("https://de.m.wikipedia.org/wiki/Mozilla")[1] == (
        "https://de.wikipedia.org/api/rest_v1/page/html/Mozilla"
    )
    assert wikipedia_source("https://en.wikipedia.org/w/index.php?title=X") is None
    assert wikipedia_source("https://wikipedia.org.evil.com/wiki/X") is None


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, as in production
def test_admin_import_page_takes_a_url_and_a_wikitext_file(server, client, editor, sources):
    client.force_login(editor)
    body = admin_import(client, {"fetch_url": f"{server}/news", "format": "auto"})  # fetched by the worker
    assert "Import report" in body and "read as news" in body
    assert Article.objects.filter(title="United States to Lift Sudan Sanctions").exists()

    refused = admin_import(client, {"fetch_url": f"{server}/missing"})
    assert "answered 404" in refused and "Nothing was changed" in refused

    with (ROOT / "fixtures/articles/toronto_star.wikitext").open("rb") as upload:
        body = admin_import(client, {"file": upload, "format": "auto"})
    assert "read as wikitext" in body
    assert Citation.objects.filter(article__title="Toronto Star", source__isnull=False).count() >= 20

    both = client.post("/admin/claims/article/import/", {"fetch_url": f"{server}/news", "text": "Title\nText."})
    assert "not several" in both.content.decode()


def test_a_wikipedia_pages_parsoid_html_is_fetched_and_read_with_its_references(server, editor, sources):
    report = article_import_url(url=f"{server}/api/rest_v1/page/html/Dog", actor=editor)
    assert report.format == "html" and report.title == "Dog"
    citations = Citation.objects.filter(article_id=report.article_id, kind="reference")
    assert citations.count() == 234 and citations.exclude(url="").count() >= 170


@pytest.mark.django_db(transaction=True)
def test_admin_import_page_takes_saved_wikipedia_and_news_pages_and_refuses_bad_files(client, editor, sources):
    client.force_login(editor)
    with (ROOT / "fixtures/articles/dog.parsoid.html").open("rb") as upload:
        body = admin_import(client, {"file": upload, "format": "auto"})
    assert "read as html" in body and Article.objects.filter(title="Dog").exists()
    with (ROOT / "tests/importing/pages/news-wapo-1.html").open("rb") as upload:
        body = admin_import(client, {"file": upload, "format": "auto"})
    assert "read as news" in body
    assert Article.objects.get(title="Attack stokes instability fears in North Africa").attribution.startswith(
        "Erin Cunningham, Washington Post"
    )
    before = counts()
    huge = SimpleUploadedFile("huge.html", b"<html><body><p>" + b"x" * (50 * 1024 * 1024) + b"</p></body></html>")
    assert "is larger than the import limit" in admin_import(client, {"file": huge, "format": "auto"})
    empty = SimpleUploadedFile("empty.html", b"<html><body><div class='mw-parser-output'><table><tr><td>x</td></tr>"
                               b"</table></div></body></html>")  # fmt: skip
    body = admin_import(client, {"file": empty, "format": "auto"})
    assert "no article text" in body and "Nothing was changed" in body
    assert counts() == before
