"""Brute-force protection on the admin login (django-axes): a cool-off, not a permanent lockout."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def test_repeated_failures_lock_out_the_username_for_a_while(client, reviewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "reviewer", "wrong").status_code == 200  # the form again, with an error
    assert attempt(client, "reviewer", "wrong").status_code == 429  # the last allowed failure locks out
    locked = attempt(client, "reviewer", "pw")  # the right password, but too late
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert settings.AXES_COOLOFF_TIME.total_seconds() > 0  # never locked out for good


def test_a_good_login_still_works_and_resets_the_count(client, reviewer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "reviewer", "wrong")
    response = attempt(client, "reviewer", "pw")
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(reviewer.pk)
