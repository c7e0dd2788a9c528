"""Set up (or refresh after a migration) the least-privilege database roles; see docs/operations.md."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from claims import dbroles


class Command(BaseCommand):
    help = (
        "Give the app's PostgreSQL role only what the app needs (no TRUNCATE, no UPDATE/DELETE on the review "
        "log and history tables). Run as a superuser or the owner role, after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--app-role", default="claims_app", help="the role the served app connects as")
        parser.add_argument("--owner-role", help="the role that owns the schema and runs migrations (optional)")
        parser.add_argument("--create", action="store_true", help="create the roles when missing (needs CREATEROLE)")
        parser.add_argument("--print", action="store_true", dest="print_only", help="print the SQL, run nothing")

    def handle(self, *args, app_role, owner_role, create, print_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError(f"database roles need PostgreSQL; DATABASE_URL points at {connection.vendor}")
        statements = []
        if create:
            statements += dbroles.create_role_statements(app_role, login=True)
            if owner_role:
                statements += dbroles.create_role_statements(owner_role, login=True)
        statements += dbroles.grant_statements(
            app_role=app_role, owner_role=owner_role, database=connection.settings_dict["NAME"]
        )
        if print_only:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        if options["verbosity"] == 0:
            return
        tables = ", ".join(dbroles.append_only_tables())
        self.stdout.write(f"role {app_role}: rows read and written; no TRUNCATE; append-only: {tables}")
