"""Saving a program's method as a playbook (planner/services/save_playbook.py)."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "save_playbook.id_pattern": lambda r, w: gettext(
        "1–64 lower-case letters, digits, - or _, starting with a letter or digit."
    ),
    "save_playbook.version_pattern": lambda r, w: gettext("A version such as 1.0 or 2.1.3."),
}
