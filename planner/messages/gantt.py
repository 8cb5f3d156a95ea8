"""Messages of the Gantt chart's edits."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "gantt.started": lambda r, w: gettext(
        "%(key)s has started: its start is recorded with its progress, not moved on the chart.",
        **w,
    ),
}
