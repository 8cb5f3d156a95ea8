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
}
