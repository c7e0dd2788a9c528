"""The claim admin: the list reviewers filter and queue from, and the claim review page."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, models
from django.db.models import CharField, Value
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from .. import search, selectors, services, workflow
from ..display import STATUS_COLOURS, claim_event_date_text
from ..inputs import is_id, parse_id
from ..models import DECIDED_STATUSES, OPEN_STATUSES, Citation, Claim, ClaimCitation, CleanupTag, HedgeKind
from ..search import highlight, search_claims
from ..services.claims import ANCHOR_FIELDS, CLAIM_FIELDS, CONTENT_FIELDS, FROZEN_FIELDS, LINK_FIELDS
from .base import (
    ReasonForm,
    SafeAutocompleteMixin,
    SafeAutocompleteSelect,
    ServiceAdmin,
    changed_values,
    error_text,
    new_values,
    reason_of,
    save_inlines,
)
from .confidence import ConfidenceBandFilter, confidence_badge
from .exports import ExportMixin
from .guide import guide_view
from .hedges import HedgesField, hedges_html
from .list_filters import AUTOCOMPLETE_FILTERS, ArticleFilter, AssigneeFilter, SourceFilter, filter_choices
from .paginator import EstimatedCountPaginator
from .review_page import PANEL_ROWS, page_number, review_context


class TagFilter(admin.SimpleListFilter):
    title = "cleanup tag"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return CleanupTag.choices

    def queryset(self, request, queryset):
        if self.value() in CleanupTag.values:
            return selectors.claims_with_tag(queryset, self.value())
        return queryset


class QueueFilter(admin.SimpleListFilter):
    """Review-queue presets; the list is then ordered most urgent first."""

    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", "My queue"), ("desk", "Desk queue (unassigned)"), ("open", "All open claims")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(status__in=OPEN_STATUSES, assigned_to=request.user)
        if self.value() == "desk":
            return queryset.filter(status__in=OPEN_STATUSES, assigned_to__isnull=True)
        if self.value() == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset


class ReopenedFilter(admin.SimpleListFilter):
    """Claims back in review after a decision; "mine" is what the admin index counts for the person."""

    title = "reopened"
    parameter_name = "reopened"

    def lookups(self, request, model_admin):
        return [("1", "Reopened after a decision"), ("mine", "Reopened: assigned to me or decided by me")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(selectors.reopened_condition())
        if self.value() == "mine":
            return queryset.filter(selectors.reopened_condition(user=request.user))
        return queryset


class ClaimChangeList(ChangeList):
    """Marks the column the list is really sorted by (the queue's priority), not the model's default."""

    def get_ordering(self, request, queryset):
        self._admin_ordering = list(self.model_admin.get_ordering(request) or [])
        # Without the default order the admin's queryset carries: appended after a clicked column it would
        # make the sort (column, article, paragraph, …), which no index serves.
        return super().get_ordering(request, queryset.order_by())

    def _get_default_ordering(self):
        return getattr(self, "_admin_ordering", None) or super()._get_default_ordering()

    def get_results(self, request):
        """The page's claims, then their citation counts in one query over those claims' links only.

        Not an annotation: a GROUP BY over every claim before the LIMIT took seconds at 1M, and even a correlated
        subquery is evaluated for every row an OFFSET skips (page 500 computed 25,000 counts).

        A search is first tried as a walk over the list's first claims in its order (search.walk_matches): a term
        in most claims then costs a few thousand index entries instead of sorting every match, and its count is
        estimated from how often it matched (the page's claims are the same as the full-text query's)."""
        walked = self._walk_search(request)
        if walked is not None:
            request._claim_list_count = walked[1]
        super().get_results(request)
        if walked is not None:
            ids = walked[0].ids
            if self.multi_page and not (self.show_all and self.can_show_all):
                start = (self.page_num - 1) * self.list_per_page
                ids = ids[start : start + self.list_per_page]
            base, search_term = request._claim_search
            marked = self.model_admin.with_search_marker(base.filter(pk__in=ids), search_term)
            by_id = {claim.pk: claim for claim in marked}
            self.result_list = [by_id[pk] for pk in ids if pk in by_id]
        claims = list(self.result_list)
        counts = Counter(
            ClaimCitation.objects.filter(claim_id__in=[c.pk for c in claims])
            .order_by()  # the links' default order joins claims and articles: not needed to count
            .values_list("claim_id", flat=True)
        )
        for claim in claims:
            claim.n_citations = counts.get(claim.pk, 0)
        self.result_list = claims

    def _walk_search(self, request):
        """(walk, count) when this page of a search can be served by a walk, else None (see get_results)."""
        stashed = getattr(request, "_claim_search", None)
        if not self.query.strip() or stashed is None:
            return None
        base, search_term = stashed
        base = base.order_by(*self.queryset.query.order_by)
        wanted = self.page_num * self.list_per_page
        if self.show_all:
            wanted = max(wanted, self.list_max_show_all + 1)
        walk = search.walk_matches(base, search_term, wanted=wanted)
        if walk is None:
            return None
        if walk.exhausted:
            return walk, walk.hits
        # Matches were as frequent in the claims read as they are taken to be in the rest of the list.
        estimate = round(selectors.planner_rows(base) * walk.hits / max(walk.read, 1))
        return walk, max(estimate, walk.hits, wanted + 1)

    def _get_deterministic_ordering(self, ordering):
        """The admin breaks ties with "-pk" whatever the column's direction; break them in the column's own
        direction instead, so that one index (column, id) serves the sort both ways at a million claims."""
        ordering = super()._get_deterministic_ordering(ordering)
        if len(ordering) > 1 and ordering[-1] == "-pk":
            first = ordering[0]
            descending = first.startswith("-") if isinstance(first, str) else getattr(first, "descending", False)
            ordering[-1] = "-pk" if descending else "pk"
        return ordering


class TagsField(forms.MultipleChoiceField):
    """Cleanup tags as checkboxes (the model keeps a JSON list). Unchanged when the same tags are ticked, in
    whatever order, so that saving an untouched form writes nothing."""

    widget = forms.CheckboxSelectMultiple

    def has_changed(self, initial, data):
        return set(initial or []) != set(data or [])


class ClaimForm(ReasonForm):
    """The claim edit form; `seen_version` carries the version the editor opened (optimistic locking)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tags" in self.fields:
            stored = [t for t in (self.instance.tags or []) if isinstance(t, str)]
            known = dict(CleanupTag.choices)
            choices = [*CleanupTag.choices, *((t, t.replace("_", " ")) for t in stored if t not in known)]
            self.fields["tags"] = TagsField(choices=choices, required=False, label="Cleanup tags")
            if not self.is_bound:
                self.initial["tags"] = stored
        if "hedges" in self.fields:
            self.fields["hedges"] = HedgesField(
                label="Hedges",
                help_text="One row per hedge; empty a row to remove it. Attributed to: names separated by “;”.",
            )
        if self.instance.pk:
            # An edit must say which version it was made on: a missing version is refused, not waved through.
            self.fields["seen_version"].required = True
            if not self.is_bound:
                self.initial["seen_version"] = self.instance.version

    def clean_tags(self):
        """The ticked tags, keeping the stored order for those already there (new ones follow)."""
        chosen = set(self.cleaned_data.get("tags") or [])
        stored = [t for t in (self.instance.tags or []) if t in chosen]
        return stored + [t for t, _ in self.fields["tags"].choices if t in chosen and t not in stored]


class _SharedCache(dict):
    """One dict for every form of a formset: Django deep-copies each form's fields and widgets."""

    def __deepcopy__(self, memo):
        return self


class PreloadedAutocompleteSelect(SafeAutocompleteSelect):
    """The admin's autocomplete, whose selected option comes from rows loaded once for the whole formset: the
    stock widget looks up each form's selected row on its own (one query per citation link on the claim page)."""

    def __init__(self, *args, preloaded: _SharedCache, **kwargs):
        super().__init__(*args, **kwargs)
        self.preloaded = preloaded

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if any(pk not in self.preloaded for pk in selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in selected:
            label = self.choices.field.label_from_instance(self.preloaded[pk])
            options.append(self.create_option(name, self.preloaded[pk].pk, label, True, len(options)))
        return [(None, options, 0)]


class ClaimCitationInline(SafeAutocompleteMixin, admin.TabularInline):
    model = ClaimCitation
    extra = 0
    fields = ("citation", "stance", "info_grade", "position", "quote", "note")
    autocomplete_fields = ("citation",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("citation")  # each row's label names its citation
        claim_id = (request.resolver_match.kwargs if request.resolver_match else {}).get("object_id")
        if claim_id and is_id(str(claim_id)):
            # The same page of links as the citations panel above (?citations_page=N): a claim with hundreds of
            # citations is edited a page at a time; the form posts back to the same page.
            start = (page_number(request, "citations_page") - 1) * PANEL_ROWS
            page = ClaimCitation.objects.filter(claim_id=int(claim_id)).order_by("position", "pk").values("pk")
            queryset = queryset.filter(pk__in=page[start : start + PANEL_ROWS])
        return queryset

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("citation")
        if obj is not None and field is not None:
            wrapper = field.widget
            inner = getattr(wrapper, "widget", wrapper)
            if isinstance(inner, AutocompleteSelect):
                cited = Citation.objects.filter(claim_citations__claim=obj)
                preloaded = _SharedCache((str(c.pk), c) for c in cited)
                widget = PreloadedAutocompleteSelect(
                    inner.field, inner.admin_site, attrs=inner.attrs, choices=inner.choices, preloaded=preloaded
                )
                if wrapper is inner:
                    field.widget = widget
                else:
                    wrapper.widget = widget
        return formset

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.is_decided

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class DecideForm(forms.Form):
    """A decision. No status is pre-selected: the reviewer picks one (radio buttons, none checked)."""

    status = forms.ChoiceField(
        label="Decision",
        choices=[(s, Claim.Status(s).label) for s in DECIDED_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "choose a decision"},
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 40}), help_text="Required: why.")
    override_reason = forms.CharField(
        required=False,
        label="Override reason",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text="Only to verify a claim that has no supporting citation or has an open or lost conflict: "
        "why it stands anyway. Kept on the review and shown in exports.",
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False, empty_label="nobody")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.reviewers()


def _draft_key(claim_id: int) -> str:
    return f"claims:review-draft:{claim_id}"


@admin.register(Claim)
class ClaimAdmin(ExportMixin, ServiceAdmin):
    form = ClaimForm
    change_form_template = "admin/claims/claim/change_form.html"
    change_list_template = "admin/claims/claim/change_list.html"
    # Sortable columns are those an index (column, id) serves at a million claims (models.Claim.Meta.indexes);
    # the text, the citation count and the assignee's name are not sortable: no index orders them cheaply.
    list_display = (
        "excerpt", "article_link", "status_badge", "priority", "hedge_kind", "confidence_display", "n_citations",
        "assignee", "event_date_display", "updated_at",
    )  # fmt: skip
    list_display_links = ("excerpt",)
    list_filter = (
        QueueFilter, "status", "hedge_kind", ConfidenceBandFilter, TagFilter, SourceFilter, "anchor_state",
        ReopenedFilter, ArticleFilter, AssigneeFilter,
    )  # fmt: skip
    list_select_related = ("article", "assigned_to")

    class Media:  # the autocomplete list filters: the admin's own select2, driven by a small script of ours
        css = {"all": ("admin/css/vendor/select2/select2.min.css", "admin/css/autocomplete.css")}
        js = (
            "admin/js/vendor/jquery/jquery.min.js", "admin/js/vendor/select2/select2.full.min.js",
            "admin/js/jquery.init.js", "claims/filter_autocomplete.js",
        )  # fmt: skip

    list_per_page = 50
    paginator = EstimatedCountPaginator  # the unfiltered list of a million claims is not counted per page
    search_fields = ("text", "attributed_to")
    autocomplete_fields = ("article", "attributed_source")
    inlines = [ClaimCitationInline]
    history_list_display = ["status", "version"]
    actions = ["start_review_action", "assign_action", "decide_action", "release_action"]
    fieldsets = (
        (None, {"fields": ("article", "text", "status", "assigned_to")}),
        ("What the article says", {"fields": CONTENT_FIELDS}),
        ("Anchor", {"classes": ("collapse",), "fields": ANCHOR_FIELDS}),
        ("Confidence", {"fields": ("confidence", "confidence_override", "confidence_override_reason")}),
        (None, {"fields": ("version", "priority", "created_by", "last_edited_by", "seen_version", "change_reason")}),
    )
    # Status, assignment, confidence and bookkeeping change only through the workflow services. The anchor is the
    # importer's: a form round-trip would strip the whitespace of prefix/suffix and orphan the claim on re-import.
    always_readonly = (
        "status", "assigned_to", "confidence", "confidence_override", "confidence_override_reason", "version",
        "priority", "created_by", "last_edited_by", *ANCHOR_FIELDS,
    )  # fmt: skip
    frozen_when_decided = tuple(sorted(FROZEN_FIELDS))  # the services refuse these too (FrozenClaim)

    def get_search_results(self, request, queryset, search_term):
        """Every word (or "quoted phrase") in the text or attributed-to: full text on PostgreSQL (indexed).
        The search rides along on each row so that the list can mark the matched words."""
        found = search_claims(queryset, search_term)
        if search_term.strip():
            found = self.with_search_marker(found, search_term)
            # The list before the search, for ClaimChangeList to walk (the admin passes it in already ordered).
            request._claim_search = (queryset, search_term)
        return found, False

    @staticmethod
    def with_search_marker(queryset, search_term: str):
        return queryset.annotate(searched_for=Value(search_term[:200], output_field=CharField()))

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        known = getattr(request, "_claim_list_count", None)
        if known is not None:  # counted (or estimated) by the search's walk: not counted again
            paginator.count = known
        return paginator

    def get_ordering(self, request):
        if request.GET.get("queue"):
            return ("-priority", "created_at", "id")
        # By article id, not title (a join and a sort of every claim): the anchor index serves this order.
        return super().get_ordering(request) or ("article_id", "paragraph_index", "sentence_index", "id")

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    # Read-only, the hedges and tags read as words, not as the JSON the model keeps, and the event date at its
    # precision ("2018", not "1 Jan 2018").
    READABLE = {"hedges": "hedges_list", "tags": "tags_list", "event_date": "event_date_display"}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and (obj.is_decided or not self.has_change_permission(request, obj)):
            fieldsets = [
                (name, {**opts, "fields": tuple(self.READABLE.get(f, f) for f in opts["fields"])})
                for name, opts in fieldsets
            ]
        if obj is not None and not self.has_change_permission(request, obj):
            # A read-only page has nothing to give a reason for and no version to carry.
            hidden = {"change_reason", "seen_version"}
            fieldsets = [
                (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in hidden)})
                for name, opts in fieldsets
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = [*self.always_readonly, *self.READABLE.values()]
        if obj is not None:
            readonly.append("article")
            if obj.is_decided:
                readonly += self.frozen_when_decided
        return readonly

    # ---- list columns -------------------------------------------------------------------------
    def action_checkbox(self, obj):
        """Django's checkbox, written directly: rendering a form widget's templates for each of 50 rows cost a
        sixth of the list page (the HTML is the same; tests/admin/test_fast_list.py)."""
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME, str(obj.pk), label,
        )  # fmt: skip

    @admin.display(description="claim")
    def excerpt(self, obj):
        text = obj.text if len(obj.text) <= 110 else obj.text[:107] + "…"
        searched = getattr(obj, "searched_for", "")
        return highlight(text, searched) if searched else text

    @admin.display(description="hedges")
    def hedges_list(self, obj):
        return hedges_html(obj.hedges)

    @admin.display(description="cleanup tags")
    def tags_list(self, obj):
        known = dict(CleanupTag.choices)
        tags = [known.get(t, str(t).replace("_", " ")) for t in obj.tags or []]
        return ", ".join(tags) if tags else "—"

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return format_html(
            '<span class="claim-status claim-status-{}" style="color:{};font-weight:600">{}</span>',
            obj.status, STATUS_COLOURS.get(obj.status, "#000"), obj.get_status_display(),
        )  # fmt: skip

    @admin.display(description="event date", ordering="event_date")
    def event_date_display(self, obj):
        return claim_event_date_text(obj) or "—"

    @admin.display(description="confidence", ordering="confidence")
    def confidence_display(self, obj):
        return confidence_badge(obj)

    @admin.display(description="citations")
    def n_citations(self, obj):
        return obj.n_citations

    @admin.display(description="article", ordering="article_id")
    def article_link(self, obj):
        return obj.article

    @admin.display(description="assigned to")
    def assignee(self, obj):
        return obj.assigned_to or "—"

    # ---- saving through the services ----------------------------------------------------------
    def create(self, request, obj, form):
        values = new_values(form, CLAIM_FIELDS)
        revision = obj.article.current_revision
        if revision is None:
            raise ValidationError(f"article '{obj.article}' has no imported text to anchor a claim to")
        values.setdefault("revision", revision)
        return services.claim_create(article=obj.article, actor=request.user, reason=reason_of(form), **values)

    def update(self, request, obj, form):
        changes = changed_values(form, CLAIM_FIELDS)
        changes.update(self._posted_frozen_values(request, obj))
        return services.claim_update(
            claim_id=obj.pk,
            seen_version=form.cleaned_data.get("seen_version"),
            actor=request.user,
            reason=reason_of(form),
            **changes,
        )

    def _posted_frozen_values(self, request, obj) -> dict:
        """A decided claim's judged fields are read-only on the page, so the form drops whatever is posted for
        them. Hand such values to the service instead, which refuses any that differ (and so writes nothing)."""
        if not obj.is_decided:
            return {}
        values = {}
        for name in self.frozen_when_decided:
            if name not in request.POST:
                continue
            raw = request.POST[name]
            field = Claim._meta.get_field(name)
            if name == "text":
                values[name] = raw.replace("\r\n", "\n").strip()
            elif isinstance(field, models.JSONField):
                values[name] = forms.JSONField().clean(raw or "null")
            elif field.is_relation:
                values[name] = int(raw) if raw.isdigit() else None
            else:
                values[name] = Claim._meta.get_field(name).to_python(raw)
        return values

    def remove(self, request, obj):
        raise PermissionDenied("claims are never deleted: their history and reviews must stay")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        """Citation links go through the claim-citation services (frozen once decided, four-eyes aware)."""
        reason = reason_of(form)
        claim = form.instance
        if claim.is_decided and self._posted_link_changes(request, formset):
            # The inline is read-only on a decided claim and the admin would silently drop the posted rows.
            raise services.FrozenClaim(claim, "citations")
        user = request.user

        def create(inline_form):
            values = new_values(inline_form, LINK_FIELDS)
            services.claim_citation_add(
                claim_id=claim.pk, citation=inline_form.cleaned_data["citation"], actor=user, reason=reason, **values
            )

        def update(inline_form):
            services.claim_citation_update(
                claim_citation=inline_form.instance, actor=user, reason=reason,
                **changed_values(inline_form, LINK_FIELDS),
            )  # fmt: skip

        def remove(link):
            services.claim_citation_remove(claim_citation=link, actor=user, reason=reason)

        save_inlines(formset, create=create, update=update, remove=remove)

    @staticmethod
    def _posted_link_changes(request, formset) -> bool:
        """Whether the POST adds, deletes or changes any citation link, judged from the raw data (the forms of a
        read-only inline report no change whatever is posted)."""
        for inline_form in formset.forms:
            if inline_form.add_prefix("DELETE") in request.POST:
                return True
            for name in ("citation", *LINK_FIELDS):
                field = inline_form.fields.get(name)
                if field is None or inline_form.add_prefix(name) not in request.POST:
                    continue
                key = inline_form.add_prefix(name)
                data = field.widget.value_from_datadict(inline_form.data, inline_form.files, key)
                if field.has_changed(inline_form.initial.get(name), data):
                    return True
        return False

    # ---- the review page ----------------------------------------------------------------------
    def get_object(self, request, object_id, from_field=None):
        """The claim with everything its page shows through foreign keys, read once per page view (the review
        panels and the admin's own form would each read it)."""
        cached = getattr(request, "_claim_page_object", None)
        if request.method == "GET" and cached is not None and str(cached.pk) == str(object_id):
            return cached
        queryset = self.get_queryset(request).select_related(
            "article", "revision__article", "assigned_to", "created_by", "last_edited_by", "attributed_source"
        )
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            claim = queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None
        if request.method == "GET":
            request._claim_page_object = claim
        return claim

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            draft = request.session.pop(_draft_key(claim.pk), None) if request.method == "GET" else None
            decide_form = DecideForm(initial=draft) if draft and draft.get("action") == "decide" else DecideForm()
            extra_context.update(review_context(request, claim, decide_form=decide_form, assign_form=AssignForm()))
            extra_context["draft"] = draft
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["can_take_next"] = request.user.has_perm("claims.review_claim")
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("take-next/", wrap(self.take_next_view), name="claims_claim_take_next"),
            path("filter-choices/<slug:kind>/", wrap(self.filter_choices_view), name="claims_claim_filter_choices"),
            path("guide/<slug:name>/", wrap(guide_view), name="claims_guide"),
            path("<int:claim_id>/workflow/", wrap(self.workflow_view), name="claims_claim_workflow"),
            *super().get_urls(),
        ]

    def _change_url(self, claim_id: int) -> str:
        return reverse("admin:claims_claim_change", args=[claim_id])

    def filter_choices_view(self, request, kind: str):
        """Matches for one of the list's autocomplete filters (list_filters.py), as select2 asks for them."""
        if kind not in AUTOCOMPLETE_FILTERS:
            raise Http404(f"no list filter '{kind}'")
        if not self.has_view_permission(request):
            raise PermissionDenied
        page = request.GET.get("page", "1")
        return JsonResponse(filter_choices(kind, request.GET.get("term", ""), int(page) if is_id(page) else 1))

    def take_next_view(self, request):
        """Give the reviewer the most urgent unassigned claim (POST only: it changes state)."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:claims_claim_changelist") + "?queue=mine")
        try:
            claim = services.claim_take_next(actor=request.user)
        except (PermissionDenied, ValidationError) as err:
            messages.error(request, error_text(err))
            return HttpResponseRedirect(reverse("admin:claims_claim_changelist"))
        if claim is None:
            messages.info(request, "The desk queue is empty: no unassigned open claim is waiting for you.")
            return HttpResponseRedirect(reverse("admin:claims_claim_changelist") + "?queue=mine")
        messages.success(request, f"Claim #{claim.pk} is yours to review.")
        return HttpResponseRedirect(self._change_url(claim.pk))

    def workflow_view(self, request, claim_id: int):
        """One POST endpoint for the review page's buttons: start, decide, release, reopen, assign."""
        claim = get_object_or_404(Claim, pk=claim_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(claim.pk))
        action = request.POST.get("action", "")
        seen = request.POST.get("seen_version")
        seen_version = parse_id(seen, field="seen_version") if seen else None
        note = request.POST.get("note", "")
        user = request.user
        try:
            if action == "start":
                services.claim_start_review(claim_id=claim.pk, actor=user, seen_version=seen_version)
                done = "Review started."
            elif action == "decide":
                form = DecideForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(
                        "a decision needs a status and a note: " + "; ".join(
                            " ".join(v) for v in form.errors.values()
                        )
                    )  # fmt: skip
                services.claim_decide(
                    claim_id=claim.pk, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                    seen_version=seen_version if seen_version is not None else -1, actor=user,
                    override_reason=form.cleaned_data["override_reason"],
                )  # fmt: skip
                done = f"Decided: {Claim.Status(form.cleaned_data['status']).label}."
                if request.POST.get("then") == "next":
                    messages.success(request, f"Claim #{claim.pk} {done[0].lower()}{done[1:]}")
                    return self.take_next_view(request)
            elif action == "release":
                services.claim_release(claim_id=claim.pk, actor=user, seen_version=seen_version, note=note)
                done = "Released to the queue."
            elif action == "reopen":
                services.claim_reopen(claim_id=claim.pk, note=note, seen_version=seen_version, actor=user)
                done = "Reopened for review."
            elif action == "assign":
                form = AssignForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("choose a reviewer to assign")
                services.claim_assign(
                    claim_id=claim.pk, assignee=form.cleaned_data["assignee"], actor=user, seen_version=seen_version
                )
                done = "Assignment saved."
            else:
                raise ValidationError(f"unknown action '{action}'")
        except (PermissionDenied, ValidationError) as err:
            messages.error(request, f"Nothing was changed: {error_text(err)}")
            if action in ("decide", "reopen") and note.strip():
                # Keep what the reviewer typed: the page shows it again instead of losing it with the refusal.
                request.session[_draft_key(claim.pk)] = {
                    k: request.POST.get(k, "") for k in ("status", "note", "override_reason", "action")
                }
        else:
            messages.success(request, done)
        return HttpResponseRedirect(self._change_url(claim.pk))

    # ---- bulk actions: applied per claim, refusals reported ---------------------------------------
    def _report(self, request, result, verb):
        level = messages.ERROR if result.failed else messages.WARNING if result.refused else messages.SUCCESS
        self.message_user(request, result.summary(verb), level=level)

    def response_action(self, request, queryset):
        """The services report a database failure per claim; one before any claim was tried (listing the
        selection) is reported too, rather than a bare 500."""
        try:
            return super().response_action(request, queryset)
        except DatabaseError as err:
            if not connection.in_atomic_block and not connection.is_usable():
                connection.close()
            self.message_user(
                request, f"Nothing was changed: the database failed before any claim was tried ({err})", messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())

    @admin.action(description="Start review of selected claims", permissions=["review"])
    def start_review_action(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        self._report(request, services.claims_start_review(claim_ids=ids, actor=request.user), "started")

    @admin.action(description="Release selected claims to the queue", permissions=["review"])
    def release_action(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        self._report(request, services.claims_release(claim_ids=ids, actor=request.user), "released")

    @admin.action(description="Assign selected claims to…", permissions=["assign"])
    def assign_action(self, request, queryset):
        if "apply" in request.POST:
            form = AssignForm(request.POST)
            if form.is_valid():
                ids = list(queryset.values_list("pk", flat=True))
                result = services.claims_assign(
                    claim_ids=ids, assignee=form.cleaned_data["assignee"], actor=request.user
                )
                self._report(request, result, "assigned")
                return None
        else:
            form = AssignForm()
        return self._intermediate(request, queryset, form, "assign_action", "Assign claims")

    @admin.action(description="Decide selected claims with one note…", permissions=["review"])
    def decide_action(self, request, queryset):
        if "apply" in request.POST:
            form = DecideForm(request.POST)
            if form.is_valid():
                ids = list(queryset.values_list("pk", flat=True))
                result = services.claims_decide(
                    claim_ids=ids,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    override_reason=form.cleaned_data["override_reason"],
                    actor=request.user,
                )
                self._report(request, result, "decided")
                return None
        else:
            form = DecideForm()
        return self._intermediate(request, queryset, form, "decide_action", "Decide claims")

    def _intermediate(self, request, queryset, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "claims": queryset.select_related("article")[:200],
            "action": action,
            "opts": self.opts,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/claims/claim/bulk_action.html", context)

    def has_review_permission(self, request):
        return request.user.has_perm("claims.review_claim")

    def has_assign_permission(self, request):
        return request.user.has_perm("claims.assign_claim")


__all__ = ["ClaimAdmin", "HedgeKind", "STATUS_COLOURS", "workflow"]
