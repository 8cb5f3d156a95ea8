"""Workload: effort spread over working days, capacity less days off, over-allocations and
the leveling suggestion within free float."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.calendar import WorkCalendar
from planner.domain.workload import (
    Capacity,
    Spread,
    capacity_in_week,
    level,
    loads,
    overloads,
    week_of,
)

CAL = WorkCalendar(holidays=frozenset({date(2026, 3, 13)}))  # a Friday off
MON = date(2026, 3, 2)


def test_spread_skips_holidays_and_weekends() -> None:
    # Mon 9 → Fri 13 (holiday): 4 working days, 32 h → 8 h a day, all in one week
    load = loads([Spread("a", "x", 32, date(2026, 3, 9), date(2026, 3, 13))], CAL)
    assert dict(load.hours) == {("a", date(2026, 3, 9)): pytest.approx(32)}


def test_milestone_effort_falls_on_its_day() -> None:
    load = loads([Spread("a", "m", 2, date(2026, 3, 14), date(2026, 3, 14))], CAL)
    assert dict(load.hours) == {("a", date(2026, 3, 9)): 2}


def test_capacity_less_holidays_and_days_off() -> None:
    capacity = Capacity(40, frozenset({date(2026, 3, 10)}))
    assert capacity_in_week(capacity, date(2026, 3, 9), CAL) == pytest.approx(24)
    assert week_of(date(2026, 3, 15)) == date(2026, 3, 9)


def test_overload_lists_the_causing_items() -> None:
    spreads = [
        Spread("a", "big", 40, MON, date(2026, 3, 6)),
        Spread("a", "small", 10, MON, date(2026, 3, 6)),
    ]
    found = overloads(loads(spreads, CAL), {"a": Capacity(40)}, CAL)
    assert [(o.week, o.excess, [k for k, _ in o.items]) for o in found] == [
        (MON, 10, ["big", "small"])
    ]


def test_leveling_delays_a_movable_item_within_its_float() -> None:
    fixed = Spread("a", "fixed", 40, MON, date(2026, 3, 6))
    movable = Spread("a", "movable", 20, MON, date(2026, 3, 6), movable_days=6)
    delays = level([fixed, movable], {"a": Capacity(40)}, CAL)
    assert [(d.item, d.days) for d in delays] == [("movable", 5)]
    assert delays[0].days <= delays[0].free_float
    moved = Spread("a", "movable", 20, delays[0].start, delays[0].finish)
    assert overloads(loads([fixed, moved], CAL), {"a": Capacity(40)}, CAL) == []


def test_leveling_never_exceeds_the_float_nor_moves_fixed_items() -> None:
    fixed = Spread("a", "fixed", 40, MON, date(2026, 3, 6))
    short = Spread("a", "short", 20, MON, date(2026, 3, 6), movable_days=2)
    delays = level([fixed, short], {"a": Capacity(40)}, CAL)
    # two days of float only lower the excess; the delay stays within them
    assert all(d.days <= 2 for d in delays)
    assert level([fixed, Spread("a", "other", 20, MON, date(2026, 3, 6))], {"a": Capacity(40)},
                 CAL) == []  # fmt: skip


def test_leveling_does_not_overload_a_co_assignee() -> None:
    # moving "shared" would overload b next week, where b is already full
    a_fixed = Spread("a", "fixed", 40, MON, date(2026, 3, 6))
    shared_a = Spread("a", "shared", 10, MON, date(2026, 3, 6), movable_days=5)
    shared_b = Spread("b", "shared", 10, MON, date(2026, 3, 6), movable_days=5)
    b_next = Spread("b", "next", 40, date(2026, 3, 9), date(2026, 3, 12))
    caps = {"a": Capacity(40), "b": Capacity(40)}
    delays = level([a_fixed, shared_a, shared_b, b_next], caps, CAL)
    assert delays == []
