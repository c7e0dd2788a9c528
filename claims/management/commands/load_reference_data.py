"""Load the roles and the source registry; sources already present are left as the desk graded them."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from claims.models import Source
from claims.services.system import system_user

REASON = "loaded from the source registry fixture (fixtures/sources.json)"


class Command(BaseCommand):
    help = "Load groups and permissions (always) and the source registry (only sources not yet registered)."

    def add_arguments(self, parser):
        parser.add_argument("--sources", default=str(Path(settings.BASE_DIR) / "fixtures" / "sources.json"))

    @transaction.atomic
    def handle(self, *args, sources, **options):
        call_command("loaddata", "groups", verbosity=0)
        try:
            rows = json.loads(Path(sources).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise CommandError(f"{sources}: cannot read the source registry: {err}") from err
        known = set(Source.objects.values_list("name", flat=True))
        allowed = {f.name for f in Source._meta.fields} - {"id", "created_at", "updated_at"}
        new = []
        for number, row in enumerate(rows, start=1):
            fields = row.get("fields", row)
            if not fields.get("name"):
                raise CommandError(f"{sources}: entry {number} has no name")
            if fields["name"] not in known:
                new.append(Source(**{k: v for k, v in fields.items() if k in allowed}))
                known.add(fields["name"])
        for source in new:
            source.full_clean(validate_unique=False, validate_constraints=False)
        bulk_create_with_history(new, Source, batch_size=500, default_user=system_user(), default_change_reason=REASON)
        self.stdout.write(f"roles loaded; {len(new)} source(s) added, {len(rows) - len(new)} already registered")
