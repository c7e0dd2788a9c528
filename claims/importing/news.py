"""Read an ordinary news page (saved HTML) into a ParsedArticle: main text, byline, date, outlet, links.

The main text is extracted by trafilatura (navigation, ads, related links and comments left out), as XML so
that the links inside paragraphs survive: each linked page becomes a reference, its marker placed right
after the link's text, so the sentence that links to a source cites it. The byline, publication date and
outlet come from the page's metadata (JSON-LD, Open Graph, meta tags) as trafilatura reads them.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

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


def _authors(byline: str) -> str:
    """Names from trafilatura's "A; B" byline, each once whatever its case ("Jeffrey Gettleman; JEFFREY …")."""
    names: dict[str, str] = {}
    for name in byline.split(";"):
        name = " ".join(name.split())
        if name:
            names.setdefault(name.lower(), name)
    return "; ".join(names.values())


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
    document.meta = ArticleMeta(
        url=page_url,
        author=_authors(root.get("author") or ""),
        published=parse_iso_datetime(root.get("date") or ""),
        publisher=root.get("sitename") or hostname.removeprefix("www."),
        language=root.get("language") or "",
    )
    if not document.blocks:
        raise ParseError("no article text found in this page")
    return build(document, published=published)
