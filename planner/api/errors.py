"""The API's error handlers: every HTTP error inside /api/v1 is a problem body, never a page.

Handlers are registered per status code: the app's own handlers for 400/403/404 (HTML pages)
are registered per code too, and Flask prefers a code-specific handler over a generic one.
"""

from __future__ import annotations

from flask import Response
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from planner.api import bp
from planner.api.problems import PROBLEMS, problem
from planner.extensions import db

DETAILS = {
    400: "the request could not be read",
    401: "send a valid API token: Authorization: Bearer <token> (create one at /account/tokens)",
    403: "your role in this program does not allow this",
    404: "no such resource",
    405: "this path does not accept this method",
    413: "the request body is too large",
    415: "send the body as JSON with Content-Type: application/json",
    500: "something went wrong on the server; nothing was saved",
}


def http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="planner API"'
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    if status >= 500:
        db.session.rollback()
    detail = DETAILS.get(status) or PROBLEMS.get(status, ("", exc.name))[1]
    return problem(status, detail, headers=headers)


for _code in (*PROBLEMS, 406, 408, 429, 431):
    bp.register_error_handler(_code, http_error)
bp.register_error_handler(HTTPException, http_error)
