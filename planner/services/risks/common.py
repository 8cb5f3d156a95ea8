"""Shared by the risk register's modules: limits, the refusal helper, saving changes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from planner.domain.errors import Problem, ValidationError

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_LENGTHS = {
    "title": 300,
    "title_zh": 300,
    "category": 64,
    "owner": 120,
    "action_title": 300,
    "action_owner": 120,
    "review_title": 200,
}
TEXT_FIELDS = (
    "description",
    "description_zh",
    "cause",
    "cause_zh",
    "effect",
    "effect_zh",
    "mitigation",
    "mitigation_zh",
    "contingency",
    "trigger",
    "issue_note",
    "residual_reason",
)
TOP_RISKS = 10


def refuse(errors: Sequence[Problem]) -> None:
    """Refuse with every coded problem at once (worded by ``planner/messages/risks.py``)."""
    if errors:
        raise ValidationError(problems=errors)


def assign(obj: Any, values: Mapping[str, Any]) -> bool:
    """Set only the attributes that differ (so the audit trail lists real changes)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
