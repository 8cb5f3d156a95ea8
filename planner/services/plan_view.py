"""Reading the plan for the Gantt, table and phase views: a fixed number of queries.

Rows are read as plain columns (no ORM objects, no lazy loads), decorated with the status,
the variance against a chosen baseline and the predecessors, filtered, and ordered by phase
and workstream. Whatever the plan's size, a page costs the same handful of statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.calendar import WorkCalendar, WorkdayIndex
from planner.domain.errors import NotFoundError
from planner.domain.gates import phase_progress
from planner.domain.schedule_fields import SCHEDULE_FIELDS
from planner.extensions import db
from planner.models import CalendarException, Dependency, Phase, Program, WorkItem
from planner.models.baseline import Baseline, BaselineItem
from planner.ops.cache import derived
from planner.services.gate_drivers import gate_drivers
from planner.services.plan_view_types import (
    NO_WORKSTREAM,
    STATUSES,
    BaselineInfo,
    Filters,
    LinkRow,
    PhaseInfo,
    PlanRow,
    PlanView,
)
from planner.services.scheduling import refresh_if_stale, status_date_of

__all__ = [
    "BaselineInfo",
    "DEFAULT_SORT",
    "Filters",
    "LinkRow",
    "NO_WORKSTREAM",
    "PhaseInfo",
    "PlanRow",
    "PlanView",
    "SORT_KEYS",
    "STATUSES",
    "load_plan",
    "sort_rows",
]


def _calendar(program_id: int, workdays: str) -> WorkCalendar:
    exceptions = db.session.execute(
        select(CalendarException.day, CalendarException.working).where(
            CalendarException.program_id == program_id
        )
    ).all()
    return WorkCalendar(
        workdays=frozenset(int(digit) - 1 for digit in workdays),
        holidays=frozenset(day for day, working in exceptions if not working),
        extra_workdays=frozenset(day for day, working in exceptions if working),
    )


def _link_label(type_: str, lag: int) -> str:
    if type_ == "FS" and lag == 0:
        return ""
    return f" {type_}{lag:+d}" if lag else f" {type_}"


def load_plan(
    program: Program,
    *,
    filters: Filters | None = None,
    baseline_id: int | None = None,
    lang: str = "en",
    today: date | None = None,
) -> PlanView:
    """The plan of ``program`` for the views.

    ``baseline_id`` None compares with the newest baseline, 0 with none. The stored schedule
    is refreshed first when the status date (today, by default) made it stale; the caller
    commits when ``refreshed`` is true.
    """
    filters = filters or Filters()
    today = today or date.today()
    refreshed = refresh_if_stale(program, today) is not None
    if refreshed:
        db.session.flush()
    # a room full of readers shares one computation per program revision (and the
    # cache is bypassed when this transaction has just written, as after a refresh)
    shared = derived(
        "plan-view",
        program.id,
        lambda: replace(_read_plan(program, filters, baseline_id, lang, today), program=None),
        filters.as_args(),
        baseline_id,
        lang,
        today,
    )
    return replace(shared, program=program, refreshed=refreshed)


#: the work item columns a plan row is read from, in PlanRow's order from ``duration_days``
_ITEM_COLUMNS = (
    "id",
    "key",
    "name",
    "name_zh",
    "kind",
    "phase_id",
    "workstream",
    "owner",
    "owner_role",
    "duration_days",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "constraint_type",
    "constraint_date",
    *SCHEDULE_FIELDS,
    "position",
)


class _Workdays:
    """Working days before a day since the program's start (differences are working-day
    spans), each day looked up once."""

    def __init__(self, index: WorkdayIndex) -> None:
        self.index = index
        self.known: dict[date, int] = {}

    def __call__(self, day: date) -> int:
        found = self.known.get(day)
        if found is None:
            found = self.known[day] = self.index.index(day)
        return found


def _phase_infos(program: Program, lang: str) -> list[PhaseInfo]:
    zh = lang == "zh"

    def pick(en: str | None, other: str | None) -> str:
        return ((other or en) if zh else (en or other)) or ""

    phase_rows = db.session.scalars(
        select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)
    ).all()
    return [
        PhaseInfo(
            id=p.id,
            key=p.key,
            ordinal=p.ordinal,
            kind=p.kind,
            name=pick(p.name, p.name_zh),
            goal=pick(p.goal, p.goal_zh),
            window_start=p.window_start,
            window_end=p.window_end,
        )
        for p in phase_rows
    ]


def _baselines(program: Program, baseline_id: int | None) -> tuple[list[BaselineInfo], Any]:
    """The program's baselines, newest first, and the one compared with (None: none)."""
    baselines = [
        BaselineInfo(*row)
        for row in db.session.execute(
            select(
                Baseline.id, Baseline.name, Baseline.taken_at, Baseline.taken_by, Baseline.version
            )
            .where(Baseline.program_id == program.id)
            .order_by(Baseline.taken_at.desc(), Baseline.id.desc())
        )
    ]
    if baseline_id is None:
        return baselines, (baselines[0] if baselines else None)
    if baseline_id == 0:
        return baselines, None
    chosen = next((b for b in baselines if b.id == baseline_id), None)
    if chosen is None:
        raise NotFoundError.of("", "row.not_found")
    return baselines, chosen


def _item_rows(program: Program, phase_by_id: Mapping[int, PhaseInfo], lang: str) -> list[PlanRow]:
    """Every work item as a plan row, from Core rows rather than ORM entities: thousands of
    items load in a few milliseconds."""
    zh = lang == "zh"
    t = WorkItem.__table__.c
    query = (
        select(*(t[name] for name in _ITEM_COLUMNS))
        .where(t.program_id == program.id)
        .order_by(t.position, t.id)
    )
    rows: list[PlanRow] = []
    append = rows.append
    for values in db.session.connection().execute(query).all():
        id_, key, name, name_zh, kind, phase_id, workstream, owner, owner_role = values[:9]
        phase = phase_by_id[phase_id]
        label = ((name_zh or name) if zh else (name or name_zh)) or ""
        (duration, percent, actual_start, actual_finish, constraint_type, constraint_date) = values[
            9:15
        ]
        early_start, early_finish, late_start, late_finish, total_float, free_float = values[15:21]
        append(
            PlanRow(
                id_,
                key,
                label,
                kind,
                phase_id,
                phase.key,
                phase.ordinal,
                workstream,
                owner or owner_role,
                duration,
                percent,
                actual_start,
                actual_finish,
                constraint_type,
                constraint_date,
                early_start,
                early_finish,
                late_start,
                late_finish,
                total_float,
                free_float,
                bool(values[21]),
                values[22],
            )
        )
    return rows


def _compare_with(chosen: BaselineInfo, by_id: Mapping[int, PlanRow], wd: _Workdays) -> None:
    b = BaselineItem.__table__.c
    baseline_rows = db.session.connection().execute(
        select(b.work_item_id, b.start, b.finish).where(
            b.baseline_id == chosen.id, b.work_item_id.is_not(None)
        )
    )
    for item_id, start, finish in baseline_rows.all():
        row = by_id.get(item_id)
        if row is None or row.early_start is None or row.early_finish is None:
            continue
        row.baseline_start = start
        row.baseline_finish = finish
        row.start_variance = wd(row.early_start) - wd(start)
        row.finish_variance = wd(row.early_finish) - wd(finish)


def _set_statuses(rows: list[PlanRow], phase_by_id: Mapping[int, PhaseInfo]) -> None:
    for row in rows:
        phase = phase_by_id[row.phase_id]
        if row.early_finish is not None and row.early_finish > phase.window_end:
            row.overrun_days = (row.early_finish - phase.window_end).days
        if row.actual_finish is not None:
            row.status = "done"
        elif (
            (row.total_float is not None and row.total_float < 0)
            or row.overrun_days > 0
            or (row.finish_variance is not None and row.finish_variance > 0)
        ):
            row.status = "late"
        elif row.actual_start is not None:
            row.status = "in_progress"
        else:
            row.status = "not_started"


def _links(
    dependency_rows: Sequence[Any], by_id: Mapping[int, PlanRow], wd: _Workdays
) -> list[LinkRow]:
    """The dependencies between loaded rows (each successor learns its predecessors); a link
    is critical when it drives its successor along the critical path."""

    def point(row: PlanRow) -> tuple[int, int]:
        assert row.early_start is not None and row.early_finish is not None
        finish = wd(row.early_finish) + 1
        return (finish if row.is_milestone else wd(row.early_start), finish)

    links: list[LinkRow] = []
    for pred_id, succ_id, type_, lag in dependency_rows:
        pred, succ = by_id.get(pred_id), by_id.get(succ_id)
        if pred is None or succ is None:
            continue
        succ.predecessors.append(pred.key + _link_label(type_, lag))
        critical = False
        if pred.critical and succ.critical and pred.early_start and succ.early_start:
            p_start, p_finish = point(pred)
            s_start, s_finish = point(succ)
            source = p_start if type_ in ("SS", "SF") else p_finish
            target = s_start if type_ in ("FS", "SS") else s_finish
            critical = source + lag == target
        links.append(LinkRow(pred_id, succ_id, type_, lag, critical))
    return links


def _roll_up(phase: PhaseInfo, members: list[PlanRow], wd: _Workdays) -> None:
    """A phase's counts, finish, overruns, progress and slip from its items."""
    phase.items = len(members)
    late: list[tuple[str, int]] = []
    finish = baseline_finish = None
    weights: list[tuple[int, int]] = []
    slipped = 0
    for row in members:
        phase.counts[row.status] += 1
        weights.append((row.duration, row.percent))
        if row.early_finish is not None and (finish is None or row.early_finish > finish):
            finish = row.early_finish
        if row.overrun_days > 0:
            late.append((row.key, row.overrun_days))
        if row.baseline_finish is not None:
            if baseline_finish is None or row.baseline_finish > baseline_finish:
                baseline_finish = row.baseline_finish
            if (row.finish_variance or 0) > 0:
                slipped += 1
        if row.kind == "milestone":
            phase.milestones.append(row)
    late.sort(key=lambda pair: -pair[1])
    phase.finish = finish
    phase.overrun_items = late
    phase.overrun_days = late[0][1] if late else 0
    phase.progress = phase_progress(weights)
    if baseline_finish is not None and finish is not None:
        phase.baseline_finish = baseline_finish
        phase.finish_variance = wd(finish) - wd(baseline_finish)
        phase.slipped_items = slipped


def _shown(rows: list[PlanRow], filters: Filters) -> list[PlanRow]:
    """The rows the filters keep, by phase, workstream, start and place."""
    visible = [row for row in rows if _matches(row, filters)] if filters.active else rows[:]
    visible.sort(
        key=lambda row: (
            row.phase_ordinal,
            row.workstream is None,
            row.workstream or "",
            row.early_start or date.max,
            row.position,
        )
    )
    return visible


def _latest(days: Iterable[date | None]) -> date | None:
    found = [day for day in days if day]
    return max(found) if found else None


def _read_plan(
    program: Program, filters: Filters, baseline_id: int | None, lang: str, today: date
) -> PlanView:
    phases = _phase_infos(program, lang)
    phase_by_id = {p.id: p for p in phases}
    baselines, chosen = _baselines(program, baseline_id)
    rows = _item_rows(program, phase_by_id, lang)
    by_id = {row.id: row for row in rows}
    index = _calendar(program.id, program.workdays).index(program.start_date)
    wd = _Workdays(index)
    if chosen is not None:
        _compare_with(chosen, by_id, wd)
    d = Dependency.__table__.c
    dependency_rows = (
        db.session.connection()
        .execute(
            select(d.predecessor_id, d.successor_id, d.type, d.lag_days)
            .where(d.program_id == program.id)
            .order_by(d.id)
        )
        .all()
    )
    _set_statuses(rows, phase_by_id)
    links = _links(dependency_rows, by_id, wd)
    members_of: dict[int, list[PlanRow]] = {phase.id: [] for phase in phases}
    for row in rows:
        members_of[row.phase_id].append(row)
    for phase in phases:
        _roll_up(phase, members_of[phase.id], wd)
    drivers = gate_drivers(phases, rows, dependency_rows, index, wd)
    for phase in phases:
        phase.driver = drivers.get(phase.id)
    finish = _latest(row.early_finish for row in rows)
    baseline_finish = _latest(row.baseline_finish for row in rows)
    visible = _shown(rows, filters)
    shown = {row.id for row in visible}
    return PlanView(
        program=program,
        phases=phases,
        rows=visible,
        all_rows=rows,
        links=[link for link in links if {link.predecessor_id, link.successor_id} <= shown],
        all_links=len(links),
        filters=filters,
        baselines=baselines,
        baseline=chosen,
        workstreams=sorted({row.workstream for row in rows if row.workstream}),
        owners=sorted({row.owner for row in rows if row.owner}),
        status_date=status_date_of(program, today),
        today=today,
        finish=finish,
        baseline_finish=baseline_finish,
        finish_variance=wd(finish) - wd(baseline_finish) if finish and baseline_finish else None,
        critical_count=sum(1 for row in rows if row.critical),
        refreshed=False,
    )


def _matches(row: PlanRow, filters: Filters) -> bool:
    if filters.phase and row.phase_key != filters.phase:
        return False
    if filters.workstream:
        wanted = None if filters.workstream == "-" else filters.workstream
        if row.workstream != wanted:
            return False
    if filters.owner and row.owner != filters.owner:
        return False
    if filters.critical and not row.critical:
        return False
    return not (filters.late and row.status != "late")


# --------------------------------------------------------------------------- sorting


SORT_KEYS: dict[str, Any] = {
    "key": lambda r: r.key.lower(),
    "name": lambda r: r.name.lower(),
    "phase": lambda r: (r.phase_ordinal, r.position),
    "workstream": lambda r: (r.workstream is None, r.workstream or ""),
    "owner": lambda r: (r.owner is None, (r.owner or "").lower()),
    "duration": lambda r: r.duration,
    "percent": lambda r: r.percent,
    "start": lambda r: r.early_start or date.max,
    "finish": lambda r: r.early_finish or date.max,
    "late_start": lambda r: r.late_start or date.max,
    "late_finish": lambda r: r.late_finish or date.max,
    "float": lambda r: r.total_float if r.total_float is not None else 10**9,
    "free_float": lambda r: r.free_float if r.free_float is not None else 10**9,
    "status": lambda r: STATUSES.index(r.status),
    "variance": lambda r: r.finish_variance if r.finish_variance is not None else -(10**9),
}
DEFAULT_SORT = "start"


def sort_rows(rows: list[PlanRow], sort: str, descending: bool) -> list[PlanRow]:
    """Rows sorted by a column of the table (stable; ties keep the plan order)."""
    key = SORT_KEYS.get(sort, SORT_KEYS[DEFAULT_SORT])
    ordered = sorted(rows, key=lambda r: (r.phase_ordinal, r.early_start or date.max, r.position))
    return sorted(ordered, key=key, reverse=descending)
