"""What a re-imported plan file changes: the file's plan compared with the program's, by key.

A plan exported as CSV or .xlsx, edited in a spreadsheet and imported again is a list of
edits, not a new plan: :func:`plan_changes` compares the file's items with the program's
by key and says

* which items the file changes, field by field (name in either language, phase, type,
  duration, workstream, owner, progress, actual dates, constraint, predecessors);
* which keys are new (added with their predecessors);
* which of the program's keys the file does not have (reported, never deleted: a row left
  out of a file is not a decision to delete work);
* which rows are **stale**: the file's Version cell is not the item's version any more
  (someone changed the item since the export) and the file would change it. Those rows are
  conflicts, shown with the file's and the program's values, and never applied.

Start and Finish are the scheduler's dates and are not compared (the schedule recomputes
them). A name in a language the file has no column for (``name_en``/``name_zh`` None) is
not compared, so a file without the other language's column never erases it.

:func:`merged` is the program's plan with the changes applied, checked as a whole
(:func:`~planner.interop.plandata.problems`: a new dependency cycle, say, through items
the file does not hold).

Everything here is plain data: no database, no words (fields are named by their
:class:`~planner.interop.plandata.ItemData` attribute; ``predecessors`` for the links).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from typing import Final

from planner.interop.plandata import ItemData, LinkData, LinkType, PlanData  # noqa: F401 (doctests)

__all__ = [
    "COMPARED",
    "Change",
    "Conflict",
    "ItemChanges",
    "PlanChanges",
    "Predecessor",
    "merged",
    "plan_changes",
]

Predecessor = tuple[str, LinkType, int]
"""One incoming link of an item: the predecessor's key, the type and the lag."""

COMPARED: Final = (
    "name_en",
    "name_zh",
    "phase_key",
    "kind",
    "duration",
    "workstream",
    "owner",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "constraint_type",
    "constraint_date",
)
"""The item fields a file may change, in the order changes are listed (then predecessors)."""

_LANGUAGE_FIELDS: Final = frozenset({"name_en", "name_zh"})

Value = str | int | dt.date | tuple[Predecessor, ...] | None


@dataclass(frozen=True)
class Change:
    """One field of one item: the program's value and the file's."""

    field: str
    old: Value
    new: Value


@dataclass(frozen=True)
class ItemChanges:
    """An item the file changes (or adds: every field ``old`` None)."""

    key: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Conflict:
    """A stale row: changed in the program since the export (version ``exported`` →
    ``current``) and changed in the file; ``changes`` are what the file would do."""

    key: str
    exported: int
    current: int
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class PlanChanges:
    """Everything a file would do to a plan, in the file's item order."""

    updated: tuple[ItemChanges, ...] = ()
    added: tuple[ItemChanges, ...] = ()
    removed: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    @property
    def empty(self) -> bool:
        """Nothing to apply (conflicts and removed keys are only reported)."""
        return not (self.updated or self.added)

    @property
    def count(self) -> int:
        """How many items change or are added."""
        return len(self.updated) + len(self.added)

    def fingerprint(self) -> str:
        """A short digest of the changes: a preview's confirmation carries it, so that what
        is applied is what the lead saw (else the plan or the file changed meanwhile).

        Examples:
            >>> PlanChanges().fingerprint() == PlanChanges().fingerprint()
            True
            >>> a = PlanChanges(removed=("x",)).fingerprint()
            >>> a != PlanChanges(removed=("y",)).fingerprint()
            True
        """
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()[:32]


def _incoming(plan: PlanData) -> dict[str, tuple[Predecessor, ...]]:
    found: dict[str, list[Predecessor]] = {}
    for link in plan.links:
        found.setdefault(link.successor, []).append((link.predecessor, link.type, link.lag))
    return {key: tuple(sorted(links)) for key, links in found.items()}


def _differences(
    old: ItemData | None,
    new: ItemData,
    old_links: tuple[Predecessor, ...],
    new_links: tuple[Predecessor, ...],
) -> tuple[Change, ...]:
    out = []
    for name in COMPARED:
        after = getattr(new, name)
        if name in _LANGUAGE_FIELDS and after is None:
            continue  # the file has no name in this language: keep the program's
        before = getattr(old, name) if old is not None else None
        if name == "duration" and new.kind == "milestone":
            after = 0
        if before != after:
            out.append(Change(name, before, after))
    if old_links != new_links:
        out.append(Change("predecessors", old_links or None, new_links or None))
    return tuple(out)


def plan_changes(current: PlanData, incoming: PlanData) -> PlanChanges:
    """What ``incoming`` (a file's plan, read against ``current``'s phases) changes in
    ``current`` (the program's plan with row versions). See the module notes.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> now = PlanData("P", d, items=[ItemData("a", "A", "p", duration=3, version=2),
        ...                               ItemData("b", "B", "p", version=1)])
        >>> file = PlanData("P", d, items=[ItemData("a", "A", "p", duration=5, version=2),
        ...                                ItemData("c", "C", "p")],
        ...                 links=[LinkData("a", "c")])
        >>> changes = plan_changes(now, file)
        >>> [(i.key, [(c.field, c.old, c.new) for c in i.changes]) for i in changes.updated]
        [('a', [('duration', 3, 5)])]
        >>> [i.key for i in changes.added], changes.removed, changes.conflicts
        (['c'], ('b',), ())
        >>> stale = replace(now, items=(replace(now.items[0], version=3), now.items[1]))
        >>> [(c.key, c.exported, c.current) for c in plan_changes(stale, file).conflicts]
        [('a', 2, 3)]
    """
    by_key = {item.key: item for item in current.items}
    old_links = _incoming(current)
    new_links = _incoming(incoming)
    updated: list[ItemChanges] = []
    added: list[ItemChanges] = []
    conflicts: list[Conflict] = []
    for item in incoming.items:
        old = by_key.get(item.key)
        changes = _differences(old, item, old_links.get(item.key, ()), new_links.get(item.key, ()))
        if old is None:
            added.append(ItemChanges(item.key, changes))
        elif not changes:
            continue
        elif item.version is not None and old.version is not None and item.version != old.version:
            conflicts.append(Conflict(item.key, item.version, old.version, changes))
        else:
            updated.append(ItemChanges(item.key, changes))
    in_file = {item.key for item in incoming.items}
    removed = tuple(item.key for item in current.items if item.key not in in_file)
    return PlanChanges(tuple(updated), tuple(added), removed, tuple(conflicts))


def merged(current: PlanData, incoming: PlanData, changes: PlanChanges) -> PlanData:
    """``current`` with ``changes`` applied: updated items take the file's fields and
    predecessors, added items come after the others, everything else stays.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> now = PlanData("P", d, items=[ItemData("a", "A", "p"), ItemData("b", "B", "p")])
        >>> file = PlanData("P", d, items=[ItemData("a", "A", "p"), ItemData("b", "B", "p")],
        ...                 links=[LinkData("a", "b")])
        >>> merged(now, file, plan_changes(now, file)).links
        (LinkData(predecessor='a', successor='b', type='FS', lag=0, lag_unit='d', lag_amount=None),)
    """
    from_file = {item.key: item for item in incoming.items}
    taken = {change.key for change in (*changes.updated, *changes.added)}
    items: list[ItemData] = []
    for item in current.items:
        if item.key in taken:
            new = from_file[item.key]
            fields = {name: getattr(new, name) for name in COMPARED if name not in _LANGUAGE_FIELDS}
            fields["name"] = new.name
            for name in _LANGUAGE_FIELDS:
                if getattr(new, name) is not None:
                    fields[name] = getattr(new, name)
            item = replace(item, **fields)
        items.append(item)
    items.extend(from_file[change.key] for change in changes.added)
    links = [link for link in current.links if link.successor not in taken]
    links.extend(link for link in incoming.links if link.successor in taken)
    return replace(current, items=tuple(items), links=tuple(links))
