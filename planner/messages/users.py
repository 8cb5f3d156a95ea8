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
    # planner/services/users.py
    "user.email_invalid": lambda r, w: gettext("Enter a valid e-mail address."),
    "user.email_taken": lambda r, w: gettext("A user with this e-mail address already exists."),
    "user.password_wrong": lambda r, w: gettext("The current password is wrong."),
    "account.self_deactivate": lambda r, w: gettext("You cannot deactivate your own account."),
    "account.self_demote": lambda r, w: gettext(
        "You cannot remove your own administrator right: ask another administrator."
    ),
    "account.last_admin": lambda r, w: gettext("At least one active administrator must remain."),
    "member.not_addable": lambda r, w: gettext(
        "You can add people who already work with you on a program. "
        "Ask a site administrator to add anyone else."
    ),
    "member.last_lead": lambda r, w: gettext("The program's only lead cannot be removed."),
    # planner/services/api_tokens.py
    "token.name_required": lambda r, w: gettext(
        "Give the token a name, e.g. the script that will use it."
    ),
    "token.too_many": lambda r, w: gettext(
        "You have %(count)s active tokens: revoke one you no longer use.", **w
    ),
}
