"""Read an ordinary news page (saved HTML) into a ParsedArticle: main text, byline, date, outlet, links.

The main text is extracted by trafilatura (navigation, ads, related links and comments left out), as XML so
that the links inside paragraphs survive: each linked page becomes a reference, its marker placed right
after the link's text, so the sentence that links to a source cites it. The byline, publication date and
outlet come from the page's metadata (JSON-LD, Open Graph, meta tags) as trafilatura reads them.
"""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree

from .document import Document, build
from .parser import ParsedArticle, ParseError
from .references import ArticleMeta, Reference, parse_iso_datetime

BLOCKS = {"p", "item", "quote", "cell"}
# Lines some outlets leave inside the article body: page furniture, not prose (checked on the saved pages).
FURNITURE = re.compile(
    r"^(continue reading( the main story)?|advertisement|read more|share this( article)?|sign up|subscribe|"
    r"related:?|more on this story|image caption|media caption|image copyright|getty images)\b",
    re.IGNORECASE,
)


class _Reader:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.document = Document(title="", format="news")
        self.labels: dict[str, str] = {}  # URL → label
        self.section = ""

    def walk(self, element) -> None:
        for child in element:
            if child.tag == "head":
                self.section = " ".join("".join(child.itertext()).split())
            elif child.tag in BLOCKS:
                text = self.inline(child)
                if not FURNITURE.match(text.strip()):
                    self.document.add(self.section, text)
            else:
                self.walk(child)

    def inline(self, element) -> str:
        parts = [element.text or ""]
        for child in element:
            if child.tag == "ref":
                parts.append("".join(child.itertext()))
                parts.append(self.reference(child.get("target") or "", "".join(child.itertext())))
            elif child.tag == "lb":
                parts.append(" ")
            elif child.tag not in BLOCKS:
                parts.append(self.inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def reference(self, target: str, text: str) -> str:
        url = urljoin(self.base_url, target) if self.base_url else target
        if urlsplit(url).scheme not in ("http", "https"):
            return ""
        if url not in self.labels:
            label = str(len(self.labels) + 1)
            self.labels[url] = label
            self.document.references[label] = Reference(label=label, url=url, title=" ".join(text.split()))
        return f"[{self.labels[url]}]"


# What page chrome puts where a byline is looked for: account menus, buttons, template placeholders.
PLACEHOLDERS = {
    "username", "user name", "user", "your name", "name", "sign in", "signin", "sign up", "log in", "login",
    "log out", "logout", "register", "subscribe", "my account", "account", "profile", "admin", "administrator",
    "anonymous", "unknown", "author", "authors", "by", "byline", "editor", "guest", "null", "none", "undefined",
    "n/a", "na", "webmaster", "menu", "search", "home", "share", "comments", "follow", "more", "facebook",
    "twitter", "email", "print", "close",
}  # fmt: skip
_BY = re.compile(r"^\s*(?:by|written by|words by|von|par|por)\s*:?\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:;|\||\band\b|&|\n)\s*")
AUTHOR_META = ("author", "byl", "sailthru.author", "parsely-author", "dc.creator", "dcsext.author", "article:author",
               "og:article:author", "citation_author", "cxenseparse:author")  # fmt: skip


def _name(value: str, publisher: str) -> str:
    """The byline name, or "" when the value is not one: a placeholder or UI word ("Username", "Sign in"), an
    address or handle, the outlet itself (BBC News is the publisher, not an author), or a sentence."""
    name = " ".join(_BY.sub("", " ".join((value or "").split())).split()).strip(" ,.·|–—-")
    lowered = name.lower()
    if (
        not name
        or lowered in PLACEHOLDERS
        or len(name) > 80
        or len(name.split()) > 6
        or not re.search(r"[^\W\d_]", name)
        or re.search(r"@|://|^www\.|[{}<>$%]", name)
        or (publisher and lowered == publisher.lower())
    ):
        return ""
    return name


def _names(values, publisher: str) -> list[str]:
    names: dict[str, str] = {}
    for value in values:
        for part in _SPLIT.split(_BY.sub("", value or "")):
            if name := _name(part, publisher):
                names.setdefault(name.lower(), name)
    return list(names.values())


def _json_ld_authors(root) -> list[str]:
    found = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                authors = item.get("author") or item.get("creator")
                for author in authors if isinstance(authors, list) else [authors]:
                    if isinstance(author, str):
                        found.append(author)
                    elif isinstance(author, dict) and isinstance(author.get("name"), str):
                        found.append(author["name"])
    return found


def byline(html: str, *, extracted: str = "", publisher: str = "") -> str:
    """The article's authors, "A; B": from the page's own metadata first (JSON-LD, author meta tags, schema.org
    itemprop=author, the byline element), then trafilatura's guess (``extracted``), each name checked by
    _name. "" when the page names nobody: better no author than a wrong one."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        root = None
    groups = []
    if root is not None:
        groups.append(_json_ld_authors(root))
        groups.append(
            [
                meta.get("content") or meta.get("value") or ""
                for meta in root.xpath("//meta[@name or @property]")
                if (meta.get("name") or meta.get("property") or "").lower() in AUTHOR_META
            ]
        )
        itemprop = root.xpath("//*[contains(concat(' ', @itemprop, ' '), ' author ')]")
        groups.append(
            [
                next(iter(el.xpath(".//*[@itemprop='name']/@content")), "")
                or " ".join(el.xpath("string(.//*[@itemprop='name'])").split())
                or el.get("content")
                or " ".join(el.text_content().split())
                for el in itemprop
            ]
        )
        groups.append(
            [
                " ".join(el.text_content().split())
                for el in root.xpath(
                    "//*[contains(@class, 'byline') and not(contains(@class, 'timestamp'))]"
                    "[not(descendant::*[contains(@class, 'byline')])]"
                )
            ][:3]
        )
    groups.append(extracted.split(";"))
    for values in groups:
        if names := _names(values, publisher):
            return "; ".join(names)
    return ""


def parse_news(html: str, *, title: str = "", url: str = "", published: date | None = None) -> ParsedArticle:
    """Parse a news page. Raises ParseError when no article text can be found in it."""
    xml = trafilatura.extract(
        html, url=url or None, output_format="xml", include_links=True, include_comments=False,
        include_tables=False, include_images=False, with_metadata=True, favor_precision=True,
    )  # fmt: skip
    if not xml:
        raise ParseError("no article text found in this page")
    root = etree.fromstring(xml.encode("utf-8"))
    page_url = url or root.get("url") or ""
    main = root.find("main")
    reader = _Reader(page_url)
    if main is not None:
        reader.walk(main)
    document = reader.document
    document.title = title or root.get("title") or ""
    hostname = root.get("hostname") or (urlsplit(page_url).hostname or "")
    publisher = root.get("sitename") or hostname.removeprefix("www.")
    document.meta = ArticleMeta(
        url=page_url,
        author=byline(html, extracted=root.get("author") or "", publisher=publisher),
        published=parse_iso_datetime(root.get("date") or ""),
        publisher=publisher,
        language=root.get("language") or "",
    )
    if not document.blocks:
        raise ParseError("no article text found in this page")
    return build(document, published=published)
