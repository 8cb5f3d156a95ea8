"""Schedule a program: rows → domain activities → critical path → computed columns.

Two translation rules live here because they are about how a program maps onto the
scheduler, not about scheduling itself:

* every item starts no earlier than its phase's window start (phases are time boxes: a
  phase-2 task without predecessors still waits for phase 2);
* the status date is the program's ``status_date`` or, when none is set, today — remaining
  work is never planned in the past.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import repeat

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

from planner.domain.calendar import WorkCalendar
from planner.domain.gc_pause import paused_gc
from planner.domain.lags import elapsed_working_days, lag_working_days
from planner.domain.schedule import (
    MAX_LAG,
    NO_DATE,
    Activity,
    Link,
    PhaseOverrun,
    PhaseWindow,
    PlanColumns,
    Scheduler,
    ScheduleResult,
    schedule,
)
from planner.domain.schedule_columns import Columns, columns_of, overruns_of
from planner.domain.schedule_fields import SCHEDULE_FIELDS
from planner.extensions import db
from planner.models import Dependency, Phase, Program, WorkItem
from planner.ops.cache import plan_revision
from planner.services import plan_record
from planner.services.live_schedule import LiveSchedule, keep, take
from planner.services.live_schedule import Stats as LiveStats
from planner.services.moved_items import Move, MovedItems, NamePairs  # noqa: F401  (Move: importable here)
from planner.services.plan_record import CONSTRAINT_CODES, TYPE_CODES, RecordColumns
from planner.services.plan_rows import EPOCH, PlanRows, load_plan_rows

# the edits and an item's activity: their own module; their names stay importable from here
from planner.services.schedule_edits import (  # noqa: F401
    FullPassNeeded,
    ItemEdited,
    LinkAdded,
    LinkRemoved,
    NotIncremental,
    ScheduleEdit,
    activity_of,
)

COMPUTED_COLUMNS = SCHEDULE_FIELDS


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
    """What a reschedule did: the items that moved, the finish before and after, overruns."""

    moves: MovedItems
    finish: date
    # the program's finish before this reschedule (None when nothing was scheduled yet)
    previous_finish: date | None
    overruns: list[PhaseOverrun]


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
    return [
        activity_of(
            phases[item.phase_id],
            item.key,
            item.duration_days,
            item.constraint_type,
            item.constraint_date,
            item.actual_start,
            item.actual_finish,
            item.percent_complete,
        )
        for item in network.items
    ]


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
            d.type,  # type: ignore[arg-type]  # the column's check constraint allows only FS, SS, FF, SF
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


def _windows(program: Program) -> list[PhaseWindow]:
    return [PhaseWindow(p.key, p.window_start, p.window_end) for p in program.phases]


# --------------------------------------------------------------------------------------------
# rescheduling


def reschedule(
    program: Program, today: date | None = None, *, edit: ScheduleEdit | None = None
) -> Outcome:
    """Recompute every item's dates and float, store those that changed, say what moved.

    With an ``edit`` whose rows are changed in memory but not flushed yet, the program's
    compiled schedule of the revision before the edit (kept per revision, see
    :mod:`planner.services.live_schedule`; built from the program's record, else its rows,
    when not kept) takes the edit incrementally; an item edit it cannot take incrementally
    (progress, a constraint, another phase) schedules the whole program from the record,
    which holds the edit; any other, or none, schedules it again from the rows. Either way
    only rows whose computed columns changed are written, and the record with them.
    """
    with db.session.no_autoflush:  # an edit's rows are not flushed yet (nor audited)
        _one_at_a_time(program)
        status = status_date_of(program, today)
    live: LiveSchedule | None = None
    # a lag kept in weeks, percent of its predecessor or elapsed days is converted to working
    # days again by every full schedule (an elapsed one by repeated passes): such programs
    # are scheduled in full
    if edit is not None:
        with db.session.no_autoflush:  # the edit's rows are not flushed yet
            revision = plan_revision(program.id)
            live = take(program.id, revision, status)
            if live is not None and live.converted:
                live = None  # kept by a full schedule of a program with such lags
            elif live is None:
                # nothing kept in this process (a restart, or another worker made the last
                # edit): the program's record (never written for a program with such
                # lags), else its rows
                live = live_from_record(program, status, revision)
                if live is None and not _has_unit_lags(program):
                    live = build_live(program, status)
        if live is not None:
            try:
                edit.apply(live)
            except FullPassNeeded:
                # its record holds the edit: the rows as they are now, without reading them
                assert live.record is not None  # noqa: S101  # nosec B101 - raised only with one
                live = _live_of_record(program, status, live.record, live.stored)
            except NotIncremental:
                live = None
    db.session.flush()
    if live is None and _has_unit_lags(program):
        network = load_network(program)
        _result, links = _schedule(network, today)
        _refresh_lag_days(network, links)
        db.session.flush()
        live = build_live(program, status, links)
    elif live is None:
        live = build_live(program, status)
    return _store(program, live)


def _one_at_a_time(program: Program) -> None:
    """Wait until no other transaction is rescheduling this program; from here on this one
    reads what the other committed.

    Two edits of one program made at the same moment would each start from the plan as it
    was before both, and the one committed last would store dates computed without the
    other's change (and keep, and record, that schedule under the newest revision). Waiting
    here, the second reads the revision, the record and the rows the first committed.

    * PostgreSQL: a lock on the program's row until this transaction ends, ``FOR NO KEY
      UPDATE`` (adding an item or a link takes a key-share lock on that row, which this does
      not wait for, so two such edits cannot deadlock); each later statement reads what was
      committed when it starts.
    * SQLite: the driver reads outside a transaction until the first write, so a write here
      takes the database's one write lock (waiting for the other writer's commit, up to the
      busy timeout) before the plan is read; a transaction that wrote already holds it.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        table = Program.__tablename__
        connection.exec_driver_sql(f"UPDATE {table} SET id = id WHERE id = ?", (program.id,))  # noqa: S608  # nosec B608 - the model's table name, the id bound
        return
    db.session.execute(
        select(Program.id).where(Program.id == program.id).with_for_update(key_share=True)
    )


def _has_unit_lags(program: Program) -> bool:
    """Whether any dependency keeps its lag in a unit other than working days."""
    query = (
        select(Dependency.id)
        .where(
            Dependency.program_id == program.id,
            Dependency.lag_unit != "d",
            Dependency.lag_amount.is_not(None),
        )
        .limit(1)
    )
    return db.session.scalar(query) is not None


def plan_columns(
    rows: PlanRows, phases: Mapping[int, Phase], links: Sequence[Link] | None = None
) -> tuple[PlanColumns, tuple[PhaseWindow, ...]]:
    """The scheduler's input from the program's rows, a column at a time (no object per
    row): every item starts no earlier than its phase window's start (or its own later
    start-no-earlier date); with ``links``, those (lags in working days for this schedule)
    instead of the stored dependencies."""
    values = rows.values
    phase_ids = list(phases)
    windows = tuple(PhaseWindow(p.key, p.window_start, p.window_end) for p in phases.values())
    where = {phase_id: j for j, phase_id in enumerate(phase_ids)}
    phase = np.fromiter(map(where.__getitem__, values["phase_id"]), np.int64, rows.n)
    window_start = np.array([w.start.toordinal() for w in windows] or [NO_DATE], np.int64)
    constraint = np.fromiter(
        map(CONSTRAINT_CODES.get, values["constraint_type"], repeat(0)), np.int64, rows.n
    )
    constraint_date = values["constraint_date"]
    snet = window_start[phase]
    by_date = (constraint == 1) & (constraint_date != NO_DATE)
    snet[by_date] = np.maximum(snet[by_date], constraint_date[by_date])
    fnl = np.where(constraint == 2, constraint_date, NO_DATE)
    keys = values["key"]
    if links is None:
        pred = rows.positions(rows.link_predecessor)
        succ = rows.positions(rows.link_successor)
        kinds = np.fromiter(map(TYPE_CODES.__getitem__, rows.link_type), np.int64, len(pred))
        lags = rows.link_lag
    else:
        at = {key: i for i, key in enumerate(keys)}
        pred = np.array([at[link.predecessor] for link in links], np.int64)
        succ = np.array([at[link.successor] for link in links], np.int64)
        kinds = np.array([TYPE_CODES[link.type] for link in links], np.int64)
        lags = np.array([link.lag for link in links], np.int64)
    columns = PlanColumns(
        keys=keys,
        duration=np.array(values["duration_days"], np.int64),
        phase=phase,
        phase_keys=tuple(w.key for w in windows),
        start_no_earlier=snet,
        finish_no_later=fnl,
        actual_start=values["actual_start"],
        actual_finish=values["actual_finish"],
        percent_complete=np.array(values["percent_complete"], np.float64),
        predecessor=pred,
        successor=succ,
        link_type=kinds,
        lag=lags,
    )
    return columns, windows


def build_live(program: Program, status: date, converted: list[Link] | None = None) -> LiveSchedule:
    """The program's compiled schedule from its rows as stored (plain columns, no objects;
    validated when they were written); with ``converted``, those links (lags in working
    days for this schedule) instead of the stored ones."""
    LiveStats.built += 1
    # tens of thousands of row tuples and lists, no cycle: collections were 40 % of it
    with paused_gc():
        rows = load_plan_rows(program.id, ("name", "name_zh"))
        record = RecordColumns.of_rows(rows) if converted is None else None
    return _live(program, status, rows, record, converted)


def live_from_record(program: Program, status: date, revision: str) -> LiveSchedule | None:
    """The program's compiled schedule from its record (:mod:`planner.services.plan_record`)
    when one was written at ``revision``: the rows as stored, without reading them."""
    with paused_gc():
        found = plan_record.read(program.id, revision)
    if found is None:
        return None
    LiveStats.from_record += 1
    return _live_of_record(program, status, *found)


def _live_of_record(
    program: Program, status: date, record: RecordColumns, computed: Columns
) -> LiveSchedule:
    with paused_gc():
        rows = record.rows(computed)
    return _live(program, status, rows, record)


def _live(
    program: Program,
    status: date,
    rows: PlanRows,
    record: RecordColumns | None,
    converted: list[Link] | None = None,
) -> LiveSchedule:
    phases = {phase.id: phase for phase in program.phases}
    calendar = program_calendar(program)
    with paused_gc():
        columns, windows = plan_columns(rows, phases, converted)
        scheduler = Scheduler.from_columns(
            columns, calendar, program.start_date, status, windows, trusted=True
        )
    return LiveSchedule(
        program_id=program.id,
        status_date=status,
        scheduler=scheduler,
        item_ids=rows.ids,
        keys=columns.keys,  # type: ignore[arg-type]  # a list, from the loader
        stored=rows.computed,
        phase_windows={phase_id: window for phase_id, window in zip(phases, windows, strict=True)},
        phase_index=columns.phase,
        names=NamePairs(rows.values["name"], rows.values["name_zh"]),
        converted=converted is not None,
        record=record,
    )


def _date(ordinal: int) -> date | None:
    return date.fromordinal(ordinal) if ordinal != NO_DATE else None


def _store(program: Program, live: LiveSchedule) -> Outcome:
    """Write the rows whose computed columns changed; hand the schedule back for the next edit."""
    new = columns_of(live.scheduler)
    old = live.stored
    started = old[:, 1][old[:, 1] != NO_DATE]
    previous_finish = _date(int(started.max())) if started.size else None
    changed = np.flatnonzero((new != old).any(axis=1)) if len(new) else np.zeros(0, np.int64)
    ids = live.item_ids[changed].tolist()
    # a deep plan's edit writes thousands of row tuples, moves and overrunning items, none
    # cyclic: collections triggered by them would walk every object alive (a third of a
    # 10k-item save)
    with paused_gc():
        if ids:
            _write_columns(ids, new[changed])
        moves = _moves(live, old, new, changed)
        overruns = overruns_of(new, live.keys, live.phase_index, live.scheduler.phase_windows)
    live.stored = new
    revision = plan_revision(program.id)
    if live.record is not None:
        # in this transaction: the next edit after a restart reads it instead of the rows
        plan_record.write(program.id, revision, live.record, new)
    keep(revision, live)
    if len(new):
        finish = date.fromordinal(int(new[:, 1].max()))
    else:
        finish = live.scheduler.result().finish
    return Outcome(moves, finish, previous_finish, overruns)


def _write_columns(ids: list[int], columns: Columns) -> None:
    """Store the computed columns of these items: one executemany of plain tuples.

    Computed columns are not audited and do not bump the row version (they are derived,
    not edited). A deep plan's edit can move thousands of items: the rows go to the driver
    as tuples of values it takes as they are (dates as ISO text for SQLite, as SQLAlchemy
    stores them; date objects otherwise), without SQLAlchemy's per-row processing.
    """
    connection = db.session.connection()
    sqlite = connection.dialect.name == "sqlite"
    shown = _date_values(columns[:, :4], iso=sqlite)
    critical = columns[:, 6].astype(bool)
    rows = list(
        zip(
            *(shown[:, k].tolist() for k in range(4)),
            columns[:, 4].tolist(),
            columns[:, 5].tolist(),
            critical.astype(np.int64).tolist() if sqlite else critical.tolist(),
            ids,
            strict=True,
        )
    )
    table = WorkItem.__table__
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    assignments = ", ".join(f"{table.c[column].name} = {mark}" for column in COMPUTED_COLUMNS)
    statement = (
        f"UPDATE {WorkItem.__tablename__} SET {assignments} WHERE {table.c.id.name} = {mark}"  # noqa: S608  # nosec B608 - names from the model, values bound
    )
    connection.exec_driver_sql(statement, rows)
    # loaded rows read the new values on their next access (few are loaded: look at those)
    changed = set(ids)
    for loaded in list(db.session.identity_map.values()):
        if isinstance(loaded, WorkItem) and loaded.id in changed:
            db.session.expire(loaded, list(COMPUTED_COLUMNS))


def _date_values(ordinals: Columns, iso: bool = False) -> npt.NDArray[np.object_]:
    """Date ordinals (``NO_DATE``: None) as dates, or ISO text; each distinct day made once
    (ISO text by numpy: a deep plan's edit writes thousands of distinct days)."""
    days, where = np.unique(ordinals, return_inverse=True)
    values = np.empty(days.size, dtype=object)
    known = days != NO_DATE
    if iso:
        values[known] = (days[known] - EPOCH).astype("datetime64[D]").astype(str).tolist()
    else:
        values[known] = [date.fromordinal(o) for o in days[known].tolist()]
    return values[where.reshape(ordinals.shape)]


def _moves(
    live: LiveSchedule, old: Columns, new: Columns, changed: npt.NDArray[np.int64]
) -> MovedItems:
    """The items whose early dates changed, as columns (named from the live schedule)."""
    moved = changed[(old[changed, :2] != new[changed, :2]).any(axis=1)]
    at = moved.tolist()
    keys = [live.keys[i] for i in at]
    return MovedItems(keys, live.names.pick(at), old[moved, :2].copy(), new[moved, :2].copy())


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
