"""Export claims in one of the export formats, with the same filters as the URL and the admin.

    manage.py export_claims --format csv --article 1 --status verified --status disputed -o claims.csv
    manage.py export_claims --format markdown --article 1 > claims.md

Writes to stdout unless -o is given; shows a progress bar on stderr when stderr is a terminal. Provenance:
JSON and JSON Lines carry it as their last line; for the other formats `-o FILE` writes it to
FILE.provenance.json, and on stdout it goes to stderr (one JSON line).
"""

from __future__ import annotations

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.exports import Export, ExportFilter, FilterError, formats, provenance_document, query
from claims.services.jobs import job_export_enqueue

# Filter parameter → the option that sets it (for error messages).
OPTION_OF = {"from": "from", "to": "to", "q": "search", "decided": "decided"}


class Command(BaseCommand):
    help = "Export a sourced claim list (CSV, JSON, JSON Lines, Markdown, ClaimReview JSON-LD, CSL-JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--format", "-f", required=True, choices=list(formats.FORMATS), help="Output format.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
        parser.add_argument(
            "--user", help="Username recorded in the provenance (default: your login name, marked 'command')."
        )
        parser.add_argument(
            "--background", action="store_true",
            help="queue it as a background job (needs --user); the file is downloaded from the job's admin page",
        )  # fmt: skip
        filters = parser.add_argument_group("filters (repeat an option for 'or'; different options combine)")
        filters.add_argument("--article", action="append", metavar="ID", help="Article id.")
        filters.add_argument("--status", action="append", help="Claim status, e.g. verified.")
        filters.add_argument("--source", action="append", metavar="ID_OR_NAME", help="Cited source, by id or name.")
        filters.add_argument("--band", action="append", help="Confidence band: none, low, medium, high.")
        filters.add_argument("--hedge", action="append", help="Hedge kind (reported, alleged, …) or none.")
        filters.add_argument("--tag", action="append", help="Cleanup tag slug, e.g. citation_needed.")
        filters.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="Event date on or after.")
        filters.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="Event date on or before.")
        filters.add_argument("--search", metavar="TEXT", help="Words in the claim text or its attribution.")
        filters.add_argument("--decided", action="store_true", help="Only decided claims.")

    def handle(self, *args, **options):
        fmt = formats.get(options["format"])
        try:
            filt = ExportFilter.from_options(options)
        except FilterError as err:
            raise CommandError(f"--{OPTION_OF.get(err.param, err.param)}: {str(err).split(': ', 1)[1]}") from err
        username, via = self.who(options.get("user"))
        if options.get("background"):
            self.queue(fmt, filt, options.get("user"))
            return
        interactive = sys.stderr.isatty()
        total = query.count(fmt.narrow(filt)) if interactive and fmt.row_kind == "claims" else None
        with tqdm(total=total, unit=fmt.row_kind[:-1], file=sys.stderr, disable=not interactive, leave=False) as bar:
            export = Export(fmt, filt, username=username, via=via, on_rows=bar.update)
            if options.get("output"):
                self.to_file(export, options["output"])
            else:
                self.to_stdout(export)

    def queue(self, fmt, filt, username: str | None) -> None:
        if not username:
            raise CommandError("--background: give --user, the person the job runs for")
        actor = get_user_model().objects.get(username=username)
        try:
            job = job_export_enqueue(actor=actor, format=fmt.name, params=filt.to_params())
        except PermissionDenied as err:
            raise CommandError(str(err)) from err
        self.stdout.write(f"queued as background job #{job.pk}: {job.description}")

    def who(self, username: str | None) -> tuple[str, str]:
        if not username:
            try:
                return getpass.getuser(), "command"
            except (KeyError, OSError):
                return "unknown", "command"
        if not get_user_model().objects.filter(username=username).exists():
            raise CommandError(f"--user: no user named '{username}'")
        return username, "command"

    def to_file(self, export: Export, path: str) -> None:
        # A regular file is written beside its final name and renamed when complete; a device or a pipe
        # (-o /dev/stdout, a FIFO) is written in place: never rename over it.
        special = os.path.exists(path) and not os.path.isfile(path)
        partial = path if special else f"{path}.partial"
        try:
            with open(partial, "wb") as out:
                for block in export.stream():
                    out.write(block)
            if not special:
                os.replace(partial, path)
        except OSError as err:
            raise CommandError(f"{path}: {err.strerror or err}") from err
        finally:
            if not special and os.path.exists(partial):
                os.remove(partial)
        provenance = export.provenance()
        rows, kind = provenance["rows"], export.format.row_kind
        note = f"wrote {rows} {kind if rows != 1 else kind[:-1]} to {path} (sha256 {provenance['sha256']})"
        if export.format.trailer is None:
            sidecar = f"{path}.provenance.json"
            with open(sidecar, "wb") as out:
                out.write(provenance_document(provenance))
            note += f"; provenance in {sidecar}"
        self.stderr.write(note)

    def to_stdout(self, export: Export) -> None:
        binary = getattr(self.stdout, "buffer", None)  # the real stdout: write bytes as they are
        self.stdout.flush()
        try:
            for block in export.stream():
                if binary is not None:
                    binary.write(block)
                else:  # a text stream (call_command(stdout=StringIO()))
                    self.stdout.write(block.decode(), ending="")
            (binary or self.stdout).flush()
        except BrokenPipeError:  # `… | head`: the reader has seen enough
            sys.stderr.close()
            return
        if export.format.trailer is None:
            self.stderr.write("provenance: " + provenance_document(export.provenance()).decode().rstrip())
