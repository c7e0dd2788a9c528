"""Complete an article's citations from a references CSV."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from claims.inputs import is_id
from claims.models import Article
from claims.services.importing import REFERENCE_COLUMNS, ImportRefused, citations_import_csv


class Command(BaseCommand):
    help = f"Complete an article's citations from a CSV with the columns {','.join(REFERENCE_COLUMNS)}."

    def add_arguments(self, parser):
        parser.add_argument("article", help="the article's id, or its exact title")
        parser.add_argument("path", help="the references CSV (UTF-8)")
        parser.add_argument("--user", default="editor", help="username of the editor (default: editor)")

    def handle(self, *args, article, path, user, **options):
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"{path}: unknown user '{user}' (give an existing username with --user)") from None
        found = Article.objects.filter(pk=int(article)) if is_id(article) else Article.objects.filter(title=article)
        target = found.first()
        if target is None:
            raise CommandError(f"{path}: no article '{article}' (give its id or its exact title)")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            report = citations_import_csv(article=target, data=file.read_bytes(), actor=actor, name=path)
        except (ImportRefused, PermissionDenied) as err:
            raise CommandError("; ".join(getattr(err, "messages", [str(err)]))) from err
        self.stdout.write(f"{target}: {report.as_text()}")
