"""A guard before re-anchoring: a text found by its title alone must look like a revision of that article.

Titles are not unique names: "Timeline" or "Aleppo" may head unrelated texts, and re-anchoring an article
against one orphans its claims (decided ones too). When the text was matched to the article by title only
(no URL match, no article chosen), the new text must share at least CLAIMS_REIMPORT_MIN_SHARED per cent of
the current revision's sentences, or the editor must confirm it is a new revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from ..models import Claim
from .text_checks import ImportRefused

DEFAULT_MIN_SHARED = 50


@dataclass(frozen=True)
class Overlap:
    shared: int  # sentences of the current revision found again in the new text
    current: int  # sentences (claims still anchored) of the current revision

    @property
    def percent(self) -> int:
        return round(100 * self.shared / self.current) if self.current else 100

    def as_text(self) -> str:
        return f"shares {self.shared} of the current revision's {self.current} sentences ({self.percent} %)"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def revision_overlap(article, new_sentences: list[str]) -> Overlap:
    current = {
        _key(t) for t in article.claims.exclude(anchor_state=Claim.AnchorState.ORPHANED).values_list("text", flat=True)
    }
    new = {_key(t) for t in new_sentences}
    return Overlap(shared=len(current & new), current=len(current))


def check_new_revision(article, new_sentences: list[str], *, name: str, confirmed: bool) -> Overlap:
    """The overlap of the new text with `article`'s current revision; refused when too small and not confirmed."""
    overlap = revision_overlap(article, new_sentences)
    minimum = getattr(settings, "CLAIMS_REIMPORT_MIN_SHARED", DEFAULT_MIN_SHARED)
    if overlap.current and overlap.percent < minimum and not confirmed:
        raise ImportRefused(
            f"{name}: matched to article #{article.pk} '{article.title}' by its title alone, but it "
            f"{overlap.as_text()}; at least {minimum} % is expected of a new revision. Nothing was imported. "
            "If it really is a new revision of this article, confirm it (--new-revision, or the "
            "'This is a new revision' box); otherwise give it another title or its own URL."
        )
    return overlap
