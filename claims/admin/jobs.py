"""Background jobs: who started what, a progress bar, the report or the reason it failed, and a retry."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.html import format_html

from ..exports import formats
from ..job_models import Job
from ..services.importing import ImportReport
from ..services.jobs import export_path, job_retry
from .catalogue import import_report_context


def progress_bar(job: Job) -> str:
    label = f"{job.progress_done:,} / {job.progress_total:,}" if job.progress_total else job.get_state_display()
    return format_html(
        '<progress class="job-progress" value="{}" max="100" title="{}%" style="width:10em">{}%</progress> {}',
        job.percent, job.percent, job.percent, label,
    )  # fmt: skip


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "description", "kind", "state", "progress", "started_by", "created_at", "duration")
    list_filter = ("state", "kind")
    list_select_related = ("started_by",)
    show_full_result_count = False
    actions = ["retry"]
    change_form_template = "admin/claims/job/change_form.html"
    fields = ("description", "kind", "state", "progress", "started_by", "created_at", "started_at", "finished_at",
              "attempts", "error", "result_text", "task_id")  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # Everyone sees their own jobs; desk leads (view_job) and superusers see everybody's.
        return qs if request.user.has_perm("claims.view_job") else qs.filter(started_by=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False  # jobs are started by the pages that do the work (import, conflicts, sources)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("claims.delete_job")

    @admin.display(description="progress")
    def progress(self, obj: Job) -> str:
        return progress_bar(obj)

    @admin.display(description="took")
    def duration(self, obj: Job) -> str:
        if obj.started_at and obj.finished_at:
            return f"{(obj.finished_at - obj.started_at).total_seconds():.1f} s"
        return "—"

    @admin.action(description="Run the selected failed jobs again")
    def retry(self, request, queryset):
        failed = [job for job in queryset if job.state == Job.State.FAILED]
        for job in failed:
            job_retry(job=job, actor=request.user)
        self.message_user(request, f"{len(failed)} job(s) queued again; jobs that did not fail were left alone.",
                          messages.SUCCESS)  # fmt: skip

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<int:job_id>/download/", wrap(self.download_view), name="claims_job_download"),
                *super().get_urls()]  # fmt: skip

    def download_view(self, request, job_id: int):
        """The file an export job wrote, for whoever may see the job."""
        job = get_object_or_404(self.get_queryset(request), pk=job_id, kind=Job.Kind.EXPORT, state=Job.State.SUCCEEDED)
        file = export_path(job)
        if not file.is_file():
            raise Http404("the export's file is no longer there")
        fmt = formats.get(job.params["format"])
        response = FileResponse(open(file, "rb"), as_attachment=True, filename=fmt.filename,  # noqa: SIM115
                                content_type=fmt.media_type)  # fmt: skip
        response["Cache-Control"] = "no-store"
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "job": job, "refresh": job is not None and not job.finished}
        if job is not None and job.kind == Job.Kind.IMPORT and "sha256" in (job.result or {}):
            # The same report block as the import page: skipped lines, links to the claims and the suggestions.
            extra_context.update(import_report_context(ImportReport.from_dict(job.result)))
        return super().change_view(request, object_id, form_url, extra_context)
