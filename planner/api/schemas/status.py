"""API models of a program's status: risks, metrics and readings, gate criteria and decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    Field,
)

from planner.api.markers import N_
from planner.api.schemas.base import (
    KEY_PATTERN,
    METRIC_KEY_PATTERN,
    Id,
    Input,
    Level,
    Number,
    Output,
    PageQuery,
    Text,
    Version,
    optional,
    read_only,
)

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
