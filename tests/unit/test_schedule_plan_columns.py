"""A plan given as columns (``PlanColumns``, ``Scheduler.from_columns``) schedules as the
same plan given as objects, and the vectorised set-up plans every item as ``_plan_rows``."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.calendar import WorkdayIndex
from planner.domain.errors import DependencyCycleError, ValidationError
from planner.domain.schedule import (
    _BIG,
    Activity,
    Link,
    PlanColumns,
    Scheduler,
    _finish_point,
    _MemoIndex,
    _plan_arrays,
    _plan_rows,
)
from tests.unit.test_schedule_properties import CAL, SETTINGS, START, Network, networks, observed


def _rows_reference(net: Network) -> np.ndarray:
    """Each item's plan as the object path of the risk analysis computes it."""
    acts, _links, status_date, windows = net
    index = WorkdayIndex(CAL, START)
    memo = _MemoIndex(index)
    status = None if status_date is None else index.index(status_date)
    gates = {w.key: w.end for w in windows}

    def gate_of(phase: str | None, milestone: bool) -> int:
        if phase is None or phase not in gates:
            return _BIG
        return _finish_point(memo, gates[phase], milestone)

    rows = _plan_rows(acts, memo, status, gate_of)
    return np.array(rows, np.int64).reshape(len(acts), 8)


@SETTINGS
@given(networks(progress=True))
def test_vectorised_plan_equals_the_per_item_plan(net: Network) -> None:
    acts, links, status_date, windows = net
    index = WorkdayIndex(CAL, START)
    status = None if status_date is None else index.index(status_date)
    plan = _plan_arrays(PlanColumns.of(acts, links), index, status, {w.key: w.end for w in windows})
    expected = _rows_reference(net)
    got = np.stack([*plan[:6], plan.milestone.astype(np.int64)], axis=1)
    # columns of _plan_rows: state, rem, floor, fixed, fnl, gate, phase number, milestone
    assert got.tolist() == expected[:, [0, 1, 2, 3, 4, 5, 7]].tolist()


@SETTINGS
@given(networks(progress=True), st.data())
def test_columns_schedule_as_objects_and_take_edits(net: Network, data: st.DataObject) -> None:
    acts, links, status, windows = net
    from_objects = Scheduler(acts, links, CAL, START, status, windows)
    cols = PlanColumns.of(acts, links)
    for trusted in (True, False):
        from_columns = Scheduler.from_columns(
            replace(cols, duration=cols.duration.copy()),
            CAL,
            START,
            status,
            windows,
            trusted=trusted,
        )
        assert observed(from_columns) == observed(from_objects)
        assert from_columns.result() == from_objects.result()
        assert from_columns.activities == tuple(acts)
        assert from_columns.phase_drivers() == from_objects.phase_drivers()
    key = data.draw(st.sampled_from([a.key for a in acts]))
    days = data.draw(st.integers(0, 8))
    assert from_columns.set_duration(key, days) == from_objects.set_duration(key, days)
    assert observed(from_columns) == observed(from_objects)
    assert from_columns.activity(from_columns._key_index[key]).duration == days


def _columns(**changes: object) -> PlanColumns:
    cols = PlanColumns.of([Activity("a", 2), Activity("b", 1)], [Link("a", "b")])
    return replace(cols, **changes)


def test_untrusted_columns_are_checked_at_the_edge() -> None:
    with pytest.raises(ValidationError, match="no item at position 7"):
        Scheduler.from_columns(_columns(successor=np.array([7])), CAL, START)
    with pytest.raises(ValidationError, match="must not be negative"):
        Scheduler.from_columns(_columns(duration=np.array([2, -1])), CAL, START)
    with pytest.raises(ValidationError, match="expected 2 values"):
        Scheduler.from_columns(_columns(duration=np.array([2])), CAL, START)
    far = (START + dt.timedelta(days=365 * 200)).toordinal()
    with pytest.raises(ValidationError, match="too far"):
        Scheduler.from_columns(_columns(start_no_earlier=np.array([far, -1])), CAL, START)
    cycle = _columns(
        predecessor=np.array([0, 1]),
        successor=np.array([1, 0]),
        link_type=np.array([0, 0]),
        lag=np.array([0, 0]),
    )
    with pytest.raises(DependencyCycleError):
        Scheduler.from_columns(cycle, CAL, START, trusted=True)  # found with the levels
