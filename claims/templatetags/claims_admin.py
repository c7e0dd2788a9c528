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
