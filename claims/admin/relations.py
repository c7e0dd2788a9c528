"""The conflicts admin: suggested / confirmed / resolved relations with both claims side by side, their citations
and sources, the detector's evidence, and the confirm / dismiss / resolve steps (each through a service, with a
note). Also the claim page's "add a relation" view and the confidence override view (see confidence.py)."""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .. import selectors, services
from ..display import claim_event_date_text
from ..inputs import is_id
from ..models import Claim, ClaimCitation, ClaimRelation
from .base import ReasonForm, ServiceAdmin, changed_values, error_text, reason_of
from .confidence import confidence_badge, override_confidence_view

R = ClaimRelation
STATE_COLOURS = {"suggested": "#1d4ed8", "confirmed": "#b91c1c", "dismissed": "#6b7280", "resolved": "#15803d"}


def _citations_prefetch(prefix: str) -> Prefetch:
    return Prefetch(
        f"{prefix}__claim_citations",
        queryset=ClaimCitation.objects.select_related("citation__source").order_by("position", "pk"),
    )


def relations_with_claims():
    """Relations with both claims, their articles, citations and sources: a fixed number of queries per page."""
    return R.objects.select_related(
        "claim_a__article", "claim_b__article", "resolved_by", "created_by"
    ).prefetch_related(_citations_prefetch("claim_a"), _citations_prefetch("claim_b"))


@lru_cache(maxsize=8)
def _claim_change_url(script_prefix: str) -> tuple[str, str]:
    """The claim change URL around its id, reversed once per script prefix (a list page shows 50 claims)."""
    before, _, after = reverse("admin:claims_claim_change", args=[999_999_999]).partition("999999999")
    return before, after


def _cited(link) -> str:
    source = link.citation.source
    return f"[{escape(link.citation.label)}]" + (escape(f" {source.name} ({source.grade})") if source else "")


def _claim_cell(claim: Claim):
    # Escaped piece by piece rather than by format_html_join: a claim cited 60 times made the relations list
    # spend most of its time in format_html (the same HTML).
    cited = mark_safe(", ".join(_cited(link) for link in claim.claim_citations.all()))  # noqa: S308 - escaped
    text = claim.text if len(claim.text) <= 160 else claim.text[:157] + "…"
    before, after = _claim_change_url(get_script_prefix())
    return format_html(
        '<a href="{}">#{}</a> {}<br><small>{} · {} · {}</small><br><small>cites: {}</small>',
        f"{before}{claim.pk}{after}",
        claim.pk,
        text,
        claim.article.title,
        claim_event_date_text(claim) or "no date",
        confidence_badge(claim),
        cited or "nothing",
    )


class ToResolveFilter(admin.SimpleListFilter):
    """A Lead's queue: confirmed conflicts waiting for a resolution, oldest first."""

    title = "lead's queue"
    parameter_name = "to_resolve"

    def lookups(self, request, model_admin):
        return [("1", "Conflicts to resolve")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(kind=R.Kind.CONFLICTS, state=R.State.CONFIRMED).order_by("created_at", "pk")
        return queryset


class RelationForm(ReasonForm):
    class Meta:
        model = R
        fields = ("claim_a", "claim_b", "kind", "evidence")

    def clean(self):
        """Either order may be picked: the pair is stored ordered (the service does the same)."""
        data = super().clean()
        a, b = data.get("claim_a"), data.get("claim_b")
        if a is not None and b is not None:
            if a.pk == b.pk:
                raise ValidationError("a claim cannot be related to itself")
            if a.pk > b.pk:
                data["claim_a"], data["claim_b"] = b, a
                self.instance.claim_a, self.instance.claim_b = b, a
        return data


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 70}), help_text="Required: kept in history.")


class ResolveForm(NoteForm):
    """Which claim stands. Nothing is pre-selected: the Lead picks (radio buttons, none checked)."""

    resolution = forms.ChoiceField(
        choices=[(v, label[0].upper() + label[1:]) for v, label in R.Resolution.choices if v],
        widget=forms.RadioSelect,
        error_messages={"required": "choose which claim stands (or both partly, or unresolved)"},
    )
    field_order = ["resolution", "note"]


class AddForClaimForm(forms.Form):
    other = forms.IntegerField(min_value=1, label="Other claim #")
    kind = forms.ChoiceField(choices=R.Kind.choices, initial=R.Kind.CONFLICTS)
    note = forms.CharField(max_length=2000, label="Why (evidence)")


STEPS = {
    # step: (service, form, verb for messages, permission, states it starts from)
    "confirm": (services.relation_confirm, NoteForm, "confirmed", "claims.confirm_relation", ("suggested",)),
    "dismiss": (services.relation_dismiss, NoteForm, "dismissed", "claims.confirm_relation",
                ("suggested", "confirmed")),
    "resolve": (services.relation_resolve, ResolveForm, "resolved", "claims.resolve_relation", ("confirmed",)),
}  # fmt: skip


def available_steps(user, relation: ClaimRelation) -> list[str]:
    """The workflow steps this user may take on this relation now (the services check again)."""
    steps = [s for s, (_, _, _, perm, states) in STEPS.items() if relation.state in states and user.has_perm(perm)]
    if relation.kind != R.Kind.CONFLICTS:
        steps = [s for s in steps if s != "resolve"]
    return steps


@admin.register(ClaimRelation)
class ClaimRelationAdmin(ServiceAdmin):
    form = RelationForm
    change_form_template = "admin/claims/claimrelation/change_form.html"
    change_list_template = "admin/claims/fast_change_list.html"
    list_display = ("pair_id", "claim_a_cell", "claim_b_cell", "kind", "state_badge", "detector", "evidence_cell")
    list_display_links = ("pair_id",)
    list_filter = (ToResolveFilter, "state", "kind", "detector")
    search_fields = ("evidence", "resolution_note")
    autocomplete_fields = ("claim_a", "claim_b")
    list_per_page = 25
    actions = ["confirm_selected", "dismiss_selected"]
    history_list_display = ["state", "resolution"]
    readonly_on_change = ("claim_a", "claim_b", "state", "detector", "score", "resolution", "resolution_note",
                          "resolved_by", "resolved_at", "created_by")  # fmt: skip

    def get_queryset(self, request):
        return relations_with_claims()

    def lookup_allowed(self, lookup, value, request=None):
        # The import report and the article page link to an article's relations (by its first claim's article).
        return lookup == "claim_a__article__id__exact" or super().lookup_allowed(lookup, value, request)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["claim_a", "claim_b", "kind", "evidence", "change_reason"]
        return [*self.readonly_on_change, "kind", "evidence", "change_reason"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_on_change if obj is not None else ()

    # ---- list columns -------------------------------------------------------------------------
    @admin.display(description="relation", ordering="pk")
    def pair_id(self, obj):
        return f"#{obj.pk}"

    @admin.display(description="claim A")
    def claim_a_cell(self, obj):
        return _claim_cell(obj.claim_a)

    @admin.display(description="claim B")
    def claim_b_cell(self, obj):
        return _claim_cell(obj.claim_b)

    @admin.display(description="state", ordering="state")
    def state_badge(self, obj):
        extra = f" ({obj.get_resolution_display()})" if obj.resolution else ""
        return format_html(
            '<span style="color:{};font-weight:600">{}{}</span>',
            STATE_COLOURS.get(obj.state, "#000"), obj.get_state_display(), extra,
        )  # fmt: skip

    @admin.display(description="evidence")
    def evidence_cell(self, obj):
        return format_html('<div style="min-width:22em;max-width:36em;white-space:pre-line">{}</div>', obj.evidence)

    # ---- saving through the services ----------------------------------------------------------
    def create(self, request, obj, form):
        return services.relation_create(
            claim_a=obj.claim_a, claim_b=obj.claim_b, kind=obj.kind, evidence=obj.evidence,
            actor=request.user, reason=reason_of(form),
        )  # fmt: skip

    def update(self, request, obj, form):
        return services.relation_update(
            relation=obj, actor=request.user, reason=reason_of(form), **changed_values(form, ("kind", "evidence"))
        )

    def remove(self, request, obj):
        services.relation_delete(relation=obj, actor=request.user, reason="deleted in admin")

    # ---- the change page: both claims side by side and the workflow steps ----------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        relation = self.get_queryset(request).filter(pk=object_id).first() if is_id(str(object_id)) else None
        if relation is not None:
            extra_context.update(self._relation_context(request, relation))
        return super().change_view(request, object_id, form_url, extra_context)

    def _relation_context(self, request, relation) -> dict:
        relation.workflow_notes = workflow_notes(relation)
        return {
            "relation": relation,
            "show_delete": False,  # a relation leaves by dismissal or resolution, with a note — not by a bare delete
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
            "steps": available_steps(request.user, relation),
            "note_form": NoteForm(),
            "resolve_form": ResolveForm(),
        }

    # ---- extra views --------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:relation_id>/step/<str:step>/", wrap(self.step_view), name="claims_claimrelation_step"),
            path("add-for/<int:claim_id>/", wrap(self.add_for_claim_view), name="claims_claimrelation_add_for"),
            path("confidence/<int:claim_id>/", wrap(override_confidence_view), name="claims_claim_override_confidence"),
            *super().get_urls(),
        ]

    def step_view(self, request, relation_id: int, step: str):
        """Confirm, dismiss or resolve one relation: a page with both claims and a note (and resolution) form."""
        if step not in STEPS:
            return HttpResponseRedirect(reverse("admin:claims_claimrelation_change", args=[relation_id]))
        service, form_class, verb, _, _ = STEPS[step]
        relation = get_object_or_404(self.get_queryset(request), pk=relation_id)
        if not self.has_view_permission(request, relation):
            raise PermissionDenied
        relation.workflow_notes = workflow_notes(relation)
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            kwargs = dict(form.cleaned_data)
            try:
                service(relation=relation, actor=request.user, **kwargs)
            except (PermissionDenied, ValidationError) as err:
                messages.error(request, f"Relation #{relation.pk} not {verb}: {error_text(err)}")
            else:
                messages.success(request, f"Relation #{relation.pk} {verb}.")
                return HttpResponseRedirect(reverse("admin:claims_claimrelation_change", args=[relation.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{step.capitalize()} relation #{relation.pk}",
            "relations": [relation],
            "step": step,
            "form": form,
            "allowed": step in available_steps(request.user, relation),
        }
        return TemplateResponse(request, "admin/claims/claimrelation/step.html", context)

    def add_for_claim_view(self, request, claim_id: int):
        """POST from the claim page: relate this claim to another by hand (relation_create, with a reason)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        claim = get_object_or_404(Claim, pk=claim_id)
        back = reverse("admin:claims_claim_change", args=[claim.pk]) + "#claim-relations"
        form = AddForClaimForm(request.POST)
        if not form.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
            messages.error(request, f"No relation added: {problems}")
            return HttpResponseRedirect(back)
        other = Claim.objects.filter(pk=form.cleaned_data["other"]).first()
        if other is None:
            messages.error(request, f"No relation added: there is no claim #{form.cleaned_data['other']}")
            return HttpResponseRedirect(back)
        try:
            relation = services.relation_create(
                claim_a=claim, claim_b=other, kind=form.cleaned_data["kind"], evidence=form.cleaned_data["note"],
                actor=request.user, reason=form.cleaned_data["note"],
            )  # fmt: skip
        except (PermissionDenied, ValidationError) as err:
            messages.error(request, f"No relation added: {error_text(err)}")
        else:
            messages.success(
                request,
                f"Relation #{relation.pk} added ({relation.get_state_display().lower()}): "
                f"claim #{claim.pk} {relation.kind} #{other.pk}.",
            )
        return HttpResponseRedirect(back)

    # ---- bulk actions with a note (an intermediate page) ---------------------------------------
    def _bulk_step(self, request, queryset, step: str):
        service, _, verb, _, _ = STEPS[step]
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = 0, []
            for relation in queryset:
                try:
                    service(relation=relation, actor=request.user, note=form.cleaned_data["note"])
                    done += 1
                except (PermissionDenied, ValidationError) as err:
                    refused.append(f"#{relation.pk}: {error_text(err)}")
            text = f"{done} relation(s) {verb}"
            if refused:
                text += f"; {len(refused)} refused — " + "; ".join(refused)
            self.message_user(request, text, messages.WARNING if refused else messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{step.capitalize()} {queryset.count()} relation(s)",
            "relations": queryset,
            "step": step,
            "form": form,
            "allowed": True,
            "bulk_action": f"{step}_selected",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/claims/claimrelation/step.html", context)

    @admin.action(description="Confirm selected suggestions (with a note)", permissions=["confirm"])
    def confirm_selected(self, request, queryset):
        return self._bulk_step(request, queryset, "confirm")

    @admin.action(description="Dismiss selected relations (with a note)", permissions=["confirm"])
    def dismiss_selected(self, request, queryset):
        return self._bulk_step(request, queryset, "dismiss")

    def has_confirm_permission(self, request):
        return request.user.has_perm("claims.confirm_relation")


def workflow_notes(relation: ClaimRelation) -> list[dict]:
    """The confirm / dismiss notes from the relation's history, oldest first, so the Lead who resolves reads why
    the reviewer confirmed it without opening History."""
    notes = []
    rows = relation.history.select_related("history_user").order_by("history_date", "history_id")
    for row in rows:
        reason = row.history_change_reason or ""
        for prefix in ("confirmed: ", "dismissed: "):
            if reason.startswith(prefix):
                notes.append(
                    {"step": prefix[:-2], "note": reason[len(prefix) :], "by": row.history_user, "at": row.history_date}
                )
    return notes


def relations_panel_context(claim: Claim) -> dict:
    """What the claim page's relations panel needs (the claim admin includes relations_panel.html)."""
    return {"claim": claim, "relations": selectors.claim_relations(claim)}
