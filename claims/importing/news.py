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

from .dates import MONTH_NAMES, MONTHS
from .document import Document, build
from .parser import ParsedArticle, ParseError
from .references import ArticleMeta, Reference, parse_iso_datetime

BLOCKS = {"p", "item", "quote", "cell"}
# Lines some outlets leave inside the article body: page furniture, not prose (checked on the saved pages).
FURNITURE = re.compile(
    r"^(continue reading( the main story)?|advertisement|read more|share this( article)?|sign up|subscribe|"
    r"related:?|more on this story|image caption|media caption|image copyright|getty images|loading comments)\b",
    re.IGNORECASE,
)


class _Reader:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.document = Document(title="", format="news")
        self.labels: dict[str, str] = {}  # URL → label
        self.section = ""
        self.seen: set[str] = set()

    def walk(self, element) -> None:
        for child in element:
            if child.tag == "head":
                self.section = " ".join("".join(child.itertext()).split())
            elif child.tag in BLOCKS:
                text = self.inline(child)
                key = " ".join(text.split())
                if FURNITURE.match(key) or (len(key) >= 40 and key in self.seen):
                    continue  # furniture, or a teaser the page repeats (a pull quote, a related story's lead)
                self.seen.add(key)
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
# Letters after a name ("Brenda Goodman, MA"): a qualification, not a second author.
DEGREES = {"MA", "MS", "MSC", "BA", "BSC", "PHD", "MD", "MPH", "RN", "JD", "MBA", "DPHIL", "DO", "DDS", "PSYD"}
# Where the name in a byline element's text ends: a comma before a job title ("By Daniel Kahn Gillmor, Senior
# Staff Technologist, …"), a date or time glued on ("by Lucas Nolan22 Dec 2016", "By GILLIAN MOHNEY March 11,
# 2015"), a separator.
_BYLINE_END = re.compile(
    r",|\d|\s[|\u2013\u2014-]\s|\s(?:updated|published|posted)\b"
    rf"|\s(?:(?:{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?)\s*(?:\d|$)",
    re.IGNORECASE,
)
_MONTH_AFTER_NAME = re.compile(rf"\s+(?:{'|'.join(MONTH_NAMES)})$", re.IGNORECASE)
_BY = re.compile(r"^\s*(?:by|written by|words by|von|par|por)\s*:?\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:;|\||\band\b|&|\n)\s*")
AUTHOR_META = ("author", "byl", "sailthru.author", "parsely-author", "dc.creator", "dcsext.author", "article:author",
               "og:article:author", "citation_author", "cxenseparse:author")  # fmt: skip


def _name(value: str, publisher: str) -> str:
    """The byline name, or "" when the value is not one: a placeholder or UI word ("Username", "Sign in"), an
    address or handle, the outlet itself (BBC News is the publisher, not an author), or a sentence."""
    name = " ".join(_BY.sub("", " ".join((value or "").split())).split()).strip(" ,.·|–—-")
    if len(name.split()) >= 3:
        name = _MONTH_AFTER_NAME.sub("", name)  # "Joshua Sokol May [20, 2019]": the date cut off, not a surname
    lowered = name.lower()
    if (
        not name
        or lowered in PLACEHOLDERS
        or len(name) > 80
        or len(name.split()) > 6
        or not re.search(r"[^\W\d_]", name)
        or re.search(r"@|://|^www\.|[{}<>$%]|\d", name)  # a date or a count is not part of a name
        or name.replace(".", "").upper() in DEGREES
        or all(len(word.strip(".")) <= 1 for word in name.split())  # "J J": initials alone name nobody
        or not name[:1].isupper()  # a handle ("s sai"), not a byline
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


def _meta(page, name: str) -> str:
    if page is None:
        return ""
    for meta in page.xpath("//meta[@property or @name]"):
        if (meta.get("property") or meta.get("name") or "").lower() == name:
            return " ".join((meta.get("content") or "").split())
    return ""


# "©2005-2015 WebMD, LLC. All rights reserved.": the holder's name, without the company form.
_COPYRIGHT = re.compile(
    r"(?i:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?\s*)?"
    r"(?P<holder>[A-Z][\w&'-]*(?:\s+(?:of|and|&|[A-Z][\w&'-]*)){0,4}?)(?=\s*(?:[.,|]|(?i:all rights)|$))"
)
_COMPANY_FORM = re.compile(r"[\s,]+(?:LLC|Inc|Ltd|Limited|Company|Corporation|Corp|plc|GmbH)\.?$", re.IGNORECASE)


def _copyright_holder(page) -> str:
    """The page's copyright holder, the last way to name the outlet when the page gives no site name and no
    address: the footer line most pages print."""
    if page is None:
        return ""
    text = " ".join(" ".join(page.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")).split())
    for match in _COPYRIGHT.finditer(text):
        if holder := _COMPANY_FORM.sub("", match.group("holder")).strip():
            return holder
    return ""


_TITLE_PARTS = re.compile(r"\s+(?:[|\u2013\u2014»:-]|::)\s+")


def headline(page, extracted: str) -> str:
    """The article's headline: trafilatura's pick (Open Graph title, else the page's title or first heading)
    unless the page's <title>, without the site's name, is itself one of the page's h1/h2 headings and differs
    from it: two signals agreeing beat one. An index page's og:title ("Yahoo News - Latest News & Headlines") or a
    section's h1 ("Allergies Health Center") is not the story's headline."""
    if page is None:
        return extracted
    title = " ".join((page.findtext(".//title") or "").split())
    parts = [part for part in _TITLE_PARTS.split(title) if part]
    headings = {" ".join(h.text_content().split()).casefold() for h in page.xpath("//h1|//h2")}
    for candidate in (title, max(parts, key=len, default="")):
        if candidate and candidate.casefold() in headings and candidate.casefold() != extracted.casefold():
            return candidate
    return extracted


def byline(html: str, *, extracted: str = "", publisher: str = "", root=None) -> str:
    """The article's authors, "A; B": from the page's own metadata first (JSON-LD, author meta tags, schema.org
    itemprop=author, the byline element), then trafilatura's guess (``extracted``), each name checked by
    _name. "" when the page names nobody: better no author than a wrong one."""
    if root is None:
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
    # trafilatura's guess reads the text around the headline; a "byline" class is any element so named, on
    # some pages the comments' authors: the guess goes first.
    groups.append(extracted.split(";"))
    if root is not None:
        groups.append(
            [
                _BYLINE_END.split(" ".join(el.text_content().split()), maxsplit=1)[0]
                for el in root.xpath(
                    "//*[contains(@class, 'byline') and not(contains(@class, 'timestamp'))]"
                    "[not(descendant::*[contains(@class, 'byline')])]"
                )
            ][:3]
        )
    for values in groups:
        if names := _names(values, publisher):
            return "; ".join(names)
    return ""


MIN_PARAGRAPHS = 3


def _extract(html: str, url: str, *, favor_precision: bool):
    """trafilatura's reading of the page as an XML tree (None when it finds no text)."""
    xml = trafilatura.extract(
        html, url=url or None, output_format="xml", include_links=True, include_comments=False,
        include_tables=False, include_images=False, with_metadata=True, favor_precision=favor_precision,
    )  # fmt: skip
    return etree.fromstring(xml.encode("utf-8")) if xml else None


def _paragraphs(root) -> int:
    return len(root.findall(".//main//p")) if root is not None else 0


def parse_news(html: str, *, title: str = "", url: str = "", published: date | None = None) -> ParsedArticle:
    """Parse a news page. Raises ParseError when no article text can be found in it."""
    root = _extract(html, url, favor_precision=True)
    if root is not None and _paragraphs(root) < MIN_PARAGRAPHS:
        # Precision mode keeps only what it is sure of, and on some layouts that is one paragraph of a long
        # story (a review page: 1 of 22): then the default mode's reading, when it finds more than the minimum.
        fuller = _extract(html, url, favor_precision=False)
        if _paragraphs(fuller) > MIN_PARAGRAPHS:
            root = fuller
    if root is None:
        raise ParseError("no article text found in this page")
    page_url = url or root.get("url") or ""
    main = root.find("main")
    reader = _Reader(page_url)
    if main is not None:
        reader.walk(main)
    document = reader.document
    try:
        page = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        page = None
    document.title = title or headline(page, root.get("title") or "")
    hostname = root.get("hostname") or (urlsplit(page_url).hostname or "")
    publisher = root.get("sitename") or _meta(page, "og:site_name") or hostname or _copyright_holder(page)
    if "://" in publisher or publisher.startswith("www."):  # "http://www.tmz.com": the site's name is its host
        publisher = urlsplit(publisher if "://" in publisher else f"//{publisher}").hostname or publisher
    publisher = publisher.removeprefix("www.")
    if not title and publisher:  # "How to Build a Terrarium | eHow": the outlet's name is not the headline's
        suffix = re.search(rf"(?:{_TITLE_PARTS.pattern}){re.escape(publisher)}$", document.title, re.IGNORECASE)
        if suffix and suffix.start() > 0:
            document.title = document.title[: suffix.start()]
    document.meta = ArticleMeta(
        url=page_url,
        author=byline(html, extracted=root.get("author") or "", publisher=publisher, root=page),
        published=parse_iso_datetime(root.get("date") or ""),
        publisher=publisher,
        language=root.get("language") or "",
    )
    if not document.blocks:
        raise ParseError("no article text found in this page")
    return build(document, published=published)
