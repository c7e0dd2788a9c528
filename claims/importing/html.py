"""Read a saved Wikipedia page (desktop HTML or Parsoid HTML) into a ParsedArticle with its references.

In both kinds of HTML a reference is a superscript in the text (desktop ``sup.reference``, Parsoid
``sup.mw-ref``) linking to ``#cite_note-…``, an item of the references list (``ol.references li``) whose
``cite`` element and COinS span (``span.Z3988``) say what the reference is. The superscript's own text
(``[54]``, ``[a]``, ``[note 3]``) is the label, exactly as a scrape of the page shows it, so a page first
imported as text and then as HTML keeps its citations. Infoboxes, tables, navboxes, figures, hatnotes and
the reference sections at the end are skipped and counted; headings name the sections.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, unquote

import lxml.html
from lxml import etree

from . import identifiers as ids
from .document import Document, build
from .parser import ParsedArticle, ParseError
from .references import ArticleMeta, Reference, parse_date
from .wikitext import END_SECTIONS

ARCHIVE_HOSTS = ("web.archive.org", "archive.org/web", "archive.today", "archive.ph", "archive.is", "webcitation.org")
BLOCKS = {"p", "li", "dd", "dt", "blockquote"}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
# class → what the import report calls it when skipped.
SKIP_CLASSES = {
    "infobox": "infoboxes", "navbox": "navboxes", "vertical-navbox": "navboxes", "sidebar": "navboxes",
    "navbox-styles": "", "thumb": "files", "gallery": "files", "hatnote": "hatnotes", "ambox": "maintenance boxes",
    "metadata": "maintenance boxes", "mw-editsection": "", "reflist": "", "references": "", "mw-references-wrap": "",
    "toc": "", "mw-empty-elt": "", "shortdescription": "", "noprint": "", "mw-cite-backlink": "", "catlinks": "",
    "printfooter": "", "mw-jump-link": "", "authority-control": "navboxes", "portal": "navboxes",
}  # fmt: skip
SKIP_TAGS = {"table": "tables", "figure": "files", "style": "", "script": "", "noscript": "", "link": "", "meta": ""}


def looks_like_wikipedia(html: str) -> bool:
    head = html[:200_000]
    return "mw-parser-output" in head or 'content="MediaWiki' in head or "parsoid-body" in head


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _is_reference_sup(element) -> bool:
    return element.tag == "sup" and bool(_classes(element) & {"reference", "mw-ref"}) and not _is_page_locator(element)


def _is_page_locator(element) -> bool:
    """{{rp|35}}'s ":35" after a marker: styled as a reference but linking to none (the page within the work
    cited just before), so it is neither a marker nor prose."""
    return (
        element.tag == "sup"
        and "reference" in _classes(element)
        and "mw:Extension/ref" not in (element.get("typeof") or "")
        and not element.xpath(".//a[contains(@href, '#cite_note')]")
    )


def _is_cleanup_tag(element) -> bool:
    return element.tag == "sup" and "Inline-Template" in _classes(element)


def _is_archive(url: str) -> bool:
    return any(host in url for host in ARCHIVE_HOSTS)


def _absolute(url: str) -> str:
    return "https:" + url if url.startswith("//") else url


def _label(sup) -> str:
    """The label as the page prints it: "[54]" → "54"; Parsoid's "[lower-alpha 1]" → "a"."""
    text = _text(sup).strip().strip("[]").strip()
    if match := re.fullmatch(r"lower-alpha (\d+)", text):
        return chr(ord("a") + int(match.group(1)) - 1)
    return text


def _coins(cite_item) -> dict[str, list[str]]:
    """The COinS metadata CS1 citations carry in span.Z3988 (title, work, publisher, date, authors, URL and
    identifiers: ``rft_id`` repeats, one per identifier)."""
    span = next(iter(cite_item.xpath(".//span[contains(concat(' ', @class, ' '), ' Z3988 ')]")), None)
    if span is None:
        return {}
    return parse_qs(span.get("title") or "", keep_blank_values=False)


def _identifiers(item, coins: dict[str, list[str]], links: list[str]) -> dict[str, str]:
    """The identifiers a rendered citation prints: its resolver links (doi.org, PubMed, WorldCat…), the
    Special:BookSources link of an ISBN, the COinS ``rft_id=info:doi/…`` and ``rft.isbn``, and an ISBN or DOI
    spelled out in a free-text reference."""
    found: dict[str, str] = {}
    for url in links:
        if (pair := ids.from_link(url)) and pair[0] not in found:
            found[pair[0]] = pair[1]
    for href in item.xpath(".//a[contains(@href, 'Special:BookSources/')]/@href"):
        if "isbn" not in found and (value := ids.clean("isbn", unquote(href.rsplit("/", 1)[-1]))):
            found["isbn"] = value
    for key, values in coins.items():
        for value in values:
            if key == "rft_id" and (match := re.match(r"^info:(doi|pmid|arxiv|bibcode|oclcnum|hdl|lccn)/(.+)$", value)):
                name = {"oclcnum": "oclc"}.get(match.group(1), match.group(1))
                if name not in found and (clean := ids.clean(name, match.group(2))):
                    found[name] = clean
            elif key in ("rft.isbn", "rft.issn", "rft.eissn") and key[4:] not in found:
                if clean := ids.clean(key[4:], value):
                    found[key[4:]] = clean
    for name, value in ids.in_text(_text(item)).items():
        found.setdefault(name, value)
    return found


def describe(item, label: str, kind: str) -> Reference:
    """A references-list item → Reference (COinS first, then the visible cite element and its links).

    The URL is the work's own link (the "original" of an archived copy first); failing that, the link an
    identifier renders as (doi.org before PubMed before WorldCat, identifiers.RESOLVERS); an ISBN is kept as an
    identifier, never a URL."""
    all_coins = _coins(item)
    coins = {key: values[0] for key, values in all_coins.items()}
    links = [_absolute(a.get("href") or "") for a in item.xpath(".//a[contains(@class, 'external')]")]
    links = [u for u in links if u.startswith(("http://", "https://"))]
    originals = [
        _absolute(a.get("href") or "")
        for a in item.xpath(".//a[contains(@class, 'external')]")
        if _text(a).lower() in ("the original", "original")
    ]
    found = _identifiers(item, all_coins, links)
    archive = next((u for u in links if _is_archive(u)), "")
    own = [u for u in links if not _is_archive(u) and ids.from_link(u) is None]
    url = next(iter(originals), "") or next(iter(own), "")
    if not url:
        coins_url = next((u for u in all_coins.get("rft_id", []) if u.startswith("http") and not _is_archive(u)), "")
        url = coins_url if coins_url and ids.from_link(coins_url) is None else ""
    url = url or ids.resolver_url(found)
    authors = []
    if coins.get("rft.aulast"):
        authors.append(f"{coins.get('rft.aufirst', '')} {coins['rft.aulast']}".strip())
    authors += all_coins.get("rft.au", [])
    cite = next(iter(item.xpath(".//cite")), None)
    shown_authors, shown_date = _shown_author_and_date(cite) if cite is not None and not coins else ([], None)
    authors += shown_authors
    body = item.xpath(".//*[contains(@class, 'reference-text')]")  # without the "^" back-links
    text = _text(body[0] if body else item)
    accessed = re.search(r"Retrieved(?: on)? ([^.]+?\d{4})", text)
    quote = next(iter(item.xpath(".//q")), None)
    title = coins.get("rft.atitle") or coins.get("rft.btitle") or coins.get("rft.title") or ""
    if not title and cite is not None:
        first = next(iter(cite.xpath(".//a[contains(@class, 'external')]")), None)
        title = _text(first).strip('"“”') if first is not None else ""
    # The work the title is part of: a journal or newspaper, the book a chapter is in; a whole book has none,
    # and its publisher is the press. The first italic of the citation is the work only when it is not the
    # title itself (a book's title is italic too).
    work = coins.get("rft.jtitle") or (coins.get("rft.btitle", "") if coins.get("rft.atitle") else "")
    if not work and cite is not None and not coins.get("rft.btitle"):
        italic = next(iter(cite.xpath(".//i")), None)
        work = _text(italic) if italic is not None else ""
        work = "" if work.strip('"“”') == title else work
    return Reference(
        label=label,
        kind=kind,
        url=url,
        title=title or (text if not url else ""),
        author="; ".join(dict.fromkeys(a for a in authors if a)),
        publisher=work or coins.get("rft.pub", ""),
        published=parse_date(coins.get("rft.date", "")) or shown_date,
        accessed=parse_date(accessed.group(1)) if accessed else None,
        archive_url=archive,
        quote=_text(quote).strip('"“”') if quote is not None else "",
        text=text if cite is None else "",
        identifiers=ids.as_pairs(found),
    )


# CS1 as printed: "Wilmshurst, J. M.; Hunt, T. L. (2010). "Title". …" (authors, then the date in brackets).
_LEAD = re.compile(r"^([^\"“”()]{2,400}?) \(([^()]{4,40})\)\.\s")
_FULL_DATE = re.compile(r"\b(\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2})\b")
_NOT_PUBLISHED = re.compile(r"(?:Retrieved|Archived from the original on|Archived|Accessed|accessed)(?: on)? [^.]*\.")


def _shown_author_and_date(cite) -> tuple[list[str], date | None]:
    """The authors and publication date a CS1 citation prints, for a page saved without its COinS metadata:
    "Last, First; Last2, First2 (Date)." at the start; without authors, the first full date outside the title
    and outside "Retrieved …" / "Archived from the original on …". A year or a month alone gives no date."""
    text = _text(cite)
    if match := _LEAD.match(text):
        names = []
        for name in match.group(1).split(";"):
            name = re.sub(r"\s*\((?:eds?|ed|editors?|trans)\.?\)\s*$", "", name.strip()).strip()
            if name and name.lower() not in ("et al.", "et al"):
                last, _, first = name.partition(", ")
                names.append(f"{first} {last}".strip() if first and "," not in first else name)
        return names, parse_date(match.group(2))
    rest = _NOT_PUBLISHED.sub(" ", re.sub(r"\"[^\"]*\"|“[^”]*”", " ", text))
    found = _FULL_DATE.search(rest)
    return [], parse_date(found.group(1)) if found else None


class _Reader:
    def __init__(self, root):
        self.root = root
        self.document = Document(title="", format="html")
        self.skipped: Counter = Counter()
        self.items = {item.get("id"): item for item in root.xpath("//li[starts-with(@id, 'cite_note')]")}
        self.section = ""
        self.in_end_section = False
        self.end_level = 0  # the heading level of the end section we are in (its subsections are end too)
        self.ids: dict[str, object] | None = None  # element by id, for the anchors of short references

    def skip_reason(self, element) -> str | None:
        """Why the element is not prose ("" when it is not worth counting), or None when it is."""
        if not isinstance(element.tag, str):
            return ""  # comments, processing instructions
        if _is_page_locator(element):
            return ""
        if _is_cleanup_tag(element) or _is_reference_sup(element):
            return None
        classes = _classes(element)
        for name, what in SKIP_CLASSES.items():
            if name in classes:
                return what
        if element.tag in SKIP_TAGS:
            return SKIP_TAGS[element.tag]
        if element.get("role") == "navigation" or element.get("id") in ("toc", "catlinks"):
            return ""
        if element.get("typeof", "").startswith("mw:File") or "mw-default-size" in classes:
            return "files"
        return None

    def walk(self, element) -> None:
        for child in element:
            reason = self.skip_reason(child)
            if reason is not None:
                if reason:
                    self.skipped[reason] += 1
                continue
            tag = child.tag
            heading = tag if tag in HEADINGS else None
            if tag == "div" and "mw-heading" in _classes(child):
                heading = next((h.tag for h in child if h.tag in HEADINGS), None)
                child = next((h for h in child if h.tag in HEADINGS), child)
            if heading:
                headline = child.xpath(".//*[contains(@class, 'mw-headline')]")
                self.section = _text(headline[0] if headline else child).replace("[edit]", "").strip()
                level = int(heading[1])
                if self.in_end_section and level > self.end_level:
                    continue  # "Secondary" under "Further reading" is still the end of the page
                self.in_end_section = self.section.lower() in END_SECTIONS
                if self.in_end_section:
                    self.end_level = level
                    self.skipped["end sections"] += 1
            elif tag in BLOCKS:
                if not self.in_end_section:
                    self.document.add(self.section, self.inline(child))
                for nested in child.xpath("./ul | ./ol | ./dl"):
                    self.walk(nested)
            else:
                self.walk(child)

    def inline(self, element) -> str:
        """The element's text with reference superscripts as [label] and cleanup tags kept as printed."""
        parts = [element.text or ""]
        for child in element:
            if _is_reference_sup(child):
                parts.append(self.reference(child))
            elif child.tag in ("ul", "ol", "dl"):
                pass  # nested lists are paragraphs of their own
            elif child.tag == "br":
                parts.append(" ")
            elif _is_cleanup_tag(child):
                parts.append(_text(child))
            elif self.skip_reason(child) is None:
                parts.append(self.inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def reference(self, sup) -> str:
        label = _label(sup) or _parsoid_label(sup)
        if not label:
            return ""
        if label not in self.document.references:
            kind = "reference" if label.isdigit() else "note"
            item = self.item(sup)
            self.document.references[label] = (
                self.describe(item, label, kind) if item is not None else Reference(label=label, kind=kind)
            )
        return f"[{label}]"

    def describe(self, item, label: str, kind: str) -> Reference:
        """describe(), and for a short reference ("King 2003, p. 41." linking to ``#CITEREFKing2003``, or to a
        ``#ref…`` anchor of the page) the full citation's link and details, its own text (the page) kept. Of
        several works cited at once, the first whose citation has a link (URL or identifier)."""
        own = describe(item, label, kind)
        body = item.xpath(".//*[contains(@class, 'reference-text')]") or [item]
        cited = []
        for href in body[0].xpath(".//a[starts-with(@href, '#')]/@href"):
            target = self.element(unquote(href[1:]))
            if target is None or target.get("id", "").startswith("cite_"):
                continue
            if target.tag != "cite" and not target.xpath(".//cite"):
                continue
            container = target.getparent() if target.tag == "cite" and target.getparent() is not None else target
            cited.append(describe(container, label, kind))
        if not cited:
            return own
        full = next((c for c in cited if c.url or c.identifiers), cited[0])
        text = own.text or _text(body[0])
        return replace(full, url=own.url or full.url, archive_url=own.archive_url or full.archive_url, text=text)

    def element(self, anchor: str):
        if self.ids is None:
            self.ids = {el.get("id"): el for el in self.root.xpath("//*[@id]")}
        return self.ids.get(anchor)

    def item(self, sup):
        """The references-list item a superscript points to: by its link's #cite_note-… (both kinds of HTML),
        else by Parsoid's data-mw: the id of the rendered body, or the body's own HTML when the page carries
        no references list for it."""
        href = next(iter(sup.xpath(".//a/@href")), "")
        if "#" in href and (item := self.items.get(unquote(href.split("#")[-1]))) is not None:
            return item
        data = _data_mw(sup).get("body") or {}
        if isinstance(data, dict) and data.get("id"):
            found = self.root.xpath("//*[@id=$id]", id=data["id"])
            if found:
                return found[0].getparent() if found[0].getparent() is not None else found[0]
        if isinstance(data, dict) and data.get("html"):
            try:
                return lxml.html.fragment_fromstring(data["html"], create_parent="li")
            except (etree.ParserError, ValueError):
                return None
        return None


def _data_mw(element) -> dict:
    """Parsoid's data-mw JSON (the ref's name, group and body); {} when absent or unreadable."""
    try:
        data = json.loads(element.get("data-mw") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _parsoid_label(sup) -> str:
    """A Parsoid superscript whose label is drawn by CSS (an empty mw-reflink-text): the number from its
    ``counter-reset: mw-Ref N`` and the group from data-mw, written as the page prints it."""
    style = " ".join(sup.xpath(".//a/@style"))
    match = re.search(r"mw-Ref\s+(\d+)", style)
    if not match:
        return ""
    group = ((_data_mw(sup).get("attrs") or {}).get("group") or "").strip()
    number = int(match.group(1))
    if group in ("lower-alpha", "lower-latin"):
        return chr(ord("a") + number - 1) if number <= 26 else ""
    return f"{group} {number}" if group else str(number)


def _content(root):
    for xpath in (
        "//*[@id='mw-content-text']//div[contains(concat(' ', @class, ' '), ' mw-parser-output ')]",
        "//*[contains(concat(' ', @class, ' '), ' mw-parser-output ')]",
        "//body",
    ):
        found = root.xpath(xpath)
        if found:
            return found[0]
    return root


def _title(root) -> str:
    for xpath in ("//h1[@id='firstHeading']", "//title"):
        found = root.xpath(xpath)
        if found and _text(found[0]):
            return re.sub(r"\s+[-–—]\s+Wikipedia$", "", _text(found[0]))
    return ""


def parse_html(html: str, *, title: str = "", published: date | None = None) -> ParsedArticle:
    """Parse a saved Wikipedia page. Raises ParseError when it holds no article text."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as err:
        raise ParseError(f"not readable as HTML ({err})") from None
    reader = _Reader(root)
    reader.walk(_content(root))
    canonical = next(iter(root.xpath("//link[@rel='canonical']/@href | //link[@rel='dc:isVersionOf']/@href")), "")
    document = reader.document
    document.title = title or _title(root)
    document.skipped = reader.skipped
    document.skipped["categories"] += len(root.xpath("//*[@id='catlinks']//li | //link[@rel='mw:PageProp/Category']"))
    # Parsoid puts the language on <body>, the desktop page on <html>.
    language = root.get("lang") or next(iter(root.xpath("//body/@lang")), "")
    document.meta = ArticleMeta(url=_absolute(canonical), publisher="Wikipedia", language=language)
    if not document.blocks:
        raise ParseError("no article text found in this HTML page")
    return build(document, published=published)
