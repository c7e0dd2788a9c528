"""The words of a claim, stored for full-text search (claims/search.py).

On PostgreSQL a trigger keeps `search_document` equal to to_tsvector('simple', text || ' ' || attributed_to)
on every insert and on every update of those columns (bulk writes included), and a GIN index serves the
searches. Stored rather than an expression index so that a search matching most claims does not recompute
every claim's tsvector to recheck it. On SQLite (`make run`) the column stays empty and searches use substrings.
"""

import django.contrib.postgres.search
from django.db import migrations

CREATE = """
CREATE FUNCTION claims_claim_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document := to_tsvector('simple'::regconfig,
        COALESCE(NEW.text, '') || ' ' || COALESCE(NEW.attributed_to, ''));
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_claim_search_document
    BEFORE INSERT OR UPDATE OF text, attributed_to ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_document();
UPDATE claims_claim SET text = text;
CREATE INDEX claim_search_idx ON claims_claim USING gin (search_document);
"""

DROP = """
DROP INDEX IF EXISTS claim_search_idx;
DROP TRIGGER IF EXISTS claims_claim_search_document ON claims_claim;
DROP FUNCTION IF EXISTS claims_claim_search_document();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_review_latest_index")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
