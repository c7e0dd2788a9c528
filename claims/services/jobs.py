"""Long work as background jobs: enqueue (a Job row and a task, in one transaction) and run (in a worker).

A job's work is one service call, itself one transaction: when it fails, the database is as it was and the
job says why; running it again (a retry, or a second worker picking the same job) is safe because the
services are idempotent — an import of text already imported is a no-op, conflict detection never proposes a
pair twice, rescoring writes only scores that changed.

Progress is written from a second connection of its own, so that the desk sees it while the job's own
transaction is still open (on SQLite, which allows one writer at a time, only the start and the end are
recorded).
"""

from __future__ import annotations

import os
import time
import traceback
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ..exports import Export, ExportFilter, formats, query
from ..job_models import Job
from ..models import Article, Claim, Source
from ._common import require_perm
from .confidence import claims_recompute_confidence
from .conflicts import relations_suggest
from .fetch import article_import_url
from .importing import article_import
from .text_checks import check_text

PROGRESS_EVERY = 0.5  # seconds between two progress writes at most once per batch


def _enqueue(job: Job) -> Job:
    from ..tasks import run_job  # the task module imports this one

    job.task_id = str(run_job.enqueue(job_id=job.pk).id)
    job.save(update_fields=["task_id"])
    return job


# ---- enqueueing ----------------------------------------------------------------------------------


@transaction.atomic
def job_import_enqueue(
    *, text: str, actor, name: str = "the text", title: str | None = None, url: str | None = None,
    fetch_url: str | None = None, format: str = "auto", published=None, new_revision: bool = False,
    detect: bool = True,
) -> Job:  # fmt: skip
    """Queue the import of an article's text, or of the page at `fetch_url` (fetched by the worker, with the
    same guards as `article_import_url`); returns at once. The worker runs `article_import` on it.

    `detect=False` leaves out the conflict detectors (the claims' keys are still stored): a bulk load of many
    articles runs them once afterwards (`job_conflicts_enqueue` over everything), and its imports then run in
    parallel instead of one at a time on the detectors' lock."""
    require_perm(actor, "claims.import_article", "import articles")
    if text:
        check_text(text, name=name)  # NUL bytes, control characters: refused at once, before anything is queued
    what = f"import of '{title}'" if title else f"import of {fetch_url or name}"
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, description=what[:300], started_by=actor, input_text=text,
        params={"name": name, "title": title, "url": url, "fetch_url": fetch_url, "format": format,
                "published": published.isoformat() if published else None, "new_revision": new_revision,
                "detect": detect},
    )  # fmt: skip
    return _enqueue(job)


@transaction.atomic
def job_conflicts_enqueue(*, actor, article: Article | None = None) -> Job:
    """Queue conflict detection over one article's claims, or over every claim."""
    require_perm(actor, "claims.add_claimrelation", "suggest relations between claims")
    what = f"conflict detection for '{article}'" if article else "conflict detection over every claim"
    job = Job.objects.create(
        kind=Job.Kind.CONFLICTS, description=what[:300], started_by=actor,
        params={"article": article.pk if article else None},
    )  # fmt: skip
    return _enqueue(job)


@transaction.atomic
def job_rescore_enqueue(*, actor, source: Source, reason: str) -> Job:
    """Queue the rescoring of every claim that cites or is attributed to `source` (after a regrade)."""
    require_perm(actor, "claims.set_source_reliability", "rescore the claims of a source")
    job = Job.objects.create(
        kind=Job.Kind.RESCORE, description=f"rescoring of the claims of {source.name}"[:300], started_by=actor,
        params={"source": source.pk, "reason": reason},
    )  # fmt: skip
    return _enqueue(job)


@transaction.atomic
def job_export_enqueue(*, actor, format: str, params: dict) -> Job:  # noqa: A002 - the export's own word
    """Queue an export to a file (for exports too large to wait for); `params` are the URL's filters."""
    require_perm(actor, "claims.export_claims", "export claims")
    fmt = formats.get(format)
    filt = ExportFilter.from_params(params)  # a bad filter is refused now, not in the worker
    what = f"{fmt.label} export" + (f" of {filt.describe()}" if filt.describe() else "")
    job = Job.objects.create(
        kind=Job.Kind.EXPORT, description=what[:300], started_by=actor,
        params={"format": fmt.name, "filter": filt.to_params()},
    )  # fmt: skip
    return _enqueue(job)


def export_path(job: Job) -> Path:
    """Where an export job writes its file (CLAIMS_JOB_FILES_DIR, outside the static and media roots)."""
    fmt = formats.get(job.params["format"])
    return Path(settings.CLAIMS_JOB_FILES_DIR) / f"job-{job.pk}-{fmt.filename}"


@transaction.atomic
def job_retry(*, job: Job, actor) -> Job:
    """Run a failed (or stuck) job again with the same input."""
    if job.started_by_id != actor.pk and not actor.is_superuser:
        require_perm(actor, "claims.change_job", "retry another person's job")
    job = Job.objects.select_for_update().get(pk=job.pk)
    job.state, job.error, job.progress_done = Job.State.QUEUED, "", 0
    job.save(update_fields=["state", "error", "progress_done"])
    return _enqueue(job)


# ---- running (in the worker) ---------------------------------------------------------------------


class Progress:
    """`progress(n, total)` callbacks of the services → the job row, from a side connection, throttled."""

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.done = self.total = 0
        self.last = 0.0
        self.side = None
        if connection.vendor == "postgresql":
            import psycopg

            # Its own session: the job's transaction is still open when the desk wants to see progress.
            self.side = psycopg.connect(**connection.get_connection_params(), autocommit=True)

    def __call__(self, n: int, total: int) -> None:
        self.done, self.total = min(self.done + n, total), total
        now = time.monotonic()
        if self.side is not None and (now - self.last >= PROGRESS_EVERY or self.done == total):
            self.last = now
            self.side.execute(
                "UPDATE claims_job SET progress_done = %s, progress_total = %s WHERE id = %s",
                [self.done, total, self.job_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def job_run(*, job_id: int) -> dict:
    """Run a queued job to its end and record its result or its failure; returns the result."""
    job = Job.objects.get(pk=job_id)
    if job.state == Job.State.SUCCEEDED:
        return job.result  # a second run of a finished job (a retried task) changes nothing
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, started_at=timezone.now(), finished_at=None, error="", attempts=job.attempts + 1
    )  # committed at once (no transaction here): the desk sees "running"
    progress = Progress(job)
    try:
        actor = get_user_model().objects.get(pk=job.started_by_id) if job.started_by_id else None
        result, text = RUNNERS[job.kind](job, actor, progress)
    except Exception as err:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error=f"{_message(err)}\n\nNothing was changed.", finished_at=timezone.now(),
            result_text="" if isinstance(err, EXPECTED) else traceback.format_exc(limit=8),
        )  # fmt: skip
        raise
    finally:
        progress.close()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED, result=result, result_text=text, finished_at=timezone.now(),
        progress_done=progress.done, progress_total=progress.total,
        input_text="",  # the revision keeps the text now; a retry of a succeeded import has nothing to do
    )  # fmt: skip
    return result


# Refusals the services word for a person; anything else is a bug, and its traceback is kept for whoever fixes it.
EXPECTED = (ValidationError, PermissionDenied, ObjectDoesNotExist)


def _message(err: Exception) -> str:
    if isinstance(err, ValidationError) and hasattr(err, "error_dict"):
        return "; ".join(f"{name}: {m}" for name, ms in err.message_dict.items() for m in ms)
    if isinstance(err, ValidationError):
        return "; ".join(err.messages)
    if isinstance(err, EXPECTED):
        return str(err)
    return f"{type(err).__name__}: {err}"


def _run_import(job: Job, actor, progress) -> tuple[dict, str]:
    params = job.params
    if not job.input_text and not params.get("fetch_url"):
        return {"noop": True}, "Nothing to do: this import already succeeded."
    published = params.get("published")
    options = {
        "actor": actor, "title": params.get("title"), "progress": progress, "format": params.get("format") or "auto",
        "published": date.fromisoformat(published) if published else None,
        "new_revision": bool(params.get("new_revision")), "suggest_relations": params.get("detect", True),
    }  # fmt: skip
    if params.get("fetch_url"):
        report = article_import_url(url=params["fetch_url"], **options)
    else:
        report = article_import(
            text=job.input_text, name=params.get("name") or "the text", url=params.get("url"), **options
        )
    return report.as_dict(), report.as_text()


def _run_conflicts(job: Job, actor, progress) -> tuple[dict, str]:
    report = relations_suggest(actor=actor, article=job.params.get("article"))
    result = {"created": report.created, "already_related": report.already_related, "scope": report.scope}
    return result, report.as_text()


def _run_rescore(job: Job, actor, progress) -> tuple[dict, str]:
    source = Source.objects.get(pk=job.params["source"])
    ids = set(Claim.objects.filter(claim_citations__citation__source=source).values_list("pk", flat=True))
    ids |= set(Claim.objects.filter(attributed_source=source).values_list("pk", flat=True))
    rescored = claims_recompute_confidence(
        claim_ids=ids, actor=actor, reason=f"source {source.name} regraded: {job.params.get('reason') or 'regrade'}"
    )
    progress(len(ids), len(ids))
    return {"claims": len(ids), "rescored": rescored}, f"{rescored} of {len(ids)} claims of {source.name} rescored"


def _run_export(job: Job, actor, progress) -> tuple[dict, str]:
    fmt = formats.get(job.params["format"])
    filt = ExportFilter.from_params(job.params["filter"])
    total = query.count(fmt.narrow(filt)) if fmt.row_kind == "claims" else 0
    export = Export(fmt, filt, username=actor.get_username() if actor else "unknown", via="job",
                    on_rows=lambda n: progress(n, total) if total else None)  # fmt: skip
    path = export_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as out:  # renamed when complete: a failed export leaves no half file
            for block in export.stream():
                out.write(block)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    provenance = export.provenance()
    text = f"{provenance['rows']} {fmt.row_kind} exported as {fmt.label}: {provenance['bytes']:,} bytes, " \
        f"sha256 {provenance['sha256']}"  # fmt: skip
    return {"file": path.name, "provenance": provenance}, text


RUNNERS = {Job.Kind.IMPORT: _run_import, Job.Kind.CONFLICTS: _run_conflicts, Job.Kind.RESCORE: _run_rescore,
           Job.Kind.EXPORT: _run_export}  # fmt: skip
