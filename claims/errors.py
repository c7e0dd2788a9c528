"""Errors the services raise, each worded for the person who caused it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import DECIDED_STATUSES


class ServiceError(ValidationError):
    """A write refused for a reason a person can act on; nothing was written."""


class StaleClaim(ServiceError):
    """The claim changed after the actor opened it; nothing was written."""

    def __init__(self, claim):
        self.claim = claim
        last = claim.history.order_by("-history_date", "-history_id").select_related("history_user").first()
        who = display_name(last.history_user) if last and last.history_user else "someone"
        when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M:%S %Z") if last else "an unknown time"
        if claim.status in DECIDED_STATUSES:
            # Someone else decided first: there is nothing left to try again; only a Lead's reopen changes that.
            then = f"it is now {claim.get_status_display()} (version {claim.version}) and a Lead may reopen it"
        else:
            then = f"reload it to see version {claim.version} and try again"
        super().__init__(f"this claim changed since you opened it (by {who} at {when}); {then}")


class FrozenClaim(ServiceError):
    """A decided claim's text, anchor and citations are frozen until a lead reopens it."""

    def __init__(self, claim, what: str):
        self.claim = claim
        super().__init__(
            f"claim #{claim.pk} is {claim.get_status_display()}: its {what} cannot change until a Lead reopens it"
        )


def display_name(user) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


ROLE_ORDER = ("Viewer", "Editor", "Reviewer", "Lead")  # fixtures/groups.json


def who_may(perm: str) -> str:
    """A permission in the words of the roles that carry it ("the Reviewer or Lead role"), never its codename."""
    from django.contrib.auth.models import Group, Permission

    app_label, _, codename = perm.partition(".")
    groups = set(
        Group.objects.filter(
            permissions__codename=codename, permissions__content_type__app_label=app_label
        ).values_list("name", flat=True)
    )
    named = [g for g in ROLE_ORDER if g in groups] + sorted(groups - set(ROLE_ORDER))
    if named:
        roles = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
        return f"that takes the {roles} role"
    permission = Permission.objects.filter(codename=codename, content_type__app_label=app_label).first()
    what = permission.name.lower() if permission else "this"
    return f"no role of yours allows it ({what})"
