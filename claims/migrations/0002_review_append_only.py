"""Make the review log append-only in PostgreSQL itself, so not even raw SQL can edit or delete a decision."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION claims_review_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'claims_review is an append-only log: ' || TG_OP || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_review_append_only
    BEFORE UPDATE OR DELETE ON claims_review
    FOR EACH ROW EXECUTE FUNCTION claims_review_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS claims_review_append_only ON claims_review;
DROP FUNCTION IF EXISTS claims_review_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
