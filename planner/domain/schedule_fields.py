"""The fields the scheduler computes for every work item, in one place: the scheduler's
columns, the database columns it writes (never audited, never edited), the API's read-only
fields."""

from __future__ import annotations

from typing import Final

SCHEDULE_FIELDS: Final = (
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "is_critical",
)
