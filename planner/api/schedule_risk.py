"""The schedule risk analysis through the API: each gate's chance, percentiles and drivers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from flask import Response
from flask_babel import get_locale
from pydantic import Field

from planner.api import schemas as s
from planner.api.core import ID, ApiError, dump, json_response, operation
from planner.api.markers import N_
from planner.domain.errors import ValidationError
from planner.domain.schedule_risk import (
    DEFAULT_ITERATIONS,
    MAX_ITERATIONS,
    MIN_ITERATIONS,
    FinishOutlook,
)
from planner.services import schedule_risk as service
from planner.services.programs import get_program as load_program


class RiskAnalysisQuery(s.Query):
    iterations: Annotated[
        int,
        Field(
            ge=MIN_ITERATIONS,
            le=MAX_ITERATIONS,
            description=N_("Runs of the simulation, 100 to 20,000 (default 2,000)."),
        ),
    ] = DEFAULT_ITERATIONS
    mitigate: str = Field(
        default="",
        max_length=2000,
        description=N_("Risk keys, comma-separated, to take at their residual values."),
    )


class DriverOut(s.Output):
    kind: Literal["item", "risk"]
    key: str
    name: str
    correlation: float = Field(description=N_("Rank correlation with the finish, -1 to 1."))
    criticality: float | None = Field(
        description=N_("Items: share of runs in which the item is on the longest path.")
    )


class CurvePoint(s.Output):
    date: date
    share: float = Field(description=N_("Share of runs finished by this date, 0 to 1."))


class FinishOut(s.Output):
    phase: str | None = Field(description=N_("The phase's key; null for the program finish."))
    gate: date | None
    planned: date = Field(description=N_("The finish of the deterministic schedule."))
    mean: date
    p50: date
    p80: date
    p90: date
    probability: float | None = Field(
        description=N_("Chance of finishing by the gate, 0 to 1 (null without a gate).")
    )
    curve: list[CurvePoint]
    drivers: list[DriverOut]


class RiskAnalysisOut(s.Output):
    iterations: int
    seed: int
    mitigated: list[str]
    gates: list[FinishOut]
    finish: FinishOut


def _finish(o: FinishOutlook, names: dict[str, str]) -> dict[str, object]:
    return {
        "phase": o.phase,
        "gate": o.gate,
        "planned": o.deterministic,
        "mean": o.mean,
        "p50": o.percentiles[50],
        "p80": o.percentiles[80],
        "p90": o.percentiles[90],
        "probability": o.probability,
        "curve": [{"date": d, "share": p} for d, p in o.curve],
        "drivers": [
            {
                "kind": d.kind,
                "key": d.key,
                "name": names.get(d.key, d.key),
                "correlation": d.correlation,
                "criticality": d.criticality,
            }
            for d in o.drivers
        ],
    }


@operation(
    "GET",
    f"/programs/<{ID}:program_id>/schedule-risk",
    summary=N_("Schedule risk analysis"),
    description=N_(
        "Monte Carlo simulation of the plan (three-point durations, correlated workstreams, risk"
        " delays): for every phase gate and the program finish, the planned date, the mean, P50,"
        " P80 and P90, the chance of meeting the gate, an S-curve and the drivers. A fixed seed"
        " per program: the same plan gives the same figures."
    ),
    tag="programs",
    requirement="read",
    query=RiskAnalysisQuery,
    response=RiskAnalysisOut,
    default_field="iterations",
)
def schedule_risk(program_id: int, query: RiskAnalysisQuery) -> Response:
    program = load_program(program_id)
    mitigate = tuple(k.strip() for k in query.mitigate.split(",") if k.strip())
    try:
        analysis = service.analyse(
            program, date.today(), iterations=query.iterations, mitigated=mitigate
        )
    except ValidationError as exc:
        if not any(field == "mitigate" for field, _words in exc.errors):
            raise
        # an unknown risk key is a query parameter the program does not know: 400, as every
        # query refusal (worded in the reader's language)
        raise ApiError(400, str(exc), exc.errors) from None
    names = service.item_names(program, str(get_locale() or "en"))
    return json_response(
        dump(
            RiskAnalysisOut,
            {
                "iterations": analysis.iterations,
                "seed": analysis.seed,
                "mitigated": sorted(set(mitigate)),
                "gates": [_finish(g, names) for g in analysis.gates],
                "finish": _finish(analysis.finish, names),
            },
        )
    )
