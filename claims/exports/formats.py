"""The export formats by name: what the URL's `claims.<format>` and the command's --format accept."""

from __future__ import annotations

from . import as_claimreview, as_csl, as_csv, as_json, as_markdown
from .runner import Format

FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("csv", "CSV", "text/csv; charset=utf-8", "claims.csv", as_csv.render),
        Format(
            "json",
            "JSON",
            "application/json; charset=utf-8",
            "claims.json",
            as_json.render_json,
            trailer=as_json.trailer_json,
        ),
        Format(
            "jsonl",
            "JSON Lines",
            "application/x-ndjson; charset=utf-8",
            "claims.jsonl",
            as_json.render_jsonl,
            trailer=as_json.trailer_jsonl,
        ),
        Format("markdown", "Markdown with footnotes", "text/markdown; charset=utf-8", "claims.md", as_markdown.render),
        Format(
            "claimreview",
            "ClaimReview JSON-LD (decided claims)",
            "application/ld+json; charset=utf-8",
            "claimreview.jsonld",
            as_claimreview.render,
            narrow=as_claimreview.decided_only,
        ),
        Format(
            "csl",
            "CSL-JSON bibliography",
            "application/vnd.citationstyles.csl+json; charset=utf-8",
            "bibliography.csl.json",
            as_csl.render,
            row_kind="citations",
        ),
    )
}


class UnknownFormat(ValueError):
    def __init__(self, name: str):
        super().__init__(f"unknown export format '{name}' (choose one of {', '.join(FORMATS)})")


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(name) from None
