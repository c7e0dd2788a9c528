"""ANALYZE through a function the app role may call.

Only a table's owner (or a superuser) may ANALYZE it, and the least-privilege app role owns nothing
(docs/operations.md): its ANALYZE after a bulk import was skipped with a warning, leaving the planner's row
estimates stale on a server without autovacuum. `claims_analyze` runs as its owner (the migration role),
only on the claims app's own tables, with a fixed search_path; `db_roles` grants EXECUTE to the app role.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION claims_analyze(target regclass) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = target AND n.nspname = 'public' AND c.relkind = 'r' AND c.relname LIKE 'claims\_%'
    ) THEN
        RAISE EXCEPTION 'claims_analyze: % is not a table of the claims app', target;
    END IF;
    EXECUTE format('ANALYZE %s', target);
END
$$;
REVOKE ALL ON FUNCTION claims_analyze(regclass) FROM PUBLIC;
"""

DROP = "DROP FUNCTION IF EXISTS claims_analyze(regclass);"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the body holds a literal %


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_i13_citation_identifiers")]

    operations = [migrations.RunPython(forwards, backwards)]
