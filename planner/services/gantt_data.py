"""The Gantt page's data: what the chart draws and edits, as compact JSON text cached per
program revision.

The chart needs less than the plan views: no predecessor texts, no per-phase counts or
progress, no variances beyond "late". So it reads its own plain columns (one statement per
table, no ORM objects) straight after a change, and decorates them with the same rules as
:mod:`planner.services.plan_view` (status, overrun, baseline, critical links, what drives
each gate through :func:`planner.services.gate_drivers.gate_drivers`); the payload's parity
with the plan view is checked by the unit tests.

Every change writes an audit event, so a new revision (and a new payload) follows each
edit; readers of the same revision, filters and language share one computation.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.charts.gantt_data import DataCalendar, DataLink, gantt_columns
from planner.domain.calendar import WorkCalendar, WorkdayIndex
from planner.domain.errors import NotFoundError
from planner.domain.schedule import paused_gc
from planner.extensions import db
from planner.models import CalendarException, Dependency, Phase, Program, WorkItem
from planner.models.baseline import Baseline, BaselineItem
from planner.ops.cache import derived
from planner.services.gate_drivers import GateDriver, gate_drivers, plan_points
from planner.services.plan_rows import load_plan_rows
from planner.services.plan_view_types import Filters
from planner.services.scheduling import reschedule, status_date_of


class GanttItem(NamedTuple):
    """A work item as the chart draws it (a tuple: 10,000 are made per payload)."""

    id: int
    key: str
    name: str
    kind: str
    phase_id: int
    phase_key: str
    phase_ordinal: int
    workstream: str | None
    owner: str | None
    duration: int
    percent: int
    actual_start: date | None
    actual_finish: date | None
    constraint_type: str | None
    constraint_date: date | None
    early_start: date | None
    early_finish: date | None
    total_float: int | None
    free_float: int | None
    critical: bool
    position: int
    version: int
    status: str
    baseline_start: date | None
    baseline_finish: date | None


class GanttWindow(NamedTuple):
    """A phase's window, its items' finish and overrun, and what drives its gate."""

    id: int
    key: str
    ordinal: int
    kind: str
    name: str
    window_start: date
    window_end: date
    finish: date | None
    overrun_days: int
    driver: GateDriver | None


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
    "early_start",
    "early_finish",
    "total_float",
    "free_float",
    "is_critical",
    "position",
    "version",
)


class _Plan(NamedTuple):
    items: list[GanttItem]
    links: list[DataLink]
    phases: list[GanttWindow]
    calendar: WorkCalendar


def gantt_payload(
    program: Program,
    *,
    filters: Filters,
    baseline_id: int | None,
    lang: str,
    today: date | None = None,
) -> str:
    """The JSON text of :func:`gantt_data` (cached per program revision)."""

    def compute() -> str:
        data = gantt_data(program, filters=filters, baseline_id=baseline_id, lang=lang, today=today)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    return derived("gantt-data", program.id, compute, filters.as_args(), baseline_id, lang, today)


def gantt_data(
    program: Program,
    *,
    filters: Filters,
    baseline_id: int | None,
    lang: str,
    today: date | None = None,
) -> dict[str, Any]:
    """The columns of :func:`planner.charts.gantt_data.gantt_columns` for ``program``, the
    rows the filters keep in the plan's order (phase, workstream, start). ``baseline_id``
    None compares with the newest baseline, 0 with none. A schedule that went stale is
    brought up to date first (the caller commits)."""
    today = today or date.today()
    with paused_gc():  # tens of thousands of tuples, none cyclic
        plan = _read(program, baseline_id, lang, today, check=True)
    if plan is None:  # stale: brought up to date as refresh_if_stale would, then read
        reschedule(program, today)
        db.session.flush()
        with paused_gc():
            plan = _read(program, baseline_id, lang, today, check=False)
        assert plan is not None
    with paused_gc():
        return _columns(program, plan, filters, today)


def _columns(program: Program, plan: _Plan, filters: Filters, today: date) -> dict[str, Any]:
    shown = _shown(plan.items, filters)
    done = {item.id for item in plan.items if item.status == "done"}
    driving = frozenset(
        item_id
        for phase in plan.phases
        if phase.driver is not None and phase.driver.gate_float <= 0
        for item_id in phase.driver.chain_ids
        if item_id not in done
    )
    calendar = plan.calendar
    data = gantt_columns(
        shown,
        plan.links,  # those with an end filtered out are left out
        plan.phases,
        versions={item.id: item.version for item in shown},
        driving=driving,
        calendar=DataCalendar(calendar.workdays, calendar.holidays, calendar.extra_workdays),
        today=today,
        status_date=status_date_of(program, today),
        finish=max((i.early_finish for i in plan.items if i.early_finish), default=None),
    )
    data["revisionOf"] = program.id
    return data


def _read(
    program: Program, baseline_id: int | None, lang: str, today: date, *, check: bool
) -> _Plan | None:
    """The plan's items, links, phases and calendar; None when ``check`` finds the stored
    schedule stale for the status date."""
    connection = db.session.connection()
    zh = lang == "zh"
    p = Phase.__table__.c
    phase_rows = connection.execute(
        select(p.id, p.key, p.ordinal, p.kind, p.name, p.name_zh, p.window_start, p.window_end)
        .where(p.program_id == program.id)
        .order_by(p.ordinal)
    ).all()
    calendar = _calendar(program)
    index = calendar.index(program.start_date)
    wd = _workday_numbers(index)
    baseline = _baseline_dates(program, baseline_id)
    status = status_date_of(program, today)
    items, stale = _items(program.id, {row[0]: row for row in phase_rows}, baseline, status, wd, zh)
    if stale and check:
        return None
    by_id = {item.id: item for item in items}
    links = _links(_dependencies(program), by_id, wd)
    # the driving chains from the one loader of plan rows, as the plan pages find them
    rows = load_plan_rows(program.id, ("kind",))
    drivers = gate_drivers(
        [_PhaseId(row[0], row[7]) for row in phase_rows], rows, plan_points(rows, index), index
    )
    return _Plan(items, links, _phases(phase_rows, items, drivers, zh), calendar)


def _workday_numbers(index: WorkdayIndex) -> Callable[[date], int]:
    """A day's working-day number from the program's start (each distinct day looked up once:
    plans repeat a few hundred dates)."""
    known: dict[date, int] = {}

    def wd(day: date) -> int:
        found = known.get(day)
        if found is None:
            found = known[day] = index.index(day)
        return found

    return wd


def _items(
    program_id: int,
    phase_of: dict[int, Any],
    baseline: Mapping[int, tuple[date | None, date | None]],
    status: date,
    wd: Callable[[date], int],
    zh: bool,
) -> tuple[list[GanttItem], bool]:
    """The chart's items in plan order, each with its state, and whether the stored schedule
    is stale for the status date (one pass over plain rows: a plan has thousands)."""
    t = WorkItem.__table__.c
    query = (
        select(*(t[name] for name in _ITEM_COLUMNS))
        .where(t.program_id == program_id)
        .order_by(t.position, t.id)
    )
    items: list[GanttItem] = []
    append = items.append
    make = tuple.__new__
    stale = False
    for v in db.session.connection().execute(query).all():
        phase = phase_of[v[5]]
        actual_start, actual_finish, early_start, early_finish = v[11], v[12], v[15], v[16]
        if actual_start is None and (early_start is None or early_start < status):
            stale = True  # remaining work planned before the status date (is_stale's rule)
        bs = bf = None
        if early_start is not None and early_finish is not None and v[0] in baseline:
            bs, bf = baseline[v[0]]
        if actual_finish is not None:
            state = "done"
        elif (
            (v[17] is not None and v[17] < 0)
            or (early_finish is not None and early_finish > phase[7])  # overrun
            # later than the baseline by working days (an earlier date never is)
            or (bf is not None and early_finish > bf and wd(early_finish) > wd(bf))
        ):
            state = "late"
        elif actual_start is not None:
            state = "in_progress"
        else:
            state = "not_started"
        name = ((v[3] or v[2]) if zh else (v[2] or v[3])) or ""
        head = (v[0], v[1], name, v[4], v[5], phase[1], phase[2], v[6], v[7] or v[8])
        append(make(GanttItem, head + v[9:19] + (bool(v[19]), v[20], v[21], state, bs, bf)))
    return items, stale


@dataclass(slots=True)
class _PhaseId:
    id: int
    window_end: date


def _calendar(program: Program) -> WorkCalendar:
    c = CalendarException.__table__.c
    exceptions = (
        db.session.connection()
        .execute(select(c.day, c.working).where(c.program_id == program.id))
        .all()
    )
    return WorkCalendar(
        workdays=frozenset(int(digit) - 1 for digit in program.workdays),
        holidays=frozenset(day for day, working in exceptions if not working),
        extra_workdays=frozenset(day for day, working in exceptions if working),
    )


def _baseline_dates(
    program: Program, baseline_id: int | None
) -> Mapping[int, tuple[date | None, date | None]]:
    """Item id → (start, finish) in the baseline compared with (the newest when None)."""
    if baseline_id == 0:
        return {}
    b = Baseline.__table__.c
    if baseline_id is None:
        chosen = (
            db.session.connection()
            .execute(
                select(b.id)
                .where(b.program_id == program.id)
                .order_by(b.taken_at.desc(), b.id.desc())
                .limit(1)
            )
            .scalar()
        )
        if chosen is None:
            return {}
    else:
        chosen = (
            db.session.connection()
            .execute(select(b.id).where(b.id == baseline_id, b.program_id == program.id))
            .scalar()
        )
        if chosen is None:
            raise NotFoundError.of("", "row.not_found")
    i = BaselineItem.__table__.c
    rows = db.session.connection().execute(
        select(i.work_item_id, i.start, i.finish).where(
            i.baseline_id == chosen, i.work_item_id.is_not(None)
        )
    )
    return {item_id: (start, finish) for item_id, start, finish in rows.all()}


def _dependencies(program: Program) -> list[Any]:
    d = Dependency.__table__.c
    return list(
        db.session.connection()
        .execute(
            select(d.id, d.predecessor_id, d.successor_id, d.type, d.lag_days)
            .where(d.program_id == program.id)
            .order_by(d.id)
        )
        .all()
    )


def _links(
    dependency_rows: Iterable[Any], by_id: Mapping[int, GanttItem], wd: Any
) -> list[DataLink]:
    """The dependencies between items; a link is critical when it drives its successor
    along the critical path (the plan view's rule)."""

    def point(item: GanttItem) -> tuple[int, int]:
        assert item.early_start is not None and item.early_finish is not None
        finish = wd(item.early_finish) + 1
        return (finish if item.kind == "milestone" else wd(item.early_start), finish)

    links: list[DataLink] = []
    for dep_id, pred_id, succ_id, type_, lag in dependency_rows:
        pred, succ = by_id.get(pred_id), by_id.get(succ_id)
        if pred is None or succ is None:
            continue
        lag = lag or 0
        critical = False
        if pred.critical and succ.critical and pred.early_start and succ.early_start:
            p_start, p_finish = point(pred)
            s_start, s_finish = point(succ)
            source = p_start if type_ in ("SS", "SF") else p_finish
            target = s_start if type_ in ("FS", "SS") else s_finish
            critical = source + lag == target
        links.append(DataLink(dep_id, pred_id, succ_id, type_, lag, critical))
    return links


def _phases(
    phase_rows: Sequence[Any],
    items: Sequence[GanttItem],
    drivers: Mapping[int, GateDriver],
    zh: bool,
) -> list[GanttWindow]:
    finish: dict[int, date] = {}
    for item in items:
        day = item.early_finish
        if day is not None and (item.phase_id not in finish or day > finish[item.phase_id]):
            finish[item.phase_id] = day
    phases = []
    for id_, key, ordinal, kind, name, name_zh, start, end in phase_rows:
        last = finish.get(id_)
        phases.append(
            GanttWindow(
                id_,
                key,
                ordinal,
                kind,
                ((name_zh or name) if zh else (name or name_zh)) or "",
                start,
                end,
                last,
                (last - end).days if last is not None and last > end else 0,
                drivers.get(id_),
            )
        )
    return phases


def _shown(items: list[GanttItem], filters: Filters) -> list[GanttItem]:
    """The items the filters keep, by phase, workstream, start and place (the plan view's
    order and filters)."""
    visible = [item for item in items if filters.matches(item)] if filters.active else items[:]
    visible.sort(
        key=lambda item: (
            item.phase_ordinal,
            item.workstream is None,
            item.workstream or "",
            item.early_start or date.max,
            item.position,
        )
    )
    return visible
