"""A background job as the desk sees it: what was asked, by whom, how far it got, and how it ended.

The queue itself is Django's Tasks API (the `django-tasks` backport with `django-tasks-db`'s database backend,
docs/scaling.md); a Job is the tracker's own record next to it, with the progress a task updates batch by batch
and the result or failure worded for a person.
"""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", "article import"
        CONFLICTS = "conflicts", "conflict detection"
        RESCORE = "rescore", "rescoring after a source regrade"
        EXPORT = "export", "export"

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        SUCCEEDED = "succeeded", "succeeded"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    description = models.CharField(max_length=300, help_text="What was asked, e.g. import of 'Title' (upload).")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jobs")
    params = models.JSONField(default=dict, blank=True, help_text="The job's arguments (title, url, article …).")
    # The text of an import, kept until the job succeeds so that a retry has its input.
    input_text = models.TextField(blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    result_text = models.TextField(blank=True, help_text="The report, as the command prints it.")
    error = models.TextField(blank=True, help_text="Why it failed; a failed job changed nothing.")
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task queue's id of the last attempt.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "background job"
        verbose_name_plural = "background jobs"
        indexes = [models.Index(fields=["started_by", "-created_at"], name="job_started_by_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.description} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)
