"""Least-privilege PostgreSQL roles: the SQL that gives the app's role only what the app needs.

- The **owner** role owns the schema and runs `migrate` (it may create and alter tables).
- The **app** role (what the served app's DATABASE_URL uses) may read and write rows, but has no TRUNCATE
  anywhere, no UPDATE or DELETE on the review log or any history table, and may not change the migration
  record. The review log also refuses UPDATE/DELETE by trigger (migration 0002) and every append-only table
  refuses TRUNCATE by trigger (migration 0006), whoever asks short of a superuser.

`grant_statements` is re-run after every `migrate` (new tables get their grants; it is idempotent).
"""

from __future__ import annotations

from django.db import connection

from .models import Review, history_models

ANALYZE_FUNCTION = "claims_analyze(regclass)"


def append_only_tables() -> list[str]:
    """Tables whose rows are never changed once written: the review log and every simple-history table."""
    return [Review._meta.db_table, *sorted(m._meta.db_table for m in history_models())]


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def create_role_statements(role: str, *, login: bool) -> list[str]:
    """Create a role unless it exists (roles are per cluster; two runs at once must not fail)."""
    option = "LOGIN" if login else "NOLOGIN"
    literal = role.replace("'", "''")
    return [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{literal}') THEN "
        f"CREATE ROLE {quote(role)} {option}; END IF; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    ]


def grant_statements(*, app_role: str, owner_role: str | None, database: str) -> list[str]:
    app = quote(app_role)
    statements = []
    if owner_role:
        owner = quote(owner_role)
        statements += [
            f"ALTER DATABASE {quote(database)} OWNER TO {owner}",
            f"ALTER SCHEMA public OWNER TO {owner}",
        ]
        # Tables made by earlier migrations as another role move to the owner.
        tables = connection.introspection.table_names()
        statements += [f"ALTER TABLE {quote(t)} OWNER TO {owner}" for t in tables]
        statements.append(f"ALTER FUNCTION {ANALYZE_FUNCTION} OWNER TO {owner}")
    statements += [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {app}",
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {app}",
        # ANALYZE after a bulk import, as the tables' owner (migration 0015): the app role owns no table.
        f"GRANT EXECUTE ON FUNCTION {ANALYZE_FUNCTION} TO {app}",
    ]
    statements += [f"REVOKE UPDATE, DELETE ON {quote(t)} FROM {app}" for t in append_only_tables()]
    return statements
