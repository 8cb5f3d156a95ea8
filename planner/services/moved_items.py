"""The items a reschedule moved, as columns: a deep plan's edit moves thousands of items,
and a page shows a dozen of them, so a tuple per item is made only when one is asked for."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import NamedTuple, overload

import numpy as np
import numpy.typing as npt

from planner.domain.schedule import NO_DATE

Ordinals = npt.NDArray[np.int64]


class NamePairs:
    """Items' names and Chinese names as two lists, read as (name, Chinese name) pairs: a
    10,000-item plan's pair tuples were walked by the collector after every cold edit."""

    __slots__ = ("name", "name_zh")

    def __init__(self, name: list[str], name_zh: list[str | None]) -> None:
        self.name = name
        self.name_zh = name_zh

    def __getitem__(self, i: int) -> tuple[str, str | None]:
        return self.name[i], self.name_zh[i]

    def __setitem__(self, i: int, pair: tuple[str, str | None]) -> None:
        self.name[i], self.name_zh[i] = pair

    def __len__(self) -> int:
        return len(self.name)

    def pick(self, at: list[int]) -> NamePairs:
        """The pairs at these places, in this order."""
        return NamePairs([self.name[i] for i in at], [self.name_zh[i] for i in at])


class Move(NamedTuple):
    """An item whose computed dates changed in a reschedule."""

    key: str
    name: str
    old_start: date | None
    new_start: date
    old_finish: date | None
    new_finish: date
    # the item's Chinese name, when ``named`` says both names were read with the move
    name_zh: str | None = None
    named: bool = False

    @property
    def finish_shift_days(self) -> int | None:
        if self.old_finish is None:
            return None
        return (self.new_finish - self.old_finish).days


class MovedItems(Sequence[Move]):
    """Moved items as columns: keys, names, and date ordinals (start, finish) before and
    after (``NO_DATE`` before: an item scheduled for the first time). Reads as a sequence
    of :class:`Move`; the tuples are made on first use."""

    def __init__(
        self,
        keys: list[str],
        names: NamePairs | None,
        old: Ordinals,
        new: Ordinals,
    ) -> None:
        self.keys = keys
        # (name, Chinese name) of each, when read with the schedule; else the keys stand in
        self.names = names
        self.old = old.reshape(-1, 2)
        self.new = new.reshape(-1, 2)
        self._moves: list[Move] | None = None

    @classmethod
    def of(cls, moves: Sequence[Move]) -> MovedItems:
        """The columns of moves made one by one (e.g. a file's preview)."""
        if isinstance(moves, MovedItems):
            return moves

        def ordinal(day: date | None) -> int:
            return NO_DATE if day is None else day.toordinal()

        old = np.array([(ordinal(m.old_start), ordinal(m.old_finish)) for m in moves], np.int64)
        new = np.array([(m.new_start.toordinal(), m.new_finish.toordinal()) for m in moves])
        named = all(m.named for m in moves)
        items = cls(
            [m.key for m in moves],
            NamePairs([m.name for m in moves], [m.name_zh for m in moves]) if named else None,
            old.astype(np.int64),
            new.astype(np.int64),
        )
        items._moves = list(moves)
        return items

    @property
    def rescheduled(self) -> npt.NDArray[np.bool_]:
        """Which items had dates before (the others are scheduled for the first time)."""
        known: npt.NDArray[np.bool_] = (self.old != NO_DATE).all(axis=1)
        return known

    def moved_count(self) -> int:
        """How many items that had dates moved (new items not counted)."""
        return int(self.rescheduled.sum())

    def _all(self) -> list[Move]:
        if self._moves is None:
            self._moves = [self._move(i) for i in range(len(self.keys))]
        return self._moves

    def _move(self, i: int) -> Move:
        (old_start, old_finish), (new_start, new_finish) = self.old[i].tolist(), self.new[i]
        name, name_zh = self.names[i] if self.names is not None else (self.keys[i], None)
        return Move(
            self.keys[i],
            name,
            None if old_start == NO_DATE else date.fromordinal(old_start),
            date.fromordinal(int(new_start)),
            None if old_finish == NO_DATE else date.fromordinal(old_finish),
            date.fromordinal(int(new_finish)),
            name_zh,
            self.names is not None,
        )

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Move: ...

    @overload
    def __getitem__(self, index: slice) -> list[Move]: ...

    def __getitem__(self, index: int | slice) -> Move | list[Move]:
        if isinstance(index, int) and self._moves is None:  # one asked for: make that one
            return self._move(index if index >= 0 else len(self.keys) + index)
        return self._all()[index]

    def __iter__(self) -> Iterator[Move]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:  # equal to a list of the same moves
        if not isinstance(other, Sequence):
            return NotImplemented
        return self._all() == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: no hash, as a list
