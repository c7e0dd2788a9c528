"""Run the conflict detectors over every claim, or one article's, and report the suggestions made."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims import services
from claims.models import Article
from claims.services.jobs import job_conflicts_enqueue


class Command(BaseCommand):
    help = (
        "Suggest conflicting and duplicate claims (same object with another actor, another date, numbers or "
        "extent that disagree, near duplicates). Pairs already related, dismissed ones included, are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, help="only the claims of this article (id), against all others")
        parser.add_argument("--user", default="editor", help="username the suggestions are made as (default: editor)")
        parser.add_argument("--reason", default="detect_conflicts command", help="reason recorded in history")
        parser.add_argument(
            "--background", action="store_true", help="queue it as a background job (run by `manage.py db_worker`)"
        )

    def handle(self, *args, article, user, reason, background=False, **options):
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"unknown user '{user}' (give an existing username with --user)") from None
        if article is not None and not Article.objects.filter(pk=article).exists():
            raise CommandError(f"no article with id {article}")
        if background:
            try:
                job = job_conflicts_enqueue(actor=actor, article=Article.objects.filter(pk=article).first())
            except PermissionDenied as err:
                raise CommandError(str(err)) from err
            self.stdout.write(f"queued as background job #{job.pk}: {job.description}")
            return
        try:
            report = services.relations_suggest(article=article, actor=actor, reason=reason)
        except PermissionDenied as err:
            raise CommandError(str(err)) from err
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        self.stdout.write(report.as_text())
