"""The JSON API under /api/v1: programs, phases, work items, dependencies, risks, metrics and
readings, gates. Token authentication only (never the pages' session cookie), the pages' role
rules (planner.web.policy), RFC 9457 problem bodies, an OpenAPI 3.1 description generated
from the pydantic models, and browsable docs.

Register with ``app.register_blueprint(bp)`` and ``csrf.exempt(bp)`` (the API takes no
cookies, so cross-site request forgery does not apply); every endpoint's requirement is in
:data:`planner.api.policy.API_POLICY`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# the modules below add their routes to bp (imported for that effect)
from planner.api import (  # noqa: E402, F401  # noqa: E402, F401, I001
    auth,
    docs,  # noqa: E402, F401  (last: its fallback route matches the rest)
    errors,
    gates,
    metrics,
    money,
    plan,
    programs,
    raid,
    replan,
    risks,
    schedule_risk,
)
