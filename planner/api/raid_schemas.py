"""Pydantic models of the RAID log's API: issues, actions, decisions, change requests."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from planner.api.markers import N_
from planner.api.schemas import Id, Input, Output, PageQuery, Text, Version, optional

Severity = Literal["low", "medium", "high", "critical"]
IssueStatus = Literal["open", "in_progress", "resolved", "closed"]
ActionParent = Literal["risk", "issue", "review", "gate"]
ChangeKind = Literal["add_work", "remove_work", "resize_work", "move_milestone", "phase_scope"]
Keys = list[Text(64, 1)]  # type: ignore[misc]  # Text() builds pydantic's Annotated type at run time


class RaidQuery(PageQuery):
    kind: Literal["risk", "action", "issue", "decision", "change"] = optional()
    status: Text(20) = optional()
    owner: Text(120) = optional()
    q: Text(200) = optional(description=N_("Text in the key or title."))
    open: bool = False
    overdue: bool = False


class RaidRowOut(Output):
    kind: str
    id: int
    key: str
    title: str
    owner: str
    status: str
    due: date | None
    overdue: bool
    parent: str


class IssueOut(Output):
    id: int
    key: str
    title: str
    description: str
    severity: str
    owner: str | None
    due_date: date | None
    status: str
    raised_on: date
    resolved_on: date | None
    resolution: str
    source_risk: str | None
    items: list[str]
    phases: list[str]
    risks: list[str]
    version: int


class IssueCreate(Input):
    title: Text(300, 1)
    description: Text(20_000) = ""
    severity: Severity = "medium"
    owner: Text(120) | None = None
    due_date: date | None = None
    items: Keys = []
    phases: Keys = []
    risks: Keys = []


class IssueUpdate(IssueCreate):
    version: Version


class IssueMove(Input):
    status: IssueStatus
    resolution: Text(20_000) = ""
    version: Version


class RiskToIssue(Input):
    note: Text(20_000) = ""
    version: Version


class ActionOut(Output):
    id: int
    parent_kind: str
    parent: str
    title: str
    owner: str | None
    due_date: date | None
    done: bool
    done_on: date | None
    version: int


class ActionCreate(Input):
    parent_kind: ActionParent
    parent: Text(64, 1) = optional(description=N_("The risk's or issue's key, or an id."))
    title: Text(300, 1)
    owner: Text(120) | None = None
    due_date: date | None = None


class ActionUpdate(Input):
    title: Text(300, 1) = optional()
    owner: Text(120) | None = optional()
    due_date: date | None = optional()
    done: bool = optional()
    version: Version


class DecisionOut(Output):
    id: int
    key: str
    title: str
    rationale: str
    options: list[str]
    decided_by: str
    decided_on: date
    issue: str | None
    change_request: str | None


class DecisionCreate(Input):
    title: Text(300, 1)
    rationale: Text(20_000) = ""
    options: list[Text(500)] = []
    decided_by: Text(200) = optional()
    decided_on: date = optional()
    issue: Text(64) = optional()
    review: Id = optional()
    gate: Id = optional(description=N_("The phase's id."))


class ChangeOut(Output):
    id: int
    key: str
    title: str
    kind: str
    status: str
    requester: str
    justification: str
    requested_on: date
    work_item: str | None
    phase: str | None
    days: int | None
    new_date: date | None
    impact: dict[str, Any] | None
    version: int


class ChangeCreate(Input):
    title: Text(300, 1)
    kind: ChangeKind
    requester: Text(120, 1)
    justification: Text(20_000) = ""
    description: Text(20_000) = ""
    work_item: Text(64) = optional()
    phase: Text(64) = optional()
    days: int = optional()
    new_date: date = optional()


class ChangeDecide(Input):
    approve: bool
    rationale: Text(20_000) = ""
    options: Text(20_000) = ""
    version: Version
