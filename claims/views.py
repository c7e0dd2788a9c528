"""Pages outside the admin: the streaming export endpoint and the printable article report.

Both need a signed-in user (anonymous → the admin login) and refuse with 403 a user without the
permissions: exporting needs `claims.export_claims` and `claims.view_claim`; the report needs
`claims.view_claim` and `claims.view_article`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from .exports import Export, ExportFilter, FilterError, formats, provenance_document, report
from .exports.filters import parse_bool
from .models import Article

EXPORT_PERMISSIONS = ("claims.export_claims", "claims.view_claim")
REPORT_PERMISSIONS = ("claims.view_claim", "claims.view_article")


def can_export(user) -> bool:
    return user.is_active and user.has_perms(EXPORT_PERMISSIONS)


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def export_response(export: Export) -> StreamingHttpResponse:
    """Stream an export as a download. The body is a generator: nothing is held in memory."""
    response = StreamingHttpResponse(export.stream(), content_type=export.format.media_type)
    stamp = export.generated_at.strftime("%Y%m%dT%H%M%SZ")
    stem, _, ext = export.format.filename.partition(".")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{ext}"'
    response["Cache-Control"] = "no-store"
    query = export.filter.querystring()
    response["X-Export-Filter"] = query or "all"
    provenance = reverse("claims:export", args=[export.format.name]) + "?" + (f"{query}&" if query else "")
    response["Link"] = f'<{provenance}provenance=1>; rel="describedby"; type="application/json"'
    return response


@require_GET
@login_required
def export_claims(request, fmt: str):
    """/exports/claims.<format>?<filters> — the export as a download; `&provenance=1` for its provenance."""
    if not can_export(request.user):
        raise PermissionDenied("exporting claims takes the Viewer, Editor, Reviewer or Lead role")
    try:
        export_format = formats.get(fmt)
    except formats.UnknownFormat as err:
        return _bad_request(str(err))
    try:
        filt = ExportFilter.from_params(request.GET, ignore=("provenance",))
        want_provenance = parse_bool("provenance", request.GET.getlist("provenance"))
    except FilterError as err:
        return _bad_request(str(err))
    export = Export(export_format, filt, username=request.user.get_username(), via="url")
    if want_provenance:
        response = HttpResponse(provenance_document(export.run()), content_type="application/json; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response
    return export_response(export)


@require_GET
@login_required
def article_report(request, article_id: int):
    """A read-only, printable page: the article's text with its claims highlighted, footnotes, timeline."""
    if not (request.user.is_active and request.user.has_perms(REPORT_PERMISSIONS)):
        raise PermissionDenied("the article report takes the Viewer, Editor, Reviewer or Lead role")
    article = get_object_or_404(Article, pk=article_id)
    context = report.build(article)
    context["can_export"] = can_export(request.user)
    context["formats"] = formats.FORMATS.values()
    # The template's large parts (claims in the text, timeline, dated list) are slots filled as the bytes are
    # produced: the page is never one 20 MB Python string (docs/benchmarks.md, the report page's RSS).
    page = render_to_string("claims/report.html", context, request)
    return HttpResponse(report.page_bytes(page, context), content_type="text/html; charset=utf-8")
