"""Background jobs run by the real worker (`manage.py db_worker --batch`, in-process) on the test database."""

import hashlib
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from claims.models import (
    Article,
    ArticleRevision,
    Citation,
    Claim,
    ClaimCitation,
    ClaimKey,
    ClaimRelation,
    Job,
    Source,
)
from claims.services.jobs import job_conflicts_enqueue, job_import_enqueue, job_rescore_enqueue, job_retry
from claims.services.sources import source_update
from claims.tasks import run_job
from tests.jobs import run_queued_jobs

# The worker commits as it goes, like in production: these tests need real transactions.
pytestmark = pytest.mark.django_db(transaction=True)

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "northwestern_syria_offensive.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
URL = "https://en.wikipedia.org/wiki/Northwestern_Syria_offensive_(2024)"


work = run_queued_jobs  # the real worker command, in-process on the test database (tests/jobs.py)


def snapshot() -> dict:
    models = (Article, ArticleRevision, Citation, Claim, ClaimCitation, ClaimRelation)
    counts = {m.__name__: m.objects.count() for m in models}
    counts |= {f"history {m.__name__}": m.history.count() for m in (Article, Citation, Claim, ClaimCitation)}
    return counts


def test_import_job_runs_in_the_worker_with_progress_and_report(editor, sources):
    job = job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor, name="sample.txt")
    assert job.state == Job.State.QUEUED and not Claim.objects.exists()
    work()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    claims = Claim.objects.filter(article__url=URL)
    assert job.result["created"] == claims.count() > 80
    assert job.progress_total == job.result["sentences"] and job.progress_done == job.progress_total
    assert job.result_text.startswith("Imported 'Northwestern Syria offensive'")
    assert job.started_by == editor and job.started_at <= job.finished_at and job.attempts == 1
    assert claims.first().history.first().history_user == editor
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_admin_import_returns_a_job_page_that_shows_the_report(client, editor, sources):
    client.force_login(editor)
    response = client.post("/admin/claims/article/import/", {"text": SAMPLE_TEXT, "url": URL}, follow=True)
    job = Job.objects.get()
    assert f"/admin/claims/job/{job.pk}/change/" in response.redirect_chain[0][0]
    assert 'id="job-progress"' in response.content.decode() and 'http-equiv="refresh"' in response.content.decode()
    work()
    page = client.get(f"/admin/claims/job/{job.pk}/change/").content.decode()
    assert "Imported &#x27;Northwestern Syria offensive&#x27;" in page and 'id="view-claims"' in page
    assert 'http-equiv="refresh"' not in page
    listing = client.get("/admin/claims/job/").content.decode()
    assert '<progress class="job-progress" value="100"' in listing


def test_failed_import_leaves_the_database_unchanged_and_says_why(editor, sources):
    job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor)
    work()
    before = snapshot()
    # A new revision that fails at its very end (the title does not fit), after its claims were written.
    edited = SAMPLE_TEXT.replace("On 27 November 2024", "On 26 November 2024")
    failing = job_import_enqueue(text=edited, url=URL, title="T" * 600, actor=editor)
    work()
    failing.refresh_from_db()
    assert failing.state == Job.State.FAILED
    assert "title" in failing.error and "Nothing was changed." in failing.error
    assert failing.input_text == edited  # kept for a retry
    assert snapshot() == before
    assert DBTaskResult.objects.get(id=failing.task_id).status == "FAILED"


def test_refused_text_fails_with_the_importers_message(editor, sources):
    job = job_import_enqueue(text="Only a title | |||\n|---|\n", actor=editor, name="empty.txt")
    before = snapshot()
    work()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error.startswith("empty.txt: ")
    assert snapshot() == before


def test_retry_and_a_repeated_import_are_no_ops(editor, sources):
    job = job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor)
    run_job.enqueue(job_id=job.pk)  # the same job queued twice (a retried task): the second run does nothing
    work()
    job.refresh_from_db()
    after = snapshot()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 1 and job.result["created"] > 80
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    again = job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor)  # the same text imported again
    work()
    again.refresh_from_db()
    assert again.state == Job.State.SUCCEEDED and again.result["noop"] is True
    assert snapshot() == after


def test_a_failed_job_retried_after_the_cause_is_fixed_succeeds_once(editor, sources):
    job = job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor)
    editor.groups.clear()  # the importer lost the right to import: the job fails, nothing written
    work()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "import articles" in job.error
    assert not Claim.objects.exists()
    editor.groups.add(Group.objects.get(name="Editor"))
    job_retry(job=job, actor=editor)
    job_retry(job=job, actor=editor)  # retried twice before a worker ran: still one import
    work()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.attempts == 2
    assert Article.objects.count() == 1 and ArticleRevision.objects.count() == 1


def test_conflict_detection_and_rescoring_jobs(editor, lead, sources):
    job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor)
    work()
    relations = ClaimRelation.objects.count()
    detect = job_conflicts_enqueue(actor=editor)
    work()
    detect.refresh_from_db()
    # Over everything, the import's own suggestions are found again and not proposed twice.
    assert detect.state == Job.State.SUCCEEDED and detect.result["scope"] == "all claims"
    assert detect.result["created"] == 0 and detect.result["already_related"] == relations > 0
    source = Source.objects.filter(attributed_claims__isnull=False).distinct().first()
    source_update(source=source, actor=lead, reason="test", grade="E")
    rescore = job_rescore_enqueue(actor=lead, source=source, reason="graded E")
    work()
    rescore.refresh_from_db()
    assert rescore.state == Job.State.SUCCEEDED and rescore.result["claims"] >= 1
    assert rescore.progress_done == rescore.progress_total == rescore.result["claims"]


def test_import_job_without_detection_stores_keys_for_a_later_run(editor, sources):
    """A bulk load queues its imports without the detectors; one run over everything afterwards finds what the
    imports would have found, from the keys they stored."""
    other = SAMPLE_TEXT.replace("Northwestern Syria offensive", "Offensive retold", 1)
    first = job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor, detect=False)
    second = job_import_enqueue(text=other, url=URL + "_retold", actor=editor, detect=False)
    work()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == Job.State.SUCCEEDED, (first.error, second.error)
    assert first.result["relations_suggested"] == second.result["relations_suggested"] == 0
    assert not ClaimRelation.objects.exists()
    assert ClaimKey.objects.filter(claim__article__url=URL + "_retold").exists()
    detect = job_conflicts_enqueue(actor=editor)
    work()
    detect.refresh_from_db()
    assert detect.state == Job.State.SUCCEEDED and detect.result["created"] == ClaimRelation.objects.count() > 0


def test_commands_queue_jobs_with_background(editor, sources, tmp_path, capsys):
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    call_command("import_article", str(path), "--url", URL, "--user", "editor", "--background")
    assert "queued as background job #" in capsys.readouterr().out and not Claim.objects.exists()
    call_command("detect_conflicts", "--user", "editor", "--background")
    work()
    imported, detected = Job.objects.order_by("pk")
    assert imported.state == detected.state == Job.State.SUCCEEDED
    assert Claim.objects.filter(article__url=URL).count() == imported.result["created"]


def test_admin_regrade_queues_the_rescoring(client, editor, lead, sources):
    job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor)
    work()
    source = Source.objects.filter(attributed_claims__isnull=False).distinct().first()
    cited = Claim.objects.filter(attributed_source=source)
    before = {c.pk: c.confidence for c in cited}
    client.force_login(lead)
    form = {f: getattr(source, f) for f in ("name", "domain", "kind", "reliability", "reliability_basis")}
    # Attributing a claim to a party to the conflict lowers its confidence (docs/confidence.md): flip that.
    form |= {"aliases": json.dumps(source.aliases), "grade": source.grade, "change_reason": "RSN"}
    if not source.party_to_conflict:
        form["party_to_conflict"] = "on"
    response = client.post(f"/admin/claims/source/{source.pk}/change/", form, follow=True)
    job = Job.objects.get(kind=Job.Kind.RESCORE)
    assert f"/admin/claims/job/{job.pk}/change/" in response.content.decode()
    assert {c.pk: c.confidence for c in cited.all()} == before  # not yet: the worker does it
    work()
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED and job.result["rescored"] >= 1
    assert {c.pk: c.confidence for c in cited.all()} != before


def test_export_job_writes_the_file_the_desk_downloads(client, editor, viewer, sources, settings, tmp_path):
    settings.CLAIMS_JOB_FILES_DIR = tmp_path
    job_import_enqueue(text=SAMPLE_TEXT, url=URL, actor=editor)
    work()
    call_command("export_claims", "--format", "csv", "--status", "needs_source", "--user", "viewer", "--background")
    work()
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert job.state == Job.State.SUCCEEDED, job.error
    needing = Claim.objects.filter(status="needs_source").count()
    assert job.result["provenance"]["rows"] == needing == job.progress_done > 0
    client.force_login(viewer)
    page = client.get(f"/admin/claims/job/{job.pk}/change/").content.decode()
    assert 'id="download"' in page
    body = b"".join(client.get(f"/admin/claims/job/{job.pk}/download/").streaming_content)
    assert hashlib.sha256(body).hexdigest() == job.result["provenance"]["sha256"]
    assert body.count(b"\n") >= needing
    client.force_login(editor)  # someone else's job: not theirs to download
    assert client.get(f"/admin/claims/job/{job.pk}/download/").status_code == 404
