"""The program's pulse at a steering review, and what changed between two reviews.

A risk register snapshot says which risks changed; a steering committee also asks which
milestones and gates moved, whether the forecast finish slipped, which items became
critical and how the metrics moved. When a review's snapshot is taken the program's pulse is
recorded with it (plain data, stored as JSON), and the next review compares the two.

Dates move by working days of the program's calendar (a week-end in between is no slip).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "GatePulse",
    "MetricPulse",
    "Move",
    "MetricChange",
    "Pulse",
    "PulseChanges",
    "changes_between",
    "pulse_from_json",
    "pulse_to_json",
]

WorkdaysBetween = Callable[[dt.date, dt.date], int]


@dataclass(frozen=True)
class GatePulse:
    """One phase gate: its date, the forecast finish of the phase's work, the outlook code."""

    gate_date: dt.date
    forecast_finish: dt.date | None
    outlook: str | None


@dataclass(frozen=True)
class MetricPulse:
    """One metric: its latest reading (value and day) and its status code then."""

    value: float | None
    read_on: dt.date | None
    status: str | None


@dataclass(frozen=True)
class Pulse:
    """The program as it stood when a review's snapshot was taken."""

    taken_on: dt.date
    finish: dt.date | None
    milestones: Mapping[str, dt.date] = field(default_factory=dict)
    gates: Mapping[int, GatePulse] = field(default_factory=dict)
    critical: frozenset[str] = frozenset()
    metrics: Mapping[str, MetricPulse] = field(default_factory=dict)


@dataclass(frozen=True)
class Move:
    """A date that moved: ``key`` (milestone key, gate ordinal, or "finish"), before, after,
    and the shift in working days (positive = later)."""

    key: str
    before: dt.date
    after: dt.date
    workdays: int


@dataclass(frozen=True)
class MetricChange:
    key: str
    before: MetricPulse | None
    after: MetricPulse


@dataclass(frozen=True)
class PulseChanges:
    """What moved in the plan and the metrics between two reviews."""

    finish: Move | None = None
    milestones_moved: tuple[Move, ...] = ()
    milestones_added: tuple[str, ...] = ()
    milestones_removed: tuple[str, ...] = ()
    gates_moved: tuple[Move, ...] = ()
    gate_outlooks: tuple[tuple[int, str | None, str | None], ...] = ()
    became_critical: tuple[str, ...] = ()
    left_critical: tuple[str, ...] = ()
    metrics: tuple[MetricChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Say whether nothing moved.

        Examples:
            >>> PulseChanges().is_empty
            True
        """
        return not any(
            (
                self.finish,
                self.milestones_moved,
                self.milestones_added,
                self.milestones_removed,
                self.gates_moved,
                self.gate_outlooks,
                self.became_critical,
                self.left_critical,
                self.metrics,
            )
        )


def _shift(key: str, before: dt.date, after: dt.date, workdays: WorkdaysBetween) -> Move:
    return Move(key, before, after, workdays(before, after))


def changes_between(before: Pulse, after: Pulse, workdays: WorkdaysBetween) -> PulseChanges:
    """What moved from ``before`` to ``after``; moves in working days of ``workdays``.

    ``workdays(a, b)`` counts the working days in ``[a, b)``, negative when ``b < a``, as
    ``WorkCalendar.workdays_between`` does. Moves are listed latest slip first.

    Examples:
        >>> d = dt.date
        >>> days = lambda a, b: (b - a).days
        >>> old = Pulse(d(2027, 1, 4), d(2027, 6, 1), {"go-live": d(2027, 3, 1)})
        >>> new = Pulse(d(2027, 2, 1), d(2027, 6, 8), {"go-live": d(2027, 3, 1)})
        >>> changes_between(old, new, days).finish.workdays
        7
        >>> changes_between(old, new, days).milestones_moved
        ()
    """
    finish = None
    if before.finish and after.finish and before.finish != after.finish:
        finish = _shift("finish", before.finish, after.finish, workdays)
    moved = [
        _shift(key, before.milestones[key], day, workdays)
        for key, day in after.milestones.items()
        if key in before.milestones and before.milestones[key] != day
    ]
    gates_moved = []
    outlooks = []
    for ordinal, gate in sorted(after.gates.items()):
        old = before.gates.get(ordinal)
        if old is None:
            continue
        if (
            old.forecast_finish
            and gate.forecast_finish
            and old.forecast_finish != (gate.forecast_finish)
        ):
            gates_moved.append(
                _shift(str(ordinal), old.forecast_finish, gate.forecast_finish, workdays)
            )
        if old.outlook != gate.outlook:
            outlooks.append((ordinal, old.outlook, gate.outlook))
    metric_changes = [
        MetricChange(key, before.metrics.get(key), now)
        for key, now in sorted(after.metrics.items())
        if before.metrics.get(key) != now and now.value is not None
    ]
    return PulseChanges(
        finish=finish,
        milestones_moved=tuple(sorted(moved, key=lambda m: (-abs(m.workdays), m.key))),
        milestones_added=tuple(sorted(set(after.milestones) - set(before.milestones))),
        milestones_removed=tuple(sorted(set(before.milestones) - set(after.milestones))),
        gates_moved=tuple(gates_moved),
        gate_outlooks=tuple(outlooks),
        became_critical=tuple(sorted(after.critical - before.critical)),
        left_critical=tuple(sorted(before.critical - after.critical)),
        metrics=tuple(metric_changes),
    )


# --------------------------------------------------------------------------- storage


def _day(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) and text else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def pulse_to_json(pulse: Pulse) -> dict[str, Any]:
    """The pulse as JSON-ready data (stored with the review).

    Examples:
        >>> p = Pulse(dt.date(2027, 1, 4), None, critical=frozenset({"b", "a"}))
        >>> pulse_to_json(p)["critical"]
        ['a', 'b']
        >>> pulse_from_json(pulse_to_json(p)) == p
        True
    """
    return {
        "taken_on": pulse.taken_on.isoformat(),
        "finish": _iso(pulse.finish),
        "milestones": {key: day.isoformat() for key, day in sorted(pulse.milestones.items())},
        "gates": {
            str(ordinal): {
                "gate_date": gate.gate_date.isoformat(),
                "forecast_finish": _iso(gate.forecast_finish),
                "outlook": gate.outlook,
            }
            for ordinal, gate in sorted(pulse.gates.items())
        },
        "critical": sorted(pulse.critical),
        "metrics": {
            key: {"value": m.value, "read_on": _iso(m.read_on), "status": m.status}
            for key, m in sorted(pulse.metrics.items())
        },
    }


def pulse_from_json(data: Mapping[str, Any]) -> Pulse:
    """The pulse stored by ``pulse_to_json`` (unknown or missing parts read as empty)."""
    taken = _day(data.get("taken_on")) or dt.date.min
    milestones = {
        str(key): day
        for key, text in (data.get("milestones") or {}).items()
        if (day := _day(text)) is not None
    }
    gates = {}
    for ordinal, gate in (data.get("gates") or {}).items():
        gate_date = _day(gate.get("gate_date"))
        if gate_date is not None:
            gates[int(ordinal)] = GatePulse(
                gate_date, _day(gate.get("forecast_finish")), gate.get("outlook")
            )
    metrics = {
        str(key): MetricPulse(
            float(m["value"]) if m.get("value") is not None else None,
            _day(m.get("read_on")),
            m.get("status"),
        )
        for key, m in (data.get("metrics") or {}).items()
    }
    return Pulse(
        taken_on=taken,
        finish=_day(data.get("finish")),
        milestones=milestones,
        gates=gates,
        critical=frozenset(str(k) for k in data.get("critical") or ()),
        metrics=metrics,
    )
