"""Pydantic models of the API: what a request may send, what a response holds.

Input models forbid unknown fields and are read strictly from JSON (a number is not a
string, a date is ``YYYY-MM-DD``). Update models make every field optional except
``version`` (optimistic concurrency): only the fields sent change. Output models mark the
values the planner computes (the schedule's dates, floats and critical flag; risk scores and
bands; metric and gate status) as ``readOnly``.

By job: ``base`` (field types, Input/Output/Query, pages, problems), ``plan`` (programs,
phases, work items, dependencies), ``status`` (risks, metrics and readings); the gate
models are written below.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from planner.api.markers import N_
from planner.api.schemas.base import (
    KEY_PATTERN,
    MAX_NUMBER,
    METRIC_KEY_PATTERN,
    FieldError,
    Id,
    Input,
    Level,
    Me,
    Number,
    Output,
    PageQuery,
    Problem,
    Query,
    Text,
    UtcDateTime,
    Version,
    VersionQuery,
    optional,
    page_of,
    read_only,
)
from planner.api.schemas.plan import (
    ConstraintType,
    DependencyCreate,
    DependencyOut,
    DependencyQuery,
    DependencyType,
    ItemKind,
    KeySuggestionOut,
    KeySuggestionQuery,
    PhaseOut,
    ProgramCreate,
    ProgramOut,
    ProgramQuery,
    ProgramStatus,
    ProgramUpdate,
    WorkItemCreate,
    WorkItemOut,
    WorkItemQuery,
    WorkItemUpdate,
)
from planner.api.schemas.status import (
    Direction,
    MetricCreate,
    MetricOut,
    MetricUpdate,
    Rag,
    ReadingCreate,
    ReadingOut,
    ReadingQuery,
    ReadingUpdate,
    RiskCreate,
    RiskOut,
    RiskQuery,
    RiskResponse,
    RiskStatus,
    RiskUpdate,
    TargetIn,
    TargetOut,
)

# The gate models stay in this module: raid_schemas has a DecisionOut too, so the OpenAPI
# document names these by their module (planner__api__schemas__DecisionOut), as it always has.
# --------------------------------------------------------------------------- gates

CriterionKind = Literal["metric_target", "milestones_done", "max_risk_band", "manual"]
CriterionSource = Literal["person", "benefits_case"]
DecisionKind = Literal["go", "conditional_go", "no_go"]
Overall = Literal["pass", "at_risk", "fail"]
#: an outlook before the gate date, a result from it (``planner.domain.gates.gate_verdict``)
Verdict = Literal["on_track", "at_risk", "off_track", "pass", "fail"]


class CriterionOut(Output):
    id: int
    phase_id: int
    position: int
    kind: CriterionKind
    metric: str | None = Field(description=N_("`metric_target`: the metric's key."))
    milestones: list[str] = Field(description=N_("`milestones_done`: the milestones' keys."))
    band: str | None = Field(description=N_("`max_risk_band`: the highest band allowed open."))
    text: str
    text_zh: str | None
    met: bool | None = Field(description=N_("`manual`: judged by a person (null: pending)."))
    source: CriterionSource | None = Field(
        description=N_(
            "`manual`: who judges it: a person (`person`), or the benefits case"
            " (`benefits_case`, the benefit review: met when the benefits realised since"
            " go-live reach what the case expects by now)."
        )
    )
    evidence: str
    evidence_url: str | None
    outcome: Literal["met", "on_track", "at_risk", "not_met"] = read_only(
        description=N_("Evaluated today.")
    )
    reason: str = read_only()
    reason_codes: list[str] = read_only(
        description=N_("The reason as stable codes (`reason` words them for people).")
    )
    version: int


class _CriterionFields(Input):
    metric: Text(64) = optional()
    milestones: Annotated[list[Text(64)], Field(max_length=100)] = optional()
    band: Text(40) = optional()
    text: Text(5000) = optional()
    text_zh: Text(5000) | None = optional()
    met: bool | None = optional()
    source: CriterionSource = optional()
    evidence: Text(5000) = optional()
    evidence_url: Text(1000) | None = optional()


class CriterionCreate(_CriterionFields):
    kind: CriterionKind


class CriterionUpdate(_CriterionFields):
    version: Version
    kind: CriterionKind = optional()


class DecisionOut(Output):
    id: int
    phase_id: int
    kind: DecisionKind
    decided_by: str
    decided_on: date
    notes: str
    conditions: str
    due: date | None
    justification: str
    replan: str
    overall_at_decision: Overall = read_only(description=N_("The gate's evaluation when decided."))
    summary_at_decision: str = read_only()
    recorded_by: str = read_only()
    recorded_at: UtcDateTime = read_only()
    version: int


class DecisionCreate(Input):
    kind: DecisionKind
    decided_by: Text(200, 1)
    decided_on: date = optional(description=N_("Default: today."))
    notes: Text(20_000) = ""
    conditions: Text(20_000) = ""
    due: date | None = None
    justification: Text(20_000) = ""
    replan: Text(20_000) = ""


class GateOut(Output):
    ordinal: int
    phase_id: int
    phase_key: str
    phase_name: str
    gate_date: date
    days_to_gate: int
    overall: Verdict = read_only(
        description=N_(
            "Before the gate date an outlook (on track, at risk or off track); from the gate "
            "date the result (pass, at risk or fail)."
        )
    )
    outlook: bool = read_only(description=N_("True before the gate date."))
    summary: str = read_only()
    criteria: list[CriterionOut]
    latest_decision: DecisionOut | None


__all__ = [
    "ConstraintType",
    "CriterionCreate",
    "CriterionKind",
    "CriterionOut",
    "CriterionUpdate",
    "DecisionCreate",
    "DecisionKind",
    "DecisionOut",
    "DependencyCreate",
    "DependencyOut",
    "DependencyQuery",
    "DependencyType",
    "Direction",
    "FieldError",
    "GateOut",
    "Id",
    "Input",
    "ItemKind",
    "KEY_PATTERN",
    "KeySuggestionOut",
    "KeySuggestionQuery",
    "Level",
    "MAX_NUMBER",
    "METRIC_KEY_PATTERN",
    "Me",
    "MetricCreate",
    "MetricOut",
    "MetricUpdate",
    "Number",
    "Output",
    "Overall",
    "PageQuery",
    "PhaseOut",
    "Problem",
    "ProgramCreate",
    "ProgramOut",
    "ProgramQuery",
    "ProgramStatus",
    "ProgramUpdate",
    "Query",
    "Rag",
    "ReadingCreate",
    "ReadingOut",
    "ReadingQuery",
    "ReadingUpdate",
    "RiskCreate",
    "RiskOut",
    "RiskQuery",
    "RiskResponse",
    "RiskStatus",
    "RiskUpdate",
    "TargetIn",
    "TargetOut",
    "Text",
    "UtcDateTime",
    "Verdict",
    "Version",
    "VersionQuery",
    "WorkItemCreate",
    "WorkItemOut",
    "WorkItemQuery",
    "WorkItemUpdate",
    "optional",
    "page_of",
    "read_only",
]
