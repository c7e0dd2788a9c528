"""Import an article's text as anchored claims (or re-anchor the claims of a new revision)."""

import datetime
import sys
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.importing.detect import FORMATS
from claims.services.fetch import article_import_url
from claims.services.importing import ImportRefused, article_import, decode_article
from claims.services.jobs import job_import_enqueue


class Command(BaseCommand):
    help = "Import an article's text file: claims anchored to their sentences, with citations, tags, hedges, dates."

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="scraped text (first line: the title if it looks like one), wikitext, or a saved HTML page",
        )
        parser.add_argument("--url-fetch", metavar="URL", help="fetch the page at URL and import it (instead of PATH)")
        parser.add_argument(
            "--format", choices=[*FORMATS, "auto"], default="auto",
            help="force a reader (default: detected from the file name and content)",
        )  # fmt: skip
        parser.add_argument("--title", help="the title; a scraped text's first line is then read as content")
        parser.add_argument("--url", help="the article's URL (also used to find an earlier import of it)")
        parser.add_argument("--user", default="editor", help="username of the importing editor (default: editor)")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, but save nothing")
        parser.add_argument(
            "--published",
            metavar="YYYY-MM-DD",
            help="the article's publication date: dates wire copy's 'on Thursday', 'yesterday', 'last week'",
        )
        parser.add_argument(
            "--new-revision",
            action="store_true",
            help="confirm that a text matched to an article by its title alone is a new revision of it, even "
            "though it shares few of its sentences",
        )

        parser.add_argument(
            "--background", action="store_true", help="queue it as a background job (run by `manage.py db_worker`)"
        )

    def handle(self, *args, path, title, url, user, dry_run, url_fetch, format, published=None, new_revision=False,
               background=False, **options):  # fmt: skip
        if bool(path) == bool(url_fetch):
            raise CommandError("give either a file PATH or --url-fetch URL")
        try:
            published = datetime.date.fromisoformat(published) if published else None
        except ValueError:
            raise CommandError(f"--published: '{published}' is not a date (give YYYY-MM-DD)") from None
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(
                f"{path or url_fetch}: unknown user '{user}' (give an existing username with --user)"
            ) from None
        if background and not dry_run:
            with refusals_as_errors(path or url_fetch):
                text = "" if url_fetch else decode_article(Path(path).read_bytes(), name=path)
                job = job_import_enqueue(
                    text=text, title=title, url=url, actor=actor, name=path or url_fetch, fetch_url=url_fetch,
                    format=format, published=published, new_revision=new_revision,
                )  # fmt: skip
            self.stdout.write(f"queued as background job #{job.pk}: {job.description}")
            return
        if url_fetch:
            with refusals_as_errors(url_fetch):
                report = article_import_url(
                    url=url_fetch, actor=actor, format=format, title=title, dry_run=dry_run, published=published,
                    new_revision=new_revision,
                )  # fmt: skip
            self.stdout.write(report.as_text())
            return
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        # A bar of sentences written, on a terminal only (never in logs or pipes).
        with tqdm(desc=file.name, unit=" sentences", disable=not sys.stderr.isatty(), file=sys.stderr,
                  leave=False) as bar:  # fmt: skip

            def advance(n: int, total: int) -> None:
                bar.total = total
                bar.update(n)

            with refusals_as_errors(path):
                report = article_import(
                    text=decode_article(file.read_bytes(), name=path), title=title, url=url, actor=actor, name=path,
                    dry_run=dry_run, progress=advance, format=format, published=published, new_revision=new_revision,
                )  # fmt: skip
        self.stdout.write(report.as_text())


@contextmanager
def refusals_as_errors(what: str):
    """The services' refusals (bad input, missing permission, an unreadable file) as one CommandError line."""
    try:
        yield
    except ImportRefused as err:
        raise CommandError("; ".join(err.messages)) from err
    except (PermissionDenied, OSError) as err:
        raise CommandError(f"{what}: {err}") from err
