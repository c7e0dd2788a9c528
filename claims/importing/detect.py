"""Which reader an input needs: from the file name when it says, else from the content itself.

``read_article(text, format=…)`` is the one entry point the import service calls; ``format`` forces a
reader ("text", "wikitext", "html", "news"), ``None`` or "auto" sniffs.
"""

from __future__ import annotations

import re
from datetime import date

from .html import looks_like_wikipedia, parse_html
from .news import parse_news
from .parser import ParsedArticle, parse_article
from .wikitext import parse_wikitext

FORMATS = ("text", "wikitext", "html", "news")
EXTENSIONS = {".wikitext": "wikitext", ".wiki": "wikitext", ".mediawiki": "wikitext", ".txt": None}
_HTML = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|article)\b", re.I | re.S)
_WIKITEXT_SIGNS = re.compile(
    r"\{\{\s*(?:infobox|cite |citation|short description|use (?:dmy|mdy)|reflist|sfn)|<ref[\s>]|^==[^=\n]+==\s*$|"
    r"\[\[(?:category|file|image):|^#redirect",
    re.I | re.M,
)


def detect_format(text: str, *, name: str = "") -> str:
    """ "wikitext", "html" (a Wikipedia page), "news" (any other HTML page) or "text"."""
    lowered = name.lower()
    for extension, fmt in EXTENSIONS.items():
        if fmt and lowered.endswith(extension):
            return fmt
    head = text[:65536]
    if lowered.endswith((".html", ".htm", ".xhtml")) or _HTML.match(head):
        return "html" if looks_like_wikipedia(text) else "news"
    if len(_WIKITEXT_SIGNS.findall(head)) >= 2 or re.match(r"^\s*#redirect", head, re.I):
        return "wikitext"
    return "text"


def read_article(
    text: str,
    *,
    format: str | None = None,
    name: str = "",
    title: str = "",
    url: str = "",
    published: date | None = None,
) -> ParsedArticle:
    """Parse with the reader the format names (or the one detect_format picks). Raises ParseError."""
    fmt = detect_format(text, name=name) if format in (None, "", "auto") else format
    if fmt == "wikitext":
        return parse_wikitext(text, title=title, published=published)
    if fmt == "html":
        return parse_html(text, title=title, published=published)
    if fmt == "news":
        return parse_news(text, title=title, url=url, published=published)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return parse_article(text, title=title or None, published=published)
