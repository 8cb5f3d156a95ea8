"""Adoption by team, region and module: the program's dimension values and user → team
lookup, readings and targets per cell with their roll-up to the program figure, and the
team × module matrix against the playbook's module adoption tiers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import delete, func, select

from planner.domain.adoption import (
    Cell,
    Matrix,
    MatrixCell,
    MatrixModule,
    build_matrix,
    inherited_target,
    lagging,
    rollup,
)
from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.metrics import current_phase, path_value, status, validate_reading
from planner.domain.playbook import Adoption
from planner.extensions import db
from planner.models import Metric, MetricReading, Program
from planner.models.adoption import (
    DIMENSION_KINDS,
    CellReading,
    CellTarget,
    DimensionValue,
    UserTeam,
)
from planner.services.concurrency import check_version
from planner.services.metrics import (
    metric_def,
    phase_spans,
    program_window,
    rule_for,
    settings_for,
)

MODULE_METRIC = "module-adoption"
TRAINING_METRIC = "training-completion"
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

#: Metrics the planner creates when adoption data first needs them: key → (name en, name zh,
#: unit, description en, description zh).
BUILT_IN: dict[str, tuple[str, str, str, str, str]] = {
    MODULE_METRIC: (
        "Module adoption (% of a team's CRM users using the module in the week)",
        "模块采纳率（团队中当周使用该模块的CRM用户百分比）",
        "%",
        "Computed from imported CRM usage logs, per team and module; judged against the "
        "playbook's module adoption tiers.",
        "根据导入的CRM使用日志按团队和模块计算；对照实施手册的模块采纳层级进行判断。",
    ),
    TRAINING_METRIC: (
        "Training completion (% of invited users who attended)",
        "培训完成率（参加培训的受邀用户百分比）",
        "%",
        "Attendance of the training sessions per team and module.",
        "按团队和模块统计的培训出席情况。",
    ),
}


def adoption_model(program: Program) -> Adoption | None:
    """The module adoption tiers of the program's playbook (None when it has none)."""
    from planner.services.playbooks import get_playbook

    try:
        playbook = get_playbook(program.playbook_id, program.playbook_version)
    except Exception:  # a playbook no longer installed: no tiers, not an error page
        return None
    return playbook.adoption


def values(program: Program, kind: str) -> list[DimensionValue]:
    return list(
        db.session.scalars(
            select(DimensionValue)
            .where(DimensionValue.program_id == program.id, DimensionValue.kind == kind)
            .order_by(DimensionValue.position, DimensionValue.key)
        )
    )


def labels(program: Program, kind: str, lang: str) -> dict[str, str]:
    """Key → label in ``lang`` of a dimension's values."""
    zh = lang.startswith("zh")
    return {v.key: ((v.label_zh if zh else None) or v.label) for v in values(program, kind)}


def save_value(
    program: Program,
    kind: str,
    key: str,
    label: str,
    label_zh: str = "",
    users: int | None = None,
    value: DimensionValue | None = None,
    version: int | str | None = None,
) -> DimensionValue:
    """Add or change a team, region or module of the program."""
    problems: list[Problem] = []
    key = key.strip()
    if kind not in DIMENSION_KINDS:
        problems.append(Problem("kind", "field.not_a_choice", {"value": kind}))
    if not KEY.match(key):
        problems.append(Problem("key", "adoption.key_pattern", {"value": key}))
    elif value is None or value.key != key:
        clash = db.session.scalar(
            select(DimensionValue.id).where(
                DimensionValue.program_id == program.id,
                DimensionValue.kind == kind,
                DimensionValue.key == key,
            )
        )
        if clash is not None:
            problems.append(Problem("key", "field.taken", {"value": key}))
    if not label.strip():
        problems.append(Problem("label", "field.required"))
    if users is not None and not 0 <= users <= 1_000_000:
        problems.append(Problem("users", "field.out_of_range", {"min": 0, "max": 1_000_000}))
    if problems:
        raise ValidationError(problems=problems)
    if value is None:
        position = len(values(program, kind))
        value = DimensionValue(program_id=program.id, kind=kind, position=position)
        db.session.add(value)
    else:
        check_version(value, version)
    value.key, value.label = key, label.strip()
    value.label_zh = label_zh.strip() or None
    value.users = users
    db.session.flush()
    return value


def user_teams(program: Program) -> dict[str, str]:
    rows = db.session.execute(
        select(UserTeam.user_name, UserTeam.team).where(UserTeam.program_id == program.id)
    )
    return {user: team for user, team in rows}


def get_value(program: Program, value_id: int | None) -> DimensionValue | None:
    """A team or region of the program (None for no id); NotFoundError for another's."""
    if value_id is None:
        return None
    value = db.session.get(DimensionValue, value_id)
    if value is None or value.program_id != program.id:
        raise NotFoundError.of("value", "row.not_found")
    return value


def delete_value(program: Program, value_id: int, version: int | str | None) -> None:
    """Remove a team or region; the users mapped to it are unmapped (its past cell readings
    stay: they are history)."""
    value = get_value(program, value_id)
    assert value is not None
    check_version(value, version)
    column = UserTeam.team if value.kind == "team" else UserTeam.region
    for row in db.session.scalars(
        select(UserTeam).where(UserTeam.program_id == program.id, column == value.key)
    ):
        if value.kind == "team":
            db.session.delete(row)
        else:
            row.region = ""
    db.session.delete(value)
    db.session.flush()


def user_team_rows(program: Program) -> list[tuple[str, str, str]]:
    """The lookup as ``(user, team, region)`` rows, by team then user."""
    rows = db.session.execute(
        select(UserTeam.user_name, UserTeam.team, UserTeam.region)
        .where(UserTeam.program_id == program.id)
        .order_by(UserTeam.team, UserTeam.user_name)
    )
    return [(u, t, r) for u, t, r in rows]


def replace_user_teams(program: Program, rows: Iterable[tuple[str, str, str]]) -> int:
    """Replace the user → team lookup with ``(user, team, region)`` rows; every team and
    region must be a value of the program. Returns how many users are mapped."""
    teams = {v.key for v in values(program, "team")}
    regions = {v.key for v in values(program, "region")} | {""}
    seen: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for line, (user, team, region) in enumerate(rows, start=1):
        user, team, region = user.strip(), team.strip(), region.strip()
        if not user:
            continue
        if team not in teams:
            problems.append(
                Problem(f"line {line}", "adoption.unknown_team", {"line": line, "value": team})
            )
        elif region not in regions:
            problems.append(
                Problem(f"line {line}", "adoption.unknown_region", {"line": line, "value": region})
            )
        seen[user] = (team, region)
    if problems:
        raise ValidationError(problems=problems)
    db.session.execute(delete(UserTeam).where(UserTeam.program_id == program.id))
    for user, (team, region) in seen.items():
        db.session.add(UserTeam(program_id=program.id, user_name=user, team=team, region=region))
    db.session.flush()
    return len(seen)


def team_users(program: Program) -> dict[str, int]:
    """Each team's CRM users: its typed count, else the users mapped to it."""
    mapped = dict(
        db.session.execute(
            select(UserTeam.team, func.count())
            .where(UserTeam.program_id == program.id)
            .group_by(UserTeam.team)
        ).all()
    )
    return {
        v.key: (v.users if v.users is not None else int(mapped.get(v.key, 0)))
        for v in values(program, "team")
    }


def ensure_metric(program: Program, key: str) -> Metric:
    """The program's metric ``key``; a built-in one (module adoption, training completion) is
    created the first time it is needed."""
    metric = db.session.scalar(
        select(Metric).where(Metric.program_id == program.id, Metric.key == key)
    )
    if metric is not None:
        return metric
    name, name_zh, unit, text, text_zh = BUILT_IN[key]
    metric = Metric(
        program_id=program.id,
        key=key,
        name=name,
        name_zh=name_zh,
        unit=unit,
        direction="higher",
        baseline=0,
        description=text,
        description_zh=text_zh,
    )
    db.session.add(metric)
    db.session.flush()
    return metric


# --------------------------------------------------------------------------- cells


def add_cell_reading(
    program: Program,
    metric: Metric,
    day: object,
    cell: Cell,
    value: object,
    users: int,
    note: str = "",
) -> CellReading:
    """Record (or replace) one cell's reading and roll the day's team cells up into the
    metric's program reading."""
    check_cell(program, cell)
    start, end = program_window(program)
    number = validate_reading(metric_def(metric), day, value, start, end, [])
    assert isinstance(day, date)
    if users < 0:
        raise ValidationError.of("users", "field.out_of_range", min=0, max=1_000_000)
    team, region, module = cell
    row = db.session.scalar(
        select(CellReading).where(
            CellReading.metric_id == metric.id,
            CellReading.day == day,
            CellReading.team == team,
            CellReading.region == region,
            CellReading.module == module,
        )
    )
    if row is None:
        row = CellReading(metric_id=metric.id, day=day, team=team, region=region, module=module)
        db.session.add(row)
    row.value, row.users, row.note = number, users, note.strip()
    db.session.flush()
    roll_up(metric, [day])
    return row


def check_cell(program: Program, cell: Cell) -> None:
    """Refuse a cell naming a team, region or module the program does not have."""
    problems: list[Problem] = []
    for kind, key in zip(DIMENSION_KINDS, cell, strict=True):
        if key and key not in {v.key for v in values(program, kind)}:
            if kind == "module" and key in _playbook_modules(program):
                continue
            problems.append(Problem(kind, "field.unknown_reference", {"value": key}))
    if problems:
        raise ValidationError(problems=problems)


def _playbook_modules(program: Program) -> set[str]:
    model = adoption_model(program)
    return {m.key for m in model.modules} if model else set()


def roll_up(metric: Metric, days: Iterable[date], note: str = "") -> int:
    """Write the program figure of each day from its team cells (region and module "all"),
    weighted by users; a day without team cells is left alone. Returns days written.

    The cells of all the days are read in one query, and the new figures are flushed
    together: a query and a flush per day were most of an import's roll-up. A changed
    figure is flushed on its own, after the new ones before it, so the audit trail lists
    the days in their order, as it did when each day's read flushed the day before."""
    wanted = sorted(set(days))
    if not wanted:
        db.session.flush()
        return 0
    cells = _team_cells(metric, wanted)
    stored: dict[date, MetricReading] = {}
    for reading in metric.readings:
        stored.setdefault(reading.day, reading)
    written = 0
    pending = False
    for day in wanted:
        figure = rollup(cells.get(day, ()))
        if figure is None:
            continue
        reading = stored.get(day)
        if reading is None:
            metric.readings.append(MetricReading(day=day, value=figure, note=note))
        else:
            if pending:
                db.session.flush()
            reading.value = figure
            reading.note = note or reading.note
            db.session.flush()
        pending = reading is None
        written += 1
    db.session.flush()
    return written


#: days read per query (an IN list of bound parameters)
_DAYS_PER_QUERY = 500


def _team_cells(metric: Metric, days: list[date]) -> dict[date, list[tuple[float, int]]]:
    """Each day's team cells as ``(value, users)``, by team: the order one day's query read
    them in (the unique index's), so the weighted sums are the same to the last bit."""
    out: dict[date, list[tuple[float, int]]] = {}
    for start in range(0, len(days), _DAYS_PER_QUERY):
        rows = db.session.execute(
            select(CellReading.day, CellReading.value, CellReading.users)
            .where(
                CellReading.metric_id == metric.id,
                CellReading.day.in_(days[start : start + _DAYS_PER_QUERY]),
                CellReading.team != "",
                CellReading.region == "",
                CellReading.module == "",
            )
            .order_by(CellReading.day, CellReading.team)
        )
        for day, value, users in rows:
            out.setdefault(day, []).append((value, users))
    return out


def set_cell_target(metric: Metric, cell: Cell, phase_ordinal: int, target: float | None) -> None:
    """Give a cell its own phase target (None removes it: the cell inherits again)."""
    team, region, module = cell
    row = db.session.scalar(
        select(CellTarget).where(
            CellTarget.metric_id == metric.id,
            CellTarget.team == team,
            CellTarget.region == region,
            CellTarget.module == module,
            CellTarget.phase_ordinal == phase_ordinal,
        )
    )
    if target is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(
            CellTarget(
                metric_id=metric.id,
                team=team,
                region=region,
                module=module,
                phase_ordinal=phase_ordinal,
                target=target,
            )
        )
    else:
        row.target = target
    db.session.flush()


@dataclass(frozen=True)
class CellRow:
    cell: Cell
    day: date
    value: float
    users: int
    target: float | None
    inherited: bool
    rag: str | None = None  # against the glide path (else the target), as metrics are judged
    path: float | None = None  # the cell's glide path on the reading's day


def cell_rows(program: Program, metric: Metric) -> list[CellRow]:
    """Each cell's latest reading with its target (own or inherited) for the phase the
    reading falls in, its glide path on that day (the metric's shape, from the cell's own
    targets), and its status against that path."""
    spans = phase_spans(program)
    definition = metric_def(metric)
    rule = rule_for(metric, settings_for(program))
    targets: dict[Cell, dict[int, float]] = {}
    for t in db.session.scalars(select(CellTarget).where(CellTarget.metric_id == metric.id)):
        targets.setdefault((t.team, t.region, t.module), {})[t.phase_ordinal] = t.target
    metric_targets = {t.phase_ordinal: t.target for t in metric.targets}
    out: list[CellRow] = []
    for row in _latest_cells(metric):
        cell = (row.team, row.region, row.module)
        phase = current_phase(spans, row.day)
        ordinal = phase.ordinal if phase else 0
        target, source = inherited_target(targets, metric_targets, cell, ordinal)
        own = {
            s.ordinal: t
            for s in spans
            if (t := inherited_target(targets, metric_targets, cell, s.ordinal)[0]) is not None
        }
        cell_def = replace(definition, targets=own)
        path = path_value(cell_def, spans, phase, row.day) if phase else target
        judged = path if path is not None else target
        rag = status(cell_def, row.value, judged, rule) if judged is not None else None
        out.append(CellRow(cell, row.day, row.value, row.users, target, source != cell, rag, path))
    return sorted(out, key=lambda r: r.cell)


def _latest_cells(metric: Metric) -> list[CellReading]:
    """The latest reading of each of the metric's cells."""
    latest = (
        select(CellReading.team, CellReading.region, CellReading.module, func.max(CellReading.day))
        .where(CellReading.metric_id == metric.id)
        .group_by(CellReading.team, CellReading.region, CellReading.module)
        .subquery()
    )
    query = select(CellReading).join(
        latest,
        (CellReading.team == latest.c.team)
        & (CellReading.region == latest.c.region)
        & (CellReading.module == latest.c.module)
        & (CellReading.day == latest.c[3]),
    )
    return list(db.session.scalars(query.where(CellReading.metric_id == metric.id)))


# --------------------------------------------------------------------------- matrix


@dataclass(frozen=True)
class MatrixView:
    matrix: Matrix
    week: date | None
    previous_week: date | None
    team_labels: dict[str, str]
    module_labels: dict[str, str]
    tier_labels: dict[str, str]
    tier_of: dict[str, str]
    lagging: MatrixCell | None

    def team_label(self, key: str) -> str:
        return self.team_labels.get(key, key)

    def module_label(self, key: str) -> str:
        return self.module_labels.get(key, key)

    def modules_of(self, tier: str) -> list[str]:
        """The names of the tier's modules, in the playbook's order."""
        return [self.module_label(m.key) for m in self.matrix.modules if m.tier == tier]


def matrix_view(program: Program, lang: str) -> MatrixView | None:
    """The team × module matrix of the two latest weeks with module readings (None when the
    playbook defines no adoption tiers)."""
    model = adoption_model(program)
    if model is None:
        return None
    shares = {t.key: t.min_share for t in model.tiers}
    modules = [MatrixModule(m.key, m.tier, shares[m.tier]) for m in model.modules]
    teams = labels(program, "team", lang)
    metric = db.session.scalar(
        select(Metric).where(Metric.program_id == program.id, Metric.key == MODULE_METRIC)
    )
    days: list[date] = []
    if metric is not None:
        days = list(
            db.session.scalars(
                select(CellReading.day)
                .where(CellReading.metric_id == metric.id, CellReading.team != "")
                .distinct()
                .order_by(CellReading.day.desc())
                .limit(2)
            )
        )
    latest = _module_cells(metric, days[0]) if days else {}
    before = _module_cells(metric, days[1]) if len(days) > 1 else {}
    matrix = build_matrix(list(teams), modules, latest, before, team_users(program))
    return MatrixView(
        matrix,
        days[0] if days else None,
        days[1] if len(days) > 1 else None,
        teams,
        {m.key: m.name.get(lang) for m in model.modules},
        {t.key: t.label.get(lang) for t in model.tiers},
        {m.key: m.tier for m in model.modules},
        lagging(matrix),
    )


def _module_cells(metric: Metric | None, day: date) -> dict[tuple[str, str], float]:
    if metric is None:
        return {}
    rows = db.session.execute(
        select(CellReading.team, CellReading.module, CellReading.value).where(
            CellReading.metric_id == metric.id,
            CellReading.day == day,
            CellReading.team != "",
            CellReading.module != "",
            CellReading.region == "",
        )
    )
    return {(team, module): value for team, module, value in rows}
