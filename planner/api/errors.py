"""The API's error handlers: every HTTP error inside /api/v1 is a problem body, never a page.

Handlers are registered per status code: the app's own handlers for 400/403/404 (HTML pages)
are registered per code too, and Flask prefers a code-specific handler over a generic one.
"""

from __future__ import annotations

from flask import Response
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from planner.api import bp
from planner.api.problems import PROBLEMS, problem
from planner.domain.explain import Explanation
from planner.explain_text import render
from planner.extensions import db

#: statuses the API words itself (planner/messages/api.py), in the reader's language
WORDED = frozenset({400, 401, 403, 404, 405, 413, 415, 500})


def http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="planner API"'
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    if status >= 500:
        db.session.rollback()
    if status in WORDED:
        detail = render(Explanation(f"api.http.{status}"))
    else:
        detail = PROBLEMS.get(status, ("", exc.name))[1]
    return problem(status, detail, headers=headers)


for _code in (*PROBLEMS, 406, 408, 429, 431):
    bp.register_error_handler(_code, http_error)
bp.register_error_handler(HTTPException, http_error)
