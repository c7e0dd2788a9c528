"""Read MediaWiki wikitext (the page's "edit source") into a ParsedArticle, with its references resolved.

Rendered the way Wikipedia numbers things, so that the markers match a scrape of the same page:

- ``<ref>`` in the body get 1, 2, 3… in order of first use; ``<ref name=x/>`` reuses x's number; a named ref
  defined elsewhere (``{{reflist|refs=…}}``) is found by name. ``{{sfn|Author|Year|p=…}}`` is a ref whose
  name is its parameters, so the same short footnote twice is one reference; its details come from the
  bibliography's ``{{cite …}}`` with the same author and year.
- ``{{efn}}`` / ``{{refn|group=lower-alpha}}`` notes are lettered ``[a]``, ``[b]``…; ``group=note`` refs are
  ``[note 1]``. Refs inside a note are numbered after the body's (MediaWiki expands them with the notes list).
- Cleanup templates ({{citation needed}}, {{better source needed}}, {{clarify}}…) become the bracket tags the
  text parser knows. Infoboxes, tables, files, categories, navboxes and other non-prose templates are skipped
  and counted. Links are reduced to their text. Headings name the section of the paragraphs under them;
  reference and link sections at the end (References, See also…) are not prose.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from string import ascii_lowercase
from urllib.parse import unquote

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)

from . import identifiers as ids
from .dates import MONTH_NAMES
from .document import Document, build
from .parser import ParsedArticle, ParseError
from .references import Reference, parse_date

REDIRECT = re.compile(r"^\s*#\s*(?:redirect|weiterleitung|redirection)\s*:?\s*\[\[([^\]|]+)", re.IGNORECASE)

# Template name → the cleanup tag as Wikipedia renders it (the text parser turns these into Claim.tags).
CLEANUP = {
    **dict.fromkeys(
        ["citation needed", "cn", "fact", "citeneeded", "citation-needed", "cite needed"], "[citation needed]"
    ),
    **dict.fromkeys(
        ["better source needed", "better source", "bsn", "better source needed span"], "[better source needed]"
    ),
    **dict.fromkeys(["clarify", "clarification needed", "clarify span"], "[clarification needed]"),
    **dict.fromkeys(["dubious", "dubious span", "dubious-inline"], "[dubious – discuss]"),
    **dict.fromkeys(
        ["failed verification", "fv", "failed verification span", "verification failed"], "[failed verification]"
    ),
    **dict.fromkeys(["according to whom", "by whom", "atw"], "[according to whom?]"),
    **dict.fromkeys(["when", "when?"], "[when?]"),
}  # fmt: skip
NOTE_TEMPLATES = {"efn", "efn-lr", "efn-la", "notetag", "refn", "efn-ua", "efn-lg", "ref label"}
SHORT_FOOTNOTES = {"sfn", "sfnp", "sfnm", "harvnb", "harv", "harvp", "harvtxt", "harvcoltxt", "harvcol", "harvcolnb"}
# Block quotations: their text is the article's (as the HTML reader's <blockquote>), a paragraph of its own.
QUOTE_TEMPLATES = {"quote", "blockquote", "cquote", "quotation", "bquote", "quote frame", "talkquote"}
REFLISTS = {"reflist", "notelist", "notes", "references", "refbegin", "refend", "notelist-ua", "notelist-lr"}
# Templates whose visible text is (one of) their plain arguments.
TEXT_TEMPLATES = {
    "nowrap": 1, "nobr": 1, "small": 1, "smaller": 1, "big": 1, "noitalic": 1, "abbr": 1, "ill": 1,
    "lang": 2, "transl": 2, "nihongo": 1, "flagcountry": 1, "flag": 1, "date": 1, "sort": 2, "vanchor": 1,
    "lang-ar": 1, "lang-fr": 1, "lang-de": 1, "lang-ru": 1, "lang-uk": 1, "lang-tr": 1, "lang-fa": 1,
    "keypress": 1, "mvar": 1, "math": 1, "ship": 2, "formatnum": 1, "visible anchor": 1, "linktext": 1,
}  # fmt: skip
SYMBOLS = {
    "nbsp": " ", "snd": " – ", "spaced ndash": " – ", "ndash": "–", "mdash": "—", "dash": " – ", "=": "=",
    "!": "|", "·": " · ", "middot": "·", "'": "'", "shy": "", "zwsp": "", "thinsp": " ", "en dash": "–",
}  # fmt: skip
CURRENCY = {"us$": "US$", "usd": "US$", "gbp": "£", "£": "£", "eur": "€", "€": "€", "inr": "₹", "cad": "CA$"}
SKIP_PREFIXES = (("infobox", "infobox"), ("navbox", "navbox"), ("campaignbox", "navbox"), ("sidebar", "navbox"))
END_SECTIONS = {
    "references", "notes", "external links", "see also", "further reading", "bibliography", "sources",
    "citations", "footnotes", "works cited", "notes and references", "references and notes", "general sources",
    "general references", "explanatory notes", "einzelnachweise", "weblinks", "literatur", "siehe auch",
}  # fmt: skip
FILE_PREFIXES = ("file:", "image:", "media:", "datei:", "bild:", "fichier:")
CATEGORY_PREFIXES = ("category:", "kategorie:", "catégorie:")
SKIP_TAGS = {"gallery", "imagemap", "timeline", "graph", "mapframe", "templatestyles", "score", "syntaxhighlight",
             "source", "chem", "ce", "hiero", "inputbox", "categorytree", "references"}  # fmt: skip
BLOCK_TAGS = {"li", "dt", "dd", "p", "blockquote", "div"}
WORK_KEYS = ("work", "website", "newspaper", "journal", "magazine", "periodical", "encyclopedia", "encyclopaedia")
PUBLISHER_KEYS = ("publisher", "agency", "via", "institution")


def _name(template: Template) -> str:
    return " ".join(str(template.name).split()).replace("_", " ").lower().removeprefix("template:")


def _values(template: Template) -> dict[str, object]:
    """Named parameters by name (first wins, as MediaWiki's last-wins matters only for broken pages)."""
    values: dict[str, object] = {}
    for param in template.params:
        if param.showkey:
            values.setdefault(str(param.name).strip(), param.value)
    return values


def _param(template: Template | dict, *names: str) -> str:
    """The first of the named parameters that has text, as plain text. Takes a template or its _values()."""
    values = template if isinstance(template, dict) else _values(template)
    for name in names:
        value = values.get(name)
        if value is not None:
            raw = str(value)
            # strip_code is the slow part of reading a page: only values with markup need it.
            text = value.strip_code().strip() if any(c in raw for c in "[{<&'") else raw.strip()
            if text:
                return text
    return ""


def _positional(template: Template) -> list[str]:
    return [str(p.value).strip() for p in template.params if not p.showkey]


def _attr(tag: Tag, name: str) -> str:
    if not tag.has(name):
        return ""
    return str(tag.get(name).value).strip().strip("\"'").strip()


def _letters(n: int) -> str:
    """1 → a, 26 → z, 27 → aa: MediaWiki's lower-alpha numbering."""
    label = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        label = ascii_lowercase[rest] + label
    return label


def _author(template: Template | dict) -> str:
    names = []
    for i in ("", "1", "2", "3"):
        last = _param(template, f"last{i}", f"surname{i}", f"author{i}-last")
        first = _param(template, f"first{i}", f"given{i}", f"author{i}-first")
        whole = _param(template, f"author{i}", f"authors{i}" if i == "" else f"author{i}")
        if last:
            names.append(f"{first} {last}".strip())
        elif whole:
            names.append(whole)
    return "; ".join(dict.fromkeys(names))


def _cite_reference(template: Template, label: str, kind: str) -> Reference:
    template = _values(template)
    work = _param(template, *WORK_KEYS)
    found = _identifiers(template)
    return Reference(
        label=label,
        kind=kind,
        # No url=: the identifier the template prints as a link (doi.org, PubMed…); never one for an ISBN.
        url=_param(template, "url", "chapter-url", "chapterurl", "conference-url") or ids.resolver_url(found),
        title=_param(template, "title", "chapter", "script-title", "trans-title"),
        author=_author(template),
        publisher=work or _param(template, *PUBLISHER_KEYS),
        published=parse_date(_param(template, "date", "publication-date", "air-date")),
        accessed=parse_date(_param(template, "access-date", "accessdate")),
        archive_url=_param(template, "archive-url", "archiveurl"),
        quote=_param(template, "quote"),
        identifiers=ids.as_pairs(found),
    )


def _identifiers(values: dict) -> dict[str, str]:
    """doi=, pmid=, isbn=… of a cite template (each spelling CS1 takes), as identifiers.clean() writes them."""
    found: dict[str, str] = {}
    for parameter, name in ids.PARAMETERS.items():
        if name not in found and parameter in values:
            value = ids.clean(name, _param(values, parameter))
            if value:
                found[name] = value
    return found


def _identifier_templates(contents) -> dict[str, str]:
    """{{ISBN|…}}, {{doi|…}}, {{PMID|…}}… written in a free-text reference, and an ISBN or DOI spelled out."""
    found: dict[str, str] = {}
    for template in contents.filter_templates(recursive=True):
        name = ids.PARAMETERS.get(_name(template)) or ids.PARAMETERS.get(_name(template).upper())
        args = _positional(template)
        if name and args and name not in found and (value := ids.clean(name, args[0])):
            found[name] = value
    for name, value in ids.in_text(str(contents)).items():
        found.setdefault(name, value)
    return found


def _is_cite(name: str) -> bool:
    return name.startswith("cite") or name in {"citation", "cite web", "internetquelle", "literatur", "vcite web"}


def _short_key(author: str, year: str) -> tuple[str, str]:
    return (author.split()[-1].lower() if author.split() else "", year)


class _Reader:
    def __init__(self, text: str):
        self.code = mwparserfromhell.parse(text)
        self.document = Document(title="", format="wikitext")
        self.skipped: Counter = Counter()
        self.numbers: dict[tuple[str, str], str] = {}  # (group, name) → label
        self.counters: Counter = Counter()
        self.contents: dict[tuple[str, str], object] = {}  # (group, name) → ref contents (Wikicode)
        self.deferred: list[object] = []  # contents of notes, whose refs are numbered after the body
        self.bibliography: dict[tuple[str, str], Template] | None = None
        self.anchors: dict[str, Template] | None = None
        self.section = ""
        self.in_end_section = False
        self.end_level = 0  # the heading level of the end section we are in (its subsections are end too)
        self.pieces: list[str] = []
        self.newlines = 0  # line breaks written since the last text: two or more end the paragraph
        self.line_block = False  # the paragraph is a list item, which ends with its line
        self._index()

    # -- what the page defines anywhere: named refs (also list-defined) and the bibliography for {{sfn}} --
    def _index(self) -> None:
        for tag in self.code.filter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "ref"):
            name = _attr(tag, "name")
            if name and tag.contents is not None and str(tag.contents).strip() and not tag.self_closing:
                self.contents.setdefault((_attr(tag, "group"), name), tag.contents)
        for template in self.code.filter_templates(recursive=True):
            name = _name(template)
            if name in NOTE_TEMPLATES and template.has("name"):
                content = _note_content(template)
                if content is not None:
                    self.contents.setdefault((_note_group(template, name), _param(template, "name")), content)

    def _bibliography(self) -> dict[tuple[str, str], Template]:
        """Cite templates by (author surname, year), for {{sfn}}: built on the first short footnote only."""
        if self.bibliography is None:
            self.bibliography = {}
            for template in self.code.filter_templates(recursive=True):
                if _is_cite(_name(template)):
                    values = _values(template)
                    author = _param(values, "last", "last1", "surname", "surname1", "author", "author1", "editor-last")
                    year = _param(values, "year") or (re.search(r"\d{4}", _param(values, "date")) or [""])[0]
                    if author and year:
                        self.bibliography.setdefault(_short_key(author, year), template)
        return self.bibliography

    def _anchors(self) -> dict[str, Template]:
        """Cite templates by the anchor a short reference links to (built on first use): ``ref=ID`` as written,
        else CS1's ``CITEREF`` + up to four author surnames + year, as ``{{harvnb|Smith|Jones|2001}}`` and
        ``[[#CITEREFSmithJones2001|…]]`` name it. Lower case, no spaces."""
        if self.anchors is None:
            self.anchors = {}
            for template in self.code.filter_templates(recursive=True):
                if _is_cite(_name(template)):
                    for key in _anchor_keys(template):
                        self.anchors.setdefault(key, template)
        return self.anchors

    def _full_citation(self, contents) -> Template | None:
        """The full citation a short reference points to (its ``{{harvnb}}``/``{{sfn}}`` or ``[[#anchor|…]]``):
        the first that has a link (URL or identifier), else the first found."""
        found = []
        for template in contents.filter_templates(recursive=True):
            if (name := _name(template)) in SHORT_FOOTNOTES or name == "harvs":
                found.append(self._anchors().get(_anchor_key("citeref" + "".join(_short_args(template, name)))))
        for link in contents.filter_wikilinks(recursive=True):
            title = str(link.title).strip()
            if title.startswith("#"):
                found.append(self._anchors().get(_anchor_key(unquote(title[1:]))))
        found = [cite for cite in found if cite is not None]
        linked = [cite for cite in found if _cite_links(cite)]
        return (linked or found or [None])[0]

    # -- references --
    def _label(self, group: str, name: str) -> tuple[str, bool]:
        """The label of (group, name), numbering it on first use. Returns (label, new)."""
        key = (group, name)
        if name and key in self.numbers:
            return self.numbers[key], False
        self.counters[group] += 1
        n = self.counters[group]
        if group == "":
            label = str(n)
        elif group in ("lower-alpha", "lower-latin"):
            label = _letters(n)
        elif group in ("note", "n", "nb"):
            label = f"{group} {n}"
        else:
            self.counters["note"] += 1  # other groups ([A], [i]…) share the "note N" labels the parser knows
            label = f"note {self.counters['note']}"
        if name:
            self.numbers[key] = label
        return label, True

    def _reference(self, group: str, name: str, contents, kind: str) -> str:
        label, new = self._label(group, name)
        if new:
            if contents is None and name:
                contents = self.contents.get((group, name))
            self.document.references[label] = self._describe(label, kind, contents)
            if kind == "note" and contents is not None:
                self.deferred.append(contents)
        return f"[{label}]"

    def _describe(self, label: str, kind: str, contents) -> Reference:
        if contents is None:
            return Reference(label=label, kind=kind)
        if isinstance(contents, str):
            contents = mwparserfromhell.parse(contents)
        for template in contents.filter_templates(recursive=False):
            if _is_cite(_name(template)):
                return _cite_reference(template, label, kind)
        text = contents.strip_code().strip()
        links = contents.filter_external_links(recursive=True)
        url = str(links[0].url) if links else ""
        # A short reference ("Porter, p. 332." linking to #refOHBEv3, {{harvnb|Smith|2001|p=5}}): the full
        # citation's link and details, its own text (the page) kept; its own link, if it has one, first.
        if (full := self._full_citation(contents)) is not None:
            cited = _cite_reference(full, label, kind)
            own = _short_text(contents) or text
            return replace(cited, url=url or cited.url, text=own)
        for template in contents.filter_templates(recursive=False):
            if _name(template) in SHORT_FOOTNOTES:
                return self._short_footnote(template, label)
        title = links[0].title.strip_code().strip() if links and links[0].title else ""
        found = _identifier_templates(contents)
        return Reference(label=label, kind=kind, url=url or ids.resolver_url(found), title=title or text[:500],
                         text=text, identifiers=ids.as_pairs(found))  # fmt: skip

    def _short_footnote(self, template: Template, label: str) -> Reference:
        args = [a for a in _positional(template) if a]
        author, year = (args[0], next((a for a in args[1:] if re.match(r"^\d{4}", a)), "")) if args else ("", "")
        pages = _param(template, "p", "pp", "page", "pages", "loc")
        text = " ".join(filter(None, [", ".join(args), f"p. {pages}" if pages else ""]))
        cite = self._anchors().get(_anchor_key("citeref" + "".join(args)))
        cite = cite if cite is not None else self._bibliography().get(_short_key(author, year[:4]))
        if cite is not None:
            full = _cite_reference(cite, label, "reference")
            return Reference(**{**full.__dict__, "text": text})
        return Reference(label=label, author=author, title=text, text=text)

    # -- rendering --
    def flush(self) -> None:
        if not self.in_end_section:
            self.document.add(self.section, self.leftovers("".join(self.pieces)))
        self.pieces = []
        self.newlines = 0
        self.line_block = False

    def leftovers(self, text: str) -> str:
        """Markup the parser could not make sense of and left as text (a stray '' or ''' can make
        mwparserfromhell give up on a whole <ref>): dropped and counted rather than read as prose."""
        cleaned, refs = _LEFTOVER.subn(" ", text)
        cleaned = _POSSESSIVE.sub("'", cleaned)
        cleaned, quotes = _APOSTROPHES.subn("", cleaned)
        if refs or quotes:
            self.skipped["unparsed markup"] += refs + quotes
        return cleaned

    def write(self, text: str) -> None:
        """Add text to the paragraph. As MediaWiki renders it, one line break inside a paragraph is a space;
        a blank line ends the paragraph, and so does the end of a list item's line."""
        for i, part in enumerate(text.split("\n")):
            if i:
                self.newlines += 1
            if not part.strip():
                self.pieces.append(part)
                continue
            if self.newlines >= 2 or (self.newlines and self.line_block):
                self.flush()
            elif self.newlines:
                self.pieces.append(" ")
            self.newlines = 0
            self.pieces.append(part)

    def render(self, code, *, inline: bool = False) -> None:
        for node in code.nodes:
            self.node(node, inline=inline)

    def node(self, node, *, inline: bool) -> None:
        if isinstance(node, Text):
            self.write(str(node) if not inline else str(node).replace("\n", " "))
        elif isinstance(node, HTMLEntity):
            self.write(node.normalize())
        elif isinstance(node, Wikilink):
            self.link(node)
        elif isinstance(node, ExternalLink):
            if node.title is not None:
                self.render(node.title, inline=True)
        elif isinstance(node, Template):
            self.template(node)
        elif isinstance(node, Tag):
            self.tag(node, inline=inline)
        elif isinstance(node, Heading):
            self.flush()
            title = node.title.strip_code().strip()
            self.section = title
            if self.in_end_section and node.level > self.end_level:
                return  # "=== Secondary ===" under "== Further reading ==" is still the end of the page
            self.in_end_section = title.lower() in END_SECTIONS
            if self.in_end_section:
                self.end_level = node.level
                self.skipped["end sections"] += 1
        elif isinstance(node, Comment | Argument):
            return

    def link(self, link: Wikilink) -> None:
        title = str(link.title).strip()
        lowered = title.lower().lstrip(":") if not title.startswith(":") else ""
        if lowered.startswith(FILE_PREFIXES):
            self.skipped["files"] += 1
        elif lowered.startswith(CATEGORY_PREFIXES):
            self.skipped["categories"] += 1
        elif re.match(r"^[a-z]{2,3}(-[a-z]+)?:", lowered) and link.text is None:
            self.skipped["interlanguage links"] += 1
        elif link.text is not None:
            self.render(link.text, inline=True)
        else:
            self.write(title.lstrip(":").split("#")[0] or title.split("#")[-1])

    def tag(self, tag: Tag, *, inline: bool) -> None:
        name = str(tag.tag).lower().strip()
        if name == "ref":
            group, ref_name = _attr(tag, "group"), _attr(tag, "name")
            contents = None if tag.self_closing or tag.contents is None else tag.contents
            kind = "reference" if group == "" else "note"
            if contents is not None and not str(contents).strip():
                contents = None
            self.write(self._reference(group, ref_name, contents, kind))
        elif name == "table":
            self.flush()
            self.skipped["tables"] += 1
        elif name in SKIP_TAGS:
            self.skipped[f"<{name}>"] += 1
        elif name == "br":
            self.write(" ")
        elif name in ("nowiki", "pre", "code", "math", "poem"):
            if tag.contents is not None:
                self.write(str(tag.contents.strip_code()) if name != "nowiki" else str(tag.contents))
        elif name == "hr":
            self.flush()
        elif name in BLOCK_TAGS and not inline and tag.wiki_markup:
            self.flush()  # a list item starts a new paragraph, and its line ends it
            self.line_block = True
            if tag.contents is not None:
                self.render(tag.contents)
        elif tag.contents is not None:
            self.render(tag.contents, inline=inline)

    def template(self, template: Template) -> None:
        name = _name(template)
        if name in CLEANUP:
            self.write(CLEANUP[name])
            return
        if name in NOTE_TEMPLATES:
            group = _note_group(template, name)
            kind = "reference" if group == "" else "note"
            self.write(self._reference(group, _param(template, "name"), _note_content(template), kind))
            return
        if name in QUOTE_TEMPLATES:
            self.flush()
            values = _values(template)
            quote = values.get("text") or values.get("quote") or _note_content(template)
            if quote is not None:
                self.render(quote)
            self.flush()
            return
        if (name in SHORT_FOOTNOTES and name.startswith("harv")) or name == "harvs":
            self.write(_harvard_text(template, name))  # "Smith (2010) has noted…": the author is the sentence's
            return
        if name in SHORT_FOOTNOTES and name.startswith("sfn"):
            key = "FOOTNOTE" + "".join(str(p.value).strip() for p in template.params if str(p.name) != "ps")
            label, new = self._label("", key)
            if new:
                self.document.references[label] = self._short_footnote(template, label)
            self.write(f"[{label}]")
            return
        if name.startswith("#tag:ref"):
            args = _positional(template)
            group = _param(template, "group")
            kind = "reference" if group == "" else "note"
            contents = mwparserfromhell.parse(args[0]) if args else None
            self.write(self._reference(group, _param(template, "name"), contents, kind))
            return
        if name in REFLISTS:
            return
        for prefix, what in SKIP_PREFIXES:
            if name.startswith(prefix) or name.endswith(f" {prefix}"):
                self.flush()
                self.skipped[f"{what}es" if what.endswith("x") else f"{what}s"] += 1
                return
        if name in SYMBOLS:
            self.write(SYMBOLS[name])
        elif name in TEXT_TEMPLATES or name.startswith("lang-"):
            args = _positional(template)
            index = TEXT_TEMPLATES.get(name, 1) - 1
            if args:
                self.render(mwparserfromhell.parse(args[min(index, len(args) - 1)]), inline=True)
        elif name.startswith("formatnum:"):
            self.write(str(template.name).split(":", 1)[1].strip())
        elif name in ("convert", "cvt"):
            self.write(_convert(template))
        elif name in CURRENCY:
            args = _positional(template)
            self.write(CURRENCY[name] + (args[0] if args else ""))
        elif name in ("as of",):
            args = _positional(template)
            self.write("As of " + " ".join(args[:3]))
        elif name in ("circa", "c."):
            args = _positional(template)
            self.write("c. " + (args[0] if args else ""))
        elif name in ("start date", "end date", "birth date", "death date", "start date and age", "dts"):
            self.write(_date_text(_positional(template)))
        elif name in ("frac", "fraction"):
            args = _positional(template)
            self.write("/".join(args))
        else:
            self.skipped["other templates"] += 1


_LEFTOVER = re.compile(r"<ref\b[^>]*/>|<ref\b[^>]*>.*?</ref\s*>|</?ref\b[^>]*>|\{\{[^{}]*\}\}", re.I | re.S)
_POSSESSIVE = re.compile(r"(?<=\w)'''(?=s\b)")  # ''The Star'''s: the italics end, then "'s"
_APOSTROPHES = re.compile(r"'{2,}")


def _anchor_key(anchor: str) -> str:
    return re.sub(r"\s+", "", anchor).replace("_", "").lower()


def _anchor_keys(template: Template) -> list[str]:
    """The anchors a cite template's rendering carries (see _Reader._anchors)."""
    values = _values(template)
    keys = []
    ref = str(values.get("ref", "")).strip()
    if ref and ref.lower() not in ("harv", "none"):
        inner = mwparserfromhell.parse(ref).filter_templates(recursive=False)
        if inner and _name(inner[0]) in ("sfnref", "harvid"):
            keys.append(_anchor_key("citeref" + "".join(_positional(inner[0]))))
        else:
            keys.append(_anchor_key(ref))
    names = []
    for i in ("1", "2", "3", "4"):
        first = ("last", "surname", "author") if i == "1" else ()
        if name := _param(values, f"last{i}", f"surname{i}", f"author{i}-last", f"author{i}", *first):
            names.append(name)
    if not names:
        editors = (_param(values, f"editor{i}-last", f"editor-last{i}", f"editor{i}") for i in ("", "1", "2"))
        names = [n for n in editors if n]
    year = _param(values, "year") or next(iter(re.findall(r"\d{4}[a-z]?", _param(values, "date"))), "")
    if names and year:
        keys.append(_anchor_key("citeref" + "".join(names[:4]) + year))
    return keys


def _cite_links(template: Template) -> bool:
    values = _values(template)
    return bool(_param(values, "url", "chapter-url", "chapterurl", "archive-url", "archiveurl") or _identifiers(values))


def _short_text(contents) -> str:
    """A short reference as the page prints it: "Smith 2001, p. 5" for its {{harvnb}}, links by their text."""
    parts = []
    for node in contents.nodes:
        if isinstance(node, Template) and (_name(node) in SHORT_FOOTNOTES or _name(node) == "harvs"):
            parts.append(_harvard_text(node, "harvs" if _name(node) == "harvs" else "harvnb"))
        elif isinstance(node, Template | Comment):
            continue
        else:
            parts.append(mwparserfromhell.parse(str(node)).strip_code())
    return " ".join("".join(parts).split()).strip()


def _short_args(template: Template, name: str) -> list[str]:
    """The authors and year a short footnote names ({{harvs}} names them: author=, year=)."""
    if name == "harvs":
        values = _values(template)
        return [a for a in (_param(values, "author", "last", "author1", "last1"), _param(values, "year")) if a]
    return [a for a in _positional(template) if a]


def _harvard_text(template: Template, name: str) -> str:
    """{{harvtxt|Smith|Jones|2010|p=5}} → "Smith & Jones (2010, p. 5)"; {{harvnb}} without the brackets,
    {{harv}}/{{harvp}} within them, as the templates print."""
    args = _short_args(template, name)
    values = _values(template)
    if name == "harvs":  # {{harvs|txt|author=Smith|year=2001}}: named authors and years, "txt"/"nb" positional
        flags = _positional(template)
        name = "harvtxt" if "txt" in flags else "harvnb" if "nb" in flags else "harv"
    year = args[-1] if len(args) > 1 and re.match(r"^(?:\d{3,4}|n\.d\.)", args[-1]) else ""
    authors = args[:-1] if year else args
    if len(authors) > 3:
        who = f"{authors[0]} et al."
    elif len(authors) > 1:
        who = ", ".join(authors[:-1]) + " & " + authors[-1]
    else:
        who = "".join(authors)
    pages = _param(values, "p", "page")
    pages = f"p. {pages}" if pages else (f"pp. {p}" if (p := _param(values, "pp", "pages")) else _param(values, "loc"))
    when = ", ".join(filter(None, [year, pages]))
    if name in ("harvtxt", "harvcoltxt"):
        return f"{who} ({when})" if when else who
    if name in ("harv", "harvp", "harvcol"):
        return f"({who} {when})" if when else f"({who})"
    return " ".join(filter(None, [who, when]))


def _note_group(template: Template, name: str) -> str:
    if name == "efn-ua":
        return "upper-alpha"
    if name in ("efn-lr", "efn-ur"):
        return "lower-roman"
    if name in ("refn", "ref label"):
        return _param(template, "group")
    return _param(template, "group") or "lower-alpha"


def _note_content(template: Template):
    for param in template.params:
        if str(param.name).strip() == "1" or (not param.showkey):
            return param.value
    return None


def _date_text(args: list[str]) -> str:
    numbers = [a for a in args if a.isdigit()][:3]
    if len(numbers) == 3 and 1 <= int(numbers[1]) <= 12:
        return f"{int(numbers[2])} {MONTH_NAMES[int(numbers[1]) - 1]} {numbers[0]}"
    if len(numbers) == 2 and 1 <= int(numbers[1]) <= 12:
        return f"{MONTH_NAMES[int(numbers[1]) - 1]} {numbers[0]}"
    return numbers[0] if numbers else ""


def _convert(template: Template) -> str:
    args = _positional(template)
    if len(args) >= 4 and args[1] in ("to", "-", "–", "and", "or", "by", "x"):
        return f"{args[0]} {args[1]} {args[2]} {args[3]}"
    if len(args) >= 2:
        return f"{args[0]} {args[1]}"
    return args[0] if args else ""


def parse_wikitext(text: str, *, title: str = "", published: date | None = None) -> ParsedArticle:
    """Parse a page's wikitext. The title comes from the caller (wikitext does not carry it); without one the
    first bold phrase of the lead stands in. Raises ParseError for a redirect or a page without prose."""
    if match := REDIRECT.match(text):
        raise ParseError(f"this page is only a redirect to '{match.group(1).strip()}': import that page instead")
    if "&lt;ref" in text and "<ref" not in text:
        # Copied from a dump or an API's XML: its markup is escaped once (&lt;ref&gt;, &quot;). Undo that layer,
        # and only that: "&amp;nbsp;" becomes the "&nbsp;" the page's source has.
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    reader = _Reader(text)
    reader.render(reader.code)
    reader.flush()
    # Refs inside notes are numbered after the body's, as the notes list renders them.
    for contents in reader.deferred:
        for tag in contents.filter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "ref"):
            group, name = _attr(tag, "group"), _attr(tag, "name")
            body = None if tag.self_closing or tag.contents is None else tag.contents
            reader._reference(group, name, body, "reference" if group == "" else "note")
    document = reader.document
    document.skipped = reader.skipped
    document.title = title or _lead_title(reader.code) or "Untitled"
    return build(document, published=published)


def _lead_title(code) -> str:
    match = re.search(r"'''+(.+?)'''", str(code))
    return mwparserfromhell.parse(match.group(1)).strip_code().strip("' ") if match else ""
