"""The requirement of every API endpoint, for planner.web.policy.POLICY.

Read from the operations themselves (each declares its requirement where it is defined):
GET needs ``read``; writes need what the same change needs in the pages (``edit`` for the plan,
risks and readings; ``manage`` for metric definitions, gate criteria and program settings;
``decide`` for gate decisions); listing and creating programs need ``signed_in``.
"""

from __future__ import annotations

import planner.api  # noqa: F401  (registers every operation)
from planner.api.core import OPERATIONS

# the description, the documentation, the API's index and the fallback answering unknown paths
PUBLIC_ENDPOINTS = ("api.openapi", "api.docs", "api.index", "api.fallback")

API_POLICY: dict[str, str] = {
    **{f"api.{op.endpoint}": op.requirement for op in OPERATIONS},
    **dict.fromkeys(PUBLIC_ENDPOINTS, "public"),
}
