"""Exports from the claim changelist: "Export selected claims as …" actions and the filtered "Export" menu."""

import csv
import io
import json

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.http import StreamingHttpResponse
from django.urls import reverse

from claims.exports import formats
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/claims/claim/"


def exported_ids(response) -> list[int]:
    assert isinstance(response, StreamingHttpResponse)
    data = b"".join(response.streaming_content).decode()
    return [int(row["claim_id"]) for row in csv.DictReader(io.StringIO(data, newline=""))]


def test_every_format_is_an_action_for_exporters(client, viewer, sample):
    client.force_login(viewer)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    choices = dict(page.context["action_form"].fields["action"].choices)
    for name, fmt in formats.FORMATS.items():
        assert choices[f"export_{name}"] == f"Export selected claims as {fmt.label}"


def test_export_selected_claims(client, viewer, sample):
    client.force_login(viewer)
    chosen = [sample.claims["hts"].pk, sample.claims["attack"].pk]
    response = client.post(CHANGELIST, {"action": "export_csv", helpers.ACTION_CHECKBOX_NAME: chosen, "index": 0})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    assert exported_ids(response) == sorted(chosen)


def test_export_selected_as_json_records_the_admin_way_in(client, viewer, sample):
    client.force_login(viewer)
    response = client.post(
        CHANGELIST, {"action": "export_json", helpers.ACTION_CHECKBOX_NAME: [sample.claims["sdf"].pk], "index": 0}
    )
    document = json.loads(b"".join(response.streaming_content))
    assert document["provenance"]["generated_by"] == {"username": "viewer", "via": "admin"}
    assert document["provenance"]["filter"] == {"id": [str(sample.claims["sdf"].pk)]}
    assert [c["id"] for c in document["claims"]] == [sample.claims["sdf"].pk]


def test_select_all_keeps_the_changelist_filter(client, viewer, sample):
    client.force_login(viewer)
    response = client.post(
        f"{CHANGELIST}?status__exact=refuted",
        {
            "action": "export_csv",
            helpers.ACTION_CHECKBOX_NAME: [sample.claims["sdf"].pk],
            "select_across": "1",
            "index": 0,
        },
    )
    assert exported_ids(response) == [sample.claims["sdf"].pk]


def test_select_all_with_a_filter_exports_cannot_express_falls_back_to_ids(client, viewer, sample):
    client.force_login(viewer)
    response = client.post(
        f"{CHANGELIST}?anchor_state__exact=anchored&status__exact=verified",
        {
            "action": "export_csv",
            helpers.ACTION_CHECKBOX_NAME: [sample.claims["attack"].pk],
            "select_across": "1",
            "index": 0,
        },
    )
    assert exported_ids(response) == [sample.claims["attack"].pk]


def test_export_menu_carries_the_current_filters(client, viewer, sample):
    client.force_login(viewer)
    page = client.get(f"{CHANGELIST}?status__exact=verified&article__id__exact={sample.article.pk}&queue=mine&o=1")
    menu = page.context["claim_export"]
    url = reverse("claims:export", args=["csv"])
    assert {link["name"]: link["url"] for link in menu["links"]}["csv"] == (
        f"{url}?article={sample.article.pk}&status=verified"
    )
    assert menu["not_applied"] == ["queue"]
    html = page.content.decode()
    assert "Export ▾" in html
    assert f'href="{url}?article={sample.article.pk}&amp;status=verified"' in html
    assert "Not applied to the export: queue" in html
    # The menu's link gives what the list shows.
    download = client.get(f"{url}?article={sample.article.pk}&status=verified")
    assert exported_ids(download) == [sample.claims["attack"].pk]


def test_no_export_actions_or_menu_without_the_permission(client, sample):
    looker = UserFactory(username="looker")
    looker.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client.force_login(looker)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    form = page.context["action_form"]  # None when the person has no action at all
    choices = form.fields["action"].choices if form else []
    assert not any(name.startswith("export_") for name, _ in choices)
    assert "Export ▾" not in page.content.decode()
    response = client.post(
        CHANGELIST, {"action": "export_csv", helpers.ACTION_CHECKBOX_NAME: [sample.claims["sdf"].pk], "index": 0}
    )
    assert not isinstance(response, StreamingHttpResponse)
