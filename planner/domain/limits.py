"""Limits the whole planner shares, defined once: forms, the API, file imports, scenarios and
the database's check constraints import them from here."""

from __future__ import annotations

from typing import Final

#: The longest task, in working days (about twenty working years); a milestone lasts 0. The
#: column's check constraint (``duration_range``) holds the same bound.
MAX_TASK_DAYS: Final = 5000
