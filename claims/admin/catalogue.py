"""Admin for the source registry, articles (with their citations) and revisions."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from .. import services
from ..models import Article, ArticleRevision, Citation, Source
from ..services.sources import ARTICLE_FIELDS, CITATION_FIELDS, SOURCE_FIELDS
from .base import ReadOnlyAdmin, ReasonForm, ServiceAdmin, changed_values, reason_of


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

    def get_readonly_fields(self, request, obj=None):
        # Grading a source is a Lead's call (design.md §Review workflow).
        if request.user.has_perm("claims.set_source_reliability"):
            return ()
        return ("reliability", "grade", "party_to_conflict") if obj is None or obj.pk else ()

    def create(self, request, obj, form):
        values = {f: form.cleaned_data[f] for f in SOURCE_FIELDS if f in form.cleaned_data and f != "name"}
        return services.source_create(name=obj.name, actor=request.user, reason=reason_of(form), **values)

    def update(self, request, obj, form):
        source, rescored = services.source_update(
            source=obj, actor=request.user, reason=reason_of(form), **changed_values(form, SOURCE_FIELDS)
        )
        if rescored:
            self.message_user(request, f"{rescored} claim(s) citing {source} were rescored.")
        return source

    def remove(self, request, obj):
        services.source_delete(source=obj, actor=request.user, reason="deleted in admin")


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ("label", "kind", "title", "publisher", "source", "url", "published", "accessed")
    autocomplete_fields = ("source",)
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    list_display = ("title", "language", "url", "n_claims", "updated_at")
    search_fields = ("title", "url")
    fields = ("title", "url", "language", "licence", "attribution", "change_reason")
    inlines = [CitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=Count("claims", distinct=True))

    @admin.display(description="claims", ordering="n_claims")
    def n_claims(self, obj):
        return obj.n_claims

    def create(self, request, obj, form):
        values = {f: form.cleaned_data[f] for f in ARTICLE_FIELDS if f in form.cleaned_data and f != "title"}
        return services.article_create(title=obj.title, actor=request.user, reason=reason_of(form), **values)

    def update(self, request, obj, form):
        return services.article_update(
            article=obj, actor=request.user, reason=reason_of(form), **changed_values(form, ARTICLE_FIELDS)
        )

    def remove(self, request, obj):
        services.article_delete(article=obj, actor=request.user, reason="deleted in admin")

    def save_formset(self, request, form, formset, change):
        """Inline citations are written through the citation services, with the form's reason."""
        reason = reason_of(form)
        for deleted in formset.deleted_objects if hasattr(formset, "deleted_objects") else []:
            services.citation_delete(citation=deleted, actor=request.user, reason=reason)
        formset.save(commit=False)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            citation = inline_form.instance
            if citation.pk is None:
                values = {f: inline_form.cleaned_data.get(f) for f in CITATION_FIELDS if f in inline_form.cleaned_data}
                label = values.pop("label")
                services.citation_create(
                    article=form.instance, label=label, actor=request.user, reason=reason, **values
                )
            else:
                services.citation_update(
                    citation=citation, actor=request.user, reason=reason, **changed_values(inline_form, CITATION_FIELDS)
                )


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
        values = {f: form.cleaned_data[f] for f in CITATION_FIELDS if f in form.cleaned_data and f != "label"}
        return services.citation_create(
            article=obj.article, label=obj.label, actor=request.user, reason=reason_of(form), **values
        )

    def update(self, request, obj, form):
        return services.citation_update(
            citation=obj, actor=request.user, reason=reason_of(form), **changed_values(form, CITATION_FIELDS)
        )

    def remove(self, request, obj):
        services.citation_delete(citation=obj, actor=request.user, reason="deleted in admin")


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdmin):
    list_display = ("article", "short_sha", "imported_at", "imported_by")
    list_select_related = ("article", "imported_by")
    readonly_fields = ("article", "sha256", "retrieved_at", "imported_at", "imported_by", "report", "text")

    @admin.display(description="sha256")
    def short_sha(self, obj):
        return obj.sha256[:12]
