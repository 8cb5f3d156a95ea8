"""Workload: planned effort spread over working days, summed per person and week, against
each person's capacity; over-allocations and the items causing them; a leveling suggestion.

Effort (hours) of an assignment is spread evenly over the working days of its item (a
milestone's effort falls on its day). Weeks start on Monday. A person's capacity in a week
is their weekly hours × the share of the week's usual working days they can work (program
holidays and their own days off take days away).

A leveling *suggestion* delays non-critical items that are not started yet, each within its
free float (so no other item moves and no date the plan promises slips), until the person's
weeks fit their capacity. It is a suggestion: the lead previews it as a scenario and applies
it, or not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from planner.domain.calendar import WorkCalendar

__all__ = [
    "Capacity",
    "Delay",
    "Load",
    "Overload",
    "Spread",
    "level",
    "loads",
    "overloads",
    "week_of",
]

MAX_WEEKLY_HOURS = 168.0


def week_of(day: date) -> date:
    """The Monday of ``day``'s week.

    Examples:
        >>> week_of(date(2026, 3, 5))  # a Thursday
        datetime.date(2026, 3, 2)
    """
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Spread:
    """One person's effort on one item, to spread over the item's working days."""

    person: str
    item: str
    hours: float
    start: date
    finish: date
    movable_days: int = 0  # free float of a not-started, non-critical item; 0 = fixed
    label: str = ""

    def days(self, calendar: WorkCalendar) -> list[date]:
        """The working days the effort falls on (the finish day for a zero-length item)."""
        days: list[date] = []
        day = self.start
        while day <= self.finish:
            if calendar.is_workday(day):
                days.append(day)
            day += timedelta(days=1)
        return days or [self.finish]


@dataclass(frozen=True)
class Capacity:
    """A person's weekly hours and their own days off (beyond the calendar's holidays)."""

    weekly_hours: float
    days_off: frozenset[date] = frozenset()


@dataclass
class Load:
    """Hours per (person, week), and per item within it (what causes the load)."""

    hours: dict[tuple[str, date], float] = field(default_factory=lambda: defaultdict(float))
    items: dict[tuple[str, date], dict[str, float]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(float))
    )


def loads(spreads: Iterable[Spread], calendar: WorkCalendar) -> Load:
    """Sum each spread's hours per person and week.

    Examples:
        >>> s = Spread("ann", "a", 20.0, date(2026, 3, 5), date(2026, 3, 10))  # Thu → Tue
        >>> load = loads([s], WorkCalendar())
        >>> sorted((w.isoformat(), h) for (_p, w), h in load.hours.items())
        [('2026-03-02', 10.0), ('2026-03-09', 10.0)]
    """
    load = Load()
    for spread in spreads:
        days = spread.days(calendar)
        per_day = spread.hours / len(days)
        for day in days:
            key = (spread.person, week_of(day))
            load.hours[key] += per_day
            load.items[key][spread.item] += per_day
    return load


def capacity_in_week(capacity: Capacity, week: date, calendar: WorkCalendar) -> float:
    """Weekly hours × working days the person has that week / usual working days a week.

    Examples:
        >>> capacity_in_week(Capacity(40.0), date(2026, 3, 2), WorkCalendar())
        40.0
        >>> off = Capacity(40.0, frozenset({date(2026, 3, 3)}))
        >>> capacity_in_week(off, date(2026, 3, 2), WorkCalendar())
        32.0
    """
    usual = len(calendar.workdays) or 5
    days = [week + timedelta(days=i) for i in range(7)]
    working = sum(1 for d in days if calendar.is_workday(d) and d not in capacity.days_off)
    return capacity.weekly_hours * working / usual


@dataclass(frozen=True)
class Overload:
    """A week in which a person has more hours than capacity, and the items causing it."""

    person: str
    week: date
    hours: float
    capacity: float
    items: tuple[tuple[str, float], ...]  # item key, hours that week; largest first

    @property
    def excess(self) -> float:
        return self.hours - self.capacity


def overloads(
    load: Load,
    capacities: Mapping[str, Capacity],
    calendar: WorkCalendar,
    weeks: Iterable[date] | None = None,
) -> list[Overload]:
    """Every (person, week) whose hours exceed the capacity (by more than 0.01 h).

    Examples:
        >>> s = Spread("ann", "a", 50.0, date(2026, 3, 2), date(2026, 3, 6))
        >>> [o.excess for o in overloads(loads([s], WorkCalendar()), {"ann": Capacity(40.0)},
        ...  WorkCalendar())]
        [10.0]
    """
    wanted = set(weeks) if weeks is not None else None
    found = []
    for (person, week), hours in sorted(load.hours.items()):
        if wanted is not None and week not in wanted:
            continue
        capacity = capacities.get(person)
        if capacity is None:
            continue
        cap = capacity_in_week(capacity, week, calendar)
        if hours > cap + 0.01:
            items = sorted(load.items[(person, week)].items(), key=lambda kv: (-kv[1], kv[0]))
            found.append(Overload(person, week, hours, cap, tuple(items)))
    return found


@dataclass(frozen=True)
class Delay:
    """Delay ``item`` by ``days`` working days (within its free float): new start and finish."""

    item: str
    days: int
    start: date
    finish: date
    free_float: int


def _shift(spread: Spread, days: int, calendar: WorkCalendar) -> Spread:
    return replace(
        spread,
        start=calendar.add_workdays(spread.start, days),
        finish=calendar.add_workdays(spread.finish, days),
        movable_days=max(0, spread.movable_days - days),
    )


def _shift_item(
    spreads: Sequence[Spread], item: str, days: int, calendar: WorkCalendar
) -> list[Spread]:
    """Every assignee's spread of ``item`` moved together (an item moves as a whole)."""
    return [_shift(s, days, calendar) if s.item == item else s for s in spreads]


def _overloaded_weeks(
    spreads: Sequence[Spread], person: str, caps: Mapping[str, Capacity], calendar: WorkCalendar
) -> float:
    mine = [s for s in spreads if s.person == person]
    return sum(o.excess for o in overloads(loads(mine, calendar), caps, calendar))


def level(
    spreads: Sequence[Spread], capacities: Mapping[str, Capacity], calendar: WorkCalendar
) -> list[Delay]:
    """Delays that remove over-allocations: for each over-allocated person, try each movable
    item (largest load first) by 1 … its free float working days and keep the smallest delay
    that lowers the person's total excess hours without adding excess for anyone else.

    Examples:
        >>> cal = WorkCalendar()
        >>> a = Spread("ann", "a", 40.0, date(2026, 3, 2), date(2026, 3, 6))
        >>> b = Spread("ann", "b", 40.0, date(2026, 3, 2), date(2026, 3, 6), movable_days=5)
        >>> [(d.item, d.days, d.start.isoformat()) for d in level([a, b], {"ann": Capacity(40)},
        ...  cal)]
        [('b', 5, '2026-03-09')]
    """
    current = list(spreads)
    delays: dict[str, Delay] = {}
    people = sorted({o.person for o in overloads(loads(current, calendar), capacities, calendar)})
    for person in people:
        for _round in range(len(current)):
            excess = _overloaded_weeks(current, person, capacities, calendar)
            if excess <= 0.01:
                break
            best = _best_move(current, person, capacities, calendar, excess)
            if best is None:
                break
            index, moved, days = best
            original = spreads[index]
            current = _shift_item(current, moved.item, days, calendar)
            total = days + (delays[moved.item].days if moved.item in delays else 0)
            delays[moved.item] = Delay(
                moved.item, total, moved.start, moved.finish, original.movable_days
            )
    return sorted(delays.values(), key=lambda d: (d.start, d.item))


def _best_move(
    current: list[Spread],
    person: str,
    capacities: Mapping[str, Capacity],
    calendar: WorkCalendar,
    excess: float,
) -> tuple[int, Spread, int] | None:
    others = {s.person for s in current} - {person}
    others_before = {p: _overloaded_weeks(current, p, capacities, calendar) for p in others}
    candidates = sorted(
        (i for i, s in enumerate(current) if s.person == person and s.movable_days > 0),
        key=lambda i: (-current[i].hours, current[i].item),
    )
    best: tuple[float, int, int, Spread] | None = None
    for index in candidates:
        spread = current[index]
        for days in range(1, spread.movable_days + 1):
            trial = _shift_item(current, spread.item, days, calendar)
            moved = trial[index]
            after = _overloaded_weeks(trial, person, capacities, calendar)
            worse = any(
                _overloaded_weeks(trial, p, capacities, calendar) > others_before[p] + 0.01
                for p in {s.person for s in trial if s.item == spread.item} - {person}
            )
            if after < excess - 0.01 and not worse:
                score = (after, days, index)
                if best is None or score < best[:3]:
                    best = (after, days, index, moved)
                if after <= 0.01:
                    break
    if best is None:
        return None
    return best[2], best[3], best[1]
