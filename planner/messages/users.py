"""Accounts, passwords, memberships, share links and API tokens."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message, Params


def _int(params: Params, name: str) -> int:
    return int(str(params.get(name, 0)))


MESSAGES: dict[str, Message] = {
    # planner/domain/passwords.py
    "password.too_short": lambda r, w: gettext(
        "Use at least %(min)d characters.", min=_int(r, "min")
    ),
    "password.too_long": lambda r, w: gettext(
        "Use at most %(max)d characters.", max=_int(r, "max")
    ),
    "password.is_email": lambda r, w: gettext(
        "Do not use your e-mail address (or its part before the @) as password."
    ),
    "password.common": lambda r, w: gettext(
        "This password is among the most common ones: choose another."
    ),
    "password.repeated": lambda r, w: gettext(
        "A single character repeated is not a password: choose another."
    ),
}
