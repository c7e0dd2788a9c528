"""Template filters for the confidence panel and lists: the band of a score (claims.confidence.BANDS)."""

from django import template

from ..confidence import band

register = template.Library()


@register.filter
def confidence_band(value) -> str:
    """none / low / medium / high for a 0–100 score."""
    try:
        return band(int(value))
    except (TypeError, ValueError):
        return "none"
