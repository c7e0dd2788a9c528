"""Import an article's text as anchored claims (or re-anchor the claims of a new revision)."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.services.importing import ImportRefused, article_import, decode_article
from claims.services.jobs import job_import_enqueue


class Command(BaseCommand):
    help = "Import an article's text file: claims anchored to their sentences, with citations, tags, hedges, dates."

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file (first line: the title)")
        parser.add_argument("--title", help="title to use instead of the file's first line")
        parser.add_argument("--url", help="the article's URL (also used to find an earlier import of it)")
        parser.add_argument("--user", default="editor", help="username of the importing editor (default: editor)")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, but save nothing")
        parser.add_argument(
            "--background", action="store_true", help="queue it as a background job (run by `manage.py db_worker`)"
        )

    def handle(self, *args, path, title, url, user, dry_run, background=False, **options):
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"{path}: unknown user '{user}' (give an existing username with --user)") from None
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        if background and not dry_run:
            try:
                text = decode_article(file.read_bytes(), name=path)
                job = job_import_enqueue(text=text, title=title, url=url, actor=actor, name=path)
            except ImportRefused as err:
                raise CommandError("; ".join(err.messages)) from err
            except PermissionDenied as err:
                raise CommandError(f"{path}: {err}") from err
            self.stdout.write(f"queued as background job #{job.pk}: {job.description}")
            return
        # A bar of sentences written, on a terminal only (never in logs or pipes).
        with tqdm(desc=file.name, unit=" sentences", disable=not sys.stderr.isatty(), file=sys.stderr,
                  leave=False) as bar:  # fmt: skip

            def advance(n: int, total: int) -> None:
                bar.total = total
                bar.update(n)

            try:
                text = decode_article(file.read_bytes(), name=path)
                report = article_import(
                    text=text, title=title, url=url, actor=actor, name=path, dry_run=dry_run, progress=advance
                )
            except ImportRefused as err:
                raise CommandError("; ".join(err.messages)) from err
            except PermissionDenied as err:
                raise CommandError(f"{path}: {err}") from err
        self.stdout.write(report.as_text())
