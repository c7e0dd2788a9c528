"""JSON and JSON Lines: every claim nested with its anchor, confidence and factors, hedge, event date, tags,
citations (with their source and its grade), relations, last decision and history version.

Both stream from the first claim and end with the provenance line (runner.Export.stream):

    JSON:        {"claims": [                     JSON Lines:  {claim}
                 {claim},                                      {claim}
                 {claim}                                       {"provenance": {...}}
                 ],
                 "provenance": {...}}

so that the whole JSON file is one object, {"claims": [...], "provenance": {...}}, and in both formats
`head -n -1 FILE | sha256sum` gives the provenance's sha256. One claim per line keeps a diff of two
exports readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from . import rows
from .runner import Tally

# Characters that str.splitlines() (and JavaScript, for the first two) take as line breaks although JSON
# leaves them raw: escaped, so that one record stays one line. json.dumps escapes the C0 ones already.
_LINE_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(value) -> str:
    """Compact, UTF-8, key order as built: the same record always gives the same bytes, on one line."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_LINE_BREAKS)


def public(record: dict) -> dict:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def render_json(f, tally: Tally) -> Iterator[str]:
    yield '{"claims": ['
    first = True
    for chunk in rows.chunks(f):
        tally.add(len(chunk))
        lines = [dumps(public(record)) for record in chunk]
        yield ("\n" if first else ",\n") + ",\n".join(lines)
        first = False
    yield "\n],\n"


def render_jsonl(f, tally: Tally) -> Iterator[str]:
    for chunk in rows.chunks(f):
        tally.add(len(chunk))
        yield "".join(dumps(public(record)) + "\n" for record in chunk)


def trailer_json(provenance: dict) -> bytes:
    return ('"provenance": ' + dumps(provenance) + "}\n").encode()


def trailer_jsonl(provenance: dict) -> bytes:
    return ('{"provenance": ' + dumps(provenance) + "}\n").encode()
