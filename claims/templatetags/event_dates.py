"""Template filter for a claim's event date at its precision ("2018", "Dec 2024", "6–7 Dec 2024")."""

from django import template

from ..display import claim_event_date_text

register = template.Library()


@register.filter
def event_date(claim) -> str:
    """The claim's event date as claims.display.event_date_text writes it; "" when it has none."""
    return claim_event_date_text(claim)
