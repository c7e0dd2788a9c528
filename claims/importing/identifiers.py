"""Identifiers a citation carries (DOI, PMID, arXiv, ISBN…) and the links Wikipedia's citation templates make of them.

CS1 templates print ``doi=10.1038/x`` as a link to https://doi.org/10.1038/x, ``pmid=`` to PubMed, ``oclc=`` to
WorldCat, and so on: a citation without ``url=`` that has one of these still points at its work, so the
resolver's address becomes its URL, in that order of preference (the DOI names the work itself; a library
catalogue record, OCLC, is the last resort). An ISBN is different: Wikipedia links it to its own
Special:BookSources page, a list of booksellers and libraries, not to the book, so an ISBN is kept as data and
never turned into a URL. Pure Python, no Django.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

# name → (how a valid value looks, the resolver's address for it). Order = preference for the citation's URL.
RESOLVERS: dict[str, tuple[re.Pattern, str]] = {
    "doi": (re.compile(r"^10\.\d{4,9}/\S+$"), "https://doi.org/{}"),
    "pmc": (re.compile(r"^(?:PMC)?\d{1,9}$", re.I), "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{}"),
    "pmid": (re.compile(r"^\d{1,9}$"), "https://pubmed.ncbi.nlm.nih.gov/{}"),
    "arxiv": (
        re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$", re.I),
        "https://arxiv.org/abs/{}",
    ),
    "hdl": (re.compile(r"^\d[\d.]*/\S+$"), "https://hdl.handle.net/{}"),
    "jstor": (re.compile(r"^[\w./-]+$"), "https://www.jstor.org/stable/{}"),
    "bibcode": (re.compile(r"^\d{4}[\w.&]{15}$"), "https://ui.adsabs.harvard.edu/abs/{}"),
    "ssrn": (re.compile(r"^\d+$"), "https://papers.ssrn.com/sol3/papers.cfm?abstract_id={}"),
    "osti": (re.compile(r"^\d+$"), "https://www.osti.gov/biblio/{}"),
    "citeseerx": (re.compile(r"^[\d.]+$"), "https://citeseerx.ist.psu.edu/viewdoc/summary?doi={}"),
    "s2cid": (re.compile(r"^\d+$"), "https://api.semanticscholar.org/CorpusID:{}"),
    "zbl": (re.compile(r"^[\d.:]+$"), "https://zbmath.org/?format=complete&q=an:{}"),
    "mr": (re.compile(r"^\d+$"), "https://mathscinet.ams.org/mathscinet-getitem?mr={}"),
    "lccn": (re.compile(r"^[a-z]{0,3}\d[\d-]*$", re.I), "https://lccn.loc.gov/{}"),
    "ol": (re.compile(r"^(?:OL)?\d+[AMW]$", re.I), "https://openlibrary.org/{}"),
    "oclc": (re.compile(r"^\d+$"), "https://www.worldcat.org/oclc/{}"),
}
# Kept as data only (no URL made from them): books and serials.
DATA_ONLY = ("isbn", "issn", "eissn", "ismn", "asin")
NAMES = (*RESOLVERS, *DATA_ONLY)
# Template parameter spellings → identifier name.
PARAMETERS = {
    **{name: name for name in NAMES},
    **{name.upper(): name for name in NAMES},
    "eprint": "arxiv", "pmcid": "pmc", "ISBN13": "isbn", "isbn13": "isbn", "zbmath": "zbl",
}  # fmt: skip

# Rendered links back to the identifier they print (HTML readers): host pattern, path pattern → name.
_LINKS = [
    (re.compile(r"^(?:dx\.)?doi\.org$"), re.compile(r"^/(10\.\d{4,9}/.+)$"), "doi"),
    (re.compile(r"^(?:www\.)?ncbi\.nlm\.nih\.gov$"), re.compile(r"^/pmc/articles/(?:PMC)?(\d+)/?$", re.I), "pmc"),
    (re.compile(r"^(?:www\.)?ncbi\.nlm\.nih\.gov$"), re.compile(r"^/pubmed/(\d+)/?$"), "pmid"),
    (re.compile(r"^pubmed\.ncbi\.nlm\.nih\.gov$"), re.compile(r"^/(\d+)/?$"), "pmid"),
    (re.compile(r"^(?:www\.)?arxiv\.org$"), re.compile(r"^/abs/(.+?)/?$"), "arxiv"),
    (re.compile(r"^hdl\.handle\.net$"), re.compile(r"^/(\d[\d.]*/.+)$"), "hdl"),
    (re.compile(r"^(?:www\.)?jstor\.org$"), re.compile(r"^/stable/(.+?)/?$"), "jstor"),
    (re.compile(r"^(?:ui\.)?adsabs\.harvard\.edu$"), re.compile(r"^/abs/([^/]+)"), "bibcode"),
    (re.compile(r"^api\.semanticscholar\.org$"), re.compile(r"^/CorpusID:(\d+)$"), "s2cid"),
    (re.compile(r"^(?:www\.)?worldcat\.org$"), re.compile(r"^/oclc/(\d+)/?$"), "oclc"),
    (re.compile(r"^(?:www\.)?worldcat\.org$"), re.compile(r"^/issn/([\dXx-]+)/?$"), "issn"),
    (re.compile(r"^lccn\.loc\.gov$"), re.compile(r"^/([\w-]+)/?$"), "lccn"),
    (re.compile(r"^openlibrary\.org$"), re.compile(r"^/(?:books|works)/(OL\d+[AMW])"), "ol"),
]
# Hosts whose pages are a resolver, index or catalogue record, not the publisher: a citation pointing there
# is matched to a source by the work it names (the journal), not by this domain.
RESOLVER_HOSTS = re.compile(
    r"(?:^|\.)(?:doi\.org|handle\.net|ncbi\.nlm\.nih\.gov|adsabs\.harvard\.edu|worldcat\.org|semanticscholar\.org|"
    r"lccn\.loc\.gov|openlibrary\.org|zbmath\.org|mathscinet\.ams\.org|citeseerx\.ist\.psu\.edu|osti\.gov|"
    r"jstor\.org|ssrn\.com)$",
    re.I,
)
_ISBN = re.compile(r"\bISBN(?:-1[03])?:?\s*((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dXx])\b")
_DOI_IN_TEXT = re.compile(r"\bdoi:\s*(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;])", re.I)


def clean(name: str, value: str) -> str:
    """The identifier as it is written to be resolved ("" when it does not look like one)."""
    value = " ".join((value or "").split()).strip().strip(".")
    if name == "pmc":
        value = re.sub(r"^PMC", "", value, flags=re.I)
    if name == "doi":
        value = unquote(value)
    if name in ("isbn", "ismn"):
        digits = re.sub(r"[\s-]", "", value)
        return value if re.fullmatch(r"(?:\d{9}[\dXx]|\d{13})", digits) else ""
    if name in ("issn", "eissn"):
        return value if re.fullmatch(r"\d{4}-?\d{3}[\dXx]", value) else ""
    if name in RESOLVERS:
        return value if RESOLVERS[name][0].match(value) else ""
    return value[:40]


def resolver_url(identifiers: dict[str, str]) -> str:
    """The address of the first identifier (in order of preference) that Wikipedia prints as a link; "" if none
    (an ISBN alone gives none)."""
    for name, (_, template) in RESOLVERS.items():
        value = identifiers.get(name)
        if value:
            return template.format(quote(value, safe="/:.()-_;~@+"))
    return ""


def from_link(url: str) -> tuple[str, str] | None:
    """(name, value) when a rendered link is an identifier's resolver link (doi.org/10.1/x → ("doi", "10.1/x"))."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    for host_pattern, path_pattern, name in _LINKS:
        if host_pattern.match(host):
            match = path_pattern.match(unquote(parts.path))
            if match and (value := clean(name, match.group(1))):
                return name, value
    return None


def is_resolver(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return bool(host and RESOLVER_HOSTS.search(host))


def in_text(text: str) -> dict[str, str]:
    """The ISBN and DOI a free-text reference spells out ("… ISBN 0-521-34697-5", "doi:10.1/x")."""
    found = {}
    if match := _ISBN.search(text or ""):
        found["isbn"] = clean("isbn", match.group(1).strip())
    if match := _DOI_IN_TEXT.search(text or ""):
        found["doi"] = clean("doi", match.group(1))
    return {name: value for name, value in found.items() if value}


def as_pairs(identifiers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """In NAMES order, for a frozen Reference."""
    return tuple((name, identifiers[name]) for name in NAMES if identifiers.get(name))
