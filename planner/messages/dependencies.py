"""Dependencies between work items: the one sentence for a cycle, wherever it is refused."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "dependency.cycle": lambda r, w: gettext("dependency cycle: %(cycle)s", cycle=str(r["cycle"])),
}
