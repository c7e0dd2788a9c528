"""The Django admin: thin pages whose writes all go through claims.services.

One module per area so that each stays small: base (shared save-through-services), catalogue (sources,
articles, citations), claim (claims, review queue), relations (conflicts), exports (export actions).
"""

from . import catalogue, claim, jobs, relations, review, users  # noqa: F401  (registers the models)
from .dashboard import install as _install_dashboard

_install_dashboard()
