"""A program's compiled schedule, kept per revision so that an edit is applied incrementally.

A :class:`LiveSchedule` is the scheduler of a program *as stored*: the
:class:`~planner.domain.schedule.Scheduler` built from the rows, the item ids in its order,
the computed columns the database holds for them and the rows themselves as columns (the
program's record). An edit takes the entry of the revision it starts from (:func:`take`),
changes the scheduler with its incremental API, writes the rows whose columns changed and
the record, and hands the entry back under the new revision (:func:`keep`). Nothing is
kept before the transaction commits, and an entry taken by an edit that rolls back is
simply gone.

Kept in this process only (a small dict; an edit after an edit in the same worker costs
nothing). Another worker, or this one after a restart, builds the schedule from the
program's record (:mod:`planner.services.plan_record`), which every reschedule writes in the
same transaction as the rows: a few array copies instead of reading every row, and nothing
to pickle after each response.

The key is the program's revision (its newest audit event about the plan) and the status
date (remaining work follows today when the program has none): a change to any input of
the schedule — item, link, phase, calendar, status date — writes an audit event, so an entry
is never used for rows it was not built from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from planner.domain.schedule import PhaseWindow, Scheduler
from planner.extensions import db
from planner.services.moved_items import NamePairs
from planner.services.plan_record import RecordColumns

Columns = npt.NDArray[np.int64]
DEFAULT_LOCAL_ENTRIES = 8
_PENDING = "live_schedule_pending"


class Stats:
    """Entries reused by edits, schedules built from the program's record and from its rows,
    in this process."""

    reused = 0
    from_record = 0
    built = 0

    @classmethod
    def reset(cls) -> None:
        cls.reused = cls.from_record = cls.built = 0


@dataclass
class LiveSchedule:
    """A program's scheduler and the computed columns stored for its items (same order)."""

    program_id: int
    status_date: date
    scheduler: Scheduler
    item_ids: npt.NDArray[np.int64]
    keys: list[str]
    # (n, 7): early/late start/finish as date ordinals (-1: none), floats, critical (0/1)
    stored: Columns
    # phase id → the phase as the scheduler knows it (its window start bounds every item)
    phase_windows: dict[int, PhaseWindow]
    # each item's phase as an index into the scheduler's phase windows (-1: none)
    phase_index: npt.NDArray[np.int64]
    # each item's name and Chinese name, to name what moved without a query
    names: NamePairs
    # built with links whose lags were converted from weeks, percent or elapsed days: such
    # a program is scheduled in full by every edit, never taken incrementally
    converted: bool = False
    # the rows it was built from, as the edits since changed them (written as the program's
    # record by every reschedule); None for a program scheduled in full by every edit
    record: RecordColumns | None = None

    def position(self, item_id: int) -> int | None:
        """The item's place in the scheduler's order (None: not in this schedule)."""
        # one comparison of the ids column: an edit asks once, a dict of 10,000 ids costs more
        found = np.flatnonzero(self.item_ids == item_id)
        return int(found[0]) if found.size else None


# --------------------------------------------------------------------------------------------
# this process


class _Local:
    """The last few entries of this process, one per program."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[int, tuple[str, LiveSchedule]] = OrderedDict()

    def pop(self, program_id: int, revision: str) -> LiveSchedule | None:
        with self._lock:
            found = self._entries.pop(program_id, None)
        if found is None or found[0] != revision:
            return None
        return found[1]

    def put(self, revision: str, live: LiveSchedule, limit: int) -> None:
        if limit <= 0:
            return
        with self._lock:
            self._entries.pop(live.program_id, None)
            self._entries[live.program_id] = (revision, live)
            while len(self._entries) > limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_local = _Local()


def _local_limit() -> int:
    try:
        return int(current_app.config.get("PLANNER_LIVE_SCHEDULES", DEFAULT_LOCAL_ENTRIES))
    except RuntimeError:  # no application: nothing kept
        return 0


def forget_all() -> None:
    """Drop this process's entries (tests; never needed for correctness)."""
    _local.clear()


# --------------------------------------------------------------------------------------------
# taking and keeping


def take(program_id: int, revision: str, status: date) -> LiveSchedule | None:
    """The entry of this revision and status date, removed from where it was kept, or None.

    The caller owns it from now on (it changes the scheduler in place) and hands it back
    with :func:`keep` once its writes are flushed.
    """
    pending: dict[int, tuple[str, LiveSchedule]] = db.session.info.get(_PENDING, {})
    found = pending.pop(program_id, None)
    live: LiveSchedule | None
    if found is not None:
        live = found[1] if found[0] == revision else None
    else:
        live = _local.pop(program_id, revision)
    if live is None or live.status_date != status:
        return None
    Stats.reused += 1
    return live


def keep(revision: str, live: LiveSchedule) -> None:
    """Hand the entry back under ``revision``; kept in this process when the transaction
    commits."""
    db.session.info.setdefault(_PENDING, {})[live.program_id] = (revision, live)


def _published(session: Session) -> None:
    pending: dict[int, tuple[str, LiveSchedule]] = session.info.pop(_PENDING, {})
    limit = _local_limit()
    for revision, live in pending.values():
        _local.put(revision, live, limit)


def _dropped(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def init_app() -> None:
    if not event.contains(Session, "after_commit", _published):
        event.listen(Session, "after_commit", _published)
        event.listen(Session, "after_soft_rollback", _dropped)
