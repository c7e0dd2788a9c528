"""What every service shares: saving with history, permission checks, the service errors."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models

from ..errors import FrozenClaim, ServiceError, StaleClaim, display_name, who_may

__all__ = ["FrozenClaim", "ServiceError", "StaleClaim", "display_name"]

ADMIN_REASON = "edited in admin"


def require_reason(reason: str | None, *, what: str = "this change") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(f"{what} needs a reason")
    return reason


def require_perm(actor, perm: str, action: str) -> None:
    """Refuse with a message that names the action and the permission the actor lacks."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(f"{action}: you must be signed in")
    if not actor.has_perm(perm):
        raise PermissionDenied(f"{display_name(actor)} may not {action}: {who_may(perm)}")


def save_tracked(obj: models.Model, *, actor, reason: str, validate: bool = True) -> None:
    """Save a tracked row so that its history row names the actor and the reason."""
    obj._history_user = actor
    obj._change_reason = require_reason(reason)
    if validate:
        obj.full_clean(validate_constraints=False)
    obj.save()


def delete_tracked(obj: models.Model, *, actor, reason: str) -> None:
    """Delete a tracked row; simple-history keeps a deletion row with the actor and the reason."""
    obj._history_user = actor
    obj._change_reason = require_reason(reason)
    obj.delete()


def apply_changes(obj: models.Model, changes: dict, *, allowed: Iterable[str]) -> list[str]:
    """Set the given fields on obj, refusing unknown ones; returns the names that really changed."""
    allowed = set(allowed)
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ServiceError(f"{type(obj).__name__} has no editable field(s): {', '.join(unknown)}")
    changed = []
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        current = getattr(obj, field.attname if field.is_relation else name)
        new = value.pk if field.is_relation and isinstance(value, models.Model) else value
        if current != new:
            setattr(
                obj,
                field.attname if field.is_relation and not isinstance(value, models.Model) else name,
                value,
            )
            changed.append(name)
    return changed
