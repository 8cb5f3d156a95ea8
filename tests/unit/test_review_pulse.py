"""What moved between two steering reviews: finish, milestones, gates, critical items, metrics."""

from __future__ import annotations

import datetime as dt

from planner.domain.calendar import WorkCalendar
from planner.domain.review_pulse import (
    GatePulse,
    MetricPulse,
    Pulse,
    changes_between,
    pulse_from_json,
    pulse_to_json,
)

d = dt.date
CAL = WorkCalendar(holidays=frozenset({d(2027, 3, 3)}))  # Mon–Fri, one Wednesday off

BEFORE = Pulse(
    taken_on=d(2027, 2, 1),
    finish=d(2027, 6, 1),
    milestones={"pilot-live": d(2027, 3, 1), "go-live": d(2027, 4, 5), "old": d(2027, 2, 1)},
    gates={
        1: GatePulse(d(2027, 3, 31), d(2027, 3, 20), "pass"),
        2: GatePulse(d(2027, 7, 9), d(2027, 7, 1), "at_risk"),
    },
    critical=frozenset({"a", "b"}),
    metrics={
        "active-users": MetricPulse(34.0, d(2027, 1, 25), "amber"),
        "junk-orders": MetricPulse(6.0, d(2027, 1, 25), "green"),
    },
)
AFTER = Pulse(
    taken_on=d(2027, 3, 1),
    finish=d(2027, 6, 8),  # Tue → next Tue: 5 working days
    # Mon 1 Mar → Fri 5 Mar across the Wednesday holiday: 3 working days
    milestones={"pilot-live": d(2027, 3, 5), "go-live": d(2027, 4, 5), "new": d(2027, 5, 3)},
    gates={
        1: GatePulse(d(2027, 3, 31), d(2027, 3, 20), "at_risk"),
        2: GatePulse(d(2027, 7, 9), d(2027, 6, 28), "at_risk"),  # Thu 1 Jul → Mon 28 Jun: -3
    },
    critical=frozenset({"b", "c"}),
    metrics={
        "active-users": MetricPulse(52.5, d(2027, 2, 22), "green"),
        "junk-orders": MetricPulse(6.0, d(2027, 1, 25), "green"),  # no new reading
    },
)


def test_dates_move_by_working_days_of_the_calendar() -> None:
    changes = changes_between(BEFORE, AFTER, CAL.workdays_between)
    assert changes.finish is not None
    assert (changes.finish.before, changes.finish.after, changes.finish.workdays) == (
        d(2027, 6, 1),
        d(2027, 6, 8),
        5,
    )
    assert [(m.key, m.workdays) for m in changes.milestones_moved] == [("pilot-live", 3)]
    assert changes.milestones_added == ("new",)
    assert changes.milestones_removed == ("old",)
    assert [(m.key, m.workdays) for m in changes.gates_moved] == [("2", -3)]


def test_outlooks_critical_items_and_metrics() -> None:
    changes = changes_between(BEFORE, AFTER, CAL.workdays_between)
    assert changes.gate_outlooks == ((1, "pass", "at_risk"),)
    assert changes.became_critical == ("c",)
    assert changes.left_critical == ("a",)
    assert [
        (m.key, m.before.value if m.before else None, m.after.value) for m in changes.metrics
    ] == [("active-users", 34.0, 52.5)]
    assert not changes.is_empty


def test_the_same_pulse_changes_nothing() -> None:
    assert changes_between(AFTER, AFTER, CAL.workdays_between).is_empty


def test_milestones_listed_largest_slip_first() -> None:
    before = Pulse(d(2027, 1, 4), None, {"a": d(2027, 3, 1), "b": d(2027, 3, 1)})
    after = Pulse(d(2027, 2, 1), None, {"a": d(2027, 3, 2), "b": d(2027, 3, 15)})
    moved = changes_between(before, after, CAL.workdays_between).milestones_moved
    assert [m.key for m in moved] == ["b", "a"]


def test_stored_pulse_reads_back_the_same() -> None:
    assert pulse_from_json(pulse_to_json(AFTER)) == AFTER
    # a pulse stored by an older or damaged writer reads as what it has
    partial = pulse_from_json({"taken_on": "2027-03-01", "gates": {"1": {"gate_date": None}}})
    assert partial.gates == {} and partial.finish is None and partial.milestones == {}
