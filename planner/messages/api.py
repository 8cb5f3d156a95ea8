"""The API's answers to requests it cannot serve (planner/api/errors.py), by HTTP status."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "api.http.400": lambda r, w: gettext("The request could not be read."),
    "api.http.401": lambda r, w: gettext(
        "Send a valid API token: Authorization: Bearer <token> (create one at /account/tokens)."
    ),
    "api.http.403": lambda r, w: gettext("Your role in this program does not allow this."),
    "api.http.404": lambda r, w: gettext("It does not exist (or you cannot see it)."),
    "api.http.405": lambda r, w: gettext("This path does not accept this method."),
    "api.http.413": lambda r, w: gettext("The request body is too large."),
    "api.http.415": lambda r, w: gettext(
        "Send the body as JSON with Content-Type: application/json."
    ),
    "api.http.500": lambda r, w: gettext("Something went wrong on the server; nothing was saved."),
    # the request as the API reads it (planner/api/core.py)
    "api.query.not_understood": lambda r, w: gettext("The query string was not understood."),
    "api.query.filter": lambda r, w: gettext("The filter was not understood."),
    "api.query.unknown": lambda r, w: gettext(
        "unknown query parameter (expected: %(expected)s)", **w
    ),
    "api.query.twice": lambda r, w: gettext("give this parameter once"),
    "api.body.not_json": lambda r, w: gettext("expected a JSON body (got %(got)s)", **w),
    "api.body.empty": lambda r, w: gettext("The request body is empty: send a JSON object."),
    "api.body.invalid_json": lambda r, w: gettext("The request body is not valid JSON."),
    "api.body.schema": lambda r, w: gettext("The request body does not match the schema."),
    "api.body.unknown_field": lambda r, w: gettext("unknown field"),
    "api.body.object": lambda r, w: gettext("expected a JSON object"),
    "api.version_stored": lambda r, w: gettext(
        "the stored version is %(version)s: read it again", **w
    ),
    "api.row_changed_meanwhile": lambda r, w: gettext(
        "This row was changed by someone else while your change was saved."
    ),
    "api.read_again": lambda r, w: gettext("read it again and re-apply your change"),
    "api.field.too_short": lambda r, w: gettext("at least %(min)s characters", **w),
    "api.field.text": lambda r, w: gettext("expected text"),
    "api.field.whole": lambda r, w: gettext("expected a whole number"),
    "api.field.boolean": lambda r, w: gettext("expected true or false"),
    "api.field.at_least": lambda r, w: gettext("expected %(limit)s or more", **w),
    "api.field.at_most": lambda r, w: gettext("expected %(limit)s or less", **w),
    "api.field.above": lambda r, w: gettext("expected more than %(limit)s", **w),
    "api.field.below": lambda r, w: gettext("expected less than %(limit)s", **w),
    "api.field.choice": lambda r, w: gettext("expected one of %(values)s", **w),
    "api.field.pattern": lambda r, w: gettext("the value does not have the expected form"),
    "api.field.list": lambda r, w: gettext("expected a list"),
    "api.field.too_many": lambda r, w: gettext("at most %(max)s entries", **w),
}
