"""/exports/claims.<format>: signed-in users with the export permission get a streamed download."""

import csv
import inspect
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from claims.exports import Export, ExportFilter, formats, rows
from tests.exports.util import body_before_last_line, sha
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORMATS = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "markdown": "text/markdown",
    "claimreview": "application/ld+json",
    "csl": "application/vnd.citationstyles.csl+json",
}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_anonymous_is_sent_to_the_admin_login(client, sample):
    response = client.get("/exports/claims.csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/exports/claims.csv")


def test_signed_in_without_permission_is_refused(client, sample):
    nobody = UserFactory(username="nobody")
    client.force_login(nobody)
    assert client.get("/exports/claims.csv").status_code == 403
    # Seeing claims is not enough: exporting is its own permission.
    nobody.user_permissions.add(Permission.objects.get(codename="view_claim"))
    nobody = type(nobody).objects.get(pk=nobody.pk)  # fresh permission cache
    client.force_login(nobody)
    assert client.get("/exports/claims.csv").status_code == 403


@pytest.mark.parametrize("role", ["Viewer", "Editor", "Reviewer", "Lead"])
def test_every_role_may_export(client, sample, role):
    client.force_login(UserFactory(username=f"r-{role}", role=role))
    assert client.get("/exports/claims.csv").status_code == 200


@pytest.mark.parametrize(("fmt", "media_type"), FORMATS.items())
def test_each_format_downloads(client, viewer, sample, fmt, media_type):
    client.force_login(viewer)
    response = client.get(f"/exports/claims.{fmt}", {"article": sample.article.pk})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith(media_type)
    assert response["Content-Disposition"].startswith('attachment; filename="')
    data = body(response)
    if fmt == "csv":
        assert len(list(csv.DictReader(io.StringIO(data.decode(), newline="")))) == 5
    elif fmt == "markdown":
        assert data.startswith(b"## Test offensive")
    elif fmt == "jsonl":
        assert len(data.splitlines()) == 6
    else:
        json.loads(data)


def test_the_body_is_produced_while_streaming_not_in_the_view(client, viewer, sample):
    assert inspect.isgenerator(Export(formats.get("csv"), ExportFilter(), username="x", via="test").stream())
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as in_view:
        response = client.get("/exports/claims.csv")
    assert not any("COPY" in q["sql"] for q in in_view.captured_queries)
    with CaptureQueriesContext(connection) as streaming:
        data = body(response)
    assert any(q["sql"].startswith("COPY (SELECT") for q in streaming.captured_queries)
    assert data.count(b"\n") == 6


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("status=bogus", b"status: 'bogus' is not one of"),
        ("band=abc", b"band: 'abc' is not one of"),
        ("from=2024-13-01", b"from: '2024-13-01' is not a date (YYYY-MM-DD)"),
        ("colour=red", b"colour: unknown filter"),
        ("provenance=maybe", b"provenance: 'maybe' is not a yes/no value"),
    ],
)
def test_bad_filter_is_a_400_naming_the_parameter(client, viewer, sample, query, words):
    client.force_login(viewer)
    response = client.get(f"/exports/claims.csv?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert words in response.content


def test_unknown_format_is_a_400(client, viewer):
    client.force_login(viewer)
    response = client.get("/exports/claims.xlsx")
    assert response.status_code == 400
    assert (
        b"unknown export format 'xlsx' (choose one of csv, json, jsonl, markdown, claimreview, csl)" in response.content
    )


def test_provenance_of_a_download(client, viewer, sample):
    client.force_login(viewer)
    download_response = client.get("/exports/claims.csv", {"status": "verified"})
    download = body(download_response)
    link = download_response["Link"]
    assert link == '</exports/claims.csv?status=verified&provenance=1>; rel="describedby"; type="application/json"'
    response = client.get(link[1 : link.index(">")])
    assert response.status_code == 200
    provenance = json.loads(response.content)["provenance"]
    assert provenance["sha256"] == sha(download)
    assert provenance["bytes"] == len(download)
    assert provenance["rows"] == 1
    assert provenance["generated_by"] == {"username": "viewer", "via": "url"}
    assert provenance["filter"] == {"status": ["verified"]}
    assert provenance["query"] == "status=verified"


def test_json_download_carries_its_provenance(client, viewer, sample):
    client.force_login(viewer)
    data = body(client.get("/exports/claims.json", {"source": "Kyiv Post"}))
    provenance = json.loads(data)["provenance"]
    assert provenance["sha256"] == sha(body_before_last_line(data))
    assert provenance["filter"] == {"source": [str(sample.kyiv.pk)]}
    assert provenance["filter_text"] == "source Kyiv Post"


def test_url_query_count_per_chunk_is_fixed(client, viewer, sample, settings):
    """Consuming the JSON download costs the same few queries per chunk, however the claims split."""
    client.force_login(viewer)

    def queries_for(chunk_size: int) -> int:
        settings.CLAIMS_EXPORT_CHUNK_SIZE = chunk_size
        response = client.get("/exports/claims.jsonl")
        with CaptureQueriesContext(connection) as captured:
            body(response)
        return len(captured.captured_queries)

    n = len(sample.claims)
    one_chunk, five_chunks = queries_for(n), queries_for(1)
    assert five_chunks - one_chunk == rows.QUERIES_PER_CHUNK * (n - 1)
