"""What moved after an edit, as people read it: each moved item's old and new dates and its
shift in working days, named in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import numpy as np
from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.calendar import WorkCalendar
from planner.extensions import db
from planner.models import Program, WorkItem
from planner.services.scheduling import (
    Move,
    program_calendar,
)


class MoveView(NamedTuple):
    """A moved item, with its shifts in working days of the program's calendar (a tuple:
    a deep plan's edit can move thousands of items)."""

    key: str
    name: str
    new_item: bool
    start_shift: int | None
    finish_shift: int | None
    new_start: date
    new_finish: date


def describe_moves(program: Program, moves: list[Move], lang: str) -> list[MoveView]:
    """Moves with working-day shifts, biggest finish shift first; each item named in
    ``lang`` (``"zh"``: its Chinese name when it has one, else the English one)."""
    calendar = program_calendar(program)
    if all(m.named for m in moves):  # both names came with the moves
        chinese = lang == "zh"
        names = {m.key: (m.name_zh or m.name) if chinese else m.name for m in moves}
    else:
        names = _item_names(program, [m.key for m in moves], lang)
    pairs = [
        (m.old_start, m.new_start, m.old_finish, m.new_finish)
        for m in moves
        if m.old_start is not None and m.old_finish is not None
    ]
    shifts = iter(workday_shifts(calendar, [d for four in pairs for d in four]))
    views = []
    for move in moves:
        new = move.old_start is None or move.old_finish is None
        views.append(
            MoveView(
                move.key,
                names.get(move.key) or move.name,
                new,
                None if new else next(shifts),
                None if new else next(shifts),
                move.new_start,
                move.new_finish,
            )
        )
    views.sort(key=lambda v: (v.new_item, -abs(v.finish_shift or 0), v.key))
    return views


MANY_KEYS = 500


def workday_shifts(calendar: WorkCalendar, dates: list[date]) -> list[int]:
    """``calendar.workdays_between(a, b)`` of each pair ``a, b`` of ``dates`` (flat: a, b,
    a, b …), from one count of working days over the span they cover (a deep plan's edit
    moves thousands of items)."""
    if not dates:
        return []
    ordinals = np.array([d.toordinal() for d in dates], np.int64).reshape(-1, 2)
    low, high = int(ordinals.min()), int(ordinals.max())
    if high - low > 20 * len(dates) + 1000:  # a few far dates: count pair by pair
        return [_shift(calendar, a, b) for a, b in zip(dates[::2], dates[1::2], strict=True)]
    workday = np.fromiter(
        (calendar.is_workday(date.fromordinal(o)) for o in range(low, high + 1)), bool
    )
    before = np.zeros(high - low + 2, np.int64)  # working days in [low, low + k)
    np.cumsum(workday, out=before[1:])
    offsets = ordinals - low
    shifts: list[int] = (before[offsets[:, 1]] - before[offsets[:, 0]]).tolist()
    return shifts


def _item_names(program: Program, keys: list[str], lang: str) -> dict[str, str]:
    """Item key → name in ``lang``, in one query."""
    if not keys:
        return {}
    chinese = lang == "zh"
    query = select(WorkItem.key, WorkItem.name, WorkItem.name_zh).where(
        WorkItem.program_id == program.id
    )
    if len(keys) <= MANY_KEYS:  # else the whole program: cheaper than thousands of parameters
        query = query.where(WorkItem.key.in_(keys))
    found: dict[str, str] = {}
    for key, name, name_zh in db.session.execute(query):
        found[key] = ((name_zh or name) if chinese else (name or name_zh)) or key
    return found


def _shift(calendar: WorkCalendar, old: date, new: date) -> int:
    return calendar.workdays_between(old, new)
