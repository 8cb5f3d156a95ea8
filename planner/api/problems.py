"""Errors as RFC 9457 problem details: ``application/problem+json`` bodies with the field at fault.

Every error the API returns has the same shape::

    {"type": "/api/v1/docs#problem-validation", "title": "Validation failed", "status": 422,
     "detail": "the work item was not saved", "errors": [{"field": "name", "message": "..."}]}

``type`` is a URI reference to the section of the API documentation that explains the problem;
a stale ``version`` (409) also carries ``current_version``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Response, has_request_context, url_for
from flask_babel import gettext

from planner.api.markers import N_

PROBLEM_MEDIA_TYPE = "application/problem+json"

# status → (slug of the documentation section, title)
PROBLEMS: dict[int, tuple[str, str]] = {
    400: ("bad-request", N_("Bad request")),
    401: ("unauthorized", N_("Authentication required")),
    403: ("forbidden", N_("Forbidden")),
    404: ("not-found", N_("Not found")),
    405: ("method-not-allowed", N_("Method not allowed")),
    409: ("conflict", N_("Conflict")),
    413: ("payload-too-large", N_("Request body too large")),
    415: ("unsupported-media-type", N_("Unsupported media type")),
    422: ("validation", N_("Validation failed")),
    500: ("server-error", N_("Internal server error")),
}

# what each problem means, for the documentation page
PROBLEM_HELP: dict[int, str] = {
    400: N_(
        "The query string or the JSON text could not be read: an unknown or repeated query "
        "parameter, a value of the wrong type, or a body that is not valid JSON. `errors` names "
        "each parameter at fault."
    ),
    401: N_(
        "No valid token: send `Authorization: Bearer <token>` with a token from "
        "/account/tokens. The API never uses the sign-in cookie of the pages."
    ),
    403: N_(
        "Your role in this program does not allow this (e.g. a viewer writing, a member "
        "deciding a gate)."
    ),
    404: N_("No such thing, or it belongs to a program you are not a member of."),
    405: N_("This path does not accept this method; the `Allow` header lists those it does."),
    409: N_(
        "The row changed since you read it (`current_version` says which version is "
        "stored now: read it again and re-apply your change), or the change conflicts with other "
        "data (e.g. deleting a metric a gate criterion measures)."
    ),
    413: N_("The request body is larger than the API accepts (1 MB)."),
    415: N_("Bodies must be JSON, sent with `Content-Type: application/json`."),
    422: N_(
        "The body was read but breaks a rule. Each entry of `errors` names the field "
        "(e.g. `targets[1].target`) and says what is wrong: unknown fields, read-only fields "
        "(such as the schedule's computed dates), missing or malformed values, and the planner's "
        "own rules (dependency cycles, dates outside the program, …)."
    ),
    500: N_("Something went wrong on the server; nothing was saved."),
}


def problem_type(status: int) -> str:
    slug = PROBLEMS.get(status, ("error", ""))[0]
    try:
        return url_for("api.docs") + f"#problem-{slug}"
    except RuntimeError:  # outside a request
        return f"/api/v1/docs#problem-{slug}"


def _title(status: int) -> str:
    """The problem's title in the reader's language (RFC 9457 allows localizing it)."""
    title = PROBLEMS.get(status, ("error", "Error"))[1]
    if not has_request_context():
        return title
    return gettext(title)


def problem_body(
    status: int,
    detail: str = "",
    errors: Iterable[tuple[str, str]] = (),
    **extra: Any,
) -> dict[str, Any]:
    title = _title(status)
    body: dict[str, Any] = {
        "type": problem_type(status),
        "title": title,
        "status": status,
        "detail": detail or title,
        "errors": [{"field": field, "message": message} for field, message in errors],
    }
    body.update(extra)
    return body


def problem(
    status: int,
    detail: str = "",
    errors: Iterable[tuple[str, str]] = (),
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem-details response."""
    response = Response(
        json.dumps(problem_body(status, detail, errors, **extra), ensure_ascii=False),
        status=status,
        mimetype=PROBLEM_MEDIA_TYPE,
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
