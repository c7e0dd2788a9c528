"""CSL-JSON: the bibliography behind the exported claims, importable into Zotero (File → Import…) or usable
by pandoc/citeproc.

One item per citation that at least one exported claim carries and that editors have filled in (a URL or
a title; a bare imported marker has nothing to cite yet). The item type follows the source's kind
(newspaper → article-newspaper, monitor → report, …); the article's own label ([54]) and the source's
grade go in `note`. Items are validated in tests against a subset of the official schema
(tests/exports/csl-data.schema.json).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db.models import Q
from django.db.models.expressions import RawSQL

from ..models import Citation
from . import query
from .rows import FIRST_CHUNK, batched, chunk_size_setting
from .runner import Tally

TYPE_BY_SOURCE_KIND = {
    "news_agency": "article-newspaper",
    "newspaper": "article-newspaper",
    "state_media": "article-newspaper",
    "broadcaster": "broadcast",
    "monitor": "report",
    "government": "report",
    "social_media": "post",
    "wiki": "entry-encyclopedia",
    "academic": "article-journal",
}
CSL_IDENTIFIERS = {"doi": "DOI", "isbn": "ISBN", "issn": "ISSN", "pmid": "PMID", "pmc": "PMCID"}
VALUES = (
    "id",
    "article_id",
    "label",
    "url",
    "title",
    "author",
    "publisher",
    "published",
    "accessed",
    "archive_url",
    "identifiers",
    "article__title",
    "source__name",
    "source__kind",
    "source__grade",
)


def citations(f):
    """The filled-in citations of the filtered claims, in a fixed order."""
    sql, params = query.cited_citation_ids_sql(f)
    return (
        Citation.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - values are bound parameters
        .filter(~Q(url="") | ~Q(title=""))
        .order_by("article_id", "id")
        .values(*VALUES)
    )


def in_order(f, size: int) -> Iterator[dict]:
    """The citations of `citations(f)`, the first FIRST_CHUNK of them by a query with a LIMIT, the rest after the
    last of those. With the LIMIT PostgreSQL plans for a quick start; the whole list alone is cheapest as a hash
    of every claim's links and a sort, which returns nothing until it is done (the first byte took 2 s at 1M)."""
    head = list(citations(f)[:FIRST_CHUNK])
    yield from head
    if len(head) == FIRST_CHUNK:
        last = head[-1]
        after = Q(article_id__gt=last["article_id"]) | Q(article_id=last["article_id"], id__gt=last["id"])
        yield from citations(f).filter(after).iterator(chunk_size=size)


def names(author: str) -> list[dict]:
    """ "Doe, Jane; Roe, Richard" → family/given; anything else (an organisation) stays literal."""
    people = []
    for name in (part.strip() for part in author.split(";")):
        if not name:
            continue
        family, comma, given = name.partition(",")
        if comma and family.strip() and given.strip():
            people.append({"family": family.strip(), "given": given.strip()})
        else:
            people.append({"literal": name})
    return people


def date_parts(value) -> dict:
    return {"date-parts": [[value.year, value.month, value.day]]}


def item(row: dict) -> dict:
    entry: dict = {"id": f"citation-{row['id']}", "type": TYPE_BY_SOURCE_KIND.get(row["source__kind"], "webpage")}
    if row["title"]:
        entry["title"] = row["title"]
    if row["author"]:
        entry["author"] = names(row["author"])
    container = row["publisher"] or row["source__name"]
    if container:
        entry["container-title"] = container
    if row["published"]:
        entry["issued"] = date_parts(row["published"])
    if row["accessed"]:
        entry["accessed"] = date_parts(row["accessed"])
    if row["url"]:
        entry["URL"] = row["url"]
    for name, variable in CSL_IDENTIFIERS.items():  # CSL's own variables for them, so a manager can resolve them
        if value := (row.get("identifiers") or {}).get(name):
            entry[variable] = f"PMC{value}" if name == "pmc" else value
    note = f"Cited as [{row['label']}] in “{row['article__title']}”."
    if row["source__name"]:
        note += f" Source: {row['source__name']} (grade {row['source__grade']})."
    if row["archive_url"]:
        note += f" Archived: {row['archive_url']}"
    entry["note"] = note
    return entry


def render(f, tally: Tally) -> Iterator[str]:
    yield "["
    first = True
    size = chunk_size_setting()
    for batch in batched(in_order(f, size), size, first=FIRST_CHUNK):
        tally.add(len(batch))
        lines = [json.dumps(item(row), ensure_ascii=False, separators=(",", ":")) for row in batch]
        yield ("\n" if first else ",\n") + ",\n".join(lines)
        first = False
    yield "\n]\n"
