"""Reading the plan for the Gantt, table and phase views: a fixed number of queries.

Rows are read as plain columns (no ORM objects, no lazy loads), decorated with the status,
the variance against a chosen baseline and the predecessors, filtered, and ordered by phase
and workstream. Whatever the plan's size, a page costs the same handful of statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.calendar import WorkCalendar, WorkdayIndex
from planner.domain.errors import NotFoundError
from planner.domain.gates import phase_progress
from planner.domain.schedule import NO_DATE, paused_gc
from planner.extensions import db
from planner.models import CalendarException, Phase, Program
from planner.models.baseline import Baseline, BaselineItem
from planner.ops.cache import derived
from planner.services.gate_drivers import PlanPoints, gate_drivers, plan_points
from planner.services.plan_rows import NO_FLOAT, SHOWN, PlanRows, dates, load_plan_rows
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

Int64Array = npt.NDArray[np.int64]

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

    def learn(self, ordinals: Int64Array) -> Int64Array:
        """The working-day index of each of these date ordinals (``NO_DATE``: -1), and
        every distinct day remembered, in one vectorised lookup."""
        out = np.full(len(ordinals), -1, np.int64)
        dated = ordinals != NO_DATE
        days, where = np.unique(ordinals[dated], return_inverse=True)
        found = self.index.indices(days)
        days_seen: list[date] = dates(days)  # type: ignore[assignment]  # every one a day: NO_DATE left out
        self.known.update(zip(days_seen, found.tolist(), strict=True))
        out[dated] = found[where]
        return out


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


def _item_rows(plan: PlanRows, phase_by_id: Mapping[int, PhaseInfo], lang: str) -> list[PlanRow]:
    """Every work item as a plan row, made a column at a time from the loaded columns."""
    values, computed = plan.values, plan.computed
    zh = lang == "zh"
    labels = [
        ((name_zh or name) if zh else (name or name_zh)) or ""
        for name, name_zh in zip(values["name"], values["name_zh"], strict=True)
    ]
    phases = [phase_by_id[phase_id] for phase_id in values["phase_id"]]
    owners = zip(values["owner"], values["owner_role"], strict=True)
    shown_owners = [owner or role for owner, role in owners]

    def floats(k: int) -> list[int | None]:
        return [None if f == NO_FLOAT else f for f in computed[:, k].tolist()]

    return list(
        map(
            PlanRow,
            values["id"],
            values["key"],
            labels,
            values["kind"],
            values["phase_id"],
            [phase.key for phase in phases],
            [phase.ordinal for phase in phases],
            values["workstream"],
            shown_owners,
            values["duration_days"],
            values["percent_complete"],
            dates(values["actual_start"]),
            dates(values["actual_finish"]),
            values["constraint_type"],
            dates(values["constraint_date"]),
            *(dates(computed[:, k]) for k in range(4)),
            floats(4),
            floats(5),
            computed[:, 6].astype(bool).tolist(),
            values["position"],
        )
    )


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


_READS_START = {"SS": 1, "SF": 1}
_BINDS_START = {"FS": 1, "SS": 1}


def _links(plan: PlanRows, rows: list[PlanRow], points: PlanPoints) -> list[LinkRow]:
    """The dependencies between loaded rows (each successor learns its predecessors); a link
    is critical when it drives its successor along the critical path (worked out for every
    link at once from the rows' working-day points)."""
    m = len(plan.link_type)
    if not m or not rows:
        return []
    pred, succ, known = points.predecessor, points.successor, points.known
    start = np.where(points.milestone, points.finish, points.start)
    eligible = points.dated & (plan.computed[:, 6] != 0)
    reads_start = np.fromiter(map(_READS_START.get, plan.link_type, [0] * m), bool, m)
    binds_start = np.fromiter(map(_BINDS_START.get, plan.link_type, [0] * m), bool, m)
    source = np.where(reads_start, start[pred], points.finish[pred])
    target = np.where(binds_start, start[succ], points.finish[succ])
    critical = eligible[pred] & eligible[succ] & (source + plan.link_lag == target)
    links: list[LinkRow] = []
    for p, s, type_, lag, crit, ok in zip(
        pred.tolist(),
        succ.tolist(),
        plan.link_type,
        plan.link_lag.tolist(),
        critical.tolist(),
        known.tolist(),
        strict=True,
    ):
        if not ok:
            continue
        predecessor, successor = rows[p], rows[s]
        successor.predecessors.append(predecessor.key + _link_label(type_, lag))
        links.append(LinkRow(predecessor.id, successor.id, type_, lag, crit))
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
    visible = [row for row in rows if filters.matches(row)] if filters.active else rows[:]
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
    with paused_gc():  # an object per item and link, none cyclic: collections would walk them
        return _read_plan_rows(program, filters, baseline_id, lang, today)


def _read_plan_rows(
    program: Program, filters: Filters, baseline_id: int | None, lang: str, today: date
) -> PlanView:
    phases = _phase_infos(program, lang)
    phase_by_id = {p.id: p for p in phases}
    baselines, chosen = _baselines(program, baseline_id)
    plan = load_plan_rows(program.id, SHOWN)
    rows = _item_rows(plan, phase_by_id, lang)
    by_id = {row.id: row for row in rows}
    index = _calendar(program.id, program.workdays).index(program.start_date)
    wd = _Workdays(index)
    if chosen is not None:
        _compare_with(chosen, by_id, wd)
    _set_statuses(rows, phase_by_id)
    points = plan_points(plan, index)
    links = _links(plan, rows, points)
    members_of: dict[int, list[PlanRow]] = {phase.id: [] for phase in phases}
    for row in rows:
        members_of[row.phase_id].append(row)
    for phase in phases:
        _roll_up(phase, members_of[phase.id], wd)
    drivers = gate_drivers(phases, plan, points, index)
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
