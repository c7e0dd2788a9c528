"""The common end of every reader: blocks of text with markers → the plain-text parser's ParsedArticle.

A reader (wikitext, HTML, news) renders the article as Wikipedia shows it: one line per paragraph, citation
markers as ``[54]`` / ``[a]`` right where the superscripts stand, cleanup tags as ``[citation needed]``. That
text goes through ``parse_article`` like a scraped page, so sentences, markers, tags, hedges, dates and later
re-anchoring behave the same whatever the format; the reader adds what plain text lacks: the references,
the section of each paragraph, what it skipped and the page's own metadata.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from .lines import clean_title
from .parser import ParsedArticle, ParseError, parse_article
from .references import ArticleMeta, Reference
from .segment import find_annotations


@dataclass
class Document:
    title: str
    format: str
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (section, paragraph text with markers)
    references: dict[str, Reference] = field(default_factory=dict)  # by label, in order of first use
    skipped: Counter = field(default_factory=Counter)
    meta: ArticleMeta = field(default_factory=ArticleMeta)

    def add(self, section: str, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.blocks.append((section, text))


def build(document: Document, *, published: date | None = None) -> ParsedArticle:
    """Parse the rendered text and attach what the reader knows. Raises ParseError when there is no prose.

    ``published`` (else the page's own date) dates wire copy's "on Thursday", "yesterday"."""
    title = " ".join(document.title.split())
    if not title:
        raise ParseError("the page has no title")
    lines = [title, ""]
    sections: dict[int, str] = {}
    for section, text in document.blocks:
        lines.append(text)
        sections[len(lines)] = section  # 1-based line number, as Paragraph.line_no counts
    if not document.blocks:
        raise ParseError("no article text found")
    text = "\n".join(lines) + "\n"
    # The reader knows the title: it is given, its line left blank, rather than left for the plain-text
    # heuristics to judge, which take a headline ending like a sentence ("… Any Un-Angry Trump Supporters?'")
    # for prose, make a claim of it and title the article with its first sentence.
    parsed = parse_article(
        "\n" + text.split("\n", 1)[1],
        title=clean_title(title, find_annotations(title)),
        published=published or document.meta.published,
    )
    return replace(
        parsed,
        paragraphs=tuple(replace(p, section=sections.get(p.line_no, "")) for p in parsed.paragraphs),
        format=document.format,
        references=tuple(reference.cleaned() for reference in document.references.values()),
        skipped=tuple(sorted((what, n) for what, n in document.skipped.items() if n)),
        meta=document.meta,
        text=text,
    )
