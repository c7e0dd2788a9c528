"""The claim list's rows (claims.admin.fast_list) are the HTML Django's admin writes for them, byte for byte."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import results
from django.urls import reverse

from claims.admin.fast_list import result_rows
from claims.models import Claim
from tests.factories import ClaimCitationFactory, ClaimFactory, RevisionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(lead):
    revision = RevisionFactory()
    assignee = UserFactory(username="o'brien & co", role="Reviewer")
    for i in range(12):
        claim = ClaimFactory(
            revision=revision, text=f'Heavy fighting <b>near</b> "village" {i} & more.' + " long" * (i * 5),
            hedge_kind="reported" if i % 3 == 0 else "", assigned_to=assignee if i % 2 else None,
            event_date=dt.date(2024, 11, 1 + i) if i % 4 else None, event_date_precision="day" if i % 4 else "",
            confidence_override=70 if i == 5 else None, status="verified" if i == 7 else "unreviewed",
        )  # fmt: skip
        ClaimCitationFactory(claim=claim, citation__article=revision.article)
    return revision.article


@pytest.mark.parametrize(
    "params",
    ["", "?status__exact=unreviewed&hedge_kind__exact=reported", "?q=village+near", "?o=-4.2", "?queue=open&p=1"],
)
def test_rows_are_the_html_djangos_admin_writes(client, lead, desk, params):
    client.force_login(lead)
    response = client.get(reverse("admin:claims_claim_changelist") + params)
    cl = response.context["cl"]
    assert cl.result_list, params
    assert [list(row) for row in result_rows(cl)] == [list(row) for row in results(cl)]
    # and the page shows them
    first = "".join(result_rows(cl)[0])
    assert first in response.content.decode()


def test_the_action_checkbox_is_djangos(lead, desk):
    model_admin = admin.site._registry[Claim]
    for claim in Claim.objects.all():
        assert model_admin.action_checkbox(claim) == admin.ModelAdmin.action_checkbox(model_admin, claim)


def test_lists_it_does_not_cover_get_djangos_rows(client, lead, desk):
    client.force_login(lead)
    response = client.get(reverse("admin:claims_claim_changelist") + "?_popup=1&_to_field=id")
    assert response.status_code == 200
    cl = response.context["cl"]
    assert [list(row) for row in result_rows(cl)] == [list(row) for row in results(cl)]


@pytest.mark.parametrize("params", ["", "?state__exact=suggested", "?o=-3"])
def test_relation_rows_are_the_html_djangos_admin_writes(client, lead, desk, params):
    from tests.factories import RelationFactory

    claims = list(Claim.objects.order_by("pk"))
    for a, b in zip(claims, claims[1:], strict=False):
        RelationFactory(claim_a=a, claim_b=b)
    client.force_login(lead)
    response = client.get(reverse("admin:claims_claimrelation_changelist") + params)
    cl = response.context["cl"]
    assert cl.result_list
    assert [list(row) for row in result_rows(cl)] == [list(row) for row in results(cl)]
    assert "".join(result_rows(cl)[0]) in response.content.decode()
