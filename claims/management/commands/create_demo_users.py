"""Create one demo user per role plus an admin, for local use only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# username, password, group, full name. Documented in README.md; never for a deployed site.
DEMO_USERS = [
    ("admin", "admin-demo-pass", None, "Ada Admin"),
    ("viewer", "viewer-demo-pass", "Viewer", "Vera Viewer"),
    ("editor", "editor-demo-pass", "Editor", "Eddie Editor"),
    ("reviewer", "reviewer-demo-pass", "Reviewer", "Rita Reviewer"),
    ("reviewer2", "reviewer2-demo-pass", "Reviewer", "Rob Reviewer"),
    ("lead", "lead-demo-pass", "Lead", "Lena Lead"),
]


class Command(BaseCommand):
    help = "Create demo users (admin, viewer, editor, reviewer, reviewer2, lead) with documented passwords."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("refusing to create demo users with documented passwords while DEBUG is off")
        missing = {g for _, _, g, _ in DEMO_USERS if g} - set(Group.objects.values_list("name", flat=True))
        if missing:
            raise CommandError(f"groups {', '.join(sorted(missing))} are missing: run `manage.py loaddata groups`")
        User = get_user_model()
        with transaction.atomic():
            for username, password, group, full_name in DEMO_USERS:
                first, last = full_name.split(" ", 1)
                user, created = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.email = f"{username}@example.org"
                user.is_staff = True
                user.is_superuser = group is None
                user.set_password(password)
                user.save()
                user.groups.set([Group.objects.get(name=group)] if group else [])
                self.stdout.write(f"{'created' if created else 'updated'} {username} ({group or 'superuser'})")
