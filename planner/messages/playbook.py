"""Messages of a playbook document's problems (planner/domain/playbook.py): the loader's codes,
worded by :mod:`planner.playbook_text`, for a service or domain rule that meets them outside a
file upload (a new version written from lessons)."""

from __future__ import annotations

from planner.domain.playbook import english
from planner.messages import Message, Params, Words
from planner.playbook_text import MESSAGES as ISSUE_WORDS


def _issue(raw: Params, words: Words) -> str:
    """``issue`` is the loader's code; the other parameters are its values."""
    code = str(raw.get("issue", ""))
    values = {k: v for k, v in raw.items() if k != "issue"}
    worded = ISSUE_WORDS.get(code)
    if worded is None:
        return english(code, values)
    try:
        return worded(values)
    except (KeyError, TypeError, ValueError):
        return english(code, values)


MESSAGES: dict[str, Message] = {"playbook.issue": _issue}
