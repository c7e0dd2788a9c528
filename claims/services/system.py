"""The account named in history for changes no person made (loading the source registry, set-up commands)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

SYSTEM_USERNAME = "system"


def system_user():
    """The inactive `system` user (made on first use): it cannot sign in, and history names it, not nobody."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "System"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
