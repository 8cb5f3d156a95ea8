"""Adoption metrics: define and edit them, record and import readings, judge their status."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import planner.models.gate  # noqa: F401  (registers the gate tables until models/__init__ does)
import planner.models.metric  # noqa: F401
from planner.domain.errors import ImportFormatError, NotFoundError, Problem, ValidationError
from planner.domain.explain import Explanation
from planner.domain.metrics import (
    Glide,
    MetricDef,
    MetricStatus,
    PhaseSpan,
    Reading,
    StatusRule,
    format_number,
    metric_number_problems,
    metric_status,
    validate_reading,
)
from planner.extensions import db
from planner.interop.messages import N_, Message
from planner.interop.readings import ReadingTable
from planner.models.gate import GateCriterion
from planner.models.metric import (
    DEFAULT_AMBER_TOLERANCE,
    DEFAULT_SCHEDULE_TOLERANCE_DAYS,
    Metric,
    MetricReading,
    MetricTarget,
    StatusSettings,
)
from planner.models.plan import Phase
from planner.models.program import Program
from planner.services.concurrency import check_version

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_IMPORT_ROWS = 20_000


# --------------------------------------------------------------------------- translation


def is_percentage(unit: str) -> bool:
    return unit.strip() == "%"


def metric_def(metric: Metric) -> MetricDef:
    """The domain's view of a metric row."""
    return MetricDef(
        key=metric.key,
        name=metric.name,
        unit=metric.unit,
        direction=metric.direction,  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
        baseline=metric.baseline,
        targets={t.phase_ordinal: t.target for t in metric.targets},
        is_percentage=is_percentage(metric.unit),
        glide=_glide(metric.glide),
    )


def _glide(text: str | None) -> Glide:
    """The stored glide path; one that no longer reads (edited by hand) is linear."""
    try:
        return Glide.parse(text)
    except ValidationError:
        return Glide()


def readings_of(metric: Metric) -> list[Reading]:
    return [Reading(r.day, r.value, r.note) for r in metric.readings]


def phase_spans(program: Program) -> list[PhaseSpan]:
    return [PhaseSpan(p.ordinal, p.window_start, p.window_end) for p in program.phases]


def program_window(program: Program) -> tuple[date, date]:
    """First and last day of the program (the diagnosis start to the last gate)."""
    phases = program.phases
    if not phases:
        return program.start_date, program.start_date
    return phases[0].window_start, phases[-1].window_end


def settings_for(program: Program) -> StatusSettings:
    """The program's status rules; a transient row with the defaults if none is stored."""
    found = db.session.scalars(
        select(StatusSettings).where(StatusSettings.program_id == program.id)
    ).first()
    return found or default_settings(program.id)


def settings_by_program(program_ids: Iterable[int]) -> dict[int, StatusSettings]:
    """Status rules of many programs in one query (defaults where none is stored)."""
    ids = list(program_ids)
    found = {
        s.program_id: s
        for s in db.session.scalars(
            select(StatusSettings).where(StatusSettings.program_id.in_(ids))
        )
    }
    return {pid: found.get(pid) or default_settings(pid) for pid in ids}


def default_settings(program_id: int) -> StatusSettings:
    return StatusSettings(
        program_id=program_id,
        amber_tolerance=DEFAULT_AMBER_TOLERANCE,
        schedule_tolerance_days=DEFAULT_SCHEDULE_TOLERANCE_DAYS,
    )


def rule_for(metric: Metric, settings: StatusSettings) -> StatusRule:
    """The metric's own amber tolerance, else the program's."""
    tolerance = metric.amber_tolerance
    return StatusRule(settings.amber_tolerance if tolerance is None else tolerance)


def judge(
    program: Program,
    metric: Metric,
    today: date,
    settings: StatusSettings,
    phase_ordinal: int | None = None,
) -> MetricStatus:
    return metric_status(
        metric_def(metric),
        readings_of(metric),
        phase_spans(program),
        today,
        rule_for(metric, settings),
        phase_ordinal=phase_ordinal,
    )


# --------------------------------------------------------------------------- reading


def metrics_loaded(program: Program) -> list[Metric]:
    """The program's metrics with their targets and readings (three queries in all)."""
    return list(
        db.session.scalars(
            select(Metric)
            .where(Metric.program_id == program.id)
            .options(selectinload(Metric.targets), selectinload(Metric.readings))
            .order_by(Metric.id)
        )
    )


@dataclass(frozen=True)
class MetricRow:
    metric: Metric
    definition: MetricDef
    status: MetricStatus
    rule: StatusRule
    rule_text: Explanation | None  # the rule spelled out (explain_text words it)
    readings: list[Reading] = field(default_factory=list)


def metric_rows(program: Program, today: date) -> list[MetricRow]:
    """Every metric judged on ``today`` against the current phase's target."""
    settings = settings_for(program)
    spans = phase_spans(program)
    rows = []
    for metric in metrics_loaded(program):
        definition = metric_def(metric)
        readings = readings_of(metric)
        rule = rule_for(metric, settings)
        judged = metric_status(definition, readings, spans, today, rule)
        around = judged.path_value if judged.path_value is not None else judged.target
        text = rule.describe(definition, around) if around is not None else None
        rows.append(MetricRow(metric, definition, judged, rule, text, readings))
    return rows


def get_metric(program: Program, metric_id: int) -> Metric:
    metric = db.session.scalars(
        select(Metric)
        .where(Metric.id == metric_id, Metric.program_id == program.id)
        .options(selectinload(Metric.targets), selectinload(Metric.readings))
    ).first()
    if metric is None:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return metric


def get_reading(metric: Metric, reading_id: int) -> MetricReading:
    reading = db.session.get(MetricReading, reading_id)
    if reading is None or reading.metric_id != metric.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return reading


# --------------------------------------------------------------------------- metrics


@dataclass(frozen=True)
class MetricInput:
    key: str
    name: str
    unit: str
    direction: str
    name_zh: str | None = None
    baseline: float | None = None
    owner: str | None = None
    data_source: str | None = None
    description: str | None = None
    description_zh: str | None = None
    amber_tolerance: float | None = None  # fraction; None = the program's setting
    targets: Mapping[int, float | None] = field(default_factory=dict)
    #: linear, s-curve, or steps (keeps the steps stored); None leaves the glide path as it is
    glide: str | None = None


def save_metric(
    program: Program,
    data: MetricInput,
    metric: Metric | None = None,
    version: int | str | None = None,
) -> Metric:
    """Create a metric (``metric`` None) or change one; refuses with field errors."""
    if metric is not None:
        check_version(metric, version)
    key = data.key.strip()
    errors: list[Problem] = []
    if not KEY_PATTERN.match(key):
        errors.append(Problem("key", "metric.key_pattern"))
    elif key != (metric.key if metric else None):
        clash = db.session.scalars(
            select(Metric.id).where(Metric.program_id == program.id, Metric.key == key)
        ).first()
        if clash is not None:
            errors.append(Problem("key", "metric.key_taken", {"key": key}))
    if not data.name.strip():
        errors.append(Problem("name", "metric.name_required"))
    if data.direction not in ("higher", "lower"):
        errors.append(Problem("direction", "metric.direction_choose"))
    ordinals = {p.ordinal for p in program.phases}
    targets = {k: v for k, v in data.targets.items() if v is not None}
    for ordinal in targets:
        if ordinal not in ordinals:
            errors.append(Problem(f"target_{ordinal}", "metric.no_phase", {"phase": str(ordinal)}))
    if data.amber_tolerance is not None:
        try:
            StatusRule(data.amber_tolerance)
        except ValidationError as exc:
            errors.extend(exc.problems)
    errors.extend(_form_field(p) for p in metric_number_problems(data.baseline, targets))
    glide_text: str | None = None
    if data.glide is not None:
        stored_steps = metric is not None and (metric.glide or "").startswith("steps")
        if data.glide == "steps":
            if stored_steps:
                glide_text = metric.glide  # type: ignore[union-attr]  # a glide metric has its glide row
            else:
                errors.append(Problem("glide", "metric.glide.steps_from_playbook"))
        elif data.glide in ("linear", "s-curve"):
            glide_text = data.glide
        else:
            errors.append(Problem("glide", "metric.glide.choose", {"value": data.glide}))
    percentage = is_percentage(data.unit)
    if not errors:
        try:
            MetricDef(
                key,
                data.name.strip(),
                data.unit.strip(),
                data.direction,  # type: ignore[arg-type]  # the column's check constraint allows only the Literal's values
                data.baseline,
                targets,
                percentage,
            )
        except ValidationError as exc:
            errors.extend(_form_field(p) for p in exc.problems)
    if percentage and metric is not None:
        outside = [r for r in metric.readings if not 0 <= r.value <= 100]
        if outside:
            days = ", ".join(r.day.isoformat() for r in outside[:5])
            errors.append(
                Problem(
                    "unit", "metric.unit.readings_outside", {"count": len(outside), "days": days}
                )
            )
    if errors:
        raise ValidationError(problems=errors)

    if metric is None:
        metric = Metric(program_id=program.id, key=key)
        db.session.add(metric)
    elif metric.key != key:
        # criteria refer to metrics by key: follow the rename
        phase_ids = select(Phase.id).where(Phase.program_id == program.id)
        for criterion in db.session.scalars(
            select(GateCriterion).where(
                GateCriterion.phase_id.in_(phase_ids),
                GateCriterion.kind == "metric_target",
                GateCriterion.reference == metric.key,
            )
        ):
            criterion.reference = key
        metric.key = key
    metric.name = data.name.strip()
    metric.name_zh = _blank_none(data.name_zh)
    metric.unit = data.unit.strip()
    metric.direction = data.direction
    metric.baseline = data.baseline
    metric.owner = _blank_none(data.owner)
    metric.data_source = _blank_none(data.data_source)
    metric.description = _blank_none(data.description)
    metric.description_zh = _blank_none(data.description_zh)
    metric.amber_tolerance = data.amber_tolerance
    if glide_text is not None:
        metric.glide = glide_text
    by_ordinal = {t.phase_ordinal: t for t in metric.targets}
    for ordinal, value in sorted(targets.items()):
        if ordinal in by_ordinal:
            by_ordinal[ordinal].target = value
        else:
            metric.targets.append(MetricTarget(phase_ordinal=ordinal, target=value))
    for ordinal, row in by_ordinal.items():
        if ordinal not in targets:
            metric.targets.remove(row)
    db.session.flush()
    return metric


def _form_field(problem: Problem) -> Problem:
    """A problem of ``targets[2]`` (as the domain names it) on the form's ``target_2``."""
    if problem.field.startswith("targets["):
        field_name = "target_" + problem.field[len("targets[") : -1]
        return Problem(field_name, problem.code, problem.params)
    return problem


def _blank_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


# --------------------------------------------------------------------------- readings


def add_reading(
    program: Program, metric: Metric, day: object, value: object, note: str = ""
) -> MetricReading:
    """Record one reading; refused (nothing written) outside the program, non-numeric,
    a percentage outside 0–100, or on a day that already has one."""
    start, end = program_window(program)
    number = validate_reading(
        metric_def(metric), day, value, start, end, [r.day for r in metric.readings]
    )
    assert isinstance(day, date)
    reading = MetricReading(day=day, value=number, note=(note or "").strip())
    metric.readings.append(reading)
    db.session.flush()
    return reading


def update_reading(
    program: Program,
    metric: Metric,
    reading: MetricReading,
    day: object,
    value: object,
    note: str,
    version: int | str | None,
) -> MetricReading:
    check_version(reading, version)
    start, end = program_window(program)
    others = [r.day for r in metric.readings if r.id != reading.id]
    number = validate_reading(metric_def(metric), day, value, start, end, others)
    assert isinstance(day, date)
    reading.day = day
    reading.value = number
    reading.note = (note or "").strip()
    db.session.flush()
    return reading


def delete_reading(metric: Metric, reading: MetricReading) -> None:
    metric.readings.remove(reading)
    db.session.delete(reading)
    db.session.flush()


def import_readings(
    program: Program, table: ReadingTable, default_metric: Metric | None = None
) -> int:
    """Add every reading of ``table``, or none: every problem is reported as
    ``row N, column "X": ...`` and nothing is written. Returns how many were added."""
    errors: list[Problem] = list(table.errors)
    metrics = metrics_loaded(program)
    by_ref: dict[str, Metric] = {}
    for m in metrics:
        for ref in (m.key, m.name, m.name_zh):
            if ref:
                by_ref.setdefault(ref.strip().casefold(), m)
    if table.metric_column is None and default_metric is None:
        errors.append(Problem("columns", "metric.import.metric_column"))
    if len(table.rows) > MAX_IMPORT_ROWS:
        errors.append(
            Problem(
                "rows",
                "metric.import.too_many_rows",
                {"max": str(MAX_IMPORT_ROWS), "count": str(len(table.rows))},
            )
        )
    if not table.rows and not errors:
        errors.append(Problem("rows", "metric.import.no_rows"))
    if errors and not table.rows:
        raise ImportFormatError(problems=errors)

    start, end = program_window(program)
    stored = {m.id: [r.day for r in m.readings] for m in metrics}
    seen: dict[tuple[int, date], int] = {}
    accepted: list[tuple[Metric, date, float, str]] = []
    known = ", ".join(m.key for m in metrics)
    for raw in table.rows:
        metric = default_metric
        if table.metric_column is not None and raw.metric:
            metric = by_ref.get(raw.metric.strip().casefold())
            if metric is None:
                errors.append(
                    Problem(
                        _cell(raw.row, table.metric_column),
                        "metric.import.unknown_metric",
                        {"value": raw.metric.strip(), "known": known},
                    )
                )
                continue
            if default_metric is not None and metric.id != default_metric.id:
                errors.append(
                    Problem(
                        _cell(raw.row, table.metric_column),
                        "metric.import.other_metric",
                        {"into": default_metric.name, "name": metric.name},
                    )
                )
                continue
        if metric is None:
            where = _cell(raw.row, table.metric_column or "")
            errors.append(Problem(where, "metric.import.metric_required"))
            continue
        if raw.day is None:
            continue  # the reader already reported the unreadable date
        try:
            number = validate_reading(
                metric_def(metric), raw.day, raw.value, start, end, stored[metric.id]
            )
        except ValidationError as exc:
            for problem in exc.problems:
                column = table.date_column if problem.field == "date" else table.value_column
                errors.append(Problem(_cell(raw.row, column), problem.code, problem.params))
            continue
        earlier = seen.get((metric.id, raw.day))
        if earlier is not None:
            errors.append(
                Problem(
                    _cell(raw.row, table.date_column),
                    "metric.import.day_twice",
                    {"row": str(earlier), "name": metric.name, "day": raw.day.isoformat()},
                )
            )
            continue
        seen[(metric.id, raw.day)] = raw.row
        accepted.append((metric, raw.day, number, raw.note))
    if errors:
        errors.sort(key=_row_order)
        raise ImportFormatError(problems=errors)
    for metric, day, number, note in accepted:
        metric.readings.append(MetricReading(day=day, value=number, note=note.strip()))
    db.session.flush()
    return len(accepted)


def _cell(row: int, column: str) -> str:
    """Where in the file, worded in the reader's language where it is shown."""
    return Message(N_('row %(row)s, column "%(column)s"'), row=row, column=column)


def _row_order(problem: Problem) -> tuple[int, str]:
    row = getattr(problem.field, "params", {}).get("row", 0)
    return (row if isinstance(row, int) else 0, str(problem.field))


def all_readings(program: Program) -> list[tuple[Metric, MetricReading]]:
    """Every reading of the program with its metric, by metric then day (for export)."""
    return [(m, r) for m in metrics_loaded(program) for r in m.readings]


# --------------------------------------------------------------------------- settings


def update_settings(
    program: Program,
    amber_tolerance: float,
    schedule_tolerance_days: int,
    version: int | str | None,
) -> StatusSettings:
    """Change the program's status rules (amber tolerance as a fraction 0–1)."""
    settings = settings_for(program)
    stored = settings.id is not None
    if stored:
        check_version(settings, version)
    errors: list[Problem] = []
    try:
        StatusRule(amber_tolerance)
    except ValidationError:
        errors.append(
            Problem(
                "amber_tolerance",
                "metric.settings.amber",
                {"value": format_number(amber_tolerance * 100)},
            )
        )
    if not 0 <= schedule_tolerance_days <= 365:
        errors.append(
            Problem(
                "schedule_tolerance_days",
                "metric.settings.schedule_days",
                {"value": str(schedule_tolerance_days)},
            )
        )
    if errors:
        raise ValidationError(problems=errors)
    if not stored:
        db.session.add(settings)
    settings.amber_tolerance = amber_tolerance
    settings.schedule_tolerance_days = schedule_tolerance_days
    db.session.flush()
    return settings
