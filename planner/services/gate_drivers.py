"""What drives each phase's gate, read from the stored schedule (no rescheduling).

The stored early dates are turned back into the scheduler's working-day points (see
:mod:`planner.domain.schedule`) and the domain's :func:`gate_driver` names the driving
chain of each phase; the plan views show it in the overrun banner and the Gantt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from planner.domain.calendar import WorkdayIndex
from planner.domain.schedule import gate_driver, gate_point, remaining_days


class DriverRow(Protocol):
    """What is read of a work item (see ``planner.services.plan_view.PlanRow``)."""

    id: int
    key: str
    phase_id: int
    kind: str
    duration: int
    percent: int
    actual_start: date | None
    actual_finish: date | None
    early_start: date | None
    early_finish: date | None


class DriverPhase(Protocol):
    id: int
    window_end: date


@dataclass(frozen=True)
class GateDriver:
    """A phase's driving chain (first driver first) and its working days of float to the gate."""

    chain_ids: list[int]
    chain_keys: list[str]
    gate_float: int


def gate_drivers(
    phases: Iterable[DriverPhase],
    rows: Sequence[DriverRow],
    links: Iterable[tuple[int, int, str, int]],
    index: WorkdayIndex,
    wd: Callable[[date], int],
) -> dict[int, GateDriver]:
    """Phase id → what drives its gate, for phases with scheduled items.

    ``links`` are ``(predecessor id, successor id, type, lag)``; ``wd`` gives a date's
    working-day index in ``index`` (the caller's memoised ``index.index``).
    """
    dated = [row for row in rows if row.early_start is not None and row.early_finish is not None]
    number = {row.id: i for i, row in enumerate(dated)}
    read_start: list[int] = []
    bound_start: list[int] = []
    finish: list[int] = []
    done: list[bool] = []
    for row in dated:
        assert row.early_start is not None and row.early_finish is not None
        milestone = row.kind == "milestone"
        end = wd(row.early_finish) + 1  # a task's finish point; a milestone's point
        if milestone:
            remaining = 0
        elif row.actual_start is not None:
            remaining = remaining_days(row.duration, row.percent)
        else:
            remaining = row.duration
        finish.append(end)
        read_start.append(end if milestone else wd(row.early_start))
        bound_start.append(end - remaining)
        done.append(row.actual_finish is not None or (milestone and row.actual_start is not None))
    into: list[list[tuple[int, str, int]]] = [[] for _ in dated]
    for pred_id, succ_id, type_, lag in links:
        p, s = number.get(pred_id), number.get(succ_id)
        if p is not None and s is not None and not done[s]:  # links into done items hold no one
            into[s].append((p, type_, lag))
    members: dict[int, list[int]] = {}
    for i, row in enumerate(dated):
        members.setdefault(row.phase_id, []).append(i)
    drivers = {}
    for phase in phases:
        chain = gate_driver(members.get(phase.id, []), read_start, bound_start, finish, into)
        if not chain:
            continue
        end = dated[chain[-1]]
        point = gate_point(index, phase.window_end, end.kind == "milestone")
        drivers[phase.id] = GateDriver(
            [dated[i].id for i in chain], [dated[i].key for i in chain], point - finish[chain[-1]]
        )
    return drivers
