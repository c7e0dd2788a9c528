"""CSL-JSON: the bibliography behind the exported claims, valid against the CSL schema (subset)."""

import json
from pathlib import Path

import jsonschema
import pytest

from tests.exports.util import run

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "csl-data.schema.json").read_text())


def test_bibliography_is_valid_csl_json(sample):
    data, provenance = run("csl", article=str(sample.article.pk))
    items = json.loads(data)
    jsonschema.validate(items, SCHEMA)
    by_id = {item["id"]: item for item in items}
    cites = sample.citations
    # The bare marker [4] has nothing to cite yet; every filled-in citation of the claims is there once.
    assert set(by_id) == {f"citation-{cites[label].pk}" for label in ("1", "2", "3", "5")}
    assert provenance["rows"] == 4 and provenance["row_kind"] == "citations"
    first = by_id[f"citation-{cites['1'].pk}"]
    assert first == {
        "id": f"citation-{cites['1'].pk}",
        "type": "article-newspaper",
        "title": "Rebels attack the city",
        "author": [{"family": "Doe", "given": "Jane"}],
        "container-title": "Kyiv Post",
        "issued": {"date-parts": [[2024, 11, 27]]},
        "accessed": {"date-parts": [[2024, 12, 1]]},
        "URL": "https://www.kyivpost.com/a/1",
        "note": "Cited as [1] in “Test offensive (2024)”. Source: Kyiv Post (grade B).",
    }
    assert by_id[f"citation-{cites['3'].pk}"]["type"] == "report"  # a monitor's report
    assert "Archived: https://archive.example/5" in by_id[f"citation-{cites['5'].pk}"]["note"]


def test_only_citations_of_the_filtered_claims(sample):
    items = json.loads(run("csl", status="verified")[0])
    assert [item["id"] for item in items] == [f"citation-{sample.citations['1'].pk}"]


def test_hostile_values_stay_valid(hostile):
    items = json.loads(run("csl", article=str(hostile.article.pk))[0])
    jsonschema.validate(items, SCHEMA)
    assert len(items) == 10
