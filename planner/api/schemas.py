"""Pydantic models of the API: what a request may send, what a response holds.

Input models forbid unknown fields and are read strictly from JSON (a number is not a
string, a date is ``YYYY-MM-DD``). Update models make every field optional except
``version`` (optimistic concurrency): only the fields sent change. Output models mark the
values the planner computes (the schedule's dates, floats and critical flag; risk scores and
bands; metric and gate status) as ``readOnly``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    create_model,
)

from planner.api.core import MAX_ID
from planner.api.markers import N_
from planner.domain.limits import MAX_TASK_DAYS
from planner.domain.numbers import MAX_MAGNITUDE

MAX_NUMBER = MAX_MAGNITUDE  # metric values and targets: the domain's one numeric policy
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
METRIC_KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def Text(max_length: int, min_length: int = 0, **options: Any) -> Any:  # noqa: N802
    """A string of at most ``max_length`` characters, without NUL characters."""
    return Annotated[
        str,
        Field(max_length=max_length, min_length=min_length, **options),
        AfterValidator(_no_nul),
    ]


def optional(**options: Any) -> Any:
    """An optional field: may be left out, and (unless its type allows null) not sent as null."""
    return Field(default=None, json_schema_extra=_drop_default, **options)


def read_only(**options: Any) -> Any:
    return Field(json_schema_extra={"readOnly": True}, **options)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_ID,
        description=N_(
            "The version you read; a stale one is refused with 409 and the current one."
        ),
    ),
]
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER)]
Level = Annotated[int, Field(ge=1, le=5)]


def _utc_text(value: datetime) -> str:
    """Stored times are naive UTC: written as RFC 3339 with a Z."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat().replace("+00:00", "Z")


UtcDateTime = Annotated[
    datetime,
    PlainSerializer(_utc_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Query(BaseModel):
    """Query-string parameters (read leniently: they arrive as text)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# --------------------------------------------------------------------------- common


class PageQuery(Query):
    page: Annotated[int, Field(ge=1, le=1_000_000, description=N_("Page number, from 1."))] = 1
    per_page: Annotated[
        int, Field(ge=1, le=200, description=N_("Items per page (at most 200)."))
    ] = 50


class VersionQuery(Query):
    version: Version


class FieldError(Output):
    field: str = Field(description=N_("The field or parameter at fault, e.g. targets[1].target."))
    message: str


class Problem(Output):
    # the schema's description (pydantic reads __doc__), marked for the docs page's catalogue
    __doc__ = N_("An error, as RFC 9457 problem details (media type application/problem+json).")

    type: str = Field(description=N_("A URI reference to the documentation of this problem."))
    title: str
    status: int
    detail: str
    errors: list[FieldError] = Field(description=N_("Each field at fault; may be empty."))
    current_version: int | None = Field(
        default=None, description=N_("With a stale version (409): the version stored now.")
    )


def page_of(model: type[BaseModel]) -> type[BaseModel]:
    """A page of ``model`` items, with the links to the neighbouring pages."""
    return create_model(
        f"{model.__name__}Page",
        __base__=Output,
        items=(list[model], ...),
        page=(int, ...),
        per_page=(int, ...),
        total=(int, Field(description=N_("How many items the whole (filtered) list has."))),
        next=(str | None, Field(description=N_("The next page's URL, null on the last page."))),
        prev=(str | None, Field(description=N_("The previous page's URL, null on the first."))),
    )


class Me(Output):
    id: int
    email: str
    name: str
    is_admin: bool


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


# --------------------------------------------------------------------------- risks

RiskStatus = Literal["open", "mitigating", "closed", "occurred"]
RiskResponse = Literal["avoid", "mitigate", "transfer", "accept", "escalate"]


class RiskOut(Output):
    id: int
    program_id: int
    key: str
    rank: int | None
    title: str
    title_zh: str | None
    description: str
    description_zh: str | None
    category: str
    cause: str
    effect: str
    likelihood: int
    impact: int
    residual_likelihood: int | None
    residual_impact: int | None
    owner: str | None
    response: RiskResponse
    mitigation: str
    mitigation_zh: str | None
    contingency: str
    trigger: str
    proximity_date: date | None
    proximity_phase_id: int | None
    status: RiskStatus
    review_date: date | None
    occurred_on: date | None
    issue_note: str
    score: int = read_only(description=N_("Inherent score: likelihood × impact."))
    residual_score: int = read_only(
        description=N_("Residual score (inherent where not reassessed).")
    )
    inherent_band: str = read_only(description=N_("Rating band of the inherent score."))
    residual_band: str = read_only(description=N_("Rating band of the residual score."))
    version: int


class _RiskFields(Input):
    rank: Annotated[int, Field(ge=1, le=100_000)] | None = optional()
    title_zh: Text(300) | None = optional()
    description: Text(20_000) = optional()
    description_zh: Text(20_000) | None = optional()
    category: Text(64) = optional()
    cause: Text(20_000) = optional()
    effect: Text(20_000) = optional()
    residual_likelihood: Level | None = optional()
    residual_impact: Level | None = optional()
    owner: Text(120) | None = optional()
    response: RiskResponse = optional()
    mitigation: Text(20_000) = optional()
    mitigation_zh: Text(20_000) | None = optional()
    contingency: Text(20_000) = optional()
    trigger: Text(20_000) = optional()
    proximity_date: date | None = optional()
    proximity_phase_id: Id | None = optional()
    status: RiskStatus = optional()
    review_date: date | None = optional()
    occurred_on: date | None = optional()
    issue_note: Text(20_000) = optional()


class RiskCreate(_RiskFields):
    key: Text(64, 1, pattern=KEY_PATTERN) = optional(description=N_("Default: the next R-<n>."))
    title: Text(300, 1)
    likelihood: Level
    impact: Level


class RiskUpdate(_RiskFields):
    version: Version
    title: Text(300, 1) = optional()
    likelihood: Level = optional()
    impact: Level = optional()


class RiskQuery(PageQuery):
    status: RiskStatus = optional()
    band: Text(40) = optional(description=N_("Residual rating band, e.g. high."))
    owner: Text(120) = optional()
    category: Text(64) = optional()


# --------------------------------------------------------------------------- metrics

Direction = Literal["higher", "lower"]
Rag = Literal["green", "amber", "red"]


class TargetIn(Input):
    phase_ordinal: Annotated[int, Field(ge=0, le=1000)]
    target: Number


class TargetOut(Output):
    phase_ordinal: int
    target: float


class MetricOut(Output):
    id: int
    program_id: int
    key: str
    name: str
    name_zh: str | None
    unit: str
    direction: Direction
    baseline: float | None
    owner: str | None
    data_source: str | None
    description: str | None
    description_zh: str | None
    amber_tolerance: float | None = Field(
        description=N_("This metric's amber band (fraction); null uses the program's rule.")
    )
    targets: list[TargetOut]
    status: Rag | None = read_only(
        description=N_(
            "Judged today: the latest reading against the glide path on the reading's day."
        )
    )
    current_target: float | None = read_only()
    glide: str = read_only(
        description=N_("The glide path's shape: linear, s-curve, or steps (from the playbook).")
    )
    path_value: float | None = read_only(
        description=N_("The glide path on the latest reading's day (what the status compares).")
    )
    forecast_at_gate: float | None = read_only(
        description=N_("Null when there is not enough data (readings on fewer than 3 days).")
    )
    forecast_low: float | None = read_only(
        description=N_("The forecast's likely range at the gate (80 %), within the metric's range.")
    )
    forecast_high: float | None = read_only()
    latest_value: float | None = read_only()
    latest_day: date | None = read_only()
    status_reason: str = read_only()
    status_reason_codes: list[str] = read_only(
        description=N_("The reason as stable codes (`status_reason` words them for people).")
    )
    version: int


class _MetricFields(Input):
    name_zh: Text(200) | None = optional()
    baseline: Number | None = optional()
    owner: Text(120) | None = optional()
    data_source: Text(5000) | None = optional()
    description: Text(20_000) | None = optional()
    description_zh: Text(20_000) | None = optional()
    amber_tolerance: Annotated[float, Field(ge=0, le=1)] | None = optional()
    targets: Annotated[list[TargetIn], Field(max_length=100)] = optional(
        description=N_("A target per phase (by ordinal); replaces all targets when sent.")
    )


class MetricCreate(_MetricFields):
    key: Text(64, 1, pattern=METRIC_KEY_PATTERN)
    name: Text(200, 1)
    unit: Text(40)
    direction: Direction


class MetricUpdate(_MetricFields):
    version: Version
    key: Text(64, 1, pattern=METRIC_KEY_PATTERN) = optional()
    name: Text(200, 1) = optional()
    unit: Text(40) = optional()
    direction: Direction = optional()


class ReadingOut(Output):
    id: int
    metric_id: int
    day: date
    value: float
    note: str
    version: int


class ReadingCreate(Input):
    day: date
    value: Number
    note: Text(2000) = ""


class ReadingUpdate(Input):
    version: Version
    day: date = optional()
    value: Number = optional()
    note: Text(2000) = optional()


class ReadingQuery(PageQuery):
    since: date = optional(description=N_("Only readings on or after this day."))
    until: date = optional(description=N_("Only readings on or before this day."))


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
