"""Exports from the claim changelist: "Export selected claims as …" actions and the "Export" menu that
carries the list's current filters to /exports/claims.<format>.

ClaimAdmin inherits `ExportMixin` (first, before ModelAdmin, so that its `get_actions` and
`changelist_view` run). The changelist template includes admin/claims/claim/export_button.html, which
reads the `claim_export` context this mixin adds.
"""

from __future__ import annotations

from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ..exports import Export, ExportFilter, FilterError, formats
from ..views import can_export, export_response


def export_action(fmt: str):
    """The admin action exporting the selected claims (or, with "select all", the filtered list)."""

    def action(modeladmin, request, queryset):
        if not can_export(request.user):
            raise PermissionDenied("exporting claims takes the Viewer, Editor, Reviewer or Lead role")
        filt = selection_filter(request, queryset)
        return export_response(Export(formats.get(fmt), filt, username=request.user.get_username(), via="admin"))

    action.__name__ = f"export_{fmt}"
    action.short_description = f"Export selected claims as {formats.get(fmt).label}"
    return action


def selection_filter(request, queryset) -> ExportFilter:
    """What the admin user chose. "Select all N" with filters the export understands keeps the filter
    (streamed, however many claims); otherwise the chosen claims' ids."""
    if request.POST.get("select_across") == "1":
        try:
            filt, not_applied = ExportFilter.from_changelist(request.GET)
        except FilterError:
            filt, not_applied = None, ["?"]
        if filt is not None and not not_applied:
            return filt
    # The admin has already narrowed the queryset to the ticked rows (or to the whole filtered list).
    ids = queryset.order_by().values_list("pk", flat=True)
    return ExportFilter(ids=tuple(sorted(set(ids))))


def changelist_export(request) -> dict:
    """The "Export" menu's context: one link per format with the changelist's filters as export filters."""
    if not can_export(request.user):
        return {"allowed": False}
    error = ""
    try:
        filt, not_applied = ExportFilter.from_changelist(request.GET)
    except FilterError as err:
        filt, not_applied, error = ExportFilter(), [], str(err)
    query = filt.querystring()
    suffix = f"?{query}" if query else ""
    links = [
        {"name": fmt.name, "label": fmt.label, "url": reverse("claims:export", args=[fmt.name]) + suffix}
        for fmt in formats.FORMATS.values()
    ]
    provenance = reverse("claims:export", args=["csv"]) + "?" + (f"{query}&" if query else "") + "provenance=1"
    return {
        "allowed": True,
        "links": links,
        "filter": filt.describe(),
        "not_applied": not_applied,
        "error": error,
        "provenance_url": provenance,
    }


class ExportMixin:
    """Mixed into ClaimAdmin: the "export selected" actions and the filtered-list export menu."""

    export_formats: tuple[str, ...] = tuple(formats.FORMATS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET or not can_export(request.user):
            return actions
        for fmt in self.export_formats:
            action = export_action(fmt)
            actions[action.__name__] = (action, action.__name__, action.short_description)
        return actions

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "claim_export": changelist_export(request)}
        return super().changelist_view(request, extra_context)
