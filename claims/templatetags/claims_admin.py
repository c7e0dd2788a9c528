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
    changelist = reverse("admin:claims_claim_changelist")
    return {
        "show": True,
        "can_take_next": user.has_perm("claims.review_claim"),
        "items": [
            ("Assigned to me", counts["assigned"], f"{changelist}?queue=mine"),
            ("Waiting for my decision", counts["waiting"], f"{changelist}?queue=mine&status__exact=in_review"),
            ("Reopened", counts["reopened"], f"{changelist}?reopened=mine"),
            (
                "Desk queue (unassigned)",
                f"≈{counts['desk']:,}" if counts.get("desk_estimated") else counts["desk"],
                f"{changelist}?queue=desk",
            ),
        ],
    }
