"""The workload heat map: person × week across the programs a viewer may see, capacity,
over-allocations with the items causing them, per team too; and the leveling suggestion
for one program, previewed as a what-if scenario and applied only by its lead.

Weeks before the status week show the hours logged; the status week and later show the
remaining planned effort (planned × (1 − percent complete)) spread over the working days
still ahead of each item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.domain.calendar import WorkCalendar
from planner.domain.workload import (
    Capacity,
    Delay,
    Load,
    Spread,
    capacity_in_week,
    level,
    loads,
    overloads,
    week_of,
)
from planner.extensions import db
from planner.models import Assignment, EffortLog, Person, Program, Scenario, WorkItem
from planner.services.effort import remaining_hours
from planner.services.people import days_off
from planner.services.scenarios import create_scenario, edit_scenario_item
from planner.services.scheduling import program_calendar, status_date_of


@dataclass(frozen=True)
class Row:
    """One line of the heat map: a person (across programs) or a team."""

    key: str
    name: str
    team: str
    role: str
    programs: tuple[str, ...]
    cells: tuple[Cell, ...]

    @property
    def overloaded(self) -> bool:
        return any(c.over for c in self.cells)


@dataclass(frozen=True)
class Cell:
    week: date
    hours: float
    capacity: float
    actual: bool  # logged hours (a past week), not planned ones
    causes: tuple[tuple[str, float], ...] = ()  # item label, hours, largest first

    @property
    def ratio(self) -> float:
        return self.hours / self.capacity if self.capacity else (1.0 if self.hours else 0.0)

    @property
    def over(self) -> bool:
        return not self.actual and self.hours > self.capacity + 0.01

    @property
    def level(self) -> str:
        """A class for the colour: free, light, busy, full, over."""
        if self.over:
            return "over"
        ratio = self.ratio
        if ratio == 0:
            return "free"
        return "light" if ratio < 0.5 else "busy" if ratio < 0.9 else "full"


@dataclass
class Workload:
    weeks: list[date]
    people: list[Row]
    teams: list[Row]
    status_week: date
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def overloaded_people(self) -> list[Row]:
        return [r for r in self.people if r.overloaded]


@dataclass
class _Data:
    program: Program
    calendar: WorkCalendar
    status: date
    people: list[Person]
    spreads: list[Spread]
    actual: dict[tuple[str, date], float]
    actual_items: dict[tuple[str, date], dict[str, float]]
    labels: dict[str, str]


def _item_label(program: Program, item: WorkItem, lang: str, many: bool) -> str:
    name = (item.name_zh if lang == "zh" and item.name_zh else item.name) or item.key
    return f"{program.name} · {name}" if many else name


def _spreads(
    program: Program, status: date, phase: int | None
) -> list[tuple[Assignment, WorkItem]]:
    query = (
        select(Assignment, WorkItem)
        .join(WorkItem, WorkItem.id == Assignment.work_item_id)
        .where(Assignment.program_id == program.id)
    )
    rows = [(a, i) for a, i in db.session.execute(query)]
    if phase is not None:
        rows = [(a, i) for a, i in rows if i.phase.ordinal == phase]
    return rows


def movable_days(item: WorkItem, status: date) -> int:
    """Working days an item may be delayed by leveling: its free float, when it is a task
    not started, not critical and starting after the status date; else 0."""
    if item.kind != "task" or item.is_critical or item.actual_start or item.percent_complete:
        return 0
    if item.early_start is None or item.early_start <= status:
        return 0
    return max(0, item.free_float or 0)


def _load_program(
    program: Program, today: date | None, phase: int | None, lang: str, many: bool
) -> _Data:
    calendar = program_calendar(program)
    status = status_date_of(program, today)
    people = list(
        db.session.scalars(
            select(Person)
            .where(Person.program_id == program.id)
            .options(selectinload(Person.days_off))
        )
    )
    by_id = {p.id: p for p in people}
    spreads: list[Spread] = []
    labels: dict[str, str] = {}
    for assignment, item in _spreads(program, status, phase):
        start = item.actual_start or item.early_start
        finish = item.early_finish or start
        if start is None or finish is None or item.actual_finish is not None:
            continue
        hours = remaining_hours(assignment.planned_hours, item.percent_complete)
        start = max(start, status)
        finish = max(finish, start)
        key = f"{program.id}:{item.key}"
        labels[key] = _item_label(program, item, lang, many)
        spreads.append(
            Spread(
                person=by_id[assignment.person_id].identity,
                item=key,
                hours=hours,
                start=start,
                finish=finish,
                movable_days=movable_days(item, status),
                label=labels[key],
            )
        )
    actual: dict[tuple[str, date], float] = defaultdict(float)
    actual_items: dict[tuple[str, date], dict[str, float]] = defaultdict(dict)
    logs = db.session.execute(
        select(EffortLog, WorkItem)
        .join(WorkItem, WorkItem.id == EffortLog.work_item_id)
        .where(EffortLog.program_id == program.id)
    )
    for log, item in logs:
        if phase is not None and item.phase.ordinal != phase:
            continue
        identity = by_id[log.person_id].identity
        actual[(identity, log.week)] += log.hours
        key = f"{program.id}:{item.key}"
        labels.setdefault(key, _item_label(program, item, lang, many))
        actual_items[(identity, log.week)][key] = log.hours
    return _Data(program, calendar, status, people, spreads, actual, actual_items, labels)


def _capacities(data: Sequence[_Data]) -> dict[str, tuple[Capacity, WorkCalendar]]:
    """One capacity a human: their largest weekly hours, every day off, their first
    program's calendar."""
    found: dict[str, tuple[Capacity, WorkCalendar]] = {}
    for d in data:
        for person in d.people:
            if person.kind == "role":
                continue
            capacity = Capacity(person.capacity_hours, days_off(person))
            known = found.get(person.identity)
            if known is not None:
                capacity = Capacity(
                    max(known[0].weekly_hours, capacity.weekly_hours),
                    known[0].days_off | capacity.days_off,
                )
                found[person.identity] = (capacity, known[1])
            else:
                found[person.identity] = (capacity, d.calendar)
    return found


def build_workload(
    programs: Sequence[Program],
    *,
    today: date | None = None,
    phase: int | None = None,
    weeks_before: int = 4,
    weeks_after: int = 12,
    lang: str = "en",
) -> Workload:
    """The heat map of ``programs`` (those the viewer may see, filtered by the caller)."""
    many = len(programs) > 1
    data = [_load_program(p, today, phase, lang, many) for p in programs]
    status = min((d.status for d in data), default=today or date.today())
    status_week = week_of(status)
    weeks = [status_week + timedelta(weeks=i) for i in range(-weeks_before, weeks_after + 1)]
    load = Load()
    labels: dict[str, str] = {}
    for d in data:
        part = loads(d.spreads, d.calendar)
        for key, hours in part.hours.items():
            load.hours[key] += hours
            for item, h in part.items[key].items():
                load.items[key][item] += h
        labels.update(d.labels)
    capacities = _capacities(data)
    people_rows = _people_rows(data, weeks, status_week, load, capacities, labels)
    return Workload(weeks, people_rows, _team_rows(people_rows), status_week, labels)


def _people_rows(
    data: Sequence[_Data],
    weeks: list[date],
    status_week: date,
    load: Load,
    capacities: dict[str, tuple[Capacity, WorkCalendar]],
    labels: dict[str, str],
) -> list[Row]:
    humans: dict[str, tuple[Person, set[str]]] = {}
    actual: dict[tuple[str, date], float] = defaultdict(float)
    actual_items: dict[tuple[str, date], dict[str, float]] = defaultdict(dict)
    for d in data:
        for person in d.people:
            if person.kind == "role":
                continue
            humans.setdefault(person.identity, (person, set()))[1].add(d.program.name)
        for key, hours in d.actual.items():
            actual[key] += hours
            actual_items[key].update(d.actual_items[key])
    rows = []
    for identity, (person, programs) in humans.items():
        capacity, calendar = capacities[identity]
        cells = []
        for week in weeks:
            cap = capacity_in_week(capacity, week, calendar)
            past = week < status_week
            source = actual_items if past else load.items
            hours = (
                actual.get((identity, week), 0.0) if past else load.hours.get((identity, week), 0.0)
            )
            causes = sorted(
                ((labels.get(k, k), h) for k, h in source.get((identity, week), {}).items()),
                key=lambda kv: -kv[1],
            )
            cells.append(Cell(week, hours, cap, past, tuple(causes)))
        if any(c.hours for c in cells):
            rows.append(
                Row(
                    identity,
                    person.name,
                    person.team,
                    person.role,
                    tuple(sorted(programs)),
                    tuple(cells),
                )
            )
    return sorted(rows, key=lambda r: (not r.overloaded, r.team, r.name))


def _team_rows(people: Sequence[Row]) -> list[Row]:
    teams: dict[str, list[Row]] = defaultdict(list)
    for row in people:
        teams[row.team or ""].append(row)
    result = []
    for team, members in sorted(teams.items()):
        cells = []
        for index, first in enumerate(members[0].cells):
            column = [m.cells[index] for m in members]
            causes = tuple(c for m in column for c in m.causes if m.over)
            cells.append(
                Cell(
                    first.week,
                    sum(c.hours for c in column),
                    sum(c.capacity for c in column),
                    first.actual,
                    causes,
                )
            )
        result.append(Row(f"team:{team}", team, team, "", (), tuple(cells)))
    return result


# --------------------------------------------------------------------------- leveling


@dataclass(frozen=True)
class Suggestion:
    """Delays within free float that remove the over-allocations of a program's people."""

    delays: tuple[Delay, ...]
    items: dict[str, WorkItem]
    before: float  # excess hours before
    after: float  # and after the delays


def suggest_leveling(
    program: Program, others: Sequence[Program] = (), today: date | None = None
) -> Suggestion:
    """Which of ``program``'s items to delay (never automatic); load from ``others``
    counts against the same people's capacity but their items are not moved."""
    data = [_load_program(p, today, None, "en", True) for p in (program, *others)]
    own = data[0]
    spreads = list(own.spreads) + [
        Spread(s.person, s.item, s.hours, s.start, s.finish, 0, s.label)
        for d in data[1:]
        for s in d.spreads
    ]
    caps = {k: v[0] for k, v in _capacities(data).items()}
    delays = level(spreads, caps, own.calendar)
    before = sum(o.excess for o in overloads(loads(spreads, own.calendar), caps, own.calendar))
    moved = {d.item: d for d in delays}
    after_spreads = [
        Spread(s.person, s.item, s.hours, moved[s.item].start, moved[s.item].finish)
        if s.item in moved and s.item.startswith(f"{program.id}:")
        else s
        for s in spreads
    ]
    after = sum(o.excess for o in overloads(loads(after_spreads, own.calendar), caps, own.calendar))
    keys = {d.item.split(":", 1)[1] for d in delays}
    items = {
        f"{program.id}:{i.key}": i
        for i in db.session.scalars(
            select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key.in_(keys))
        )
    }
    return Suggestion(tuple(delays), items, before, after)


def leveling_scenario(program: Program, suggestion: Suggestion, name: str) -> Scenario:
    """The suggestion as a what-if scenario: each delayed item gets a start-no-earlier-than
    at its new start (the lead reviews the comparison and applies it, or discards it)."""
    scenario = create_scenario(program, name)
    for delay in suggestion.delays:
        item = suggestion.items.get(delay.item)
        if item is None:
            continue
        edit_scenario_item(
            scenario,
            item.key,
            duration=item.duration_days,
            constraint_type="SNET",
            constraint_date=delay.start,
            version=scenario.version,
        )
    # marked, so that only the lead applies it (the leveling is the lead's call)
    scenario.plan = {**scenario.plan, "origin": LEVELING_ORIGIN}
    return scenario


LEVELING_ORIGIN = "leveling"


def is_leveling(scenario: Scenario) -> bool:
    """Whether the scenario is a leveling suggestion (applied by the lead only)."""
    return isinstance(scenario.plan, dict) and scenario.plan.get("origin") == LEVELING_ORIGIN
