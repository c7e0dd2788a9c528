"""Shared fixtures: real PostgreSQL (pytest-django), the roles fixture loaded, one user per role.

The suite runs as the app's least-privilege PostgreSQL role (docs/operations.md), as the served app does: the
test database is created and migrated by the superuser, `db_roles` grants the app role what the app needs, and
every connection then runs `SET ROLE` to it, so each query is checked against the app role's privileges (a
change that needs TRUNCATE, or UPDATE/DELETE on the review log or a history table, fails here). The test
harness's own privileged steps run as the superuser through `as_superuser()`: the flush between transactional
tests (a TRUNCATE), fixtures that play an operator's set-up step (`load_reference_data`), and tests marked
`db_superuser` (they create roles or databases). SET ROLE rather than a second login keeps those steps inside a
test's transaction, which a reconnection would end.
"""

import io
import os

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import TransactionTestCase

from tests.dbrole import APP_ROLE, app_role_in_use, as_superuser, load_reference_data
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the roles once per session, as `make run` does; then run as the app's database role."""
    with django_db_blocker.unblock():
        call_command("loaddata", "groups", verbosity=0)
        if connection.vendor == "postgresql" and os.environ.get("TEST_DB_ROLE", "app") == "app":
            call_command("db_roles", "--app-role", APP_ROLE, "--create", stdout=io.StringIO())
            app_role_in_use(APP_ROLE)
            for db in connections.all(initialized_only=True):
                db.close()  # reconnect: connection_created sets the role
    yield
    app_role_in_use(None)  # dropping the test database is the superuser's job again
    for db in connections.all(initialized_only=True):
        db.close()


@pytest.fixture(autouse=True)
def _db_superuser(request):
    """Tests marked `db_superuser` (they create roles or databases) run with the superuser's privileges."""
    if request.node.get_closest_marker("db_superuser") is None:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    with as_superuser():
        yield


_fixture_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown_as_superuser(self):
    """The flush after a transactional test TRUNCATEs every table: the test runner's job, not the app's.
    The roles fixture goes back in with it (a transactional test must not have to reload it)."""
    with as_superuser():
        _fixture_teardown(self)
        call_command("loaddata", "groups", verbosity=0)


TransactionTestCase._fixture_teardown = _fixture_teardown_as_superuser


@pytest.fixture
def sources(db):
    """The source registry, loaded as an operator does (`load_reference_data` runs as the schema's owner)."""
    load_reference_data()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made by the hundred in tests; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def viewer(db):
    return UserFactory(username="viewer", role="Viewer")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", role="Editor", first_name="Eddie", last_name="Editor")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role="Reviewer", first_name="Rita", last_name="Reviewer")


@pytest.fixture
def reviewer2(db):
    return UserFactory(username="reviewer2", role="Reviewer")


@pytest.fixture
def lead(db):
    return UserFactory(username="lead", role="Lead", first_name="Lena", last_name="Lead")


@pytest.fixture
def superuser(db):
    user = UserFactory(username="admin", is_superuser=True)
    return user
