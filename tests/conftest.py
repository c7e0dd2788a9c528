"""Shared fixtures: real PostgreSQL (pytest-django), the roles fixture loaded, one user per role."""

import pytest
from django.core.management import call_command

from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the roles once per session, as `make run` does."""
    with django_db_blocker.unblock():
        call_command("loaddata", "groups", verbosity=0)


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
