"""``GET /healthz``: is the app up and does the database answer? JSON, 200 or 503.

For load balancers, systemd watchdogs and monitoring. Public (``"ops.healthz": "public"``
in planner/web/policy.py) and cheap: one ``SELECT 1`` on a pooled connection. The answer
says nothing about users or data; the error's kind is named, its text is not (it may hold
a host name or a path).
"""

from __future__ import annotations

import time

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text

from planner.extensions import db

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        db.session.rollback()
        current_app.logger.warning("health check: database unavailable (%s)", type(exc).__name__)
        body = {"status": "unavailable", "database": "error", "error": type(exc).__name__}
        status = 503
    else:
        body = {"status": "ok", "database": "ok"}
        status = 200
    body["database_ms"] = round((time.perf_counter() - started) * 1000, 1)
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
