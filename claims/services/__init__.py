"""Every write of the tracker. Each function is atomic and leaves history naming the actor and a reason.

Split by topic; import from here: `from claims import services; services.claim_decide(...)`.
"""

from ._common import ADMIN_REASON, FrozenClaim, ServiceError, StaleClaim, delete_tracked, save_tracked
from .claims import (
    claim_citation_add,
    claim_citation_remove,
    claim_citation_update,
    claim_create,
    claim_update,
)
from .confidence import claim_override_confidence, claims_recompute_confidence
from .conflicts import SuggestReport, relations_suggest
from .importing import ImportRefused, ImportReport, article_import, citations_import_csv, decode_article
from .relations import (
    relation_confirm,
    relation_create,
    relation_delete,
    relation_dismiss,
    relation_resolve,
    relation_update,
)
from .review import (
    BulkResult,
    claim_assign,
    claim_decide,
    claim_release,
    claim_reopen,
    claim_start_review,
    claim_take_next,
    claims_assign,
    claims_decide,
    claims_release,
    claims_start_review,
)
from .sources import (
    article_create,
    article_delete,
    article_update,
    citation_create,
    citation_delete,
    citation_update,
    source_create,
    source_delete,
    source_update,
)

__all__ = [
    "ADMIN_REASON",
    "BulkResult",
    "FrozenClaim",
    "ServiceError",
    "StaleClaim",
    "SuggestReport",
    "ImportRefused",
    "ImportReport",
    "article_create",
    "article_import",
    "citations_import_csv",
    "decode_article",
    "article_delete",
    "article_update",
    "citation_create",
    "citation_delete",
    "citation_update",
    "claim_assign",
    "claim_citation_add",
    "claim_citation_remove",
    "claim_citation_update",
    "claim_create",
    "claim_decide",
    "claim_override_confidence",
    "claim_release",
    "claim_reopen",
    "claim_start_review",
    "claim_take_next",
    "claim_update",
    "claims_assign",
    "claims_decide",
    "claims_recompute_confidence",
    "claims_release",
    "claims_start_review",
    "delete_tracked",
    "relation_confirm",
    "relation_create",
    "relation_delete",
    "relation_dismiss",
    "relation_resolve",
    "relation_update",
    "relations_suggest",
    "save_tracked",
    "source_create",
    "source_delete",
    "source_update",
]
