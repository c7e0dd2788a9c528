"""JSON and JSON Lines: nested records that parse back, ended by their provenance, a fixed query count
per chunk."""

import json

import pytest

from claims.exports import ExportFilter, rows
from tests.exports.conftest import HOSTILE
from tests.exports.util import body_before_last_line, json_claims, last_line, run, sha

pytestmark = pytest.mark.django_db


def test_json_is_one_object_with_provenance_last(sample):
    data, provenance = run("json")
    document = json.loads(data)
    assert list(document) == ["claims", "provenance"]
    assert document["provenance"] == provenance
    assert data.startswith(b'{"claims": [\n{"id":')  # the first claim comes first: nothing to wait for
    assert last_line(data).startswith(b'"provenance": ')
    assert provenance["sha256"] == sha(body_before_last_line(data))
    assert provenance["rows"] == len(document["claims"]) == 5


def test_json_record_carries_everything_a_desk_needs(sample):
    claims = json_claims(run("json")[0])
    withdrew = next(c for c in claims if c["id"] == sample.claims["withdrew"].pk)
    assert withdrew["article"] == {"id": sample.article.pk, "title": "Test offensive (2024)", "url": sample.article.url}
    assert withdrew["anchor"]["paragraph"] == 0 and withdrew["anchor"]["sentence"] == 1
    assert withdrew["anchor"]["revision_sha256"] == sample.revision.sha256
    assert withdrew["status"] == "in_review"
    assert withdrew["confidence"]["value"] == 45 and withdrew["confidence"]["band"] == "medium"
    assert withdrew["hedge"] == {"kind": "reported", "phrase": "reportedly", "attributed_to": "the Kyiv Post"}
    assert withdrew["event_date"] == {"date": "2024-11-27", "precision": "day", "phrase": ""}
    assert [(c["label"], c["stance"], c["source"]["grade"]) for c in withdrew["citations"]] == [
        ("2", "supports", "B"),
        ("3", "contradicts", "C"),
    ]
    assert withdrew["citations"][0]["url"] == "https://kp.example/2"
    assert withdrew["version"] == sample.claims["withdrew"].version
    hts = next(c for c in claims if c["id"] == sample.claims["hts"].pk)
    assert hts["relations"] == [
        {
            "id": hts["relations"][0]["id"],
            "claim": sample.claims["sdf"].pk,
            "kind": "conflicts",
            "state": "confirmed",
            "detector": "actor_mismatch",
            "resolution": None,
        }
    ]
    assert hts["last_decision"]["reviewer"] == "Lena Lead"
    assert hts["last_decision"]["status"] == "disputed"
    assert hts["last_decision"]["note"] == "Dates differ between sources."
    assert hts["last_decision"]["at"].endswith("Z")
    assert hts["confidence"]["override"] == 80 and hts["confidence"]["computed"] == 30
    assert all(not key.startswith("_") for c in claims for key in c)


def test_jsonl_one_claim_per_line_then_provenance(sample):
    data, provenance = run("jsonl")
    lines = data.decode().splitlines()
    assert json.loads(lines[-1]) == {"provenance": provenance}
    records = [json.loads(line) for line in lines[:-1]]
    assert [r["id"] for r in records] == [c.pk for c in sample.claims.values()]
    assert provenance["sha256"] == sha(body_before_last_line(data))
    assert records == json_claims(run("json")[0])


def test_hostile_text_round_trips_exactly(hostile):
    claims = json_claims(run("json", article=str(hostile.article.pk))[0])
    assert [c["text"] for c in claims] == HOSTILE
    lines = run("jsonl", article=str(hostile.article.pk))[0].split(b"\n")
    assert len(lines) == len(HOSTILE) + 2  # one per claim, provenance, final newline: text newlines are escaped


def test_empty_json_export_is_valid(sample):
    data, provenance = run("json", q="nothing matches this")
    assert json.loads(data)["claims"] == []
    assert provenance["rows"] == 0


@pytest.mark.parametrize("chunk_size", [1, 2, 5])
def test_queries_per_chunk_are_fixed(sample, chunk_size, django_assert_num_queries):
    """One query opens the claim cursor; then each chunk costs the same three (citations, relations,
    reviews), whatever it holds."""
    n_claims = len(sample.claims)
    n_chunks = -(-n_claims // chunk_size)
    with django_assert_num_queries(1 + rows.QUERIES_PER_CHUNK * n_chunks):
        records = [r for chunk in rows.chunks(ExportFilter(), chunk_size=chunk_size) for r in chunk]
    assert len(records) == n_claims
