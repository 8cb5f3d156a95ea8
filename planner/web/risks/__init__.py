"""Pages of the risk area: the register with its heat maps, one risk (form, status, actions,
links), the register as files, and steering reviews.

By job: ``common`` (the blueprint and labels), ``register_pages``, ``risk_pages``, ``files``
(export and import), ``reviews``. Importing the package registers every page on :data:`bp`.
"""

from __future__ import annotations

from planner.web.risks import (  # noqa: F401 (routes)
    files,
    register_pages,
    reviews,
    risk_pages,
)
from planner.web.risks.common import SORTABLE, bp

__all__ = ["SORTABLE", "bp"]
