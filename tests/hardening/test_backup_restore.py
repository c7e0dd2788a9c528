"""Backup and restore as docs/operations.md describes it: `pg_dump -Fc`, then `pg_restore` into a fresh
database, gives identical row counts and content for claims, citations, sources, relations, reviews and the
history tables."""

import shutil
import subprocess

import psycopg
import pytest
from django.db import connection

from claims.dbroles import append_only_tables
from claims.models import Citation, Claim, ClaimRelation
from claims.services import claim_decide, claim_start_review, relation_create
from claims.services.importing import article_import, citations_import_csv
from tests.dbrole import load_reference_data
from tests.factories import UserFactory
from tests.hardening.test_reimport_guard import SAMPLE_TEXT

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = ["claims_claim", "claims_citation", "claims_source", "claims_claimrelation", "claims_claimcitation",
          "claims_article", "claims_articlerevision", *append_only_tables()]  # fmt: skip


def fingerprint(dsn: str) -> dict[str, tuple[int, str]]:
    """Per table: row count and an md5 of every row's text, in primary-key order."""
    out = {}
    with psycopg.connect(dsn) as conn:
        for table in TABLES:
            key = "history_id" if "historical" in table else "id"
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.{key}), '')) FROM {table} t"  # noqa: S608
            ).fetchone()
            out[table] = (count, digest)
    return out


def dsn(name: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def test_a_dump_restored_into_a_fresh_database_is_identical(tmp_path):
    editor, reviewer, lead = (UserFactory(username=n, role=r) for n, r in
                              [("editor", "Editor"), ("reviewer", "Reviewer"), ("lead", "Lead")])  # fmt: skip
    load_reference_data()
    report = article_import(text=SAMPLE_TEXT, actor=editor)
    first, second = Claim.objects.filter(article_id=report.article_id).order_by("pk")[:2]
    claim = claim_start_review(claim_id=first.pk, actor=reviewer)
    claim_decide(claim_id=claim.pk, status="disputed", note="checked", seen_version=claim.version, actor=reviewer)
    relation_create(claim_a=first, claim_b=second, kind="conflicts", actor=lead, reason="dates differ")
    csv = "label,url,title,author,publisher,published,accessed,archive_url,quote\n54,https://example.org/,T,,,,,,\n"
    citations_import_csv(article=first.article, data=csv.encode(), actor=lead)
    assert Citation.objects.exclude(url="").exists() and ClaimRelation.objects.exists()

    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "install PostgreSQL's client tools"
    source_name = connection.settings_dict["NAME"]
    restored = f"{source_name}_restore"
    dump = tmp_path / "claims.dump"
    db = connection.settings_dict
    common = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    with psycopg.connect(dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(["pg_dump", *common, "-Fc", "-f", str(dump), source_name], check=True)  # noqa: S603, S607
        subprocess.run(  # noqa: S603
            ["pg_restore", *common, "--no-owner", "--exit-on-error", "-d", restored, str(dump)],  # noqa: S607
            check=True,
        )
        before, after = fingerprint(dsn(source_name)), fingerprint(dsn(restored))
        assert after == before
        assert before["claims_review"][0] == 1 and before["claims_historicalclaim"][0] > 90
    finally:
        with psycopg.connect(dsn("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
