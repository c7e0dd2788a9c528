"""TRUNCATE skips row triggers, so the review log and the history tables refuse it with a statement trigger.

A superuser may still truncate (it could drop the trigger anyway): that is the break-glass for restores and
the test runner's flush; the app's own role and the migration owner are refused.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION claims_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' is an append-only record: TRUNCATE refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def append_only_tables(apps) -> list[str]:
    """The review log and every simple-history table of the app."""
    tables = [apps.get_model("claims", "Review")._meta.db_table]
    tables += sorted(m._meta.db_table for m in apps.get_app_config("claims").get_models() if m.__name__.startswith("Historical"))
    return tables


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in append_only_tables(apps):
        schema_editor.execute(
            f"CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION claims_refuse_truncate()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in append_only_tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS claims_refuse_truncate()")


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_i12_resolution_labels")]

    operations = [migrations.RunPython(forwards, backwards)]
