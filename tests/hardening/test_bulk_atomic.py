"""A bulk action whose database connection dies part-way: each claim is all or nothing, the rest are tried,
and the page says which were decided and which not."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from claims.models import Claim, Review
from claims.services.review import claims_decide
from tests.dbrole import as_superuser
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def killer():
    """Make PostgreSQL terminate the session that updates claim `pk` (a real dead connection, mid-decision)."""
    created = []

    def arm(pk: int):
        # Made by the harness as the superuser; SECURITY DEFINER so that the app role's session may end itself.
        with as_superuser(), connection.cursor() as cur:
            cur.execute(
                "CREATE OR REPLACE FUNCTION test_kill_session() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                "AS $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$"
            )
            cur.execute(
                "CREATE TRIGGER test_kill_on_update BEFORE UPDATE ON claims_claim FOR EACH ROW "
                f"WHEN (OLD.id = {int(pk)}) EXECUTE FUNCTION test_kill_session()"
            )
        created.append(pk)

    yield arm
    if created:
        connection.close()
        with as_superuser(), connection.cursor() as cur:
            cur.execute("DROP TRIGGER IF EXISTS test_kill_on_update ON claims_claim")
            cur.execute("DROP FUNCTION IF EXISTS test_kill_session()")


def in_review(n, reviewer):
    return [ClaimFactory(status="in_review", assigned_to=reviewer) for _ in range(n)]


def test_a_dead_connection_on_the_second_claim_leaves_it_undecided_and_the_third_is_still_tried(killer):
    reviewer = UserFactory(role="Reviewer")
    first, second, third = in_review(3, reviewer)
    killer(second.pk)
    result = claims_decide(claim_ids=[first.pk, second.pk, third.pk], status="disputed", note="ok", actor=reviewer)
    assert sorted(result.done) == [first.pk, third.pk]
    assert list(result.failed) == [second.pk] and not result.refused
    summary = result.summary("decided")
    assert f"#{first.pk}" in summary and f"#{third.pk}" in summary
    assert f"not decided because the database failed (#{second.pk})" in summary
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "disputed", second.pk: "in_review", third.pk: "disputed"}
    assert not Review.objects.filter(claim=second).exists()  # the dead claim's decision left no trace
    assert Claim.objects.get(pk=second.pk).version == second.version


def test_the_admin_bulk_decide_says_which_were_decided_and_which_not(client, killer):
    reviewer = UserFactory(role="Reviewer")
    claims = in_review(3, reviewer)
    killer(claims[1].pk)
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {
            "action": "decide_action", "apply": "1", "status": "disputed", "note": "checked",
            ACTION_CHECKBOX_NAME: [str(c.pk) for c in claims],
        },
    )  # fmt: skip
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("2 claim(s) decided: ")
    assert f"not decided because the database failed (#{claims[1].pk})" in message
    assert Claim.objects.filter(status="disputed").count() == 2
