"""A program's compiled schedule, kept per revision so that an edit is applied incrementally.

A :class:`LiveSchedule` is the scheduler of a program *as stored*: the
:class:`~planner.domain.schedule.Scheduler` built from the rows, the item ids in its order
and the computed columns the database holds for them. An edit takes the entry of the
revision it starts from (:func:`take`), changes the scheduler with its incremental API,
writes the rows whose columns changed and hands the entry back under the new revision
(:func:`keep`). Nothing is published before the transaction commits, and an entry taken by
an edit that rolls back is simply gone (the next edit rebuilds it from the rows).

Two levels:

* this process (a small dict; an edit after an edit in the same worker costs nothing);
* the shared cache of :mod:`planner.ops.cache` (every worker, and every machine on Redis),
  written after the response has been sent, so the edit does not wait for the pickling.

The key is the program's revision (its newest audit event) and the status date (remaining
work follows today when the program has none): a change to any input of the schedule —
item, link, phase, calendar, status date — writes an audit event, so an entry is never used
for rows it was not built from.
"""

from __future__ import annotations

import copyreg
import io
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from flask import after_this_request, current_app, has_request_context
from flask.wrappers import Response
from sqlalchemy import event
from sqlalchemy.orm import Session

from planner.domain.schedule import PhaseWindow, Scheduler, paused_gc
from planner.extensions import db
from planner.ops.cache import cache, code_digest
from planner.services.moved_items import NamePairs

log = logging.getLogger(__name__)

Columns = npt.NDArray[np.int64]
DEFAULT_LOCAL_ENTRIES = 8
_PENDING = "live_schedule_pending"
_KIND = "live-schedule-4"  # 4: names as two lists, the converted flag


class Stats:
    """Entries reused by edits and schedules built from the rows, in this process."""

    reused = 0
    built = 0

    @classmethod
    def reset(cls) -> None:
        cls.reused = cls.built = 0


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
    _position: dict[int, int] | None = None

    def position(self, item_id: int) -> int | None:
        """The item's place in the scheduler's order (None: not in this schedule)."""
        if self._position is None:
            self._position = {item: i for i, item in enumerate(self.item_ids.tolist())}
        return self._position.get(item_id)


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
# the shared cache: a scheduler pickled without its derived caches


def _restore_scheduler(state: dict[str, Any]) -> Scheduler:
    scheduler = Scheduler.__new__(Scheduler)
    scheduler.__dict__.update(dict.fromkeys(_REBUILT_ON_DEMAND))  # entries of older versions
    scheduler.__dict__.update(
        {
            name: memoryview(value[1])
            if isinstance(value, tuple) and len(value) == 2 and value[0] == "__view__"
            else value
            for name, value in state.items()
        }
    )
    return scheduler


# caches the scheduler rebuilds on demand (None is their "not computed" state); the compiled
# level arrays are four times the size of everything else and slow to pickle, and the
# per-item link lists (tens of thousands of small Python objects) are quicker to make again
# from the link arrays than to unpickle
_REBUILT_ON_DEMAND = frozenset(
    {"_compiled", "_csr", "_derived", "_result", "_key_index_map", "_adj"}
)


def _reduce_scheduler(scheduler: Scheduler) -> tuple[Callable[..., Scheduler], tuple[Any]]:
    # memoryviews (cheap scalar access to the arrays) cannot be pickled: keep the array they
    # view (pickle keeps it the same object as the attribute holding it) and view it again
    state = {
        name: ("__view__", value.obj)
        if isinstance(value, memoryview)
        else None
        if name in _REBUILT_ON_DEMAND
        else value
        for name, value in scheduler.__dict__.items()
    }
    return _restore_scheduler, (state,)


def dumps(live: LiveSchedule) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[Scheduler] = _reduce_scheduler
    pickler.dump(live)
    return buffer.getvalue()


def loads(data: bytes) -> LiveSchedule:
    # our own cache entry, written by dumps() above (as Flask-Caching's own entries are)
    with paused_gc():  # thousands of objects, none cyclic
        live = pickle.loads(data)  # noqa: S301  # nosec B301
    if not isinstance(live, LiveSchedule):
        raise TypeError("not a live schedule")
    return live


def _shared_key(program_id: int, revision: str, status: date) -> str:
    # no language in it (a schedule has no words), today's date as every derived result
    today = date.today().isoformat()
    # the code's digest: a schedule pickled by another release is never read back
    return f"derived:{_KIND}:{program_id}:{revision}:{code_digest()}:{status.isoformat()}:{today}"


def _read_shared(program_id: int, revision: str, status: date) -> LiveSchedule | None:
    try:
        data = cache.get(_shared_key(program_id, revision, status))
        return loads(data) if isinstance(data, bytes) else None
    except Exception as exc:  # noqa: BLE001 - a broken cache is a miss, never an error
        log.warning("live schedule read failed (%s): rebuilding", type(exc).__name__)
        return None


def _writer(backend: Any, entries: list[tuple[str, LiveSchedule]]) -> Callable[[], None]:
    """Write the entries with this cache backend (also after the app context is gone)."""
    keys = [_shared_key(live.program_id, revision, live.status_date) for revision, live in entries]

    def write() -> None:
        for key, (_revision, live) in zip(keys, entries, strict=True):
            try:
                backend.set(key, dumps(live))
            except Exception as exc:  # noqa: BLE001
                log.warning("live schedule write failed (%s)", type(exc).__name__)

    return write


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
        if live is None:
            live = _read_shared(program_id, revision, status)
    if live is None or live.status_date != status:
        return None
    Stats.reused += 1
    return live


def keep(revision: str, live: LiveSchedule) -> None:
    """Hand the entry back under ``revision``; published when the transaction commits."""
    db.session.info.setdefault(_PENDING, {})[live.program_id] = (revision, live)


def _published(session: Session) -> None:
    pending: dict[int, tuple[str, LiveSchedule]] = session.info.pop(_PENDING, {})
    if not pending:
        return
    entries = list(pending.values())
    limit = _local_limit()
    for revision, live in entries:
        _local.put(revision, live, limit)
    try:
        backend = cache.cache
    except (KeyError, RuntimeError):  # no cache set up for this app
        return
    if backend is None or type(backend).__name__ == "NullCache":
        return
    write = _writer(backend, entries)
    if has_request_context():
        # after the response has been sent: the edit does not wait for the pickling
        @after_this_request
        def later(response: Response) -> Response:
            response.call_on_close(write)
            return response

        return
    write()


def _dropped(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


def init_app() -> None:
    if not event.contains(Session, "after_commit", _published):
        event.listen(Session, "after_commit", _published)
        event.listen(Session, "after_soft_rollback", _dropped)
