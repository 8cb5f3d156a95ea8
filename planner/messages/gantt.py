"""Messages of the Gantt chart's edits."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "gantt.cycle": lambda r, w: gettext(
        "Refused: this dependency would close a cycle: %(cycle)s. Nothing was changed.", **w
    ),
    "gantt.started": lambda r, w: gettext(
        "%(key)s has started: its start is recorded with its progress, not moved on the chart.",
        **w,
    ),
}
