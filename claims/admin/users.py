"""User accounts: a person named in the record is deactivated, never deleted.

Every history row names who made the change (`history_user`), and that link is PROTECTed
(claims.models.RecordHistory): simple-history's SET NULL made deleting any user an UPDATE of the append-only
record, which the app's database role is refused (a 500 found by `make fuzz`). The delete page says so in one
line per user and points to "Active" instead.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count

from claims.models import history_models


def changes_by_user(user_ids: list[int]) -> dict[int, int]:
    """How many history rows name each of these users, over every history table of the claims app."""
    counts: Counter = Counter()
    for model in history_models():
        per_user = model.objects.filter(history_user_id__in=user_ids).values("history_user_id")
        counts.update(dict(per_user.annotate(n=Count("pk")).order_by().values_list("history_user_id", "n")))
    return dict(counts)


class RecordKeepingUserAdmin(UserAdmin):
    def get_deleted_objects(self, objs, request):
        """A user named in the record is protected (claims.models.RecordHistory); say so in one line per user
        rather than listing each of their recorded changes as a protected object."""
        users = list(objs)
        named = changes_by_user([user.pk for user in users])
        if not named:
            return super().get_deleted_objects(objs, request)
        protected = [
            f"{user.get_username()} is named in {named[user.pk]} recorded change"
            f"{'' if named[user.pk] == 1 else 's'}: untick “Active” on the account instead of deleting it"
            for user in users
            if user.pk in named
        ]
        return [], {}, set(), protected


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, RecordKeepingUserAdmin)
