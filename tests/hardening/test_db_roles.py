"""The app's database role: what the app needs works, TRUNCATE and edits of the append-only record do not.

The role is set up by the same command an operator runs (`db_roles`), on the test database; the app's main
flows then run connected as that role, so a change that needs more privilege fails here first.
"""

import io
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from claims.dbroles import append_only_tables
from claims.exports import Export, ExportFilter, formats
from claims.models import Claim, Review
from claims.services import claim_decide, claim_start_review
from claims.services.importing import article_import, citations_import_csv
from tests.factories import UserFactory

# The module sets the roles up and grants privileges itself: it runs as the superuser (tests/conftest.py).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_superuser]

APP_ROLE = "claims_app_test"
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "articles" / "northwestern_syria_offensive.txt"


@pytest.fixture
def app_role():
    call_command("db_roles", "--app-role", APP_ROLE, "--create", stdout=io.StringIO())
    return APP_ROLE


def app_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, dbname=settings["NAME"],
        user=APP_ROLE, autocommit=True,
    )  # fmt: skip


@contextmanager
def connected_as(role: str):
    """Django's own connection, as `role`, for the block (then back to the test runner's role, which flushes)."""
    original = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = role
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = original


@pytest.mark.parametrize("table", ["claims_review", "claims_historicalclaim", "claims_claim", "claims_source"])
def test_the_app_role_cannot_truncate(app_role, table):
    with app_connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"TRUNCATE {table}")


@pytest.mark.parametrize("table", append_only_tables())
@pytest.mark.parametrize("statement", ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}"])
def test_the_app_role_cannot_update_or_delete_the_append_only_record(app_role, table, statement):
    column = "note" if table == "claims_review" else "history_change_reason"
    with app_connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement.format(t=table, c=column))


def test_the_app_role_cannot_rewrite_the_migration_record(app_role):
    with app_connection() as conn:
        assert conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM django_migrations")


def test_truncate_is_refused_by_trigger_even_for_a_role_with_the_privilege(app_role):
    """The owner of a table has TRUNCATE; the trigger still refuses (only a superuser passes)."""
    with app_connection() as conn:
        owner = conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'claims_review'").fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON claims_review TO {APP_ROLE}")
    try:
        with app_connection() as conn, pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("TRUNCATE claims_review")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE TRUNCATE ON claims_review FROM {APP_ROLE}")
    assert owner


def test_the_apps_main_flows_work_as_the_app_role(app_role):
    editor = UserFactory(username="editor", role="Editor")
    reviewer = UserFactory(username="reviewer", role="Reviewer")
    lead = UserFactory(username="lead", role="Lead")
    call_command("load_reference_data", verbosity=0)  # an operator's set-up step, run as the owner
    with connected_as(app_role):
        report = article_import(text=SAMPLE.read_text(encoding="utf-8"), actor=editor)
        claim = Claim.objects.filter(article_id=report.article_id).order_by("pk").first()
        claim = claim_start_review(claim_id=claim.pk, actor=reviewer)
        claim_decide(claim_id=claim.pk, status="disputed", note="checked", seen_version=claim.version, actor=reviewer)
        csv_data = (
            "label,url,title,author,publisher,published,accessed,archive_url,quote\n54,https://example.org/,T,,,,,,\n"
        )
        citations_import_csv(article=claim.article, data=csv_data.encode(), actor=lead)
        revised = SAMPLE.read_text(encoding="utf-8").replace("30 November", "1 December", 1)
        article_import(text=revised, actor=editor)
        body = b"".join(Export(formats.get("csv"), ExportFilter(), username="lead", via="test").stream())
        assert connection.settings_dict["USER"] == APP_ROLE
    assert Review.objects.filter(claim=claim).count() == 1
    assert body.count(b"\n") > 50


def test_the_app_role_analyzes_the_claims_tables_through_the_function_only(app_role):
    """Only an owner may ANALYZE; the app role owns nothing, so a bulk import's ANALYZE goes through
    `claims_analyze`, which takes the claims app's tables and nothing else."""
    with app_connection() as conn:
        conn.execute("SELECT claims_analyze('claims_claim'::regclass)")
        with pytest.raises(psycopg.errors.RaiseException, match="not a table of the claims app"):
            conn.execute("SELECT claims_analyze('auth_user'::regclass)")


def test_an_import_as_the_app_role_leaves_the_planners_statistics_current(app_role):
    editor = UserFactory(username="editor", role="Editor")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")  # as the superuser, on the empty table: the estimate is 0
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'claims_claim'::regclass")
        (before,) = cursor.fetchone()
    with connected_as(app_role):
        report = article_import(text=SAMPLE.read_text(encoding="utf-8"), actor=editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'claims_claim'::regclass")
        (after,) = cursor.fetchone()
    claims = Claim.objects.filter(article_id=report.article_id).count()
    assert before == 0 and claims > 50
    assert after == claims  # ANALYZEd after the commit, although the app role owns no table
