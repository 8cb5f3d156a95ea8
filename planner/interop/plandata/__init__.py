"""The plan as plain data, the common ground of every plan file format (MSPDI, CSV, .xlsx).

A :class:`PlanData` holds what the planner models of a program's plan and nothing of the
database: the name, start date and working calendar, the phases (with their windows), the
work items and the dependencies. Readers build one from a file; writers turn one into bytes;
services translate between it and the rows.

Order is part of the data: phases in ordinal order, items grouped by phase in that order,
links by successor in item order (:func:`normalised` puts a plan in this order, readers
return plans in it, and writers write in it). ``early_start`` and ``early_finish`` are the
scheduler's dates, carried along for information; nothing here recomputes them.

:func:`problems` lists every rule a plan breaks (as :class:`Problem` values that readers map
to a row, a column or a task of their file); :func:`validate` raises them as one
:class:`~planner.domain.errors.ValidationError`.

By job: ``data`` (the plan's data classes and text cleaning), ``checks`` (the rules a plan
breaks, the refusal of a file, the plan's order).
"""

from __future__ import annotations

from planner.domain.lags import LAG_UNITS, LagUnit
from planner.interop.plandata.checks import (
    Coded,
    Problem,
    find_cycle,
    import_error,
    normalised,
    problems,
    refusal,
    validate,
)
from planner.interop.plandata.data import (
    CONSTRAINT_TYPES,
    ITEM_KINDS,
    LINK_TYPES,
    MAX_DURATION,
    MAX_ITEM_NAME,
    MAX_KEY,
    MAX_LAG,
    MAX_OWNER,
    MAX_PHASE_NAME,
    MAX_PLAN_NAME,
    MAX_WORKSTREAM,
    CalendarData,
    ConstraintType,
    ItemData,
    ItemKind,
    LinkData,
    LinkType,
    PhaseData,
    PlanData,
    clean_text,
)

__all__ = [
    "CONSTRAINT_TYPES",
    "CalendarData",
    "Coded",
    "ConstraintType",
    "ITEM_KINDS",
    "ItemData",
    "ItemKind",
    "LAG_UNITS",
    "LINK_TYPES",
    "LagUnit",
    "LinkData",
    "LinkType",
    "MAX_DURATION",
    "MAX_ITEM_NAME",
    "MAX_KEY",
    "MAX_LAG",
    "MAX_OWNER",
    "MAX_PHASE_NAME",
    "MAX_PLAN_NAME",
    "MAX_WORKSTREAM",
    "PhaseData",
    "PlanData",
    "Problem",
    "clean_text",
    "find_cycle",
    "import_error",
    "normalised",
    "problems",
    "refusal",
    "validate",
]
