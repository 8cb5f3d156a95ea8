"""A schedule as columns of numbers (one row per item), for comparing and storing in bulk.

The scheduler's :meth:`~planner.domain.schedule.Scheduler.result` builds an object per item
(50 ms for 10,000 items); an edit only needs to know which rows changed. Here every item is
one row of seven integers — early start, early finish, late start, late finish (date
ordinals, ``-1`` for none), total float, free float, critical (0/1) — the columns the
database stores, so "what changed" is one array comparison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from planner.domain.schedule import PhaseOverrun, PhaseWindow, Scheduler
from planner.domain.schedule_fields import SCHEDULE_FIELDS

__all__ = ["COLUMNS", "NO_DATE", "columns_of", "overruns_of", "phase_index_of"]

COLUMNS = SCHEDULE_FIELDS
NO_DATE = -1
Columns = npt.NDArray[np.int64]


def columns_of(scheduler: Scheduler) -> Columns:
    """The schedule's (n, 7) columns, in the scheduler's item order."""
    try:
        return _columns_from_arrays(scheduler)
    except AttributeError:
        # the engine's array internals are not there (another version of it): the same
        # numbers through its public result, one object per item
        return _columns_from_result(scheduler)


def _columns_from_arrays(scheduler: Scheduler) -> Columns:
    derived = scheduler._derive()  # noqa: SLF001 - the arrays behind result(), no objects
    days = scheduler._display_points(derived.late_finish)  # noqa: SLF001
    n = len(days) // 4
    out = np.empty((n, 7), np.int64)
    if n == 0:
        return out
    out[:, :4] = scheduler.index.ordinals(days).reshape(4, n).T
    out[:, 4] = derived.total_float
    out[:, 5] = derived.free_float
    out[:, 6] = derived.critical
    return out


def _columns_from_result(scheduler: Scheduler) -> Columns:
    items = scheduler.result().items
    keys = [a.key for a in scheduler.activities]
    out = np.empty((len(keys), 7), np.int64)
    for i, key in enumerate(keys):
        s = items[key]
        out[i] = (
            s.early_start.toordinal(),
            s.early_finish.toordinal(),
            s.late_start.toordinal(),
            s.late_finish.toordinal(),
            s.total_float,
            s.free_float,
            int(s.critical),
        )
    return out


def phase_index_of(phases: Sequence[str | None], windows: Sequence[PhaseWindow]) -> Columns:
    """Each item's window as an index into ``windows`` (-1: in no window)."""
    where = {window.key: j for j, window in enumerate(windows)}
    return np.array([where.get(phase, -1) for phase in phases], dtype=np.int64)  # type: ignore[arg-type]  # an item in no phase (None) finds no window: -1


def overruns_of(
    columns: Columns,
    keys: Sequence[str],
    phase_index: Columns,
    windows: Sequence[PhaseWindow],
) -> list[PhaseOverrun]:
    """The phases whose items finish after their window (as ``ScheduleResult.overruns``)."""
    if not len(keys) or not windows:
        return []
    early_finish = columns[:, 1]
    # the window end of each item's phase; items in no window never overrun
    ends = np.array([w.end.toordinal() for w in windows] + [np.iinfo(np.int64).max])
    late = early_finish > ends[phase_index]
    overruns = []
    for j in sorted(set(phase_index[late].tolist())):
        window, end = windows[j], int(ends[j])
        members = phase_index == j
        late_items = np.flatnonzero(members & late)
        days = early_finish[late_items] - end
        order = np.argsort(-days, kind="stable")  # latest first; ties in item order
        pairs = list(
            zip([keys[i] for i in late_items[order].tolist()], days[order].tolist(), strict=True)
        )
        finish = int(early_finish[members].max())
        overruns.append(
            PhaseOverrun(window.key, window.end, dt.date.fromordinal(finish), finish - end, pairs)
        )
    return overruns
