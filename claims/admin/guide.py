"""The user documentation in docs/ as admin pages: how confidence is scored, what a decision means, exports."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import markdown
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe

DOCS = Path(settings.BASE_DIR) / "docs"
# Only these pages are served (never a path from the URL): the name is a key, not a file name.
GUIDES = {"confidence": "How confidence is scored", "workflow": "The review workflow", "exports": "Exports"}


@lru_cache(maxsize=8)
def _render(name: str, mtime: float) -> str:
    # The docs are the repository's own files, not user input: their HTML passes through as written.
    text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    return markdown.markdown(text, extensions=["tables", "fenced_code", "toc"])


def guide_view(request, name: str):
    if name not in GUIDES:
        raise Http404("no such guide page")
    if not request.user.has_perm("claims.view_claim"):
        raise PermissionDenied("the guide is for the desk: signing in with a desk role opens it")
    path = DOCS / f"{name}.md"
    context = {
        **admin.site.each_context(request),
        "title": GUIDES[name],
        "guide_html": mark_safe(_render(name, path.stat().st_mtime)),  # noqa: S308 - our own docs, see _render
        "guides": GUIDES,
    }
    return TemplateResponse(request, "admin/claims/guide.html", context)
