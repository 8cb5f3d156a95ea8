"""API models of programs and their plan: phases, work items, dependencies."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    Field,
)

from planner.api.markers import N_
from planner.api.schemas.base import (
    KEY_PATTERN,
    Id,
    Input,
    Output,
    PageQuery,
    Query,
    Text,
    UtcDateTime,
    Version,
    optional,
    read_only,
)
from planner.domain.limits import MAX_TASK_DAYS

# --------------------------------------------------------------------------- programs

ProgramStatus = Literal["planning", "active", "on_hold", "closed"]


class ProgramOut(Output):
    id: int
    name: str
    client: str
    start_date: date
    status_date: date | None = Field(
        description=N_("The date progress is reported at; null follows today.")
    )
    status: ProgramStatus
    workdays: str = Field(description=N_('ISO weekday digits of working days, "12345" = Mon-Fri.'))
    playbook_id: str
    playbook_version: str
    holiday_set: str | None = Field(
        default=None, description=N_('The public-holiday set of its calendar: "cn-mainland".')
    )
    created_at: UtcDateTime
    version: int


class ProgramCreate(Input):
    name: Text(200, 1)
    client: Text(200, 1)
    start_date: date
    playbook: Text(
        100,
        1,
        description=N_(
            'An installed playbook: "crm-four-100-days", or with its version '
            '"crm-four-100-days@1.1" (the newest when none is given).'
        ),
    )
    diagnosis_weeks: Annotated[int, Field(ge=1, le=8)] = optional(
        description=N_("The diagnosis length in whole weeks, 1 to 8 (else the playbook's).")
    )
    holiday_set: Literal["cn-mainland"] = optional(
        description=N_(
            'Fill the calendar with a public-holiday set: "cn-mainland" (mainland China\'s'
            " holidays and make-up working days)."
        )
    )


class ProgramUpdate(Input):
    version: Version
    name: Text(200, 1) = optional()
    client: Text(200, 1) = optional()
    status: ProgramStatus = optional()
    status_date: date | None = optional(description=N_("null: follow today."))
    holiday_set: Literal["cn-mainland"] | None = optional(
        description=N_(
            "Apply a public-holiday set to the calendar (its days not listed yet are added);"
            " null: no set (the days stay)."
        )
    )


class ProgramQuery(PageQuery):
    status: ProgramStatus = optional()


# --------------------------------------------------------------------------- phases


class PhaseOut(Output):
    id: int
    program_id: int
    ordinal: int
    key: str
    kind: Literal["diagnosis", "phase"]
    name: str
    name_zh: str | None
    goal: str
    goal_zh: str | None
    result: str
    result_zh: str | None
    length_days: int
    window_start: date
    window_end: date


# --------------------------------------------------------------------------- work items

ItemKind = Literal["task", "milestone"]
ConstraintType = Literal["SNET", "FNLT"]


class WorkItemOut(Output):
    id: int
    program_id: int
    phase_id: int
    key: str
    kind: ItemKind
    name: str
    name_zh: str | None
    workstream: str | None
    duration_days: int = Field(description=N_("Working days; 0 for a milestone."))
    owner: str | None
    owner_role: str | None
    deliverable: str | None
    percent_complete: int
    actual_start: date | None
    actual_finish: date | None
    constraint_type: ConstraintType | None
    constraint_date: date | None
    position: int
    early_start: date | None = read_only(description=N_("Computed by the scheduler."))
    early_finish: date | None = read_only(description=N_("Computed by the scheduler."))
    late_start: date | None = read_only(description=N_("Computed by the scheduler."))
    late_finish: date | None = read_only(description=N_("Computed by the scheduler."))
    total_float: int | None = read_only(description=N_("Working days; computed by the scheduler."))
    free_float: int | None = read_only(description=N_("Working days; computed by the scheduler."))
    is_critical: bool = read_only(
        description=N_("On the critical path; computed by the scheduler.")
    )
    version: int


class _WorkItemFields(Input):
    workstream: Text(64) | None = optional()
    owner: Text(120) | None = optional()
    constraint_type: ConstraintType | None = optional()
    constraint_date: date | None = optional()
    deliverable: Text(5000) | None = optional()
    percent_complete: Annotated[int, Field(ge=0, le=100)] = optional()
    actual_start: date | None = optional()
    actual_finish: date | None = optional()


class WorkItemCreate(_WorkItemFields):
    key: Text(64, 1, pattern=KEY_PATTERN) = optional(
        description=N_("Default: made from the name, unique in the program.")
    )
    phase_id: Id
    name: Text(300, 1)
    kind: ItemKind = "task"
    duration_days: Annotated[int, Field(ge=0, le=MAX_TASK_DAYS)] = 1


class WorkItemUpdate(_WorkItemFields):
    version: Version
    phase_id: Id = optional()
    name: Text(300, 1) = optional()
    kind: ItemKind = optional()
    duration_days: Annotated[int, Field(ge=0, le=MAX_TASK_DAYS)] = optional()


class KeySuggestionQuery(Query):
    name: Text(300) = optional(description=N_("The new item's name."))


class KeySuggestionOut(Output):
    key: str


class WorkItemQuery(PageQuery):
    phase_id: Id = optional(description=N_("Only the items of this phase."))
    workstream: Text(64) = optional(description=N_("Only the items of this workstream."))
    critical: bool = optional(description=N_("true: only critical items; false: only the others."))
    kind: ItemKind = optional()


# --------------------------------------------------------------------------- dependencies

DependencyType = Literal["FS", "SS", "FF", "SF"]


class DependencyOut(Output):
    id: int
    program_id: int
    predecessor_id: int
    successor_id: int
    predecessor_key: str
    successor_key: str
    type: DependencyType
    lag_days: int = Field(description=N_("Working days; negative is a lead."))


class DependencyCreate(Input):
    predecessor_id: Id
    successor_id: Id
    type: DependencyType = "FS"
    lag_days: Annotated[int, Field(ge=-2000, le=2000)] = 0


class DependencyQuery(PageQuery):
    predecessor_id: Id = optional()
    successor_id: Id = optional()
    work_item_id: Id = optional(description=N_("Dependencies with this item at either end."))
    type: DependencyType = optional()
