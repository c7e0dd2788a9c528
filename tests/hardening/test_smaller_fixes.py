"""Issue #15 item 7: JSON Lines line breaks, grading by an Editor, history of the registry load, manual
relations from someone who may not confirm."""

import json

import pytest
from django.urls import reverse

from claims.exports import Export, ExportFilter, formats
from claims.exports.as_json import dumps
from claims.models import Source
from claims.services import relation_create
from tests.dbrole import load_reference_data
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

BREAKS = "one\u2028two\u2029three\u0085four"


def test_dumps_escapes_every_character_splitlines_breaks_on():
    line = dumps({"text": BREAKS + "\x0b\x0c\x1c\x1d\x1e"})
    assert len(line.splitlines()) == 1
    assert json.loads(line)["text"] == BREAKS + "\x0b\x0c\x1c\x1d\x1e"


def test_json_lines_export_has_one_line_per_claim_whatever_the_text(lead):
    claims = [ClaimFactory(text=f"Claim {i} says {BREAKS}.") for i in range(3)]
    body = b"".join(Export(formats.get("jsonl"), ExportFilter(), username="lead", via="test").stream()).decode()
    lines = body.splitlines()
    assert len(lines) == len(claims) + 1  # one per claim, then the provenance line (issue 14: streamed)
    assert sorted(json.loads(line)["id"] for line in lines[:-1]) == sorted(c.pk for c in claims)
    assert "provenance" in json.loads(lines[-1])


@pytest.mark.parametrize("field", ["grade", "reliability", "party_to_conflict"])
def test_an_editor_posting_a_grade_is_refused_with_a_message(client, editor, field):
    source = SourceFactory(name="Some Outlet", grade="F", reliability="unknown", party_to_conflict=False)
    client.force_login(editor)
    values = {"grade": "A", "reliability": "generally_reliable", "party_to_conflict": "on"}
    data = {"name": "Some Outlet", "kind": source.kind, "domain": "", "change_reason": "regrade", field: values[field]}
    response = client.post(reverse("admin:claims_source_change", args=[source.pk]), data, follow=True)
    html = response.content.decode()
    # The refusal names who may regrade in the desk's words, not the permission's codename (issue #12, item 13).
    assert (
        "Nothing was saved: Eddie Editor may not change a source&#x27;s reliability or grade: that takes the Lead role"
        in html
    )
    assert "set_source_reliability" not in html
    source.refresh_from_db()
    assert (source.grade, source.reliability, source.party_to_conflict) == ("F", "unknown", False)


def test_an_editor_adding_a_source_with_grade_a_is_refused(client, editor):
    client.force_login(editor)
    data = {"name": "New Outlet", "kind": "other", "grade": "A", "change_reason": "new"}
    response = client.post(reverse("admin:claims_source_add"), data, follow=True)
    assert "Nothing was saved" in response.content.decode()
    assert not Source.objects.filter(name="New Outlet").exists()


def test_an_editor_saving_a_source_without_touching_the_grade_still_works(client, editor):
    source = SourceFactory(name="Other Outlet")
    client.force_login(editor)
    data = {"name": "Other Outlet", "kind": source.kind, "domain": "other.example", "change_reason": "domain"}
    client.post(reverse("admin:claims_source_change", args=[source.pk]), data)
    source.refresh_from_db()
    assert source.domain == "other.example"


def test_load_reference_data_names_the_system_user_in_history():
    load_reference_data()  # as an operator runs it: the schema owner, not the app
    history = Source.history.all()
    assert history.exists()
    assert set(history.values_list("history_user__username", flat=True)) == {"system"}
    from django.contrib.auth import get_user_model

    system = get_user_model().objects.get(username="system")
    assert not system.is_active and not system.has_usable_password()


def test_an_editors_manual_relation_is_suggested_a_reviewers_or_leads_confirmed(editor, lead):
    a, b, c = ClaimFactory(), ClaimFactory(), ClaimFactory()
    assert relation_create(claim_a=a, claim_b=b, kind="conflicts", actor=editor, reason="why").state == "suggested"
    assert relation_create(claim_a=a, claim_b=c, kind="conflicts", actor=lead, reason="why").state == "confirmed"


def test_an_editor_cannot_ask_for_a_confirmed_relation(editor):
    from django.core.exceptions import PermissionDenied

    a, b = ClaimFactory(), ClaimFactory()
    with pytest.raises(
        PermissionDenied, match="may not create a relation as confirmed: that takes the Reviewer or Lead"
    ):
        relation_create(claim_a=a, claim_b=b, kind="conflicts", actor=editor, reason="why", state="confirmed")
