"""Reading the plan for the Gantt, table and phase views: a fixed number of queries.

Rows are read as plain columns (no ORM objects, no lazy loads), decorated with the status,
the variance against a chosen baseline and the predecessors, filtered, and ordered by phase
and workstream. Whatever the plan's size, a page costs the same handful of statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.calendar import WorkCalendar
from planner.domain.gates import phase_progress
from planner.extensions import db
from planner.models import CalendarException, Dependency, Phase, Program, WorkItem
from planner.models.baseline import Baseline, BaselineItem
from planner.ops.cache import derived
from planner.services.gate_drivers import GateDriver, gate_drivers
from planner.services.scheduling import refresh_if_stale, status_date_of

STATUSES = ("done", "in_progress", "not_started", "late")
NO_WORKSTREAM = ""


# --------------------------------------------------------------------------- filters


def _flag(value: Any) -> bool:
    return str(value or "").lower() in ("1", "true", "on", "yes")


@dataclass(frozen=True)
class Filters:
    """Which items a view shows; each is a query argument so pages work without JavaScript."""

    phase: str | None = None
    workstream: str | None = None
    owner: str | None = None
    critical: bool = False
    late: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        def text(name: str) -> str | None:
            value = str(args.get(name) or "").strip()
            return value[:200] or None

        return cls(
            phase=text("phase"),
            workstream=text("workstream"),
            owner=text("owner"),
            critical=_flag(args.get("critical")),
            late=_flag(args.get("late")),
        )

    @property
    def active(self) -> bool:
        return bool(self.phase or self.workstream or self.owner or self.critical or self.late)

    def as_args(self) -> dict[str, str]:
        args = {}
        for name in ("phase", "workstream", "owner"):
            value = getattr(self, name)
            if value:
                args[name] = value
        if self.critical:
            args["critical"] = "1"
        if self.late:
            args["late"] = "1"
        return args


# --------------------------------------------------------------------------- rows


@dataclass
class PlanRow:
    """One work item as the views show it."""

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
    late_start: date | None
    late_finish: date | None
    total_float: int | None
    free_float: int | None
    critical: bool
    position: int
    status: str = "not_started"
    overrun_days: int = 0
    baseline_start: date | None = None
    baseline_finish: date | None = None
    start_variance: int | None = None
    finish_variance: int | None = None
    predecessors: list[str] = field(default_factory=list)

    @property
    def is_milestone(self) -> bool:
        return self.kind == "milestone"

    @property
    def predecessors_text(self) -> str:
        return ", ".join(self.predecessors)


@dataclass(frozen=True)
class LinkRow:
    predecessor_id: int
    successor_id: int
    type: str
    lag: int
    critical: bool


@dataclass
class PhaseInfo:
    """A phase with its window, its items' roll-up and its variance against the baseline."""

    id: int
    key: str
    ordinal: int
    kind: str
    name: str
    goal: str
    window_start: date
    window_end: date
    finish: date | None = None
    overrun_days: int = 0
    overrun_items: list[tuple[str, int]] = field(default_factory=list)
    progress: float = 0.0
    baseline_finish: date | None = None
    finish_variance: int | None = None
    slipped_items: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    milestones: list[PlanRow] = field(default_factory=list)
    items: int = 0
    driver: GateDriver | None = None  # what drives the gate (the chain of driving links)

    @property
    def gate_date(self) -> date:
        return self.window_end


@dataclass(frozen=True)
class BaselineInfo:
    id: int
    name: str
    taken_at: datetime
    taken_by: str
    version: int


@dataclass
class PlanView:
    program: Program | None  # None only inside the shared cache
    phases: list[PhaseInfo]
    rows: list[PlanRow]  # filtered, grouped by phase and workstream
    all_rows: list[PlanRow]
    links: list[LinkRow]  # between visible rows
    all_links: int
    filters: Filters
    baselines: list[BaselineInfo]
    baseline: BaselineInfo | None
    workstreams: list[str]
    owners: list[str]
    status_date: date
    today: date
    finish: date | None
    baseline_finish: date | None
    finish_variance: int | None
    critical_count: int
    refreshed: bool

    @property
    def by_id(self) -> dict[int, PlanRow]:
        return {row.id: row for row in self.all_rows}

    @property
    def overrunning_phases(self) -> list[PhaseInfo]:
        return [phase for phase in self.phases if phase.overrun_days > 0]

    @property
    def driving_ids(self) -> frozenset[int]:
        """Items not done on a chain that drives a gate with no float left (highlighted in
        the Gantt): what the team can still act on."""
        done = {row.id for row in self.all_rows if row.status == "done"}
        return frozenset(
            item_id
            for phase in self.phases
            if phase.driver is not None and phase.driver.gate_float <= 0
            for item_id in phase.driver.chain_ids
            if item_id not in done
        )


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


def _read_plan(
    program: Program, filters: Filters, baseline_id: int | None, lang: str, today: date
) -> PlanView:
    from planner.domain.errors import NotFoundError

    status = status_date_of(program, today)

    phase_rows = db.session.scalars(
        select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)
    ).all()
    zh = lang == "zh"

    def pick(en: str | None, other: str | None) -> str:
        return ((other or en) if zh else (en or other)) or ""

    phases = [
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
    phase_by_id = {p.id: p for p in phases}

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
    chosen: BaselineInfo | None
    if baseline_id is None:
        chosen = baselines[0] if baselines else None
    elif baseline_id == 0:
        chosen = None
    else:
        chosen = next((b for b in baselines if b.id == baseline_id), None)
        if chosen is None:
            raise NotFoundError("no such baseline in this program")

    t = WorkItem.__table__.c
    query = (
        select(
            t.id,
            t.key,
            t.name,
            t.name_zh,
            t.kind,
            t.phase_id,
            t.workstream,
            t.owner,
            t.owner_role,
            t.duration_days,
            t.percent_complete,
            t.actual_start,
            t.actual_finish,
            t.constraint_type,
            t.constraint_date,
            t.early_start,
            t.early_finish,
            t.late_start,
            t.late_finish,
            t.total_float,
            t.free_float,
            t.is_critical,
            t.position,
        )
        .where(t.program_id == program.id)
        .order_by(t.position, t.id)
    )
    # Core rows, not ORM entities: thousands of items load in a few milliseconds
    connection = db.session.connection()
    rows: list[PlanRow] = []
    append = rows.append
    for (
        id_,
        key,
        name,
        name_zh,
        kind,
        phase_id,
        workstream,
        owner,
        owner_role,
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
        is_critical,
        position,
    ) in connection.execute(query).all():
        phase = phase_by_id[phase_id]
        append(
            PlanRow(
                id_,
                key,
                ((name_zh or name) if zh else (name or name_zh)) or "",
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
                bool(is_critical),
                position,
            )
        )
    by_id = {row.id: row for row in rows}

    calendar = _calendar(program.id, program.workdays)
    index = calendar.index(program.start_date)
    day_index: dict[date, int] = {}

    def wd(day: date) -> int:
        """Working days before ``day`` since the start; differences are working-day spans."""
        found = day_index.get(day)
        if found is None:
            found = day_index[day] = index.index(day)
        return found

    if chosen is not None:
        b = BaselineItem.__table__.c
        baseline_rows = connection.execute(
            select(b.work_item_id, b.start, b.finish).where(
                b.baseline_id == chosen.id, b.work_item_id.is_not(None)
            )
        ).all()
        for item_id, start, finish in baseline_rows:
            row = by_id.get(item_id)
            if row is None or row.early_start is None or row.early_finish is None:
                continue
            row.baseline_start = start
            row.baseline_finish = finish
            row.start_variance = wd(row.early_start) - wd(start)
            row.finish_variance = wd(row.early_finish) - wd(finish)

    d = Dependency.__table__.c
    dependency_rows = connection.execute(
        select(d.predecessor_id, d.successor_id, d.type, d.lag_days)
        .where(d.program_id == program.id)
        .order_by(d.id)
    ).all()

    # statuses and phase roll-ups over every item
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

    def point(row: PlanRow) -> tuple[int, int]:
        finish = wd(row.early_finish) + 1  # type: ignore[arg-type]  # a scheduled row has its dates
        return (finish if row.is_milestone else wd(row.early_start), finish)  # type: ignore[arg-type]  # a scheduled row has its dates

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

    members_of: dict[int, list[PlanRow]] = {phase.id: [] for phase in phases}
    for row in rows:
        members_of[row.phase_id].append(row)
    for phase in phases:
        members = members_of[phase.id]
        phase.items = len(members)
        counts = phase.counts
        late: list[tuple[str, int]] = []
        finish = baseline_finish = None
        weights: list[tuple[int, int]] = []
        slipped = 0
        for row in members:
            counts[row.status] += 1
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

    drivers = gate_drivers(phases, rows, dependency_rows, index, wd)
    for phase in phases:
        phase.driver = drivers.get(phase.id)

    workstream_names = sorted({row.workstream for row in rows if row.workstream})
    owners = sorted({row.owner for row in rows if row.owner})
    finishes = [row.early_finish for row in rows if row.early_finish]
    finish = max(finishes) if finishes else None
    baseline_finishes = [row.baseline_finish for row in rows if row.baseline_finish]
    baseline_finish = max(baseline_finishes) if baseline_finishes else None
    finish_variance = wd(finish) - wd(baseline_finish) if finish and baseline_finish else None

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
    shown = {row.id for row in visible}
    visible_links = [
        link for link in links if link.predecessor_id in shown and link.successor_id in shown
    ]
    return PlanView(
        program=program,
        phases=phases,
        rows=visible,
        all_rows=rows,
        links=visible_links,
        all_links=len(links),
        filters=filters,
        baselines=baselines,
        baseline=chosen,
        workstreams=workstream_names,
        owners=owners,
        status_date=status,
        today=today,
        finish=finish,
        baseline_finish=baseline_finish,
        finish_variance=finish_variance,
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
