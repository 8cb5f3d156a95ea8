"""What moved after an edit, as people read it: each moved item's old and new dates and its
shift in working days, named in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy import select

import planner.models.baseline  # noqa: F401  (registers the baseline tables)
from planner.domain.calendar import WorkCalendar
from planner.extensions import db
from planner.models import Program, WorkItem
from planner.services.moved_items import Move, MovedItems
from planner.services.scheduling import program_calendar


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


def describe_moves(
    program: Program, moves: Sequence[Move], lang: str, *, first: int | None = None
) -> list[MoveView]:
    """Moves with working-day shifts, biggest finish shift first (then by key), new items
    last (by key); each item named in ``lang`` (``"zh"``: its Chinese name when it has one,
    else the English one). With ``first``, only that many: a page shows a dozen of the
    thousands a deep plan's edit can move, so the shifts and the order are computed as
    arrays and only the views shown are made."""
    if not len(moves):
        return []
    items = MovedItems.of(moves)
    known = items.rescheduled
    old_at, new_at = np.flatnonzero(known), np.flatnonzero(~known)
    days = _workday_numbers(program_calendar(program), items.old[old_at], items.new[old_at])
    start_shifts, finish_shifts = days[:, 2] - days[:, 0], days[:, 3] - days[:, 1]
    keys = np.array(items.keys, dtype=str)
    order = old_at[_biggest_first(finish_shifts, keys[old_at], first)]
    shift_of = dict.fromkeys(order.tolist(), (0, 0))
    rank = np.empty(len(items), np.int64)
    rank[old_at] = np.arange(old_at.size)
    for i in shift_of:
        shift_of[i] = (int(start_shifts[rank[i]]), int(finish_shifts[rank[i]]))
    chosen = order.tolist()
    if first is None or len(chosen) < first:
        fresh = new_at[np.argsort(keys[new_at], kind="stable")].tolist()
        chosen += fresh[: None if first is None else first - len(chosen)]
    names = _names_of(program, items, chosen, lang)
    views = []
    for i, name in zip(chosen, names, strict=True):
        move = items[i]
        shifts = shift_of.get(i)
        views.append(
            MoveView(
                move.key,
                name or move.name,
                shifts is None,
                None if shifts is None else shifts[0],
                None if shifts is None else shifts[1],
                move.new_start,
                move.new_finish,
            )
        )
    return views


def count_moved(moves: Sequence[Move]) -> int:
    """How many items that had dates moved (items scheduled for the first time not counted)."""
    return MovedItems.of(moves).moved_count()


def _biggest_first(
    finish_shifts: npt.NDArray[np.int64], keys: npt.NDArray[np.str_], first: int | None
) -> npt.NDArray[np.int64]:
    """Positions by biggest finish shift (either way), then key; with ``first``, only the
    first that many (ordered among the candidates that can be among them)."""
    size = -np.abs(finish_shifts)
    candidates = np.arange(size.size)
    if first is not None and size.size > first:
        cut = np.partition(size, first - 1)[first - 1]
        candidates = np.flatnonzero(size <= cut)
    order = candidates[np.lexsort((keys[candidates], size[candidates]))]
    return order if first is None else order[:first]


def _workday_numbers(
    calendar: WorkCalendar, old: npt.NDArray[np.int64], new: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Working-day numbers of old start, old finish, new start, new finish (one row each)."""
    ordinals = np.concatenate([old, new], axis=1)
    if not ordinals.size:
        return np.zeros((0, 4), np.int64)
    low, high = int(ordinals.min()), int(ordinals.max())
    if high - low > 20 * ordinals.size + 1000:  # a few far dates: count from each date's own
        start = date.fromordinal(low)
        numbers = [calendar.workdays_between(start, date.fromordinal(o)) for o in ordinals.flat]
        return np.array(numbers, np.int64).reshape(ordinals.shape)
    found: npt.NDArray[np.int64] = calendar.index(date.fromordinal(low)).indices(ordinals)
    return found


def _names_of(program: Program, items: MovedItems, chosen: list[int], lang: str) -> list[str]:
    """The chosen items' names in ``lang`` (read in one query when the moves came unnamed)."""
    chinese = lang == "zh"
    if items.names is not None:
        pairs = [items.names[i] for i in chosen]
        return [(zh or name) if chinese else name for name, zh in pairs]
    found = _item_names(program, [items.keys[i] for i in chosen], lang)
    return [found.get(items.keys[i], "") for i in chosen]


MANY_KEYS = 500


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
