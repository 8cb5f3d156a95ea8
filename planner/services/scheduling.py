"""Schedule a program: rows → domain activities → critical path → computed columns.

Two translation rules live here because they are about how a program maps onto the
scheduler, not about scheduling itself:

* every item starts no earlier than its phase's window start (phases are time boxes: a
  phase-2 task without predecessors still waits for phase 2);
* the status date is the program's ``status_date`` or, when none is set, today — remaining
  work is never planned in the past.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import networkx as nx
from sqlalchemy import bindparam, select, update

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import DependencyCycleError, ValidationError
from planner.domain.lags import elapsed_working_days, lag_working_days
from planner.domain.schedule import (
    MAX_LAG,
    Activity,
    Link,
    PhaseWindow,
    ScheduleResult,
    schedule,
)
from planner.extensions import db
from planner.models import Dependency, Phase, Program, WorkItem

COMPUTED_COLUMNS = (
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float",
    "free_float",
    "is_critical",
)


@dataclass(frozen=True)
class Move:
    """An item whose computed dates changed in a reschedule."""

    key: str
    name: str
    old_start: date | None
    new_start: date
    old_finish: date | None
    new_finish: date

    @property
    def finish_shift_days(self) -> int | None:
        if self.old_finish is None:
            return None
        return (self.new_finish - self.old_finish).days


@dataclass(frozen=True)
class Network:
    """A program's plan as loaded in two queries: items (with phases) and dependencies."""

    program: Program
    items: list[WorkItem]
    dependencies: list[Dependency]

    @property
    def by_id(self) -> dict[int, WorkItem]:
        return {item.id: item for item in self.items}


@dataclass(frozen=True)
class Outcome:
    result: ScheduleResult
    moves: list[Move]
    # the program's finish before this reschedule (None when nothing was scheduled yet)
    previous_finish: date | None = None

    @property
    def finish(self) -> date:
        return self.result.finish


def program_calendar(program: Program) -> WorkCalendar:
    """The program's working calendar (weekday digits Monday=1 → domain's Monday=0)."""
    return WorkCalendar(
        workdays=frozenset(int(digit) - 1 for digit in program.workdays),
        holidays=frozenset(e.day for e in program.calendar_exceptions if not e.working),
        extra_workdays=frozenset(e.day for e in program.calendar_exceptions if e.working),
    )


def status_date_of(program: Program, today: date | None = None) -> date:
    return program.status_date or today or date.today()


def load_network(program: Program) -> Network:
    items = list(
        db.session.scalars(
            select(WorkItem)
            .where(WorkItem.program_id == program.id)
            .order_by(WorkItem.position, WorkItem.id)
        )
    )
    dependencies = list(
        db.session.scalars(select(Dependency).where(Dependency.program_id == program.id))
    )
    return Network(program, items, dependencies)


def _activities(network: Network, phases: dict[int, Phase]) -> list[Activity]:
    activities = []
    for item in network.items:
        phase = phases[item.phase_id]
        start_no_earlier = phase.window_start
        if item.constraint_type == "SNET" and item.constraint_date:
            start_no_earlier = max(start_no_earlier, item.constraint_date)
        activities.append(
            Activity(
                key=item.key,
                duration=item.duration_days,
                phase=phase.key,
                start_no_earlier=start_no_earlier,
                finish_no_later=item.constraint_date if item.constraint_type == "FNLT" else None,
                actual_start=item.actual_start,
                actual_finish=item.actual_finish,
                percent_complete=float(item.percent_complete),
            )
        )
    return activities


def _lag_days(dependency: Dependency, by_id: dict[int, WorkItem], workdays: int) -> int:
    """The dependency's lag in working days for this pass: a lag kept in another unit is
    converted again each time (a percent lag follows the predecessor's current duration)."""
    days = lag_working_days(
        dependency.lag_unit,
        dependency.lag_amount,
        dependency.lag_days,
        by_id[dependency.predecessor_id].duration_days,
        workdays,
    )
    return max(-MAX_LAG, min(MAX_LAG, days))


def _links(network: Network) -> list[Link]:
    by_id = network.by_id
    workdays = len(network.program.workdays)
    return [
        Link(
            by_id[d.predecessor_id].key,
            by_id[d.successor_id].key,
            d.type,  # type: ignore[arg-type]
            _lag_days(d, by_id, workdays),
        )
        for d in network.dependencies
    ]


def _refresh_lag_days(network: Network, links: list[Link]) -> None:
    """Store the working-day equivalent of every lag kept in another unit (what pages and
    files that speak working days show), as the schedule used it, when it changed."""
    for dependency, link in zip(network.dependencies, links, strict=True):
        if dependency.lag_amount is None or dependency.lag_unit == "d":
            continue
        days = link.lag
        if dependency.lag_days != days:
            dependency.converting_lag = True  # not an edit: the unit stays
            dependency.lag_days = days
            dependency.converting_lag = False


MAX_ELAPSED_PASSES = 10


def _elapsed_lags(
    network: Network, links: list[Link], result: ScheduleResult, calendar: WorkCalendar
) -> list[Link] | None:
    """The links with every elapsed lag spanning the working days it covers from its
    predecessor's scheduled dates, or None when they already do."""
    by_id = network.by_id
    changed = False
    out = list(links)
    for i, dependency in enumerate(network.dependencies):
        if dependency.lag_unit != "ed" or dependency.lag_amount is None:
            continue
        predecessor = by_id[dependency.predecessor_id]
        dates = result.items[predecessor.key]
        days = elapsed_working_days(
            calendar,
            dependency.type in ("SS", "SF"),
            predecessor.duration_days == 0,
            dates.early_start,
            dates.early_finish,
            dependency.lag_amount,
        )
        days = max(-MAX_LAG, min(MAX_LAG, days))
        if days != out[i].lag:
            out[i] = replace(out[i], lag=days)
            changed = True
    return out if changed else None


def _schedule(network: Network, today: date | None) -> tuple[ScheduleResult, list[Link]]:
    """The schedule and the links it used (elapsed lags in the working days they span)."""
    program = network.program
    phases = {phase.id: phase for phase in program.phases}
    activities = _activities(network, phases)
    calendar = program_calendar(program)
    links = _links(network)

    def run(links: list[Link]) -> ScheduleResult:
        return schedule(
            activities,
            links,
            calendar,
            start=program.start_date,
            status_date=status_date_of(program, today),
            phase_windows=[
                PhaseWindow(p.key, p.window_start, p.window_end) for p in phases.values()
            ],
        )

    result = run(links)
    # an elapsed lag is calendar time: its working days depend on where its predecessor
    # lands, so schedule again until they agree (each pass fixes at least one more level)
    for _ in range(MAX_ELAPSED_PASSES):
        better = _elapsed_lags(network, links, result, calendar)
        if better is None:
            break
        links = better
        result = run(links)
    return result, links


def compute(network: Network, today: date | None = None) -> ScheduleResult:
    """Schedule the loaded network without writing anything."""
    return _schedule(network, today)[0]


def reschedule(program: Program, today: date | None = None) -> Outcome:
    """Recompute every item's dates and float, store them, and say what moved."""
    db.session.flush()
    network = load_network(program)
    result, links = _schedule(network, today)
    _refresh_lag_days(network, links)
    rows = []
    moves = []
    previous = [item.early_finish for item in network.items if item.early_finish is not None]
    previous_finish = max(previous) if previous else None
    for item in network.items:
        computed = result.items[item.key]
        values = {
            "early_start": computed.early_start,
            "early_finish": computed.early_finish,
            "late_start": computed.late_start,
            "late_finish": computed.late_finish,
            "total_float": computed.total_float,
            "free_float": computed.free_float,
            "is_critical": computed.critical,
        }
        if any(getattr(item, column) != value for column, value in values.items()):
            rows.append({"item_id": item.id, **values})
        if item.early_start != computed.early_start or item.early_finish != computed.early_finish:
            moves.append(
                Move(
                    item.key,
                    item.name,
                    item.early_start,
                    computed.early_start,
                    item.early_finish,
                    computed.early_finish,
                )
            )
    if rows:
        table = WorkItem.__table__
        # Core executemany: one statement for all rows; computed columns are not audited and
        # do not bump the row version (they are derived, not edited)
        statement = (
            update(table)
            .where(table.c.id == bindparam("item_id"))
            .values({column: bindparam(column) for column in COMPUTED_COLUMNS})
        )
        db.session.connection().execute(statement, rows)
        for item in network.items:
            db.session.expire(item, list(COMPUTED_COLUMNS))
    return Outcome(result, moves, previous_finish)


def is_stale(program: Program, today: date | None = None) -> bool:
    """True when the stored dates no longer hold for the status date (one small query).

    Remaining work is never planned before the status date; when the program follows today
    (no status date set), yesterday's schedule goes stale as days pass: an item not started
    yet whose early start is before the status date, or an item never scheduled, says so.
    """
    status = status_date_of(program, today)
    query = (
        select(WorkItem.id)
        .where(
            WorkItem.program_id == program.id,
            WorkItem.actual_start.is_(None),
            (WorkItem.early_start < status) | WorkItem.early_start.is_(None),
        )
        .limit(1)
    )
    return db.session.scalar(query) is not None


def refresh_if_stale(program: Program, today: date | None = None) -> Outcome | None:
    """Reschedule when the stored dates went stale; the caller commits."""
    if not is_stale(program, today):
        return None
    return reschedule(program, today)


def check_new_dependency(
    network: Network, predecessor: WorkItem, successor: WorkItem, dep_type: str, lag: int
) -> None:
    """Refuse a dependency that is malformed, duplicated or would close a cycle."""
    errors = []
    if predecessor.program_id != network.program.id or successor.program_id != network.program.id:
        errors.append(("predecessor", "both items must belong to this program"))
    if predecessor.id == successor.id:
        errors.append(("successor", "an item cannot depend on itself"))
    if dep_type not in ("FS", "SS", "FF", "SF"):
        errors.append(("type", f'expected FS, SS, FF or SF, got "{dep_type}"'))
    if not -MAX_LAG <= lag <= MAX_LAG:
        errors.append(("lag", f"lag must be between -{MAX_LAG} and {MAX_LAG} working days"))
    if any(
        d.predecessor_id == predecessor.id and d.successor_id == successor.id
        for d in network.dependencies
    ):
        errors.append(("successor", f'"{successor.key}" already depends on "{predecessor.key}"'))
    if errors:
        raise ValidationError("the dependency was not added", errors)
    by_id = network.by_id
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(item.key for item in network.items)
    graph.add_edges_from(
        (by_id[d.predecessor_id].key, by_id[d.successor_id].key) for d in network.dependencies
    )
    if nx.has_path(graph, successor.key, predecessor.key):
        path = nx.shortest_path(graph, successor.key, predecessor.key)
        raise DependencyCycleError(path)
