"""Adoption metrics (with a target per phase and today's status) and their readings."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response

from planner.api import schemas as s
from planner.api.core import (
    ID,
    created,
    dump,
    json_response,
    no_content,
    operation,
    page_response,
)
from planner.api.markers import N_
from planner.domain.errors import Problem, ValidationError
from planner.domain.explain import codes
from planner.domain.metrics import MetricStatus
from planner.explain_text import render
from planner.models import Metric, MetricReading, Program
from planner.services import api_support
from planner.services import metrics as metric_service
from planner.services.concurrency import check_version
from planner.services.programs import get_program

PROGRAM = f"/programs/<{ID}:program_id>"
METRIC = f"{PROGRAM}/metrics/<{ID}:metric_id>"
READING = f"{METRIC}/readings/<{ID}:reading_id>"
COMPUTED = "read-only: judged from the readings against the current phase's target"
METRIC_READ_ONLY = {
    **{
        name: COMPUTED
        for name in (
            "status",
            "current_target",
            "glide",
            "path_value",
            "forecast_at_gate",
            "forecast_low",
            "forecast_high",
            "latest_value",
            "latest_day",
            "status_reason",
            "status_reason_codes",
        )
    },
    **{name: "read-only" for name in ("id", "program_id")},
}
READING_ALIASES = {"date": "day"}


def _metric_json(metric: Metric, judged: MetricStatus) -> dict[str, Any]:
    latest = judged.latest
    return dump(
        s.MetricOut,
        metric,
        targets=[{"phase_ordinal": t.phase_ordinal, "target": t.target} for t in metric.targets],
        status=judged.status,
        current_target=judged.target,
        glide=metric.glide or "linear",
        path_value=judged.path_value,
        forecast_at_gate=judged.forecast_at_gate,
        forecast_low=judged.forecast_low,
        forecast_high=judged.forecast_high,
        latest_value=latest.value if latest else None,
        latest_day=latest.day if latest else None,
        status_reason=render(judged.reason),  # in the request's language
        status_reason_codes=list(codes(judged.reason)) if judged.reason else [],
    )


def _judged(program: Program, metric: Metric) -> dict[str, Any]:
    settings = metric_service.settings_for(program)
    return _metric_json(metric, metric_service.judge(program, metric, date.today(), settings))


def _metric_input(body: Any, metric: Metric | None) -> metric_service.MetricInput:
    sent = body.model_fields_set

    def value(name: str, default: Any = None) -> Any:
        if name in sent:
            return getattr(body, name)
        return getattr(metric, name) if metric is not None else default

    if "targets" in sent:
        targets: dict[int, float | None] = {}
        errors = []
        for index, target in enumerate(body.targets):
            if target.phase_ordinal in targets:
                errors.append(Problem(f"targets[{index}].phase_ordinal", "metric.target_twice"))
            targets[target.phase_ordinal] = target.target
        if errors:
            raise ValidationError(problems=errors)
    else:
        targets = {t.phase_ordinal: t.target for t in metric.targets} if metric else {}
    return metric_service.MetricInput(
        key=value("key", ""),
        name=value("name", ""),
        unit=value("unit", ""),
        direction=value("direction", "higher"),
        name_zh=value("name_zh"),
        baseline=value("baseline"),
        owner=value("owner"),
        data_source=value("data_source"),
        description=value("description"),
        description_zh=value("description_zh"),
        amber_tolerance=value("amber_tolerance"),
        targets=targets,
    )


def _save(program: Program, body: Any, metric: Metric | None, version: int | None) -> Metric:
    data = _metric_input(body, metric)
    try:
        return metric_service.save_metric(program, data, metric, version)
    except ValidationError as exc:
        # the service names targets after the form's fields: target_<ordinal>
        sent = list(body.targets) if "targets" in body.model_fields_set else []
        problems = []
        for problem in exc.problems:
            path = problem.field
            if path.startswith("target_"):
                ordinal = path.removeprefix("target_")
                index = next(
                    (i for i, t in enumerate(sent) if str(t.phase_ordinal) == ordinal), None
                )
                path = f"targets[{index}].target" if index is not None else "targets"
                if problem.code == "metric.no_phase" and index is not None:
                    path = f"targets[{index}].phase_ordinal"
            problems.append(Problem(path, problem.code, problem.params))
        raise ValidationError(problems=problems) from None


@operation(
    "GET",
    f"{PROGRAM}/metrics",
    summary=N_("List metrics"),
    description=N_(
        "The program's metrics by id, each judged today against the current phase's target."
    ),
    tag="metrics",
    requirement="read",
    query=s.PageQuery,
    response=s.page_of(s.MetricOut),
)
def list_metrics(program_id: int, query: s.PageQuery) -> Response:
    program = get_program(program_id)
    rows = metric_service.metric_rows(program, date.today())
    page = api_support.slice_list(rows, query.page, query.per_page)
    return page_response([_metric_json(r.metric, r.status) for r in page.rows], page, query)


@operation(
    "POST",
    f"{PROGRAM}/metrics",
    summary=N_("Define a metric"),
    tag="metrics",
    requirement="manage",
    body=s.MetricCreate,
    response=s.MetricOut,
    status=201,
    read_only=METRIC_READ_ONLY,
    default_field="key",
)
def create_metric(program_id: int, body: s.MetricCreate) -> Response:
    program = get_program(program_id)
    metric = _save(program, body, None, None)
    metric = metric_service.get_metric(program, metric.id)
    return created(
        _judged(program, metric), "api.get_metric", program_id=program.id, metric_id=metric.id
    )


@operation(
    "GET",
    METRIC,
    summary=N_("Read a metric"),
    tag="metrics",
    requirement="read",
    response=s.MetricOut,
)
def get_metric(program_id: int, metric_id: int) -> Response:
    program = get_program(program_id)
    return json_response(_judged(program, metric_service.get_metric(program, metric_id)))


@operation(
    "PATCH",
    METRIC,
    summary=N_("Change a metric"),
    description=N_(
        "Only the fields sent change; `targets`, when sent, replaces every target. Renaming the "
        "key carries the gate criteria that measure the metric along."
    ),
    tag="metrics",
    requirement="manage",
    body=s.MetricUpdate,
    response=s.MetricOut,
    read_only=METRIC_READ_ONLY,
    default_field="version",
)
def update_metric(program_id: int, metric_id: int, body: s.MetricUpdate) -> Response:
    program = get_program(program_id)
    metric = metric_service.get_metric(program, metric_id)
    check_version(metric, body.version)
    _save(program, body, metric, body.version)
    return json_response(_judged(program, metric))


@operation(
    "DELETE",
    METRIC,
    summary=N_("Delete a metric"),
    description=N_(
        "Delete the metric with its targets and readings; refused (409) while a gate criterion "
        "measures it."
    ),
    tag="metrics",
    requirement="manage",
    query=s.VersionQuery,
    status=204,
)
def delete_metric(program_id: int, metric_id: int, query: s.VersionQuery) -> Response:
    program = get_program(program_id)
    metric = metric_service.get_metric(program, metric_id)
    api_support.delete_metric(program, metric, query.version)
    return no_content()


# --------------------------------------------------------------------------- readings


def _reading(program: Program, metric_id: int, reading_id: int) -> tuple[Metric, MetricReading]:
    metric = metric_service.get_metric(program, metric_id)
    return metric, metric_service.get_reading(metric, reading_id)


@operation(
    "GET",
    f"{METRIC}/readings",
    summary=N_("List a metric's readings"),
    description=N_("Readings by day, optionally between `since` and `until` (both included)."),
    tag="readings",
    requirement="read",
    query=s.ReadingQuery,
    response=s.page_of(s.ReadingOut),
)
def list_readings(program_id: int, metric_id: int, query: s.ReadingQuery) -> Response:
    program = get_program(program_id)
    metric = metric_service.get_metric(program, metric_id)
    statement = api_support.readings_query(metric, query.since, query.until)
    page = api_support.paginate(statement, query.page, query.per_page)
    return page_response([dump(s.ReadingOut, r) for r in page.rows], page, query)


@operation(
    "POST",
    f"{METRIC}/readings",
    summary=N_("Record a reading"),
    description=N_(
        "One reading per day, within the program's window; a percentage stays within 0–100."
    ),
    tag="readings",
    requirement="edit",
    body=s.ReadingCreate,
    response=s.ReadingOut,
    status=201,
    read_only={"id": "read-only", "metric_id": "read-only"},
    aliases=READING_ALIASES,
    default_field="value",
)
def create_reading(program_id: int, metric_id: int, body: s.ReadingCreate) -> Response:
    program = get_program(program_id)
    metric = metric_service.get_metric(program, metric_id)
    reading = metric_service.add_reading(program, metric, body.day, body.value, body.note)
    return created(
        dump(s.ReadingOut, reading),
        "api.get_reading",
        program_id=program.id,
        metric_id=metric.id,
        reading_id=reading.id,
    )


@operation(
    "GET",
    READING,
    summary=N_("Read a reading"),
    tag="readings",
    requirement="read",
    response=s.ReadingOut,
)
def get_reading(program_id: int, metric_id: int, reading_id: int) -> Response:
    _metric, reading = _reading(get_program(program_id), metric_id, reading_id)
    return json_response(dump(s.ReadingOut, reading))


@operation(
    "PATCH",
    READING,
    summary=N_("Change a reading"),
    tag="readings",
    requirement="edit",
    body=s.ReadingUpdate,
    response=s.ReadingOut,
    aliases=READING_ALIASES,
    read_only={"id": "read-only", "metric_id": "read-only"},
    default_field="version",
)
def update_reading(
    program_id: int, metric_id: int, reading_id: int, body: s.ReadingUpdate
) -> Response:
    program = get_program(program_id)
    metric, reading = _reading(program, metric_id, reading_id)
    sent = body.model_fields_set
    metric_service.update_reading(
        program,
        metric,
        reading,
        body.day if "day" in sent else reading.day,
        body.value if "value" in sent else reading.value,
        body.note if "note" in sent else reading.note,
        body.version,
    )
    return json_response(dump(s.ReadingOut, reading))


@operation(
    "DELETE",
    READING,
    summary=N_("Delete a reading"),
    tag="readings",
    requirement="edit",
    query=s.VersionQuery,
    status=204,
)
def delete_reading(
    program_id: int, metric_id: int, reading_id: int, query: s.VersionQuery
) -> Response:
    metric, reading = _reading(get_program(program_id), metric_id, reading_id)
    check_version(reading, query.version)
    metric_service.delete_reading(metric, reading)
    return no_content()
