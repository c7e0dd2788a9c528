"""Sourced claim lists: CSV, JSON, JSON Lines, Markdown, ClaimReview JSON-LD and CSL-JSON, all streaming.

    from claims.exports import Export, ExportFilter, formats
    export = Export(formats.get("csv"), ExportFilter.from_params(request.GET), username="rita", via="url")
    for block in export.stream(): ...
    export.provenance()   # once the stream is exhausted

The pieces: filters (ExportFilter, BANDS), query (the one SQL builder), rows (the chunked row builder),
runner (streaming, hashing, provenance), one as_<format> module per format, formats (the registry).
See docs/exports.md.
"""

from .filters import BANDS, ExportFilter, FilterError, band_of
from .runner import Export, Format, provenance_document

__all__ = ["BANDS", "Export", "ExportFilter", "FilterError", "Format", "band_of", "provenance_document"]
