"""The suite runs as the app's database role; these are the harness's ways out of it (see tests/conftest.py)."""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import connections
from django.db.backends.signals import connection_created

APP_ROLE = "claims_app_test"
_app_role: list[str] = []  # [APP_ROLE] once the test database exists and the role has its grants


def app_role_in_use(role: str | None) -> None:
    _app_role.clear()
    if role:
        _app_role.append(role)


def _set_role(sender, connection, **kwargs):
    if _app_role and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {connection.ops.quote_name(_app_role[0])}")


connection_created.connect(_set_role)


@contextmanager
def as_superuser(using: str = "default"):
    """Run the block with the test runner's own (superuser) privileges, then as the app role again.

    Inside a test's transaction the RESET is undone by its rollback as well."""
    db = connections[using]
    if not _app_role or db.vendor != "postgresql":
        yield
        return
    db.ensure_connection()
    with db.cursor() as cursor:
        cursor.execute("RESET ROLE")
    try:
        yield
    finally:
        if db.connection is not None and not db.connection.closed:
            with db.cursor() as cursor:
                cursor.execute(f"SET ROLE {db.ops.quote_name(_app_role[0])}")


def load_reference_data() -> None:
    """Roles and the source registry, loaded as an operator does: as the schema's owner, not the app."""
    with as_superuser():
        call_command("load_reference_data", verbosity=0)
