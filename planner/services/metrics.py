"""Adoption metrics: define and edit them, record and import readings, judge their status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import planner.models.gate  # noqa: F401  (registers the gate tables until models/__init__ does)
import planner.models.metric  # noqa: F401
from planner.domain.errors import ImportFormatError, NotFoundError, Problem, ValidationError
from planner.domain.explain import Explanation
from planner.domain.metric_edit import KEY_PATTERN, MetricInput, Stored, clean_metric
from planner.domain.metrics import (
    Glide,
    MetricDef,
    MetricStatus,
    PhaseSpan,
    Reading,
    StatusRule,
    format_number,
    metric_status,
    validate_reading,
)
from planner.extensions import db
from planner.interop.messages import N_, Message
from planner.interop.readings import RawReading, ReadingTable
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


def metric_rows(
    program: Program, today: date, metrics: Sequence[Metric] | None = None
) -> list[MetricRow]:
    """Every metric judged on ``today`` against the current phase's target.

    ``metrics``: the program's metrics with their targets and readings, when the caller has
    just loaded them (else read here, in three queries)."""
    settings = settings_for(program)
    spans = phase_spans(program)
    rows = []
    for metric in metrics_loaded(program) if metrics is None else metrics:
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


def save_metric(
    program: Program,
    data: MetricInput,
    metric: Metric | None = None,
    version: int | str | None = None,
) -> Metric:
    """Create a metric (``metric`` None) or change one; refuses with field errors (the rules:
    :func:`planner.domain.metric_edit.clean_metric`)."""
    if metric is not None:
        check_version(metric, version)
    key = data.key.strip()
    stored = Stored(
        ordinals={p.ordinal for p in program.phases},
        key_taken=bool(KEY_PATTERN.match(key))
        and key != (metric.key if metric else None)
        and _key_taken(program, key),
        glide=metric.glide if metric else None,
        # only a percentage is checked against them: not loaded for another unit
        readings=[(r.day, r.value) for r in metric.readings]
        if metric and is_percentage(data.unit)
        else (),
    )
    clean = clean_metric(data, stored)
    if metric is None:
        metric = Metric(program_id=program.id, key=clean.key)
        db.session.add(metric)
    elif metric.key != clean.key:
        _rename_in_criteria(program, metric.key, clean.key)
        metric.key = clean.key
    metric.name = clean.name
    metric.name_zh = _blank_none(data.name_zh)
    metric.unit = clean.unit
    metric.direction = data.direction
    metric.baseline = data.baseline
    metric.owner = _blank_none(data.owner)
    metric.data_source = _blank_none(data.data_source)
    metric.description = _blank_none(data.description)
    metric.description_zh = _blank_none(data.description_zh)
    metric.amber_tolerance = data.amber_tolerance
    if clean.glide is not None:
        metric.glide = clean.glide
    _set_targets(metric, clean.targets)
    db.session.flush()
    return metric


def _key_taken(program: Program, key: str) -> bool:
    clash = db.session.scalars(
        select(Metric.id).where(Metric.program_id == program.id, Metric.key == key)
    ).first()
    return clash is not None


def _rename_in_criteria(program: Program, old: str, new: str) -> None:
    """Criteria refer to metrics by key: follow the rename."""
    phase_ids = select(Phase.id).where(Phase.program_id == program.id)
    for criterion in db.session.scalars(
        select(GateCriterion).where(
            GateCriterion.phase_id.in_(phase_ids),
            GateCriterion.kind == "metric_target",
            GateCriterion.reference == old,
        )
    ):
        criterion.reference = new


def _set_targets(metric: Metric, targets: Mapping[int, float]) -> None:
    """The metric's target rows become ``targets``: changed, added, removed."""
    by_ordinal = {t.phase_ordinal: t for t in metric.targets}
    for ordinal, value in sorted(targets.items()):
        if ordinal in by_ordinal:
            by_ordinal[ordinal].target = value
        else:
            metric.targets.append(MetricTarget(phase_ordinal=ordinal, target=value))
    for ordinal, row in by_ordinal.items():
        if ordinal not in targets:
            metric.targets.remove(row)


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
    errors: list[Problem] = [*table.errors, *_table_problems(table, default_metric)]
    if errors and not table.rows:
        raise ImportFormatError(problems=errors)
    check = _RowCheck(program, table, default_metric, metrics_loaded(program))
    accepted = [reading for raw in table.rows if (reading := check.row(raw)) is not None]
    errors.extend(check.errors)
    if errors:
        errors.sort(key=_row_order)
        raise ImportFormatError(problems=errors)
    for metric, day, number, note in accepted:
        metric.readings.append(MetricReading(day=day, value=number, note=note.strip()))
    db.session.flush()
    return len(accepted)


def _table_problems(table: ReadingTable, default_metric: Metric | None) -> list[Problem]:
    """What is wrong with the table as a whole: no metric column, too many rows or none."""
    errors: list[Problem] = []
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
    if not table.rows and not errors and not table.errors:
        errors.append(Problem("rows", "metric.import.no_rows"))
    return errors


class _RowCheck:
    """Checks the rows of an import one by one, gathering their problems at their cells."""

    def __init__(
        self,
        program: Program,
        table: ReadingTable,
        default_metric: Metric | None,
        metrics: list[Metric],
    ) -> None:
        self.table = table
        self.default_metric = default_metric
        self.by_ref: dict[str, Metric] = {}
        for m in metrics:
            for ref in (m.key, m.name, m.name_zh):
                if ref:
                    self.by_ref.setdefault(ref.strip().casefold(), m)
        self.known = ", ".join(m.key for m in metrics)
        self.window = program_window(program)
        self.stored = {m.id: [r.day for r in m.readings] for m in metrics}
        # each metric's definition once, not once per row (its glide path is parsed)
        self.definitions = {m.id: metric_def(m) for m in metrics}
        self.seen: dict[tuple[int, date], int] = {}
        self.errors: list[Problem] = []

    def row(self, raw: RawReading) -> tuple[Metric, date, float, str] | None:
        """The row's reading, or None (its problem noted, or its date already reported)."""
        metric = self._metric(raw)
        if metric is None or raw.day is None:  # the reader reported an unreadable date
            return None
        start, end = self.window
        try:
            number = validate_reading(
                self.definitions[metric.id], raw.day, raw.value, start, end, self.stored[metric.id]
            )
        except ValidationError as exc:
            for problem in exc.problems:
                table = self.table
                column = table.date_column if problem.field == "date" else table.value_column
                self.errors.append(Problem(_cell(raw.row, column), problem.code, problem.params))
            return None
        earlier = self.seen.get((metric.id, raw.day))
        if earlier is not None:
            params = {"row": str(earlier), "name": metric.name, "day": raw.day.isoformat()}
            where = _cell(raw.row, self.table.date_column)
            self.errors.append(Problem(where, "metric.import.day_twice", params))
            return None
        self.seen[(metric.id, raw.day)] = raw.row
        return metric, raw.day, number, raw.note

    def _metric(self, raw: RawReading) -> Metric | None:
        """The row's metric: named in its column, else the one imported into."""
        column = self.table.metric_column
        if column is None or not raw.metric:
            if self.default_metric is None:
                where = _cell(raw.row, column or "")
                self.errors.append(Problem(where, "metric.import.metric_required"))
            return self.default_metric
        metric = self.by_ref.get(raw.metric.strip().casefold())
        if metric is None:
            params = {"value": raw.metric.strip(), "known": self.known}
            self.errors.append(
                Problem(_cell(raw.row, column), "metric.import.unknown_metric", params)
            )
        elif self.default_metric is not None and metric.id != self.default_metric.id:
            params = {"into": self.default_metric.name, "name": metric.name}
            self.errors.append(
                Problem(_cell(raw.row, column), "metric.import.other_metric", params)
            )
            return None
        return metric


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
