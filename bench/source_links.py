"""What a page's own source says each reference links to, read without the readers: the measure of their URL recall.

A reference "gives a link" when its source holds an http(s) address (url=, archive-url=, a bracketed link, a bare
URL) or an identifier (doi=, isbn=, pmid=, {{ISBN|…}}, "ISBN 0-…", a rendered resolver or Special:BookSources link),
its own or that of the full citation a short footnote points to (``{{sfn|Smith|2001}}``, ``{{harvnb|…}}``,
``[[#anchor|Smith]]``, a rendered ``#CITEREF…`` link). URL recall is the share of those references whose citation,
as the reader made it, carries one of them (as URL, archive URL or identifier).

Wikitext: every reference defined or reused in the prose (infoboxes, navboxes, tables and pictures removed
first), each matched to a citation of its own that carries one of its links (only the reader knows the
numbers). Wikipedia HTML: by label, through the
superscript's link to its references-list item. Deliberately simple regular expressions: not the readers' code.
"""

from __future__ import annotations

import html as htmlmod
import re
from urllib.parse import unquote

import lxml.html
import mwparserfromhell

ID_PARAMS = r"doi|isbn|isbn13|pmid|pmc|oclc|jstor|issn|eissn|arxiv|eprint|bibcode|hdl|lccn|ol|s2cid|ssrn|osti|mr|zbl"
_PARAM = re.compile(r"\|\s*(?:" + ID_PARAMS + r")\s*=\s*([^|}\n]+)", re.I)
_TEMPLATE = re.compile(r"\{\{\s*(?:" + ID_PARAMS + r")\s*\|\s*([^|}]+)", re.I)
_URL = re.compile(r"(?:https?:)?//[^\s|\]\[<>\"{}]+", re.I)
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dXx])\b")
SHORT = {"sfn", "sfnp", "sfnm", "harvnb", "harv", "harvp", "harvtxt", "harvcoltxt", "harvcol", "harvcolnb"}
BOXES = ("infobox", "navbox", "sidebar", "campaignbox")


def norm(value: str) -> str:
    """A link or identifier as compared: scheme, www., case, escapes and fragments folded; identifiers bare."""
    value = htmlmod.unescape(value).strip().strip(".,;")
    if value.startswith("//"):
        value = "https:" + value
    if re.match(r"https?://", value, re.I):
        return re.sub(r"^https?://(www\.)?", "", unquote(unquote(value)).lower()).split("#")[0].rstrip("/")
    return re.sub(r"[\s\-–]", "", value.lower()).removeprefix("pmc")


RESOLVER = re.compile(
    r"^(?:dx\.)?doi\.org/(.+)|^(?:ncbi\.nlm\.nih\.gov/)?pubmed(?:\.ncbi\.nlm\.nih\.gov)?/(\d+)|"
    r"^ncbi\.nlm\.nih\.gov/pmc/articles/(?:pmc)?(\d+)|^worldcat\.org/(?:oclc|issn)/([\dx-]+)|^jstor\.org/stable/(.+)|"
    r"^arxiv\.org/abs/(.+)|^hdl\.handle\.net/(.+)|^(?:ui\.)?adsabs\.harvard\.edu/abs/(.+)"
)


def with_identifiers(found: set[str]) -> set[str]:
    """A resolver's link also counts as the identifier it prints (doi.org/10.1/x is the DOI 10.1/x)."""
    extra = set()
    for value in found:
        if match := RESOLVER.match(value):
            extra.add(norm(next(g for g in match.groups() if g)))
    return found | extra


def _links(text: str) -> set[str]:
    found = {norm(m.group(0)) for m in _URL.finditer(text) if "wikipedia.org" not in m.group(0)}
    for pattern in (_PARAM, _TEMPLATE, _ISBN):
        found |= {norm(m.group(1)) for m in pattern.finditer(text) if not m.group(1).strip().startswith("{{")}
    return with_identifiers({f for f in found if f and f != "harv"})


def _anchor(template) -> str:
    values = {str(p.name).strip(): str(p.value).strip() for p in template.params if p.showkey}
    ref = values.get("ref", "")
    if ref and ref.lower() not in ("harv", "none"):
        if match := re.match(r"\{\{\s*(?:sfnref|harvid)\s*\|(.+?)\}\}$", ref, re.I | re.S):
            return "citeref" + "".join(p.strip() for p in match.group(1).split("|")).replace(" ", "").lower()
        return ref.lower()
    names = [values.get(k) for k in ("last", "last1", "surname", "surname1", "author", "author1", "last2", "last3")]
    names = [n for n in names if n]
    year = values.get("year") or (re.search(r"\d{4}[a-z]?", values.get("date", "")) or [""])[0]
    return ("citeref" + "".join(n.replace(" ", "") for n in names[:4]) + year).lower() if names and year else ""


def wikitext_references(text: str) -> list[set[str]]:
    """For each reference of the prose (a <ref> body, by name once, or a distinct {{sfn}}): what it links to."""
    code = mwparserfromhell.parse(text)
    anchors: dict[str, set[str]] = {}
    named: dict[str, str] = {}
    for template in code.filter_templates(recursive=True):
        name = str(template.name).strip().lower()
        if (name.startswith("cite") or name == "citation") and (anchor := _anchor(template)):
            anchors.setdefault(anchor, _links(str(template)))
    for tag in code.filter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "ref"):
        if tag.has("name") and not tag.self_closing and tag.contents is not None and str(tag.contents).strip():
            named.setdefault(str(tag.get("name").value).strip().strip('"'), str(tag.contents))

    def targets(body: str) -> set[str]:
        found: set[str] = set()
        for match in re.finditer(r"\[\[\s*#([^|\]]+)", body):
            found |= anchors.get(match.group(1).strip().lower(), set())
        for template in mwparserfromhell.parse(body).filter_templates(recursive=True):
            if str(template.name).strip().lower() in SHORT:
                args = [str(p.value).strip() for p in template.params if not p.showkey and str(p.value).strip()]
                found |= anchors.get(("citeref" + "".join(a.replace(" ", "") for a in args)).lower(), set())
        return found

    prose = mwparserfromhell.parse(text)
    for node in list(prose.nodes):
        name = str(node.name).strip().lower() if hasattr(node, "name") else ""
        is_box = name.startswith(BOXES) or name.endswith(tuple(" " + b for b in BOXES))
        is_file = hasattr(node, "title") and re.match(r"\s*:?\s*(?:file|image):", str(node.title), re.I)
        if is_box or is_file or (hasattr(node, "tag") and str(node.tag).lower() in ("table", "gallery")):
            prose.remove(node)
    for link in prose.filter_wikilinks(recursive=True):
        if re.match(r"\s*:?\s*(?:file|image):", str(link.title), re.I):
            try:
                prose.remove(link)
            except ValueError:
                pass  # inside a picture already removed
    references, seen = [], set()
    for tag in prose.filter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "ref"):
        if tag.has("group"):
            continue
        name = str(tag.get("name").value).strip().strip('"') if tag.has("name") else ""
        has_body = not tag.self_closing and tag.contents is not None and str(tag.contents).strip()
        body = str(tag.contents) if has_body else named.get(name)
        if body is not None and not (name and name in seen):  # an unnamed ref is a reference each time
            seen.add(name)
            references.append(_links(body) | targets(body))
    for template in prose.filter_templates(recursive=True):
        if str(template.name).strip().lower() in ("sfn", "sfnp", "sfnm") and str(template) not in seen:
            seen.add(str(template))
            references.append(targets(str(template)))
    return references


def html_references(page: str) -> dict[str, set[str]]:
    """Label → what the references-list item the label's superscript points to links to."""
    root = lxml.html.document_fromstring(page)

    def links(element) -> set[str]:
        found = set()
        for href in element.xpath(".//a/@href"):
            if "Special:BookSources/" in href:
                found.add(norm(unquote(href.rsplit("/", 1)[-1])))
            elif re.match(r"(https?:)?//", href) and not re.search(r"wiki[pm]edia\.org", href):
                found.add(norm(href))
        return found

    items = {li.get("id"): li for li in root.xpath("//li[starts-with(@id, 'cite_note')]")}
    found: dict[str, set[str]] = {}
    for sup in root.xpath("//sup[contains(concat(' ', @class, ' '), ' reference ') or contains(@class, 'mw-ref')]"):
        label = " ".join(sup.text_content().split()).strip("[]").strip()
        href = next(iter(sup.xpath(".//a/@href")), "")
        item = items.get(unquote(href.split("#")[-1])) if "#" in href else None
        if not label or item is None or label in found:
            continue
        own = links(item)
        for anchor in item.xpath(".//a[starts-with(@href, '#')]/@href"):
            target = root.xpath("//*[@id=$id]", id=unquote(anchor[1:]))
            if target and not target[0].get("id", "").startswith("cite_"):
                own |= links(target[0])
        found[label] = with_identifiers(own)
    return found


def carried(reference) -> set[str]:
    values = {norm(v) for v in (reference.url, reference.archive_url) if v}
    return values | {norm(value) for _, value in reference.identifiers}


def url_recall(text: str, fmt: str, references) -> tuple[int, int]:
    """(references whose citation carries a link their source gives, references whose source gives one)."""
    references = [r for r in references if r.kind == "reference"]
    if fmt == "html":
        truth = html_references(text)
        pairs = [(truth[r.label], carried(r)) for r in references if truth.get(r.label)]
        # A URL longer than the model keeps (1,000 characters) is stored cut: a long common start is the same link.
        return sum(1 for want, got in pairs if _meets(want, got)), len(pairs)
    # One citation per reference: two short references to one book ("Porter, p. 332.", "Porter, p. 400.")
    # need two citations that carry the book's ISBN, not one.
    unused = [carried(r) for r in references]
    wanted = [links for links in wikitext_references(text) if links]
    kept = 0
    for links in wanted:
        match = next((i for i, got in enumerate(unused) if _meets(links, got)), None)
        if match is not None:
            kept += 1
            unused.pop(match)
    return kept, len(wanted)


def _meets(want: set[str], got: set[str]) -> bool:
    return bool(want & got) or any(len(g) > 300 and w.startswith(g[:-3]) for w in want for g in got)
