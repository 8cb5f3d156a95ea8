"""Shared by the risk register's modules: the key pattern, the refusal helper, saving changes
(the field limits are the domain's: ``planner.domain.risk_fields``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from planner.domain.errors import Problem, ValidationError

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
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
