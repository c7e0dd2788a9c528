"""Citations filled from what a reader found in the page, and their sources matched by web domain.

A citation's URL (or, for an archived copy, the original URL inside the archive address) is matched to a
registry Source by domain: subdomains and ``www.`` fold into the registered domain (``edition.cnn.com`` →
``cnn.com``). Without a URL, or with an unknown domain, the publisher the reference names is tried against the
registry's names and aliases. A domain nobody registered becomes a new Source with reliability "unknown" and
grade F, for a lead to grade: never silently dropped. Details an editor already typed into a citation are
kept; only its empty fields are filled.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from tld import get_fld

from ..importing import identifiers as ids
from ..importing.references import Reference
from ..models import Citation, Source

CITATION_DETAIL_FIELDS = ("url", "title", "author", "publisher", "published", "accessed", "archive_url", "quote",
                          "identifiers")  # fmt: skip
# web.archive.org/web/20241201000000/https://example.org/a, archive.ph/2024.12.01-000000/https://…, and kin.
_WRAPPED = re.compile(
    r"^https?://(?:web\.)?(?:archive\.org|archive\.today|archive\.ph|archive\.is|archive\.li|archive\.vn|"
    r"archive\.md|webcitation\.org)/(?:web/)?(?:[\w.*-]+/)?(?P<original>(?:https?:/?/?)?[^/\s]+\.[^/\s]+.*)$",
    re.IGNORECASE,
)
ARCHIVE_DOMAINS = {"archive.org", "archive.today", "archive.ph", "archive.is", "archive.li", "archive.vn",
                   "archive.md", "webcitation.org"}  # fmt: skip


def original_url(url: str) -> str:
    """The page an archive address keeps a copy of; any other URL unchanged. "" when there is none to find
    (archive.today's short ids, ``archive.ph/AbCd1``, do not say which page they copy)."""
    url = (url or "").strip()
    host = host_of(url)
    if not host or registered_domain(host) not in ARCHIVE_DOMAINS:
        return url
    match = _WRAPPED.match(url)
    if not match:
        return ""
    original = unquote(match.group("original"))
    original = re.sub(r"^(https?):/+", r"\1://", original)
    return original if original.startswith(("http://", "https://")) else "http://" + original


def host_of(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".").removeprefix("www.")


def registered_domain(host: str) -> str:
    """``news.bbc.co.uk`` → ``bbc.co.uk``: the public suffix list (packaged with tld, never downloaded)."""
    host = host.lower().removeprefix("www.")
    return get_fld(host, fix_protocol=True, fail_silently=True) or host


class DomainMatcher:
    """The registered source of a URL's host, trying the host and each parent domain (longest first)."""

    def __init__(self, sources):
        self.by_domain: dict[str, Source] = {}
        for source in sources:
            domain = (source.domain or "").strip().lower().removeprefix("www.")
            if domain:
                self.by_domain.setdefault(domain, source)

    def match(self, url: str) -> Source | None:
        host = host_of(url)
        labels = host.split(".")
        for start in range(len(labels) - 1):
            found = self.by_domain.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def add(self, domain: str, source: Source) -> None:
        self.by_domain[domain] = source


def citations_fill(*, article, references: tuple[Reference, ...], citations: dict[str, Citation], name_matcher,
                   actor, reason: str) -> dict:  # fmt: skip
    """Create or complete the article's citations from the references a reader found, each with its Source.

    Runs before the import creates empty citations for bare markers, so new citations are written once with
    their details (a bulk insert), and existing ones are updated only where a field was empty. `citations`
    (label → Citation) is updated in place. Returns counts and the names of the sources it created."""
    matcher = DomainMatcher(Source.objects.all())
    name_matcher = _Memo(name_matcher)
    taken = {name.lower() for name in Source.objects.values_list("name", flat=True)}
    new_sources: dict[str, Source] = {}  # domain (or "name:" + journal) → unsaved Source, written in one batch below
    wanted: list[tuple[Citation, Source | str]] = []  # citation, its source or the domain of a new one
    missing: list[Citation] = []
    changed: list[Citation] = []
    for reference in references:
        citation = citations.get(reference.label)
        is_new = citation is None
        if is_new:
            citation = Citation(article=article, label=reference.label, kind=reference.kind)
        filled = _fill(citation, reference)
        if citation.source_id is None:
            found = _source_for(citation, matcher, name_matcher, taken, new_sources)
            if found is not None:
                wanted.append((citation, found))
        if is_new:
            missing.append(citation)
        elif filled or (wanted and wanted[-1][0] is citation):
            changed.append(citation)
    if new_sources:
        for source in new_sources.values():
            source.full_clean(validate_unique=False, validate_constraints=False)
        bulk_create_with_history(list(new_sources.values()), Source, batch_size=500, default_user=actor,
                                 default_change_reason=f"{reason}: new source found by its domain (or, behind a DOI or "
                                 "catalogue link, by the journal it names), reliability unknown until a lead "
                                 "grades it")  # fmt: skip
    for citation, found in wanted:
        citation.source = new_sources[found] if isinstance(found, str) else found
    if changed:
        bulk_update_with_history(changed, Citation, [*CITATION_DETAIL_FIELDS, "source"], batch_size=100,
                                 default_user=actor, default_change_reason=reason)  # fmt: skip
    if missing:
        bulk_create_with_history(missing, Citation, batch_size=500, default_user=actor, default_change_reason=reason)
        saved = Citation.objects.filter(article=article, label__in=[c.label for c in missing]).select_related("source")
        citations.update({c.label: c for c in saved})
    with_url = [c for c in citations.values() if c.url or c.archive_url]
    return {
        "citations_filled": len(changed) + len(missing),
        "citations_created": len(missing),
        "citations_with_url": len(with_url),
        "citations_with_source": sum(1 for c in with_url if c.source_id is not None),
        "sources_created": sorted(source.name for source in new_sources.values()),
    }


class _Memo:
    """A name matcher that answers each publisher once (an article cites the same outlet many times)."""

    def __init__(self, matcher):
        self.matcher, self.seen = matcher, {}

    def match(self, text: str):
        if text not in self.seen:
            self.seen[text] = self.matcher.match(text)
        return self.seen[text]


def _fill(citation: Citation, reference: Reference) -> bool:
    """Set the citation's empty detail fields from the reference; True when anything was set."""
    changed = False
    values = {**{f: getattr(reference, f) for f in CITATION_DETAIL_FIELDS if f != "identifiers"}}
    if not values["title"] and reference.text:
        values["title"] = reference.text[:500]
    for field, value in values.items():
        if value and not getattr(citation, field):
            setattr(citation, field, value)
            changed = True
    # Identifiers merge kind by kind: one an editor typed stays, the page adds the kinds it lacks.
    known = dict(citation.identifiers or {})
    merged = {**dict(reference.identifiers), **known}
    if merged != known:
        citation.identifiers = merged
        changed = True
    return changed


def _source_for(citation, matcher: DomainMatcher, name_matcher, taken: set, new_sources: dict):
    """The registry source of the citation (by URL domain, then publisher name), else the domain of a new
    source to create (registered in `new_sources`), else None (no URL to tell)."""
    url = original_url(citation.url) if citation.url else ""
    if not url and citation.archive_url:
        url = original_url(citation.archive_url)
    resolver = bool(url) and ids.is_resolver(url)
    if url and not resolver:
        found = matcher.match(url)
        if found is not None:
            return found
    if citation.publisher:
        found = name_matcher.match(citation.publisher)
        if found is not None:
            return found
    if resolver:
        # doi.org, PubMed, WorldCat… resolve or catalogue the work: they are not who published it. The
        # source is the journal or publisher the citation names (a new one for a lead to grade).
        # With no name to go by, only a source a lead registered for the resolver itself; never a new
        # "doi.org" source whose grade would then pass to every journal behind a DOI.
        if citation.publisher.strip():
            return _new_named_source(citation.publisher.strip(), taken, new_sources)
        return matcher.match(url)
    host = host_of(url)
    if not host or "." not in host:
        return None
    domain = registered_domain(host)
    if domain in ARCHIVE_DOMAINS:
        return None
    if domain in new_sources:
        return domain
    if domain in taken:  # a registered source named like the domain, registered under another domain
        return Source.objects.filter(name__iexact=domain).first()
    # Named by its domain, which says exactly what it covers; the publisher the reference gave is kept as an
    # alias (attributions such as "according to the Financial Times" then find it too).
    publisher = citation.publisher.strip()
    aliases = [publisher] if publisher and len(publisher) <= 80 and publisher.lower() not in taken else []
    new_sources[domain] = Source(name=domain[:200], domain=domain[:200], aliases=aliases,
                                 reliability=Source.Reliability.UNKNOWN, grade=Source.Grade.F)  # fmt: skip
    taken.add(domain)
    return domain


def _new_named_source(name: str, taken: set, new_sources: dict):
    """The key in `new_sources` of a new source named by a journal or publisher (no domain to go by)."""
    name = name[:200]
    key = "name:" + name.lower()
    if key in new_sources:
        return key
    if name.lower() in taken:  # registered meanwhile under this exact name (the name matcher missed it)
        return Source.objects.filter(name__iexact=name).first()
    new_sources[key] = Source(name=name, reliability=Source.Reliability.UNKNOWN, grade=Source.Grade.F)
    taken.add(name.lower())
    return key


def page_attribution(parsed) -> dict[str, str]:
    """Article licence, attribution and language from what the page says of itself: Wikipedia pages are
    CC BY-SA 4.0 by their contributors; a news page has its byline, outlet and date. Plain text: nothing."""
    meta = parsed.meta
    if meta is None:
        return {}
    language = (meta.language or "")[:16]
    if parsed.format in ("wikitext", "html"):
        return {"licence": "CC BY-SA 4.0", "attribution": "Wikipedia contributors", "language": language}
    parts = [meta.author, meta.publisher, meta.published.isoformat() if meta.published else ""]
    return {"attribution": ", ".join(p for p in parts if p), "language": language}
