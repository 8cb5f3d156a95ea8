"""What drives each phase's gate, read from the stored schedule (no rescheduling).

The stored early dates are turned back into the scheduler's working-day points (see
:mod:`planner.domain.schedule`) and the domain's :func:`gate_driver` names the driving
chain of each phase; the plan views show it in the overrun banner and the Gantt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from planner.domain.calendar import WorkdayIndex
from planner.domain.schedule import NO_DATE, gate_driver, gate_point, remaining_days

if TYPE_CHECKING:
    from planner.services.plan_rows import PlanRows

Int64Array = npt.NDArray[np.int64]


class DriverPhase(Protocol):
    id: int
    window_end: date


class PlanPoints(NamedTuple):
    """The stored early dates as the scheduler's working-day points, a value per item in
    plan order (see :mod:`planner.domain.schedule`), and each link's ends by position."""

    dated: npt.NDArray[np.bool_]  # both early dates stored
    milestone: npt.NDArray[np.bool_]
    start: Int64Array  # working-day index of the early start
    finish: Int64Array  # finish point: working-day index of the early finish, plus one
    predecessor: Int64Array
    successor: Int64Array
    known: npt.NDArray[np.bool_]  # both ends are items of the program


@dataclass(frozen=True)
class GateDriver:
    """A phase's driving chain (first driver first) and its working days of float to the gate."""

    chain_ids: list[int]
    chain_keys: list[str]
    gate_float: int


def plan_points(plan: PlanRows, index: WorkdayIndex) -> PlanPoints:
    """The stored early dates of ``plan`` (read with its ``kind`` column) as working-day
    points, and each link's ends by position."""
    ids = plan.ids
    pred, succ = plan.positions(plan.link_predecessor), plan.positions(plan.link_successor)
    computed = plan.computed
    return PlanPoints(
        dated=(computed[:, 0] != NO_DATE) & (computed[:, 1] != NO_DATE),
        milestone=np.array([kind == "milestone" for kind in plan.values["kind"]], bool),
        start=_workday_indices(index, computed[:, 0]),
        finish=_workday_indices(index, computed[:, 1]) + 1,
        predecessor=pred,
        successor=succ,
        known=(ids[pred] == plan.link_predecessor) & (ids[succ] == plan.link_successor)
        if len(ids)
        else np.zeros(len(pred), bool),
    )


def _workday_indices(index: WorkdayIndex, ordinals: Int64Array) -> Int64Array:
    """The working-day index of each date ordinal (``NO_DATE``: -1), each day looked up once."""
    out = np.full(len(ordinals), -1, np.int64)
    dated = ordinals != NO_DATE
    days, where = np.unique(ordinals[dated], return_inverse=True)
    out[dated] = index.indices(days)[where]
    return out


def gate_drivers(
    phases: Iterable[DriverPhase], plan: PlanRows, points: PlanPoints, index: WorkdayIndex
) -> dict[int, GateDriver]:
    """Phase id → what drives its gate, for phases with scheduled items."""
    values = plan.values
    dated = np.flatnonzero(points.dated)
    number = np.full(plan.n, -1, np.int64)
    number[dated] = np.arange(dated.size)
    milestone = points.milestone[dated]
    finish = points.finish[dated]  # a task's finish point; a milestone's point
    started = values["actual_start"][dated] != NO_DATE
    duration = np.array(values["duration_days"], np.int64)[dated]
    percent = np.array(values["percent_complete"], np.float64)[dated]
    remaining = duration.copy()
    going = np.flatnonzero(started & ~milestone)
    remaining[going] = [
        remaining_days(d, p)
        for d, p in zip(duration[going].tolist(), percent[going].tolist(), strict=True)
    ]
    remaining[milestone] = 0
    read_start = np.where(milestone, finish, points.start[dated])
    done = (values["actual_finish"][dated] != NO_DATE) | (milestone & started)
    pred, succ = number[points.predecessor], number[points.successor]
    holds = points.known & (pred >= 0) & (succ >= 0)
    holds[holds] = ~done[succ[holds]]  # links into done items hold no one
    into: list[list[tuple[int, str, int]]] = [[] for _ in range(dated.size)]
    kinds = plan.link_type
    for k, p, s, lag in zip(
        np.flatnonzero(holds).tolist(),
        pred[holds].tolist(),
        succ[holds].tolist(),
        plan.link_lag[holds].tolist(),
        strict=True,
    ):
        into[s].append((p, kinds[k], lag))
    phase_of = np.array(values["phase_id"], np.int64)[dated]
    finish_list, keys, ids = finish.tolist(), values["key"], values["id"]
    read, bound = read_start.tolist(), (finish - remaining).tolist()
    drivers = {}
    for phase in phases:
        members = np.flatnonzero(phase_of == phase.id).tolist()
        chain = gate_driver(members, read, bound, finish_list, into)
        if not chain:
            continue
        end = int(dated[chain[-1]])
        point = gate_point(index, phase.window_end, bool(points.milestone[end]))
        drivers[phase.id] = GateDriver(
            [ids[dated[i]] for i in chain],
            [keys[dated[i]] for i in chain],
            point - finish_list[chain[-1]],
        )
    return drivers
