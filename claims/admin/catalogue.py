"""Admin for the source registry, articles (with their citations) and revisions."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .. import selectors, services
from ..models import Article, ArticleRevision, Citation, ClaimCitation, Source
from ..services.claims import LINK_FIELDS
from ..services.fetch import article_import_url
from ..services.importing import ImportRefused, article_import, citations_import_csv, decode_article
from ..services.jobs import job_import_enqueue, job_rescore_enqueue
from ..services.sources import ARTICLE_FIELDS, CITATION_FIELDS, GRADING_FIELDS, SOURCE_FIELDS
from .base import (
    ReadOnlyAdmin,
    ReasonForm,
    SafeAutocompleteMixin,
    ServiceAdmin,
    changed_values,
    error_text,
    new_values,
    reason_of,
    save_inlines,
)


@admin.register(Source)
class SourceAdmin(ServiceAdmin):
    list_display = ("name", "kind", "reliability", "grade", "party_to_conflict", "domain", "n_citations")
    list_filter = ("kind", "reliability", "grade", "party_to_conflict")
    search_fields = ("name", "domain", "aliases")
    fields = (*SOURCE_FIELDS, "change_reason")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=Count("citations"))

    @admin.display(description="citations", ordering="n_citations")
    def n_citations(self, obj):
        return obj.n_citations

    def _posted_grading(self, request, obj) -> dict:
        """Grading fields are read-only for an Editor, so the form drops whatever is posted for them and the page
        would say "saved" while keeping F. Hand a posted grade that differs to the service, which refuses it."""
        if request.user.has_perm("claims.set_source_reliability"):
            return {}
        posted = {}
        for name in GRADING_FIELDS:
            if name in request.POST:
                value = Source._meta.get_field(name).formfield().to_python(request.POST[name])
                if value != getattr(obj, name):
                    posted[name] = value
        return posted

    def get_readonly_fields(self, request, obj=None):
        # Grading a source is a Lead's call (design.md §Review workflow).
        if request.user.has_perm("claims.set_source_reliability"):
            return ()
        return ("reliability", "grade", "party_to_conflict") if obj is None or obj.pk else ()

    def create(self, request, obj, form):
        values = {**new_values(form, SOURCE_FIELDS), **self._posted_grading(request, obj)}
        return services.source_create(actor=request.user, reason=reason_of(form), **values)

    def update(self, request, obj, form):
        changes = {**changed_values(form, SOURCE_FIELDS), **self._posted_grading(request, obj)}
        regraded = bool(GRADING_FIELDS & set(changes))  # rescoring every claim citing it runs as a job (#14)
        source, _ = services.source_update(
            source=obj, actor=request.user, reason=reason_of(form), rescore=not regraded, **changes
        )
        if regraded:
            if not selectors.source_has_claims(source):
                self.message_user(request, f"No claim was rescored: no claim cites {source} or is attributed to it.")
            else:
                job = job_rescore_enqueue(source=source, actor=request.user, reason=reason_of(form))
                url = reverse("admin:claims_job_change", args=[job.pk])
                self.message_user(request, format_html(
                    'The claims citing {} are being rescored: <a href="{}">job #{}</a>.', source, url, job.pk
                ))  # fmt: skip
        return source

    def remove(self, request, obj):
        services.source_delete(source=obj, actor=request.user, reason="deleted in admin")


class ImportForm(forms.Form):
    """Upload a file, paste the text, or give a URL to fetch; the format is detected unless chosen."""

    file = forms.FileField(
        required=False,
        help_text="A UTF-8 file: scraped text (first line: the title), wikitext (.wikitext), a saved Wikipedia "
        "page or a saved news page (.html).",
    )
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
                           help_text="…or paste the article's text here.")  # fmt: skip
    title = forms.CharField(required=False, max_length=500, help_text="Leave empty to use the first line.")
    url = forms.URLField(
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text="The article's address (finds earlier imports).",
    )
    fetch_url = forms.URLField(
        required=False,
        max_length=1000,
        assume_scheme="https",
        label="Fetch from URL",
        help_text="…or import the page at this address (a Wikipedia article URL fetches its HTML with references).",
    )
    format = forms.ChoiceField(
        choices=[("auto", "detect"), ("text", "plain text"), ("wikitext", "wikitext"), ("html", "Wikipedia HTML"),
                 ("news", "news page")],
        initial="auto",
        required=False,
        help_text="Detected from the file name and content unless you choose.",
    )  # fmt: skip
    published = forms.DateField(
        required=False,
        label="Published on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The publication date, if known (YYYY-MM-DD): dates wire copy's “on Thursday”, “yesterday”.",
    )
    dry_run = forms.BooleanField(required=False, help_text="Parse and report, save nothing.")
    new_revision = forms.BooleanField(
        required=False,
        label="This is a new revision",
        help_text="Confirm a re-import found by title alone that shares few sentences with the current text.",
    )

    def clean(self):
        data = super().clean()
        given = [bool(data.get("file")), bool((data.get("text") or "").strip()), bool(data.get("fetch_url"))]
        if sum(given) == 0:
            raise forms.ValidationError("Give a file, paste the text or give a URL to fetch.")
        if sum(given) > 1:
            raise forms.ValidationError("Give one of a file, pasted text or a URL to fetch, not several.")
        return data


class ReferencesForm(forms.Form):
    file = forms.FileField(
        help_text="CSV with columns label,url,title,author,publisher,published,accessed,archive_url,quote"
    )


class CitationInline(SafeAutocompleteMixin, admin.TabularInline):
    model = Citation
    extra = 0
    fields = ("label", "kind", "title", "publisher", "source", "url", "published", "accessed")
    autocomplete_fields = ("source",)
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    list_display = ("title", "language", "url", "n_claims", "updated_at")
    search_fields = ("title", "url")
    fields = ("title", "url", "language", "licence", "attribution", "published_on", "article_text", "change_reason")
    readonly_fields = ("article_text",)
    inlines = [CitationInline]

    @admin.display(description="text (current revision)")
    def article_text(self, obj):
        revision = obj.current_revision if obj is not None and obj.pk else None
        if revision is None:
            return "No text imported yet."
        return format_html('<div class="article-text" id="article-text">{}</div>', revision.text)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=Count("claims", distinct=True))

    @admin.display(description="claims", ordering="n_claims")
    def n_claims(self, obj):
        return obj.n_claims

    change_list_template = "admin/claims/article/change_list.html"
    change_form_template = "admin/claims/article/change_form.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="claims_article_import"),
            path("<int:article_id>/references/", wrap(self.references_view), name="claims_article_references"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": request.user.has_perm("claims.import_article")}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_complete": request.user.has_perm("claims.change_citation")}
        return super().change_view(request, object_id, form_url, extra_context)

    def import_view(self, request):
        """The editor's "Import article" page: upload or paste, then the import report."""
        if not request.user.has_perm("claims.import_article"):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            upload = data.get("file")
            name = upload.name if upload else "the pasted text"
            try:
                if not data.get("dry_run", False):  # the import runs in a worker; its page follows it (#14)
                    text = "" if data.get("fetch_url") else (
                        decode_article(upload.read(), name=name) if upload else data["text"]
                    )  # fmt: skip
                    job = job_import_enqueue(
                        text=text, title=data.get("title") or None, url=data.get("url") or None, actor=request.user,
                        name=name, fetch_url=data.get("fetch_url") or None, format=data.get("format") or "auto",
                        published=data.get("published"), new_revision=data.get("new_revision", False),
                    )  # fmt: skip
                    messages.success(request, f"Import queued as job #{job.pk}; this page follows it.")
                    return HttpResponseRedirect(reverse("admin:claims_job_change", args=[job.pk]))
                if data.get("fetch_url"):
                    report = article_import_url(
                        url=data["fetch_url"], actor=request.user, format=data.get("format") or "auto",
                        title=data.get("title") or None, dry_run=data.get("dry_run", False),
                        published=data.get("published"), new_revision=data.get("new_revision", False),
                    )  # fmt: skip
                else:
                    text = decode_article(upload.read(), name=name) if upload else data["text"]
                    report = article_import(
                        text=text, title=data.get("title") or None, url=data.get("url") or None,
                        actor=request.user, name=name, dry_run=data.get("dry_run", False),
                        format=data.get("format") or "auto", published=data.get("published"),
                        new_revision=data.get("new_revision", False),
                    )  # fmt: skip
            except (ImportRefused, PermissionDenied) as err:
                messages.error(request, f"Nothing was imported: {error_text(err)}")
            else:
                messages.success(request, report.as_text().splitlines()[0])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import article",
            "form": form,
            **import_report_context(report),
        }
        return TemplateResponse(request, "admin/claims/article/import.html", context)

    def references_view(self, request, article_id: int):
        """Complete an article's citations from a references CSV."""
        if not request.user.has_perm("claims.change_citation"):
            raise PermissionDenied
        article = get_object_or_404(Article, pk=article_id)
        form = ReferencesForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = citations_import_csv(article=article, data=upload.read(), actor=request.user, name=upload.name)
            except (ImportRefused, PermissionDenied) as err:
                messages.error(request, f"Nothing was changed: {error_text(err)}")
            else:
                messages.success(request, result.as_text())
                return HttpResponseRedirect(reverse("admin:claims_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Complete citations of {article}",
            "form": form,
            "article": article,
        }
        return TemplateResponse(request, "admin/claims/article/references.html", context)

    def create(self, request, obj, form):
        return services.article_create(actor=request.user, reason=reason_of(form), **new_values(form, ARTICLE_FIELDS))

    def update(self, request, obj, form):
        return services.article_update(
            article=obj, actor=request.user, reason=reason_of(form), **changed_values(form, ARTICLE_FIELDS)
        )

    def remove(self, request, obj):
        services.article_delete(article=obj, actor=request.user, reason="deleted in admin")

    def save_formset(self, request, form, formset, change):
        """Inline citations are written through the citation services, with the form's reason."""
        reason, user, article = reason_of(form), request.user, form.instance

        def create(inline_form):
            values = new_values(inline_form, CITATION_FIELDS)
            services.citation_create(article=article, label=values.pop("label"), actor=user, reason=reason, **values)

        def update(inline_form):
            services.citation_update(
                citation=inline_form.instance, actor=user, reason=reason, **changed_values(inline_form, CITATION_FIELDS)
            )

        def remove(citation):
            services.citation_delete(citation=citation, actor=user, reason=reason)

        save_inlines(formset, create=create, update=update, remove=remove)


class CitationForm(ReasonForm):
    class Meta:
        model = Citation
        fields = "__all__"


@admin.register(Citation)
class CitationAdmin(ServiceAdmin):
    form = CitationForm
    list_display = ("label", "article", "kind", "title", "publisher", "source", "published")
    list_filter = ("kind", "source")
    list_select_related = ("article", "source")
    search_fields = ("label", "title", "publisher", "url", "author")
    autocomplete_fields = ("article", "source")
    fields = ("article", *CITATION_FIELDS, "change_reason")

    def create(self, request, obj, form):
        return services.citation_create(
            article=obj.article, actor=request.user, reason=reason_of(form), **new_values(form, CITATION_FIELDS)
        )

    def update(self, request, obj, form):
        return services.citation_update(
            citation=obj, actor=request.user, reason=reason_of(form), **changed_values(form, CITATION_FIELDS)
        )

    def remove(self, request, obj):
        services.citation_delete(citation=obj, actor=request.user, reason="deleted in admin")


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdmin):
    list_display = ("article", "short_sha", "format", "imported_at", "imported_by")
    list_select_related = ("article", "imported_by")
    readonly_fields = ("article", "sha256", "format", "retrieved_at", "imported_at", "imported_by", "report", "text",
                       "source")  # fmt: skip

    @admin.display(description="sha256")
    def short_sha(self, obj):
        return obj.sha256[:12]


class ClaimCitationForm(ReasonForm):
    class Meta:
        model = ClaimCitation
        fields = "__all__"


@admin.register(ClaimCitation)
class ClaimCitationAdmin(ServiceAdmin):
    """Claim ↔ citation links; usually edited inline on the claim, listed here to grade them in bulk."""

    form = ClaimCitationForm
    list_display = ("claim", "citation", "stance", "info_grade", "position")
    list_filter = ("stance", "info_grade")
    list_select_related = ("claim", "citation")
    autocomplete_fields = ("claim", "citation")
    search_fields = ("claim__text", "citation__label", "citation__title")
    fields = ("claim", "citation", *LINK_FIELDS, "change_reason")

    def get_readonly_fields(self, request, obj=None):
        return ("claim", "citation") if obj is not None else ()

    def create(self, request, obj, form):
        return services.claim_citation_add(
            claim_id=obj.claim_id, citation=obj.citation, actor=request.user, reason=reason_of(form),
            **new_values(form, LINK_FIELDS),
        )  # fmt: skip

    def update(self, request, obj, form):
        return services.claim_citation_update(
            claim_citation=obj, actor=request.user, reason=reason_of(form), **changed_values(form, LINK_FIELDS)
        )

    def remove(self, request, obj):
        services.claim_citation_remove(claim_citation=obj, actor=request.user, reason="removed in admin")


def import_report_context(report) -> dict:
    """What the import report block shows (the import page's dry runs, and the job page of an import)."""
    return {
        "report": report,
        "report_text": report.as_text(junk=False) if report else "",
        "skipped": report.junk_by_kind() if report and not report.noop else {},
        "relations_url": (
            reverse("admin:claims_claimrelation_changelist")
            + f"?claim_a__article__id__exact={report.article_id}&state__exact=suggested"
            if report and report.article_id and not report.dry_run and report.relations_suggested
            else ""
        ),
        "claims_url": (
            reverse("admin:claims_claim_changelist") + f"?article__id__exact={report.article_id}"
            if report and report.article_id and not report.dry_run
            else ""
        ),
    }
