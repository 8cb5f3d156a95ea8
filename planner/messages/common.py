"""Messages every feature uses: required fields, lengths, numbers, dates, references."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "field.required": lambda r, w: gettext("This field is required."),
    "field.too_long": lambda r, w: gettext("At most %(max)s characters.", **w),
    "field.not_a_number": lambda r, w: gettext("Enter a number."),
    "field.at_least": lambda r, w: gettext("must be at least %(limit)s, got %(value)s", **w),
    "field.out_of_range": lambda r, w: gettext("Enter a value from %(min)s to %(max)s.", **w),
    "field.not_a_date": lambda r, w: gettext("Enter a date as YYYY-MM-DD."),
    "field.not_a_choice": lambda r, w: gettext("%(value)s is not one of the choices.", **w),
    "field.unknown_reference": lambda r, w: gettext(
        "%(value)s does not exist in this program.", **w
    ),
    "field.taken": lambda r, w: gettext("%(value)s is already used in this program.", **w),
    "row.not_found": lambda r, w: gettext("It does not exist (or you cannot see it)."),
    "row.stale": lambda r, w: gettext(
        "This was changed by someone else since you opened it: read it again."
    ),
    "row.changed_by": lambda r, w: gettext(
        "This was changed by %(actor)s at %(at)s UTC since you opened it: read it again.",
        **{**w, "actor": _actor(r, w)},
    ),
    "permission.denied": lambda r, w: gettext("Your role in this program does not allow this."),
    "file.line": lambda r, w: gettext("line %(line)s: %(problem)s", **w),
}


def _actor(raw: Mapping[str, object], words: Mapping[str, str]) -> str:
    """Who changed it: "system" (a change outside a request: the demo, a command) in the
    reader's language, as the History page shows it."""
    return gettext("system") if raw.get("actor") == "system" else words["actor"]
