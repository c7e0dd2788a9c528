"""Template tags for the claim admin pages."""

from django import template
from django.urls import reverse

from .. import selectors

register = template.Library()


@register.inclusion_tag("admin/claims/dashboard.html", takes_context=True)
def claim_dashboard(context):
    """Counts of the signed-in person's claims, each linking to the filtered list."""
    user = context["request"].user
    if not user.is_authenticated or not user.has_perm("claims.view_claim"):
        return {"show": False}
    counts = selectors.dashboard_counts(user)
    desk = selectors.desk_attention_counts()
    changelist = reverse("admin:claims_claim_changelist")
    items = [
        ("Assigned to me", counts["assigned"], f"{changelist}?queue=mine"),
        ("Waiting for my decision", counts["waiting"], f"{changelist}?queue=mine&status__exact=in_review"),
        ("Reopened", counts["reopened"], f"{changelist}?reopened=mine"),
        (
            "Desk queue (unassigned)",
            f"≈{counts['desk']:,}" if counts.get("desk_estimated") else counts["desk"],
            f"{changelist}?queue=desk",
        ),
    ]
    if user.has_perm("claims.resolve_relation"):
        relations = reverse("admin:claims_claimrelation_changelist")
        items.append(
            ("Conflicts to resolve", desk["conflicts_to_resolve"], f"{relations}?to_resolve=1"),
        )
    if desk["orphaned"]:  # shown only when there is something to look at
        orphaned = "Orphaned by a new revision"
        if desk["orphaned_decided"]:
            orphaned += f" ({desk['orphaned_decided']} still decided)"
        items.append((orphaned, desk["orphaned"], f"{changelist}?anchor_state__exact=orphaned"))
    return {"show": True, "can_take_next": user.has_perm("claims.review_claim"), "items": items}


@register.inclusion_tag("admin/change_list_results.html")
def claim_result_list(cl):
    """Django's `result_list` (headers, hidden fields, rows) with the rows written by admin.fast_list."""
    from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields

    from ..admin.fast_list import result_rows

    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": result_rows(cl),
    }
