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


# A claim with thousands of citations has thousands of factors; the panel lists the first ones only.
FACTORS_SHOWN = 50


@register.filter
def factors_shown(factors) -> list:
    return list(factors or [])[:FACTORS_SHOWN]


@register.filter
def factors_hidden(factors) -> int:
    return max(0, len(factors or []) - FACTORS_SHOWN)
