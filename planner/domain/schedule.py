"""Critical path method on a working calendar: FS/SS/FF/SF links with lag, constraints, progress.

Semantics
=========

Time. Durations and lags are whole working days of the program's :class:`WorkCalendar`.
The scheduler works in integer working-day *points* counted from the program start (point 0
is the start of the first working day on or after ``start``; point ``i`` is the start of
working day ``i``). An activity with early start ``s`` and duration ``d`` occupies working
days ``s … s+d-1`` and its early finish point is ``EF = s + d``; a milestone (``d == 0``) is a
single point. Nothing starts before point 0.

Links (``lag`` in working days, negative = lead), from predecessor P to successor S:

* FS: ``ES(S) ≥ EF(P) + lag``       * SS: ``ES(S) ≥ ES(P) + lag``
* FF: ``EF(S) ≥ EF(P) + lag``       * SF: ``EF(S) ≥ ES(P) + lag``

Forward pass: ``ES`` is the smallest start meeting every link, the program start, the
status date (see progress) and a *start no earlier than* constraint; ``EF = ES + d``.
Backward pass from the project finish ``F = max EF``: ``LF`` is the largest finish meeting
every link (mirror images of the rules above), ``F`` and a *finish no later than* date;
then ``LF`` is lowered to the late finish to the item's phase gate when that is earlier
(see Phases); ``LS = LF - d``.
Total float ``= LS - ES`` (``= LF - EF``). Free float of P is
the smallest slack over its links (slack of an FS link is ``ES(S) - EF(P) - lag``, and so
on), or ``F - EF(P)`` when it has no successor, but never more than its total float (nor
below 0): an item that ends the project has no free float even if its only link is an SF
with slack. A deadline earlier than the network allows gives negative float: it is kept in
the numbers (it says by how many working days the item is late) and the keys are listed in
``ScheduleResult.negative_float``. An item not done is critical when its total float is at
most 0 (as in MS Project). ``critical_paths`` lists chains of critical
items joined by driving links (zero slack), from an item nothing critical drives to one that
drives nothing critical, at most :data:`MAX_CRITICAL_PATHS` of them, in input order.

Displayed dates. A task's start date is working day ``s`` and its finish date working day
``s+d-1``. A milestone at point ``p`` shows the finish date of the day before (working day
``p-1``), so a milestone FS after a task shows the task's finish date, as in MS Project; a
milestone at point 0 or before shows working day ``p``. Constraint and actual dates that
fall on a non-working day move to the next working day when they say when work *starts*
(start no earlier than, actual start) and to the previous working day when they say when
work *finishes* (finish no later than, actual finish, a milestone's actual date). A
milestone constrained to start no earlier than a date shows that date or a later one.

Progress, applied only when a ``status_date`` is given (without one, the plan is scheduled
as planned and actuals are ignored). The status date is the data date: the first working
day on or after it is the first day remaining work may use, and it works like a start no
earlier than date for every item not started. An item with an actual finish (or a milestone
with either actual date) is done: fixed at its actuals (a missing actual start is taken as
actual finish minus duration), with zero float, never critical; links into a done item no
longer constrain anything. An item with only an actual start is in progress: its ES is
fixed at the actual start and its remaining work, ``ceil(duration × (1 -
percent_complete/100))`` days, starts no earlier than the status date, its start no earlier
date and what its FS/SS links require ("retained logic"), while FF/SF links still bind its
finish. Backward, its start has already happened: SS and SF links *from* it do not bound
its late finish (only its FS and FF links, the status of its successors, ``F`` and its
deadline do), and its late start is its actual start (as MS Project shows it). Actual
dates after the status date are refused.

Phases. Each :class:`PhaseWindow`'s end is its *gate*: a deadline for the items of that
phase and what they drive inside it. A second backward pass starts from each item's gate
point (the latest finish point whose shown finish is on or before the gate) and follows
only the links between items of the same phase; an item's late finish is the earlier of
that and the textbook one, so its total float is the smaller of the float to its gate and
the float to the program end. A later phase's gate does not reach back into an earlier
phase: a late phase shows negative float on its own items (by how many working days it is
late), and :meth:`Scheduler.phase_drivers` names what drives it, across phases. A gate the
network meets changes nothing. Items of a phase whose early finish date is after the
window end are listed in a :class:`PhaseOverrun`, with the calendar days by which each one
overruns. :meth:`Scheduler.phase_drivers` tells, per phase, what drives its gate: the
chain of driving (zero-slack) links that ends at the phase's latest finish (see
:func:`driving_chain`), with the working days of float to the gate.

Changes. :meth:`Scheduler.set_duration`, :meth:`Scheduler.add_link` and
:meth:`Scheduler.remove_link` return the keys whose early dates moved ("what moved");
late dates and floats are in the next :meth:`Scheduler.result`. Refused changes (a cycle,
an unknown item, a bad lag or duration) raise and change nothing.

Implementation. :class:`Scheduler` compiles the network into integer arrays: items are
grouped by their longest-path level, and each pass runs level by level with numpy (one
gather, one ``reduceat`` and two element-wise operations per level). A change is
propagated in plain Python along the links, in level order, only while dates keep changing,
and falls back to a full pass when it visits more items than a full pass costs. Late dates
are held relative to the project finish, so a moved finish does not re-date every item.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import heapq
import math
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from types import ModuleType
from typing import Final, Literal, NamedTuple, Protocol

import networkx as nx
import numpy as np
import numpy.typing as npt

from planner.domain.calendar import WorkCalendar, WorkdayIndex
from planner.domain.errors import DependencyCycleError, NotFoundError, Problem, ValidationError
from planner.domain.gc_pause import paused_gc

__all__ = [
    "LINK_TYPES",
    "MAX_CRITICAL_PATHS",
    "MAX_DURATION",
    "MAX_LAG",
    "Activity",
    "ItemPoints",
    "ItemSchedule",
    "Link",
    "LinkType",
    "PhaseDriver",
    "PhaseOverrun",
    "PhaseWindow",
    "ScheduleResult",
    "Scheduler",
    "driving_chain",
    "gate_driver",
    "gate_point",
    "paused_gc",
    "remaining_days",
    "schedule",
    "validate_network",
]

LinkType = Literal["FS", "SS", "FF", "SF"]
LINK_TYPES: Final[tuple[LinkType, ...]] = ("FS", "SS", "FF", "SF")
MAX_LAG: Final = 2000
"""Largest lag or lead, in working days (about eight years)."""
MAX_DURATION: Final = 10_000
"""Largest duration, in working days (about forty years)."""
MAX_CRITICAL_PATHS: Final = 20
LOOP_ITEMS_PER_LEVEL: Final = 24
COMPILED_MIN_ITEMS: Final = 1000
"""From this many items, full passes run compiled (numba, when it is installed): one visit
per item and link in machine code, whatever the depth. Smaller plans stay in numpy / plain
Python, so a process that schedules only small plans never imports numba."""
"""Below this many items per dependency level on average, full passes run item by item in
plain Python; above, level by level with numpy (a few numpy calls per level)."""
MAX_YEARS_FROM_START: Final = 100
"""Constraint, actual and status dates must lie within this many years of the start."""

Int64Array = npt.NDArray[np.int64]
_BIG: Final = 1 << 40  # "no bound"; far beyond any index, far from overflowing int64
# link type codes: bit 0 set (SS, SF) = reads the predecessor's start;
# code < 2 (FS, SS) = binds the successor's start
_TYPE_CODE: Final = {"FS": 0, "SS": 1, "FF": 2, "SF": 3}
_NOT_STARTED: Final = 0
_IN_PROGRESS: Final = 1
_DONE: Final = 2
Engine = Literal["auto", "levels", "loop", "compiled"]
_KERNELS_BROKEN = False  # importing the compiled passes failed once: do not try again
_KERNELS_FROZEN = False


def _freeze_once() -> None:
    """Move every object alive now (numba's hundreds of thousands among them, all kept
    for the life of the process) out of the cyclic collector's reach: a full collection
    then walks only what requests make, not the compiler."""
    global _KERNELS_FROZEN
    _KERNELS_FROZEN = True
    gc.freeze()


def _without_gc(build: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(build)
    def wrapper(*args: object, **kwargs: object) -> None:
        with paused_gc():
            build(*args, **kwargs)

    return wrapper


def _kernels() -> ModuleType | None:
    """The compiled passes (:mod:`planner.domain.schedule_compiled`), None without numba."""
    global _KERNELS_BROKEN
    if _KERNELS_BROKEN:
        return None
    try:
        from planner.domain import schedule_compiled
    except ImportError:  # numba is not installed: the numpy / plain-Python engines remain
        return None
    except Exception as exc:  # noqa: BLE001 - e.g. no writable place for numba's cache
        _KERNELS_BROKEN = True
        warnings.warn(
            f"compiled scheduler unavailable ({exc}); using the Python engine", stacklevel=2
        )
        return None
    if not _KERNELS_FROZEN:
        _freeze_once()
    return schedule_compiled


def _resolve_engine(engine: Engine, n: int) -> Engine:
    """``"auto"`` becomes ``"compiled"`` for large plans when numba is there."""
    if engine == "auto" and n >= COMPILED_MIN_ITEMS and _kernels() is not None:
        return "compiled"
    if engine == "compiled" and _kernels() is None:
        raise ImportError("the compiled engine needs numba")
    return engine


# --------------------------------------------------------------------------------------------
# inputs and outputs


@dataclass(frozen=True)
class Activity:
    """A task (duration in working days) or a milestone (duration 0) to schedule."""

    key: str
    duration: int
    phase: str | None = None
    start_no_earlier: dt.date | None = None
    finish_no_later: dt.date | None = None
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    percent_complete: float = 0.0


@dataclass(frozen=True)
class Link:
    """A dependency from ``predecessor`` to ``successor``; lag in working days (< 0: lead)."""

    predecessor: str
    successor: str
    type: LinkType = "FS"
    lag: int = 0


@dataclass(frozen=True)
class PhaseWindow:
    """The window of a phase; ``end`` is the last day of the window (inclusive)."""

    key: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True, slots=True)
class ItemSchedule:
    """Computed dates of one item (see the module docstring for how dates are shown)."""

    early_start: dt.date
    early_finish: dt.date
    late_start: dt.date
    late_finish: dt.date
    total_float: int
    free_float: int
    critical: bool


@dataclass(frozen=True)
class PhaseOverrun:
    """A phase whose items finish after its window: by how many calendar days, and which."""

    phase: str
    window_end: dt.date
    finish: dt.date
    days_over: int
    items: list[tuple[str, int]]


@dataclass(frozen=True)
class PhaseDriver:
    """What drives a phase's gate: the driving chain that ends at the phase's last finish.

    ``chain`` runs from the first driver (an item nothing drives: its own constraint, the
    status date or the program start sets it) to ``chain[-1]``, the item of the phase that
    finishes last; it may start in an earlier phase. ``gate_float`` is the working days
    from that finish to the gate (negative: the phase is late by that many working days).
    """

    phase: str
    gate: dt.date
    finish: dt.date
    gate_float: int
    chain: list[str]


class ItemTable(Mapping[str, ItemSchedule]):
    """Every item's :class:`ItemSchedule`, held as columns; an object is made when asked.

    ``ordinals`` holds the date ordinals of the four shown dates, stacked (ES, EF, LS, LF:
    ``4 × n`` values); ``total_float``, ``free_float`` and ``critical`` are per item.
    """

    __slots__ = ("_keys", "_position", "_arrays", "_ordinals", "_total", "_free", "_critical", "_n")

    def __init__(
        self,
        keys: Sequence[str],
        position: Mapping[str, int] | Callable[[], Mapping[str, int]],
        ordinals: Int64Array,
        total_float: Int64Array,
        free_float: Int64Array,
        critical: npt.NDArray[np.bool_],
    ) -> None:
        # the key index may be given as a function: made when an item is first read by key
        self._keys, self._position, self._n = keys, position, len(keys)
        # plain lists (cheap scalar reads) are made when the first item is read
        self._arrays: tuple[npt.NDArray[np.generic], ...] | None = (
            ordinals,
            total_float,
            free_float,
            critical,
        )
        self._ordinals: list[int] = []
        self._total: list[int] = []
        self._free: list[int] = []
        self._critical: list[bool] = []

    def __getitem__(self, key: str) -> ItemSchedule:
        i = self._where()[key]  # KeyError for an unknown key, as a dict
        if self._arrays is not None:
            ordinals, total, free, critical = self._arrays
            self._ordinals, self._total = ordinals.tolist(), total.tolist()
            self._free, self._critical = free.tolist(), critical.tolist()
            self._arrays = None
        n, ords, day = self._n, self._ordinals, dt.date.fromordinal
        return ItemSchedule(
            day(ords[i]),
            day(ords[n + i]),
            day(ords[2 * n + i]),
            day(ords[3 * n + i]),
            self._total[i],
            self._free[i],
            self._critical[i],
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return self._n

    def __contains__(self, key: object) -> bool:
        return key in self._where()

    def _where(self) -> Mapping[str, int]:
        if callable(self._position):
            self._position = self._position()
        return self._position

    def __repr__(self) -> str:
        return f"ItemTable({self._n} items)"


class ScheduleResult:
    """The schedule of a whole program.

    ``critical_paths``, ``overruns`` and ``negative_float`` may be given as functions: they
    are computed when first read (most readers need neither). Results compare equal when
    every field does.
    """

    __slots__ = ("items", "start", "finish", "_negative_float", "_critical_paths", "_overruns")

    def __init__(
        self,
        items: Mapping[str, ItemSchedule],
        start: dt.date,
        finish: dt.date,
        critical_paths: list[list[str]] | Callable[[], list[list[str]]],
        overruns: list[PhaseOverrun] | Callable[[], list[PhaseOverrun]],
        negative_float: list[str] | Callable[[], list[str]],
    ) -> None:
        self.items = items
        self.start = start
        self.finish = finish
        self._negative_float = negative_float
        self._critical_paths = critical_paths
        self._overruns = overruns

    @property
    def critical_paths(self) -> list[list[str]]:
        if callable(self._critical_paths):
            self._critical_paths = self._critical_paths()
        return self._critical_paths

    @property
    def negative_float(self) -> list[str]:
        if callable(self._negative_float):
            self._negative_float = self._negative_float()
        return self._negative_float

    @property
    def overruns(self) -> list[PhaseOverrun]:
        if callable(self._overruns):
            self._overruns = self._overruns()
        return self._overruns

    def _fields(self) -> tuple[object, ...]:
        return (
            dict(self.items),
            self.start,
            self.finish,
            self.critical_paths,
            self.overruns,
            self.negative_float,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScheduleResult):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # unhashable on purpose (mutable)

    def __repr__(self) -> str:
        return (
            f"ScheduleResult({len(self.items)} items, start={self.start}, "
            f"finish={self.finish}, negative_float={self.negative_float!r})"
        )


class ItemPoints(NamedTuple):
    """An item's working-day points (see the module docstring); for diagnostics and tests."""

    early_start: int
    early_finish: int
    late_start: int
    late_finish: int


# --------------------------------------------------------------------------------------------
# validation


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _raise_if(errors: list[Problem]) -> None:
    """Refuse with every coded problem at once (worded by ``planner/messages/schedule.py``)."""
    if errors:
        raise ValidationError(problems=errors)


def _duration_problem(value: object, path: str, key: object) -> Problem | None:
    if not _is_int(value):
        return Problem(path, "schedule.duration.whole", {"key": str(key), "value": repr(value)})
    assert isinstance(value, int)
    if value < 0:
        return Problem(path, "schedule.duration.negative", {"key": str(key), "value": str(value)})
    if value > MAX_DURATION:
        return Problem(
            path,
            "schedule.duration.too_long",
            {"key": str(key), "max": str(MAX_DURATION), "value": str(value)},
        )
    return None


def _activity_problems(i: int, act: Activity) -> list[Problem]:
    path = f"activities[{i}]"
    errors: list[Problem] = []
    if not isinstance(act.key, str) or not act.key.strip():
        errors.append(Problem(f"{path}.key", "schedule.key_empty", {"value": repr(act.key)}))
    problem = _duration_problem(act.duration, f"{path}.duration", act.key)
    if problem:
        errors.append(problem)
    for name in ("start_no_earlier", "finish_no_later", "actual_start", "actual_finish"):
        value = getattr(act, name)
        if value is not None and not _is_date(value):
            errors.append(
                Problem(
                    f"{path}.{name}", "schedule.not_a_date", {"key": act.key, "value": repr(value)}
                )
            )
    pc = act.percent_complete
    if not isinstance(pc, int | float) or isinstance(pc, bool) or not 0 <= pc <= 100:
        errors.append(
            Problem(
                f"{path}.percent_complete", "schedule.percent", {"key": act.key, "value": repr(pc)}
            )
        )
    a_start, a_finish = act.actual_start, act.actual_finish
    if (
        isinstance(a_start, dt.date)
        and isinstance(a_finish, dt.date)
        and _is_date(a_start)
        and _is_date(a_finish)
        and a_finish < a_start
    ):
        errors.append(
            Problem(
                f"{path}.actual_finish",
                "schedule.finish_before_start",
                {"key": act.key, "finish": a_finish.isoformat(), "start": a_start.isoformat()},
            )
        )
    return errors


def _link_problems(
    j: int, link: Link, index: dict[str, int], seen: dict[tuple[str, str], int]
) -> list[Problem]:
    path = f"links[{j}]"
    name = f"{link.predecessor} → {link.successor}"
    errors: list[Problem] = []
    for end in ("predecessor", "successor"):
        key = getattr(link, end)
        if key not in index:
            errors.append(
                Problem(f"{path}.{end}", "schedule.link.unknown_item", {"key": key, "link": name})
            )
    if link.predecessor == link.successor:
        errors.append(Problem(path, "schedule.link.self", {"key": link.predecessor}))
    if link.type not in _TYPE_CODE:
        expected = ", ".join(LINK_TYPES)
        errors.append(
            Problem(
                f"{path}.type",
                "schedule.link.type",
                {"link": name, "known": expected, "value": repr(link.type)},
            )
        )
    if not _is_int(link.lag):
        errors.append(
            Problem(
                f"{path}.lag", "schedule.link.lag_whole", {"link": name, "value": repr(link.lag)}
            )
        )
    elif abs(link.lag) > MAX_LAG:
        errors.append(
            Problem(
                f"{path}.lag",
                "schedule.link.lag_range",
                {"link": name, "max": str(MAX_LAG), "value": str(link.lag)},
            )
        )
    pair = (link.predecessor, link.successor)
    if pair in seen and seen[pair] != j:
        errors.append(
            Problem(path, "schedule.link.twice", {"link": name, "other": f"links[{seen[pair]}]"})
        )
    return errors


def _check_network(
    activities: Sequence[Activity], links: Sequence[Link]
) -> tuple[dict[str, int], list[tuple[int, int]]]:
    """Check everything but cycles; return the key index and (pred, succ) index pairs."""
    errors: list[Problem] = []
    index: dict[str, int] = {}
    for i, act in enumerate(activities):
        errors.extend(_activity_problems(i, act))
        if act.key in index:
            other = f"activities[{index[act.key]}]"
            errors.append(
                Problem(
                    f"activities[{i}].key", "schedule.key_twice", {"key": act.key, "other": other}
                )
            )
        else:
            index[act.key] = i
    pairs: list[tuple[int, int]] = []
    seen: dict[tuple[str, str], int] = {}
    codes = _TYPE_CODE
    for j, link in enumerate(links):
        pair = (link.predecessor, link.successor)
        p, s, lag = index.get(pair[0]), index.get(pair[1]), link.lag
        duplicate = pair in seen
        if not duplicate:
            seen[pair] = j
        if (  # the common case, checked quickly
            p is not None
            and s is not None
            and p != s
            and not duplicate
            and link.type in codes
            and type(lag) is int
            and -MAX_LAG <= lag <= MAX_LAG
        ):
            pairs.append((p, s))
            continue
        problems = _link_problems(j, link, index, seen)
        errors.extend(problems)
        if not problems and p is not None and s is not None:
            pairs.append((p, s))
    _raise_if(errors)
    return index, pairs


def _stable_argsort(keys: Int64Array) -> Int64Array:
    """``np.argsort(keys, kind="stable")`` for keys in [0, 2**32), by 16-bit radix passes.

    numpy sorts 16-bit integers with a radix sort, ten times faster than the merge sort
    it uses for wider ones; two passes (low half, then high half) keep the order stable.
    """
    if keys.size == 0 or int(keys.max()) < 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable").astype(np.int64)
    by_low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    by_high = np.argsort((keys[by_low] >> 16).astype(np.uint16), kind="stable")
    return by_low[by_high].astype(np.int64)


def _group_starts(sorted_keys: Int64Array, n: int) -> Int64Array:
    """Offsets of each key's run in ``sorted_keys`` (keys 0 … n-1), plus the total at [n]."""
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(sorted_keys, minlength=n), out=starts[1:])
    return starts


def _peel_levels(n: int, pred: Int64Array, succ: Int64Array) -> Int64Array:
    """Longest-path level of every node (sources are 0); -1 for nodes on or after a cycle.

    Kahn's algorithm over plain lists: one visit per node and per link, so its cost does
    not grow with the depth of the network (a level-by-level numpy peel pays a few numpy
    calls per level, which dominates on plans with thousands of levels).
    """
    if n == 0:
        return np.full(0, -1, dtype=np.int64)
    by_pred = _stable_argsort(pred)
    targets = succ[by_pred].tolist()
    first = _group_starts(pred[by_pred], n).tolist()
    indeg_array = np.bincount(succ, minlength=n)
    indeg = indeg_array.tolist()
    level = [0] * n
    ready = np.flatnonzero(indeg_array == 0).tolist()
    push = ready.append
    for u in ready:  # the list grows as nodes become ready: a breadth-first queue
        next_level = level[u] + 1
        for v in targets[first[u] : first[u + 1]]:
            if level[v] < next_level:
                level[v] = next_level
            indeg[v] -= 1
            if not indeg[v]:
                push(v)
    result = np.array(level, dtype=np.int64)
    result[np.array(indeg, dtype=np.int64) > 0] = -1
    return result


def _cycle_in(
    keys: Sequence[str], pairs: Sequence[tuple[int, int]], level: Int64Array
) -> list[str]:
    """Name one cycle among the nodes peeling could not reach (there is at least one)."""
    stuck = {i for i in range(len(keys)) if level[i] < 0}
    edges = [(p, s) for p, s in pairs if p in stuck and s in stuck]
    graph: nx.DiGraph[int] = nx.DiGraph(edges)
    # drop nodes downstream of a cycle that lead nowhere, so the search starts on a cycle
    sinks = [v for v in graph if graph.out_degree(v) == 0]
    while sinks:
        preds = {u for v in sinks for u in graph.predecessors(v)}
        graph.remove_nodes_from(sinks)
        sinks = [u for u in preds if u in graph and graph.out_degree(u) == 0]
    cycle = nx.find_cycle(graph, source=min(graph))
    return [keys[u] for u, _ in cycle]


def validate_network(activities: Sequence[Activity], links: Sequence[Link]) -> None:
    """Refuse a network that cannot be scheduled, naming every problem at once.

    Raises :class:`ValidationError` with one ``(path, message)`` per problem (duplicate or
    empty keys, bad durations, percentages and actual dates, links to unknown items,
    self-links, duplicate links, unknown types, lags beyond ±:data:`MAX_LAG`), else
    :class:`DependencyCycleError` naming one cycle by its keys.

    Examples:
        >>> validate_network([Activity("a", 2), Activity("b", 1)], [Link("a", "b")])
        >>> try:
        ...     validate_network([Activity("a", 2)], [Link("a", "zz")])
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        links[0].successor: schedule.link.unknown_item {'key': 'zz', 'link': 'a → zz'}
        >>> try:
        ...     validate_network([Activity("a", 1), Activity("b", 1)],
        ...                      [Link("a", "b"), Link("b", "a", "SS")])
        ... except DependencyCycleError as error:
        ...     error.cycle
        ['a', 'b']
    """  # noqa: E501
    activities, links = list(activities), list(links)
    index, pairs = _check_network(activities, links)
    ends = np.array(pairs, np.int64).reshape(-1, 2)
    _levels_or_raise([a.key for a in activities], ends[:, 0], ends[:, 1])


def _levels_or_raise(
    keys: Sequence[str], pred: Int64Array, succ: Int64Array, compiled: bool = False
) -> Int64Array:
    kernels = _kernels() if compiled else None
    if kernels is not None:
        level: Int64Array = kernels.levels(len(keys), pred, succ)
    else:
        level = _peel_levels(len(keys), pred, succ)
    if (level < 0).any():
        pairs = list(zip(pred.tolist(), succ.tolist(), strict=True))
        raise DependencyCycleError(_cycle_in(keys, pairs, level))
    return level


def _check_dates(
    activities: Sequence[Activity],
    windows: Sequence[PhaseWindow],
    start: dt.date,
    status_date: dt.date | None,
) -> None:
    errors: list[Problem] = []
    if not _is_date(start):
        raise ValidationError.of("start", "schedule.date_expected", value=repr(start))
    if status_date is not None and not _is_date(status_date):
        errors.append(
            Problem("status_date", "schedule.date_expected", {"value": repr(status_date)})
        )
        status_date = None
    span = dt.timedelta(days=round(365.25 * MAX_YEARS_FROM_START))

    def far(d: dt.date) -> bool:
        return abs(d - start) > span

    if status_date is not None and far(status_date):
        errors.append(
            Problem(
                "status_date",
                "schedule.status_date_far",
                {"day": status_date.isoformat(), "start": start.isoformat()},
            )
        )
    for i, act in enumerate(activities):
        for name in ("start_no_earlier", "finish_no_later", "actual_start", "actual_finish"):
            value = getattr(act, name)
            if value is None:
                continue
            if far(value):
                errors.append(
                    Problem(
                        f"activities[{i}].{name}",
                        "schedule.date_far",
                        {"key": act.key, "day": value.isoformat(), "start": start.isoformat()},
                    )
                )
            elif status_date is not None and name.startswith("actual") and value > status_date:
                errors.append(
                    Problem(
                        f"activities[{i}].{name}",
                        f"schedule.{name}_after_status",
                        {
                            "key": act.key,
                            "day": value.isoformat(),
                            "status": status_date.isoformat(),
                        },
                    )
                )
    seen: set[str] = set()
    for i, window in enumerate(windows):
        path = f"phase_windows[{i}]"
        if not (_is_date(window.start) and _is_date(window.end)):
            errors.append(Problem(path, "schedule.window.dates", {"key": window.key}))
        elif window.end < window.start:
            errors.append(
                Problem(
                    f"{path}.end",
                    "schedule.window.order",
                    {
                        "key": window.key,
                        "end": window.end.isoformat(),
                        "start": window.start.isoformat(),
                    },
                )
            )
        if window.key in seen:
            errors.append(Problem(f"{path}.key", "schedule.window.twice", {"key": window.key}))
        seen.add(window.key)
    _raise_if(errors)


# --------------------------------------------------------------------------------------------
# per-item set-up: converting dates and progress to points


def remaining_days(duration: int, percent_complete: float) -> int:
    """Working days left of a task in progress (rounded up).

    Examples:
        >>> remaining_days(5, 40), remaining_days(10, 70)
        (3, 3)
    """
    # round first: 10 × (1 - 0.7) is 3.0000000000000004 in floating point
    return math.ceil(round(duration * (100 - percent_complete) / 100, 6))


_remaining = remaining_days


def gate_point(index: _DayIndex, gate: dt.date, milestone: bool) -> int:
    """The latest finish point that still meets the gate ``gate`` (its deadline)."""
    return _finish_point(index, gate, milestone)


def driving_chain(
    end: int,
    read_start: Sequence[int],
    bound_start: Sequence[int],
    finish: Sequence[int],
    into: Sequence[Sequence[tuple[int, str, int]]],
) -> list[int]:
    """The chain of driving links that ends at item ``end``, first driver first.

    Items are numbered; per item: ``read_start`` is the point SS and SF links read (its
    early start; a started item's actual start), ``bound_start`` the point FS and SS links
    into it bind (its early finish minus its remaining work), ``finish`` its early finish,
    and ``into`` the links that constrain it as ``(predecessor, type, lag)`` (none for a
    done item). A link drives when it holds with no slack; among several, the first in
    ``into`` is followed. The chain stops at an item no link drives.

    Examples:
        >>> # a (0-3) FS→ b (3-5); c (0-1) SS+1→ b does not drive: b starts at 3, not 1
        >>> driving_chain(1, [0, 3, 0], [0, 3, 0], [3, 5, 1],
        ...               [[], [(2, "SS", 1), (0, "FS", 0)], []])
        [0, 1]
    """
    chain = [end]
    seen = {end}
    current = end
    while True:
        driver = None
        for pred, kind, lag in into[current]:
            reads_start = kind in ("SS", "SF")
            value = (read_start[pred] if reads_start else finish[pred]) + lag
            target = bound_start[current] if kind in ("FS", "SS") else finish[current]
            if value == target and pred not in seen:
                driver = pred
                break
        if driver is None:
            chain.reverse()
            return chain
        chain.append(driver)
        seen.add(driver)
        current = driver


def gate_driver(
    members: Sequence[int],
    read_start: Sequence[int],
    bound_start: Sequence[int],
    finish: Sequence[int],
    into: Sequence[Sequence[tuple[int, str, int]]],
) -> list[int]:
    """What drives a phase's gate: the driving chain of its latest-finishing member.

    Among members that finish together the longest chain wins (the first on a tie), so a
    gate milestone right after the task that sets it names that task. Arguments as for
    :func:`driving_chain`; an empty list when there are no members.

    Examples:
        >>> # 0: t 0–5; 1: milestone g at 5, FS after t; both finish at 5
        >>> gate_driver([0, 1], [0, 5], [0, 5], [5, 5], [[], [(0, "FS", 0)]])
        [0, 1]
    """
    if not members:
        return []
    last = max(finish[i] for i in members)
    best: list[int] = []
    for end in members:
        if finish[end] == last:
            chain = driving_chain(end, read_start, bound_start, finish, into)
            if len(chain) > len(best):
                best = chain
    return best


class _DayIndex(Protocol):
    def index(self, d: dt.date) -> int: ...

    def index_through(self, d: dt.date) -> int: ...


class _MemoIndex:
    """A :class:`WorkdayIndex` that remembers its answers: plans repeat a few dates (phase
    windows, gates, the status date) thousands of times."""

    def __init__(self, index: WorkdayIndex) -> None:
        self._index = index
        self._at: dict[dt.date, int] = {}
        self._through: dict[dt.date, int] = {}

    def index(self, d: dt.date) -> int:
        found = self._at.get(d)
        if found is None:
            found = self._at[d] = self._index.index(d)
        return found

    def index_through(self, d: dt.date) -> int:
        found = self._through.get(d)
        if found is None:
            found = self._through[d] = self._index.index_through(d)
        return found


def _finish_point(index: _DayIndex, d: dt.date, milestone: bool) -> int:
    """Latest point whose displayed finish date is on or before ``d``."""
    q = index.index_through(d)
    return q if (not milestone or q >= 1) else q - 1


def _start_point(index: _DayIndex, d: dt.date, milestone: bool) -> int:
    """Earliest point whose displayed start date is on or after ``d``."""
    r = index.index(d)
    return r + 1 if (milestone and r > 0) else r


class _Plan(NamedTuple):
    state: int
    rem: int  # working days between the start point links act on and EF
    floor: int  # lower bound of that start point
    fixed_es: int  # actual start point (in progress and done items)
    fnl: int  # upper bound of LF, _BIG if none


def _plan_item(
    act: Activity, index: _DayIndex, status: int | None, deadline: dt.date | None = None
) -> _Plan:
    """Points of one item; ``deadline`` (its finish-no-later date) bounds its late finish."""
    milestone = act.duration == 0
    snet = 0
    if act.start_no_earlier is not None:
        snet = _start_point(index, act.start_no_earlier, milestone)
    fnl = _BIG
    if deadline is not None:
        fnl = _finish_point(index, deadline, milestone)
    if status is None or (act.actual_start is None and act.actual_finish is None):
        # the status date works like a start-no-earlier date (a milestone on it shows it)
        status_floor = 0 if status is None else (status + 1 if milestone and status > 0 else status)
        return _Plan(_NOT_STARTED, act.duration, max(0, snet, status_floor), 0, fnl)
    if milestone:
        when = act.actual_finish or act.actual_start
        assert when is not None
        point = _finish_point(index, when, True)
        return _Plan(_DONE, 0, point, point, fnl)
    if act.actual_finish is not None:
        ef = index.index_through(act.actual_finish)
        if act.actual_start is not None:
            es = index.index(act.actual_start)
        else:
            es = ef - act.duration
        es = min(es, ef - 1)  # actual dates with no working day between them: one day
        return _Plan(_DONE, ef - es, es, es, fnl)
    assert act.actual_start is not None
    es = index.index(act.actual_start)
    rem = _remaining(act.duration, act.percent_complete)
    return _Plan(_IN_PROGRESS, rem, max(0, snet, status), es, fnl)


_ITEM_FIELDS: Final = attrgetter(
    "phase", "start_no_earlier", "finish_no_later", "duration", "actual_start", "actual_finish"
)
_LINK_FIELDS: Final = attrgetter("predecessor", "successor", "type", "lag")
ROW_WIDTH: Final = 8


def _plan_rows(
    acts: Sequence[Activity],
    memo: _MemoIndex,
    status: int | None,
    gate_of: Callable[[str | None, bool], int],
) -> list[int]:
    """:func:`_plan_item` of every item, its gate point, its phase as a number and whether
    it is a milestone, flattened (:data:`ROW_WIDTH` values an item).

    An item not started is planned from its phase, its two constraint dates and whether it
    is a milestone: plans repeat these a lot (every item of a phase starts no earlier than
    the window), so each combination is worked out once.
    """
    flat: list[int] = []
    extend = flat.extend
    phases: dict[str | None, int] = {None: -1}
    seen: dict[tuple[str | None, dt.date | None, dt.date | None, bool], tuple[int, ...]] = {}
    for act, (phase, snet, fnl, duration, a_start, a_finish) in zip(
        acts, map(_ITEM_FIELDS, acts), strict=True
    ):
        milestone = duration == 0
        if status is not None and (a_start is not None or a_finish is not None):
            number = phases.setdefault(phase, len(phases))
            extend(_plan_item(act, memo, status, fnl))
            extend((gate_of(phase, milestone), number, milestone))
            continue
        shape = (phase, snet, fnl, milestone)
        bounds = seen.get(shape)
        if bounds is None:
            plan = _plan_item(act, memo, status, fnl)
            number = phases.setdefault(phase, len(phases))
            bounds = seen[shape] = (plan.floor, 0, plan.fnl, gate_of(phase, milestone), number)
        extend((_NOT_STARTED, duration, *bounds, milestone))
    return flat


def _link_table(
    acts: Sequence[Activity], links: Sequence[Link], trusted: bool
) -> tuple[dict[str, int], Int64Array]:
    """The key index and the links as rows of (predecessor, successor, type code, lag);
    every field checked unless ``trusted`` (cycles are found later, with the levels)."""
    m = len(links)
    table = np.empty((m, 4), np.int64)
    if not trusted:
        key_index, pairs = _check_network(acts, links)
        table[:, :2] = np.array(pairs, np.int64).reshape(-1, 2)
    else:
        key_index = dict(zip([a.key for a in acts], range(len(acts)), strict=True))
    if not m:
        return key_index, table
    preds, succs, types, lags = zip(*map(_LINK_FIELDS, links), strict=True)
    if trusted:
        at = key_index.__getitem__
        table[:, 0] = np.fromiter(map(at, preds), np.int64, m)
        table[:, 1] = np.fromiter(map(at, succs), np.int64, m)
    table[:, 2] = np.fromiter(map(_TYPE_CODE.__getitem__, types), np.int64, m)
    table[:, 3] = lags
    return key_index, table


# --------------------------------------------------------------------------------------------
# a plan as columns


NO_DATE: Final = -1
"""A date column's "no date" (dates are ordinals, all positive)."""
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PlanColumns:
    """A plan as columns, one entry per item and per link: what :meth:`Scheduler.from_columns`
    takes, so a plan read from the database needs no object per row.

    Dates are date ordinals (:data:`NO_DATE` for none); ``phase`` is an index into
    ``phase_keys`` (-1: in no phase); links name their items by position in ``keys`` and
    their type by its place in :data:`LINK_TYPES` (0 FS, 1 SS, 2 FF, 3 SF); lags in
    working days. The scheduler takes the arrays over (it changes ``duration`` in place).

    Examples:
        >>> import datetime as dt
        >>> cols = PlanColumns.of([Activity("a", 2, "p"), Activity("b", 0)], [Link("a", "b")])
        >>> cols.phase.tolist(), cols.phase_keys, cols.link(0), cols.activity(1)
        ([0, -1], ('p',), Link(predecessor='a', successor='b', type='FS', lag=0), Activity(key='b', duration=0, phase=None, start_no_earlier=None, finish_no_later=None, actual_start=None, actual_finish=None, percent_complete=0.0))
    """  # noqa: E501

    keys: Sequence[str]
    duration: Int64Array
    phase: Int64Array
    phase_keys: tuple[str, ...]
    start_no_earlier: Int64Array
    finish_no_later: Int64Array
    actual_start: Int64Array
    actual_finish: Int64Array
    percent_complete: FloatArray
    predecessor: Int64Array
    successor: Int64Array
    link_type: Int64Array
    lag: Int64Array

    @classmethod
    def of(cls, activities: Sequence[Activity], links: Sequence[Link]) -> PlanColumns:
        """The columns of activities and links (checked with :func:`validate_network`
        first when they come from a user)."""
        acts = list(activities)
        return _columns_of(acts, _link_table(acts, list(links), True)[1])

    @property
    def n(self) -> int:
        """The number of items."""
        return len(self.keys)

    def activity(self, i: int) -> Activity:
        """Item ``i`` as an :class:`Activity`."""
        phase = int(self.phase[i])

        def day(column: Int64Array) -> dt.date | None:
            value = int(column[i])
            return None if value == NO_DATE else dt.date.fromordinal(value)

        return Activity(
            self.keys[i],
            int(self.duration[i]),
            self.phase_keys[phase] if phase >= 0 else None,
            day(self.start_no_earlier),
            day(self.finish_no_later),
            day(self.actual_start),
            day(self.actual_finish),
            float(self.percent_complete[i]),
        )

    def link(self, k: int) -> Link:
        """Link ``k`` as a :class:`Link`."""
        return Link(
            self.keys[int(self.predecessor[k])],
            self.keys[int(self.successor[k])],
            LINK_TYPES[int(self.link_type[k])],
            int(self.lag[k]),
        )

    def check(self) -> None:
        """Refuse columns that cannot be scheduled, as :func:`validate_network` does
        (shapes and link ends first: the rest is checked on the items and links made of
        them, with the same messages)."""
        n, m = self.n, len(self.predecessor)
        errors: list[Problem] = []
        item_columns = (
            "duration",
            "phase",
            "start_no_earlier",
            "finish_no_later",
            "actual_start",
            "actual_finish",
            "percent_complete",
        )
        for name in item_columns:
            if len(getattr(self, name)) != n:
                got = str(len(getattr(self, name)))
                errors.append(Problem(name, "schedule.columns.length", {"n": str(n), "got": got}))
        for name in ("successor", "link_type", "lag"):
            if len(getattr(self, name)) != m:
                got = str(len(getattr(self, name)))
                errors.append(Problem(name, "schedule.columns.length", {"n": str(m), "got": got}))
        _raise_if(errors)
        for name in ("predecessor", "successor"):
            ends = getattr(self, name)
            bad = np.flatnonzero((ends < 0) | (ends >= n))
            errors.extend(
                Problem(f"links[{k}].{name}", "schedule.columns.no_item", {"at": str(int(ends[k]))})
                for k in bad.tolist()
            )
        bad = np.flatnonzero((self.phase < -1) | (self.phase >= len(self.phase_keys)))
        errors.extend(
            Problem(f"activities[{i}].phase", "schedule.columns.phase", {}) for i in bad.tolist()
        )
        bad = np.flatnonzero((self.link_type < 0) | (self.link_type >= len(LINK_TYPES)))
        errors.extend(
            Problem(f"links[{k}].type", "schedule.columns.link_type", {}) for k in bad.tolist()
        )
        for name in ("start_no_earlier", "finish_no_later", "actual_start", "actual_finish"):
            column = getattr(self, name)
            bad = np.flatnonzero((column != NO_DATE) & ((column < 1) | (column > _MAX_ORDINAL)))
            errors.extend(
                Problem(f"activities[{i}].{name}", "schedule.columns.date", {})
                for i in bad.tolist()
            )
        _raise_if(errors)
        _check_network([self.activity(i) for i in range(n)], [self.link(k) for k in range(m)])


_MAX_ORDINAL: Final = dt.date.max.toordinal()
_ACTIVITY_FIELDS: Final = attrgetter(
    "key",
    "duration",
    "phase",
    "start_no_earlier",
    "finish_no_later",
    "actual_start",
    "actual_finish",
    "percent_complete",
)


def _ordinal_column(values: Sequence[dt.date | None]) -> Int64Array:
    """Dates as ordinals (None: :data:`NO_DATE`), each distinct date converted once."""
    table: dict[dt.date | None, int] = {d: d.toordinal() for d in set(values) if d is not None}
    table[None] = NO_DATE
    return np.fromiter(map(table.__getitem__, values), np.int64, len(values))


def _columns_of(acts: Sequence[Activity], table: Int64Array) -> PlanColumns:
    """Checked activities and their link table (see :func:`_link_table`) as columns."""
    n = len(acts)
    if n:
        keys, durations, phases, snet, fnl, a_start, a_finish, percent = zip(
            *map(_ACTIVITY_FIELDS, acts), strict=True
        )
    else:
        keys = durations = phases = snet = fnl = a_start = a_finish = percent = ()
    numbers: dict[str | None, int] = {}
    for phase in phases:
        if phase not in numbers:
            numbers[phase] = len(numbers)
    phase_keys = tuple(p for p in numbers if p is not None)
    codes = {p: phase_keys.index(p) if p is not None else -1 for p in numbers}
    return PlanColumns(
        keys=list(keys),
        duration=np.fromiter(durations, np.int64, n),
        phase=np.fromiter(map(codes.__getitem__, phases), np.int64, n),
        phase_keys=phase_keys,
        start_no_earlier=_ordinal_column(snet),
        finish_no_later=_ordinal_column(fnl),
        actual_start=_ordinal_column(a_start),
        actual_finish=_ordinal_column(a_finish),
        percent_complete=np.fromiter(percent, np.float64, n),
        predecessor=np.ascontiguousarray(table[:, 0]),
        successor=np.ascontiguousarray(table[:, 1]),
        link_type=np.ascontiguousarray(table[:, 2]),
        lag=np.ascontiguousarray(table[:, 3]),
    )


class _PlanArrays(NamedTuple):
    state: Int64Array
    rem: Int64Array
    floor: Int64Array
    fixed: Int64Array
    fnl: Int64Array
    gate: Int64Array
    milestone: npt.NDArray[np.bool_]


def _plan_arrays(
    cols: PlanColumns,
    index: WorkdayIndex,
    status: int | None,
    gates: Mapping[str, dt.date],
) -> _PlanArrays:
    """:func:`_plan_item` and the gate point of every item, vectorised (one searchsorted
    per date column instead of a call per item)."""
    n = cols.n
    duration = cols.duration
    milestone = duration == 0

    def finish_points(ordinals: Int64Array, ms: npt.NDArray[np.bool_]) -> Int64Array:
        q = index.indices(ordinals + 1)
        return np.where(~ms | (q >= 1), q, q - 1)

    snet = np.zeros(n, np.int64)
    has = np.flatnonzero(cols.start_no_earlier != NO_DATE)
    if has.size:
        r = index.indices(cols.start_no_earlier[has])
        snet[has] = np.where(milestone[has] & (r > 0), r + 1, r)
    fnl = np.full(n, _BIG, np.int64)
    has = np.flatnonzero(cols.finish_no_later != NO_DATE)
    if has.size:
        fnl[has] = finish_points(cols.finish_no_later[has], milestone[has])
    state = np.zeros(n, np.int64)
    rem = duration.copy()
    fixed = np.zeros(n, np.int64)
    floor = np.maximum(snet, 0)
    if status is not None:
        status_floor = np.where(milestone & (status > 0), status + 1, status)
        np.maximum(floor, status_floor, out=floor)
        a_start, a_finish = cols.actual_start, cols.actual_finish
        begun = (a_start != NO_DATE) | (a_finish != NO_DATE)
        done_ms = np.flatnonzero(begun & milestone)
        if done_ms.size:
            when = np.where(a_finish[done_ms] != NO_DATE, a_finish[done_ms], a_start[done_ms])
            point = finish_points(when, np.ones(done_ms.size, bool))
            state[done_ms], rem[done_ms] = _DONE, 0
            floor[done_ms] = fixed[done_ms] = point
        done = np.flatnonzero(begun & ~milestone & (a_finish != NO_DATE))
        if done.size:
            ef = index.indices(a_finish[done] + 1)
            starts = a_start[done]
            known = starts != NO_DATE
            es = ef - duration[done]
            es[known] = index.indices(starts[known])
            es = np.minimum(es, ef - 1)  # actual dates with no working day between: one day
            state[done], rem[done] = _DONE, ef - es
            floor[done] = fixed[done] = es
        going = np.flatnonzero(begun & ~milestone & (a_finish == NO_DATE))
        if going.size:
            state[going] = _IN_PROGRESS
            fixed[going] = index.indices(a_start[going])
            rem[going] = [
                _remaining(d, p)
                for d, p in zip(
                    duration[going].tolist(), cols.percent_complete[going].tolist(), strict=True
                )
            ]
            floor[going] = np.maximum(np.maximum(snet[going], 0), status)
    # each phase's gate point, for tasks and for milestones (the last entry: no phase)
    ends = [gates.get(key) for key in cols.phase_keys]
    task_gate = np.full(len(ends) + 1, _BIG, np.int64)
    milestone_gate = np.full(len(ends) + 1, _BIG, np.int64)
    with_gate = [j for j, end in enumerate(ends) if end is not None]
    if with_gate:
        ordinals = np.array([ends[j].toordinal() for j in with_gate], np.int64)  # type: ignore[union-attr]  # only phases with a gate
        task_gate[with_gate] = finish_points(ordinals, np.zeros(len(with_gate), bool))
        milestone_gate[with_gate] = finish_points(ordinals, np.ones(len(with_gate), bool))
    gate = np.where(milestone, milestone_gate[cols.phase], task_gate[cols.phase])
    return _PlanArrays(state, rem, floor, fixed, fnl, gate, milestone)


# --------------------------------------------------------------------------------------------
# the compiled network


class _ForwardLevel(NamedTuple):
    """Views into the compiled arrays for the items of one level, for the forward pass."""

    src: Int64Array  # per entry: index into ``pts`` of the value the link reads
    adj: Int64Array  # per entry: what to add to it to get a bound on the successor's EF
    segments: Int64Array | None  # reduceat offsets per item; None when one entry per item
    base: Int64Array  # lowest EF of each item (its floor + rem)
    ef: Int64Array  # out: early finish
    rem: Int64Array
    es: Int64Array  # out: EF - rem


class _BackwardLevel(NamedTuple):
    """Views into the compiled arrays for the items of one level, for the backward pass."""

    dst: Int64Array  # per entry: index into ``lfx`` of the successor's late finish
    adj: Int64Array  # per entry: what to add to it to get a bound on the predecessor's LF
    segments: Int64Array | None
    base: Int64Array  # highest LF of each item (F or its finish-no-later point), minus F
    lf: Int64Array  # out: late finish minus F


@dataclass
class _Compiled:
    """The network as arrays, items renumbered in level order so each level is a slice.

    Forward entries (one per link whose successor is not done, plus a placeholder reading
    -BIG for an item no such link drives) are grouped by successor; backward entries (one
    per link between two items not done, plus a placeholder reading BIG for an item that
    drives none) by predecessor. Every item thus has at least one entry each way, and a
    level is processed with one gather, one ``reduceat`` and two element-wise operations.
    """

    n: int
    order: Int64Array  # level order → item
    pos: Int64Array  # item → level order
    started: Int64Array  # level-order ids of items in progress
    started_items: Int64Array  # the same items, item ids
    fixed_starts: Int64Array  # their actual start points
    f_succ: Int64Array
    f_lag: Int64Array
    f_bind_start: Int64Array
    f_adj: Int64Array
    f_src: Int64Array
    f_first: Int64Array  # first entry of each item, and the total at [n]
    pts: Int64Array  # [ES (n) | EF (n) | -BIG | actual starts of items in progress]
    b_succ: Int64Array
    b_pred: Int64Array
    b_neg_lag: Int64Array
    b_bind_start: Int64Array
    b_read_start: Int64Array
    b_adj: Int64Array
    b_tmp: Int64Array
    b_src_point: Int64Array  # index into [ES | EF | F] of the value the link reads
    b_dst_point: Int64Array  # index into [ES | EF | F] of the successor's EF (or F)
    b_first: Int64Array  # first entry of each item
    b_first_all: Int64Array  # the same, and the total at [n]
    b_dst: Int64Array
    lfx: Int64Array  # [LF - F (n) | BIG]
    level_starts: Int64Array  # first item (level order) of each level
    level_ends: Int64Array
    rem: Int64Array
    base: Int64Array
    span: Int64Array
    lbase: Int64Array
    _levels: tuple[list[_ForwardLevel], list[_BackwardLevel]] | None = None

    @property
    def deep(self) -> bool:
        """Few items per level: a plain loop beats a few numpy calls per level."""
        return self.n < LOOP_ITEMS_PER_LEVEL * self.level_starts.size

    def levels(self) -> tuple[list[_ForwardLevel], list[_BackwardLevel]]:
        """Views of each level's slice of the arrays, for the level-by-level numpy pass."""
        if self._levels is not None:
            return self._levels
        f_first, b_first = self.f_first, self.b_first_all
        es, ef = self.pts[: self.n], self.pts[self.n : 2 * self.n]
        forward: list[_ForwardLevel] = []
        backward: list[_BackwardLevel] = []
        for lo, hi in zip(self.level_starts.tolist(), self.level_ends.tolist(), strict=True):
            elo, ehi = int(f_first[lo]), int(f_first[hi])
            seg = None if ehi - elo == hi - lo else f_first[lo:hi] - elo
            forward.append(
                _ForwardLevel(
                    self.f_src[elo:ehi],
                    self.f_adj[elo:ehi],
                    seg,
                    self.base[lo:hi],
                    ef[lo:hi],
                    self.rem[lo:hi],
                    es[lo:hi],
                )
            )
            blo, bhi = int(b_first[lo]), int(b_first[hi])
            seg = None if bhi - blo == hi - lo else b_first[lo:hi] - blo
            backward.append(
                _BackwardLevel(
                    self.b_dst[blo:bhi],
                    self.b_adj[blo:bhi],
                    seg,
                    self.lbase[lo:hi],
                    self.lfx[lo:hi],
                )
            )
        backward.reverse()
        self._levels = (forward, backward)
        return self._levels


def _forward_loop(c: _Compiled) -> None:
    """The forward pass item by item in level order (plain Python, for deep networks)."""
    n = c.n
    src, adj, first = c.f_src.tolist(), c.f_adj.tolist(), c.f_first.tolist()
    base, rem = c.base.tolist(), c.rem.tolist()
    pts = c.pts.tolist()
    lo = 0
    for i in range(n):
        hi = first[i + 1]
        best = base[i]
        if hi - lo == 1:  # the common case: one link (or none) drives the item
            value = pts[src[lo]] + adj[lo]
            if value > best:
                best = value
        else:
            for k in range(lo, hi):
                value = pts[src[k]] + adj[k]
                if value > best:
                    best = value
        lo = hi
        pts[n + i] = best
        pts[i] = best - rem[i]
    c.pts[: 2 * n] = pts[: 2 * n]


def _backward_loop(c: _Compiled) -> None:
    """The backward pass item by item in reverse level order (plain Python)."""
    n = c.n
    dst, adj, first = c.b_dst.tolist(), c.b_adj.tolist(), c.b_first_all.tolist()
    lbase = c.lbase.tolist()
    lfx = c.lfx.tolist()
    hi = first[n]
    for i in range(n - 1, -1, -1):
        lo = first[i]
        best = lbase[i]
        if hi - lo == 1:
            value = lfx[dst[lo]] + adj[lo]
            if value < best:
                best = value
        else:
            for k in range(lo, hi):
                value = lfx[dst[k]] + adj[k]
                if value < best:
                    best = value
        hi = lo
        lfx[i] = best
    c.lfx[:n] = lfx[:n]


def _backward_generic(
    c: _Compiled, adj: Int64Array, lbase: Int64Array, lfx: Int64Array, deep: bool
) -> None:
    """A backward pass over the compiled entries with the given adjustments and bounds:
    ``lfx[i] = min(lbase[i], min over i's entries of lfx[dst] + adj)`` in reverse level
    order (``lfx[n]`` is the placeholders' value)."""
    n, first, dst = c.n, c.b_first_all, c.b_dst
    if deep:
        dst_l, adj_l, first_l, base_l = dst.tolist(), adj.tolist(), first.tolist(), lbase.tolist()
        out = lfx.tolist()
        hi = first_l[n]
        for i in range(n - 1, -1, -1):
            lo = first_l[i]
            best = base_l[i]
            for k in range(lo, hi):
                value = out[dst_l[k]] + adj_l[k]
                if value < best:
                    best = value
            hi = lo
            out[i] = best
        lfx[:n] = out[:n]
        return
    for lo, hi in zip(c.level_starts.tolist()[::-1], c.level_ends.tolist()[::-1], strict=True):
        elo, ehi = int(first[lo]), int(first[hi])
        values = lfx[dst[elo:ehi]] + adj[elo:ehi]
        if ehi - elo != hi - lo:
            values = np.minimum.reduceat(values, first[lo:hi] - elo)
        np.minimum(values, lbase[lo:hi], out=lfx[lo:hi])


@dataclass
class _Adjacency:
    pair: dict[tuple[int, int], int]  # (predecessor, successor) → link id
    into: list[list[int]]
    out: list[list[int]]
    succ_all: list[list[int]]


def _grouped(n: int, owners: Int64Array, values: Int64Array) -> list[list[int]]:
    """``values`` grouped by their owner (0 ≤ owner < n), each group in its input order."""
    order = np.argsort(owners, kind="stable")
    flat = values[order].tolist()
    ends = np.cumsum(np.bincount(owners, minlength=n)).tolist()
    starts = [0, *ends[:-1]] if ends else []
    return [flat[a:b] for a, b in zip(starts, ends, strict=True)]


@dataclass
class _Derived:
    late_finish: Int64Array
    total_float: Int64Array
    free_float: Int64Array
    critical: npt.NDArray[np.bool_]


class Scheduler:
    """A compiled schedule network that can be re-scheduled incrementally.

    Build it once; :meth:`result` gives the schedule; :meth:`set_duration`,
    :meth:`add_link` and :meth:`remove_link` change the network and return the keys of the
    items whose early dates moved. ``incremental_limit`` caps how many items one change may
    visit before a full pass is cheaper (default ``max(128, n // 32)``).

    ``trusted=True`` skips the checks of every field (types, ranges, duplicates, unknown
    keys, dates near the start) for rows validated when they were written, e.g. read back
    from the database: validate once, at the edge. A cycle is still refused (finding the
    levels detects it for free). ``engine`` chooses how full passes run: ``"levels"``
    (numpy, level by level), ``"loop"`` (item by item), ``"compiled"`` (numba, see
    :mod:`planner.domain.schedule_compiled`) or ``"auto"`` (compiled from
    :data:`COMPILED_MIN_ITEMS` items when numba is installed, else the cheaper for the
    network's shape, see :data:`LOOP_ITEMS_PER_LEVEL`); all give the same schedule.

    Examples:
        >>> import datetime as dt
        >>> from planner.domain.calendar import WorkCalendar
        >>> s = Scheduler([Activity("design", 5), Activity("build", 10), Activity("live", 0)],
        ...               [Link("design", "build"), Link("build", "live")],
        ...               WorkCalendar(), dt.date(2024, 6, 3))
        >>> s.result().finish
        datetime.date(2024, 6, 21)
        >>> sorted(s.set_duration("design", 3))
        ['build', 'design', 'live']
        >>> s.result().items["live"].early_finish
        datetime.date(2024, 6, 19)
    """

    @_without_gc
    def __init__(
        self,
        activities: Iterable[Activity],
        links: Iterable[Link],
        calendar: WorkCalendar,
        start: dt.date,
        status_date: dt.date | None = None,
        phase_windows: Iterable[PhaseWindow] = (),
        *,
        incremental_limit: int | None = None,
        trusted: bool = False,
        engine: Engine = "auto",
    ) -> None:
        acts, link_list, windows = list(activities), list(links), tuple(phase_windows)
        key_index, link_table = _link_table(acts, link_list, trusted)
        columns = _columns_of(acts, link_table)
        self._set_up(
            columns,
            calendar,
            start,
            status_date,
            windows,
            incremental_limit,
            engine,
            key_index,
            None if trusted else lambda: _check_dates(acts, windows, start, status_date),
        )

    @classmethod
    def from_columns(
        cls,
        columns: PlanColumns,
        calendar: WorkCalendar,
        start: dt.date,
        status_date: dt.date | None = None,
        phase_windows: Iterable[PhaseWindow] = (),
        *,
        incremental_limit: int | None = None,
        trusted: bool = False,
        engine: Engine = "auto",
    ) -> Scheduler:
        """A scheduler of a plan given as columns (see :class:`PlanColumns`): no object
        per item or link, the set-up is a few array operations. ``trusted`` as for the
        constructor (rows read back from the database: validated when they were written).

        Examples:
            >>> import datetime as dt
            >>> cols = PlanColumns.of([Activity("a", 3), Activity("b", 2)], [Link("a", "b")])
            >>> Scheduler.from_columns(cols, WorkCalendar(), dt.date(2024, 6, 3),
            ...                        trusted=True).result().finish
            datetime.date(2024, 6, 7)
        """
        windows = tuple(phase_windows)
        check: Callable[[], None] | None = None
        if not trusted:
            columns.check()

            def check() -> None:
                acts = [columns.activity(i) for i in range(columns.n)]
                _check_dates(acts, windows, start, status_date)

        scheduler = cls.__new__(cls)
        with paused_gc():
            scheduler._set_up(
                columns,
                calendar,
                start,
                status_date,
                windows,
                incremental_limit,
                engine,
                None,
                check,
            )
        return scheduler

    def _set_up(
        self,
        cols: PlanColumns,
        calendar: WorkCalendar,
        start: dt.date,
        status_date: dt.date | None,
        windows: tuple[PhaseWindow, ...],
        incremental_limit: int | None,
        engine: Engine,
        key_index: dict[str, int] | None,
        check_dates: Callable[[], None] | None,
    ) -> None:
        n, m = cols.n, len(cols.predecessor)
        self._engine = _resolve_engine(engine, n)
        keys = cols.keys if isinstance(cols.keys, list) else list(cols.keys)
        level = _levels_or_raise(
            keys, cols.predecessor, cols.successor, compiled=self._engine == "compiled"
        )
        if check_dates is not None:
            check_dates()
        self.calendar = calendar
        self.start = start
        self.status_date = status_date
        self.phase_windows = windows
        self.index = WorkdayIndex(calendar, start)
        self._memo = _MemoIndex(self.index)
        self._status = None if status_date is None else self.index.index(status_date)
        self._n = n
        self._cols = replace(cols, keys=keys, duration=cols.duration.copy())
        self._keys = keys
        self._key_index_map = key_index
        self.incremental_limit = (
            incremental_limit if incremental_limit is not None else max(128, n // 32)
        )

        # per-item arrays (numpy for passes, memoryviews for cheap scalar access)
        self._gates = {w.key: w.end for w in windows}
        self._gate_points: dict[tuple[str, bool], int] = {}
        plan = _plan_arrays(self._cols, self.index, self._status, self._gates)
        self._state, self._rem, self._floor, self._fixed, self._fnl = plan[:5]
        self._milestone = plan.milestone
        self._level = level
        self._es = np.zeros(n, np.int64)
        self._ef = np.zeros(n, np.int64)
        self._lf = np.zeros(n, np.int64)  # late finish minus the project finish
        # the phase gates: each item's gate point (_BIG: none), its phase as a number, and
        # the late finish to the gate over links inside the phase (absolute points)
        self._gate, self._phase_id = plan.gate, self._cols.phase
        self._lf_gate = np.full(n, _BIG, np.int64)
        self._finish = 0
        self._views()

        # links: growable arrays plus adjacency lists of link ids
        capacity = max(16, 2 * m)
        self._lp = np.zeros(capacity, np.int64)
        self._ls = np.zeros(capacity, np.int64)
        self._lt = np.zeros(capacity, np.int64)
        self._lg = np.zeros(capacity, np.int64)
        self._alive = np.zeros(capacity, np.int64)
        self._link_views()
        self._adj: _Adjacency | None = None  # made when an edit or a reader needs it
        if m:
            self._lp[:m], self._ls[:m] = cols.predecessor, cols.successor
            self._lt[:m], self._lg[:m] = cols.link_type, cols.lag
            self._alive[:m] = 1
        self._nlinks = m

        self._compiled: _Compiled | None = None
        self._csr: tuple[Int64Array, ...] | None = None  # the compiled engine's network
        self._derived: _Derived | None = None
        self._result: ScheduleResult | None = None
        self._full_pass()

    @property
    def _key_index(self) -> dict[str, int]:
        """Each key's position (made when first needed: most schedules are read by
        position)."""
        if self._key_index_map is None:
            self._key_index_map = dict(zip(self._keys, range(self._n), strict=True))
        return self._key_index_map

    def activity(self, i: int) -> Activity:
        """Item ``i`` (in input order) as currently scheduled."""
        return self._cols.activity(i)

    # -- array plumbing ------------------------------------------------------------------

    def _gate_point_of(self, act: Activity) -> int:
        """The latest finish point that meets the gate of the item's phase (_BIG: none)."""
        return self._gate_point_for(act.phase, act.duration == 0)

    def _gate_point_for(self, phase: str | None, milestone: bool) -> int:
        gate = self._gates.get(phase) if phase is not None else None
        if gate is None or phase is None:
            return _BIG
        shape = (phase, milestone)
        found = self._gate_points.get(shape)
        if found is None:
            found = self._gate_points[shape] = _finish_point(self._memo, gate, milestone)
        return found

    def _views(self) -> None:
        self._state_v = self._state.data
        self._rem_v = self._rem.data
        self._floor_v = self._floor.data
        self._fixed_v = self._fixed.data
        self._fnl_v = self._fnl.data
        self._level_v = self._level.data
        self._es_v = self._es.data
        self._ef_v = self._ef.data
        self._lf_v = self._lf.data

    def _link_views(self) -> None:
        self._lp_v = self._lp.data
        self._ls_v = self._ls.data
        self._lt_v = self._lt.data
        self._lg_v = self._lg.data

    def _append_link(self, p: int, s: int, code: int, lag: int) -> int:
        k = self._nlinks
        if k == self._lp.size:
            for name in ("_lp", "_ls", "_lt", "_lg", "_alive"):
                old = getattr(self, name)
                grown = np.zeros(2 * old.size, np.int64)
                grown[: old.size] = old
                setattr(self, name, grown)
            self._link_views()
        self._lp[k], self._ls[k], self._lt[k], self._lg[k], self._alive[k] = p, s, code, lag, 1
        self._nlinks += 1
        adj = self._adj
        if adj is not None:  # else it is made from the arrays, this link included
            adj.pair[(p, s)] = k
            adj.succ_all[p].append(s)
            if self._state_v[s] != _DONE:
                adj.into[s].append(k)
                adj.out[p].append(k)
        return k

    def _rebuild_adjacency(self) -> None:
        """Recompute which links are active (after an item became done or not done)."""
        self._adj = None

    def _adjacency(self) -> _Adjacency:
        """Per-item lists of link ids, for edits and readers that walk the network (made
        from the link arrays with a few sorts: the first edit after a restart pays it)."""
        if self._adj is not None:
            return self._adj
        with paused_gc():  # tens of thousands of small lists, none cyclic
            adj = self._make_adjacency()
        self._adj = adj
        return adj

    def _make_adjacency(self) -> _Adjacency:
        n = self._n
        live = np.flatnonzero(self._alive[: self._nlinks])
        preds, succs = self._lp[live], self._ls[live]
        active = self._state[succs] != _DONE  # links into a done item constrain nothing
        pair = dict(
            zip(zip(preds.tolist(), succs.tolist(), strict=True), live.tolist(), strict=True)
        )
        adj = _Adjacency(
            pair,
            _grouped(n, succs[active], live[active]),
            _grouped(n, preds[active], live[active]),
            _grouped(n, preds, succs),
        )
        return adj

    @property
    def _pair(self) -> dict[tuple[int, int], int]:
        return self._adjacency().pair

    @property
    def _in(self) -> list[list[int]]:
        """Active links into each item (links into a done item constrain nothing)."""
        return self._adjacency().into

    @property
    def _out(self) -> list[list[int]]:
        """Active links out of each item."""
        return self._adjacency().out

    @property
    def _succ_all(self) -> list[list[int]]:
        """Successors of each item over all links (for cycle checks and levels)."""
        return self._adjacency().succ_all

    def _invalidate(self, structure: bool = False) -> None:
        if self._result is not None:  # a result handed out keeps the schedule it was made of
            self._result.critical_paths, self._result.overruns  # noqa: B018
        self._derived = None
        self._result = None
        if structure:
            self._compiled = None
            self._csr = None

    # -- compiling -----------------------------------------------------------------------

    def _compile(self) -> _Compiled:
        if self._compiled is not None:
            return self._compiled
        n = self._n
        live = np.flatnonzero(self._alive[: self._nlinks])
        lp, ls = self._lp[live], self._ls[live]
        lt, lg = self._lt[live], self._lg[live]
        state = self._state
        order = _stable_argsort(self._level)
        pos = np.empty(n, np.int64)
        pos[order] = np.arange(n, dtype=np.int64)
        started = np.flatnonzero(state[order] == _IN_PROGRESS).astype(np.int64)
        started_items = order[started]
        fixed_starts = self._fixed[started_items].copy()

        # forward entries, grouped by successor in level order
        active = state[ls] != _DONE
        fp, fs, ft, fg = pos[lp[active]], pos[ls[active]], lt[active], lg[active]
        read_start = (ft & 1).astype(bool)
        src = np.where(read_start, fp, n + fp)
        slot = np.full(n, -1, np.int64)
        slot[started] = 2 * n + 1 + np.arange(started.size)
        redirect = read_start & (slot[fp] >= 0)  # an item in progress starts at its actual
        src[redirect] = slot[fp[redirect]]
        lonely = np.flatnonzero(np.bincount(fs, minlength=n) == 0)  # nothing drives them
        f_succ = np.concatenate([fs, lonely])
        f_src = np.concatenate([src, np.full(lonely.size, 2 * n)])
        f_lag = np.concatenate([fg, np.zeros(lonely.size, np.int64)])
        f_bind = np.concatenate([(ft < 2).astype(np.int64), np.zeros(lonely.size, np.int64)])
        by = _stable_argsort(f_succ)
        f_succ, f_src, f_lag, f_bind = f_succ[by], f_src[by], f_lag[by], f_bind[by]
        f_first = _group_starts(f_succ, n)

        # backward entries, grouped by predecessor in level order
        b_active = active.copy()
        # a link that reads a started item's (fixed) start does not bound its finish
        pred_state = state[lp[active]]
        b_active[active] = (pred_state == _NOT_STARTED) | (
            (pred_state == _IN_PROGRESS) & ((lt[active] & 1) == 0)
        )
        bp, bs, bt, bg = pos[lp[b_active]], pos[ls[b_active]], lt[b_active], lg[b_active]
        b_read = (bt & 1).astype(np.int64)
        lonely_b = np.flatnonzero(np.bincount(bp, minlength=n) == 0)  # they drive nothing
        zeros_b = np.zeros(lonely_b.size, np.int64)
        b_pred = np.concatenate([bp, lonely_b])
        b_succ = np.concatenate([bs, zeros_b])
        b_dst = np.concatenate([bs, np.full(lonely_b.size, n)])
        b_neg_lag = np.concatenate([-bg, zeros_b])
        b_bind = np.concatenate([(bt < 2).astype(np.int64), zeros_b])
        b_read_start = np.concatenate([b_read, zeros_b])
        b_src_point = np.concatenate([np.where(b_read == 1, bp, n + bp), n + lonely_b])
        b_dst_point = np.concatenate([n + bs, np.full(lonely_b.size, 2 * n)])
        by = _stable_argsort(b_pred)
        b_pred, b_succ, b_dst = b_pred[by], b_succ[by], b_dst[by]
        b_neg_lag, b_bind, b_read_start = b_neg_lag[by], b_bind[by], b_read_start[by]
        b_src_point, b_dst_point = b_src_point[by], b_dst_point[by]
        b_first = _group_starts(b_pred, n)

        pts = np.zeros(2 * n + 1 + started.size, np.int64)
        pts[2 * n] = -_BIG
        pts[2 * n + 1 :] = fixed_starts
        lfx = np.zeros(n + 1, np.int64)
        lfx[n] = _BIG
        rem, base, lbase = (np.zeros(n, np.int64) for _ in range(3))
        f_adj = np.zeros(f_succ.size, np.int64)
        b_adj = np.zeros(b_pred.size, np.int64)

        levels_sorted = self._level[order]
        bounds = np.flatnonzero(np.diff(levels_sorted)) + 1 if n else np.zeros(0, np.int64)
        level_starts = np.concatenate([[0], bounds]).astype(np.int64) if n else bounds
        level_ends = np.concatenate([bounds, [n]]).astype(np.int64) if n else bounds
        self._compiled = _Compiled(
            n=n,
            order=order,
            pos=pos,
            started=started,
            started_items=started_items,
            fixed_starts=fixed_starts,
            f_succ=f_succ,
            f_lag=f_lag,
            f_bind_start=f_bind,
            f_adj=f_adj,
            f_src=f_src,
            f_first=f_first,
            pts=pts,
            b_succ=b_succ,
            b_pred=b_pred,
            b_neg_lag=b_neg_lag,
            b_bind_start=b_bind,
            b_read_start=b_read_start,
            b_adj=b_adj,
            b_tmp=np.zeros(b_pred.size, np.int64),
            b_src_point=b_src_point,
            b_dst_point=b_dst_point,
            b_first=b_first[:n].copy(),
            b_first_all=b_first,
            b_dst=b_dst,
            lfx=lfx,
            level_starts=level_starts,
            level_ends=level_ends,
            rem=rem,
            base=base,
            span=np.zeros(n, np.int64),
            lbase=lbase,
        )
        return self._compiled

    # -- full passes ---------------------------------------------------------------------

    def _loop(self) -> bool:
        """Whether the numpy engine's passes run item by item (deep plans) or by level."""
        return self._compile().deep if self._engine == "auto" else self._engine == "loop"

    def _network(self) -> tuple[Int64Array, ...]:
        """For the compiled engine: level order, links into and out of each item (CSR)."""
        if self._csr is None:
            kernels, m = _kernels(), self._nlinks
            assert kernels is not None
            self._csr = kernels.network(
                self._level, self._lp[:m], self._ls[:m], self._lt[:m], self._alive[:m], self._state
            )
        return self._csr

    def _compiled_pass(self) -> None:
        """Forward and backward pass compiled (see :mod:`planner.domain.schedule_compiled`)."""
        kernels, m, n = _kernels(), self._nlinks, self._n
        assert kernels is not None
        order, in_first, in_ids, out_first, out_ids = self._network()
        self._invalidate()
        if n == 0:
            self._finish = 0
            return
        lp, ls, lt, lg = self._lp[:m], self._ls[:m], self._lt[:m], self._lg[:m]
        rem, es, ef = self._rem, self._es, self._ef
        finish = kernels.forward_pass(
            order, in_first, in_ids, lp, lt, lg, self._state, rem, self._floor, self._fixed, es, ef
        )
        self._finish = int(finish)
        derived = kernels.backward_all(
            order,
            out_first,
            out_ids,
            ls,
            lt,
            lg,
            self._state,
            rem,
            es,
            ef,
            self._fnl,
            self._gate,
            self._phase_id,
            bool((self._gate < _BIG).any()),
            self._finish,
            self._lf,
            self._lf_gate,
        )
        self._derived = _Derived(*derived)

    def _full_pass(self) -> None:
        """Forward and backward pass over the whole network (numpy, level by level)."""
        if self._engine == "compiled":
            self._compiled_pass()
            return
        c = self._compile()
        n = c.n
        self._invalidate()
        if n == 0:
            self._finish = 0
            return
        np.take(self._rem, c.order, out=c.rem)
        np.take(self._floor, c.order, out=c.base)
        c.base += c.rem
        np.take(c.rem, c.f_succ, out=c.f_adj)
        c.f_adj *= c.f_bind_start
        c.f_adj += c.f_lag
        pts = c.pts
        deep = self._loop()
        if deep:
            _forward_loop(c)
        else:
            maximum, reduce_max = np.maximum, np.maximum.reduceat
            for src, adj, seg, base, ef, rem, es in c.levels()[0]:
                values = pts[src]
                values += adj
                if seg is not None:
                    values = reduce_max(values, seg)
                maximum(values, base, out=ef)
                np.subtract(ef, rem, out=es)
        es_p, ef_p = pts[:n], pts[n : 2 * n]
        finish = int(ef_p.max())

        span = c.span
        span[:] = c.rem
        span[c.started] = ef_p[c.started] - c.fixed_starts
        np.take(c.rem, c.b_succ, out=c.b_tmp)
        c.b_tmp *= c.b_bind_start
        np.subtract(c.b_neg_lag, c.b_tmp, out=c.b_adj)
        np.take(span, c.b_pred, out=c.b_tmp)
        c.b_tmp *= c.b_read_start
        c.b_adj += c.b_tmp
        np.take(self._fnl, c.order, out=c.lbase)
        c.lbase -= finish
        np.minimum(c.lbase, 0, out=c.lbase)
        lfx = c.lfx
        if deep:
            _backward_loop(c)
        else:
            minimum, reduce_min = np.minimum, np.minimum.reduceat
            for dst, adj, seg, lbase, lf in c.levels()[1]:
                values = lfx[dst]
                values += adj
                if seg is not None:
                    values = reduce_min(values, seg)
                minimum(values, lbase, out=lf)

        self._es[c.order] = es_p
        self._es[c.started_items] = c.fixed_starts
        self._ef[c.order] = ef_p
        self._lf[c.order] = lfx[:n]
        self._finish = finish
        self._gate_pass()

    def _gate_pass(self) -> None:
        """Late finish of every item to its phase's gate, over the links inside its phase.

        A gate is a deadline for the items of its phase and what they drive inside it; a
        later phase's gate does not reach back into an earlier phase (its lateness shows on
        its own items), so links between phases are left out of this pass.
        """
        n, lf_gate = self._n, self._lf_gate
        if n == 0 or not (self._gate < _BIG).any():
            lf_gate[:] = _BIG
            return
        kernels = _kernels() if self._engine == "compiled" else None
        if kernels is not None:
            m = self._nlinks
            order, _, _, out_first, out_ids = self._network()
            kernels.backward_pass(
                order,
                out_first,
                out_ids,
                self._lp[:m],
                self._ls[:m],
                self._lt[:m],
                self._lg[:m],
                self._rem,
                self._es,
                self._ef,
                self._gate,
                self._phase_id,
                lf_gate,
            )
            return
        c = self._compile()
        order = c.order
        rem = self._rem[order]
        span = (self._ef - self._es)[order]  # EF minus the (actual) start
        adj = c.b_neg_lag - rem[c.b_succ] * c.b_bind_start + span[c.b_pred] * c.b_read_start
        phase = self._phase_id[order]
        adj[phase[c.b_pred] != phase[c.b_succ]] += _BIG  # placeholders read BIG anyway
        lfx = np.empty(n + 1, np.int64)
        lfx[n] = _BIG
        _backward_generic(c, adj, self._gate[order], lfx, self._loop())
        lf_gate[order] = lfx[:n]

    def _derive(self) -> _Derived:
        """Total and free float and the critical flag, vectorised."""
        if self._derived is not None:
            return self._derived
        kernels = _kernels() if self._engine == "compiled" else None
        if kernels is not None:
            m = self._nlinks
            _, _, _, out_first, out_ids = self._network()
            self._derived = _Derived(
                *kernels.floats(
                    out_first,
                    out_ids,
                    self._ls[:m],
                    self._lt[:m],
                    self._lg[:m],
                    self._state,
                    self._rem,
                    self._es,
                    self._ef,
                    self._lf,
                    self._lf_gate,
                    self._finish,
                )
            )
            return self._derived
        c = self._compile()
        n, finish = c.n, self._finish
        done = self._state == _DONE
        late_finish = np.minimum(self._lf + finish, self._lf_gate)
        late_finish[done] = self._ef[done]
        total = late_finish - self._ef
        points = np.empty(2 * n + 1, np.int64)
        np.take(self._es, c.order, out=points[:n])
        np.take(self._ef, c.order, out=points[n : 2 * n])
        points[2 * n] = finish
        rem = self._rem[c.order]
        slack = points[c.b_dst_point] - points[c.b_src_point] + c.b_neg_lag
        slack -= rem[c.b_succ] * c.b_bind_start
        free = np.minimum.reduceat(slack, c.b_first)[c.pos] if n else np.zeros(0, np.int64)
        np.minimum(free, np.maximum(total, 0), out=free)  # free float never exceeds total float
        free[done] = 0
        critical = ~done & (total <= 0)
        self._derived = _Derived(late_finish, total, free, critical)
        return self._derived

    def recompute(self) -> None:
        """Schedule the whole network again from scratch (full passes, float, critical flag).

        Examples:
            >>> import datetime as dt
            >>> s = Scheduler([Activity("a", 3)], [], WorkCalendar(), dt.date(2024, 6, 3))
            >>> s.recompute(); s.points()["a"]
            ItemPoints(early_start=0, early_finish=3, late_start=0, late_finish=3)
        """
        self._full_pass()
        self._derive()

    # -- incremental changes -------------------------------------------------------------

    def _incremental(self, forward_seeds: set[int], backward_seeds: set[int]) -> list[int] | None:
        """Propagate a local change; None when it visits more than ``incremental_limit``."""
        level, state, rem, floor, fixed = (
            self._level_v,
            self._state_v,
            self._rem_v,
            self._floor_v,
            self._fixed_v,
        )
        es, ef, lf = self._es_v, self._ef_v, self._lf_v
        lp, ls, lt, lg = self._lp_v, self._ls_v, self._lt_v, self._lg_v
        into, out = self._in, self._out
        budget = self.incremental_limit
        heap = [(level[i], i) for i in forward_seeds]
        heapq.heapify(heap)
        queued = set(forward_seeds)
        changed: list[int] = []
        while heap:
            budget -= 1
            if budget < 0:
                return None
            _, i = heapq.heappop(heap)
            r = rem[i]
            bound = floor[i] + r
            for k in into[i]:
                p, code = lp[k], lt[k]
                value = (es[p] if code & 1 else ef[p]) + lg[k]
                if code < 2:
                    value += r
                if value > bound:
                    bound = value
            start = fixed[i] if state[i] == _IN_PROGRESS else bound - r
            if bound != ef[i] or start != es[i]:
                ef[i] = bound
                es[i] = start
                changed.append(i)
                if state[i] == _IN_PROGRESS:
                    backward_seeds.add(i)  # its span changed
                for k in out[i]:
                    s = ls[k]
                    if s not in queued:
                        queued.add(s)
                        heapq.heappush(heap, (level[s], s))

        finish = int(self._ef.max()) if self._n else 0
        if finish != self._finish:
            self._finish = finish
            backward_seeds.update(np.flatnonzero(self._fnl < _BIG).tolist())
        fnl = self._fnl_v
        heap = [(-level[i], i) for i in backward_seeds if state[i] != _DONE]
        heapq.heapify(heap)
        queued = {i for _, i in heap}
        while heap:
            budget -= 1
            if budget < 0:
                return None
            _, i = heapq.heappop(heap)
            bound = min(0, fnl[i] - finish)
            span = ef[i] - es[i]
            started = state[i] == _IN_PROGRESS
            for k in out[i]:
                s, code = ls[k], lt[k]
                if started and code & 1:
                    continue  # its start is fixed: the link does not bound its finish
                value = lf[s] - lg[k]
                if code < 2:
                    value -= rem[s]
                if code & 1:
                    value += span
                if value < bound:
                    bound = value
            if bound != lf[i]:
                lf[i] = bound
                for k in into[i]:
                    p = lp[k]
                    if p not in queued and state[p] != _DONE:
                        queued.add(p)
                        heapq.heappush(heap, (-level[p], p))
        return changed

    def _walks(self) -> bool:
        """Whether an edit is propagated by walking from it: with the per-item link lists
        at hand, or without the compiled pass. A schedule fresh from the rows or from the
        shared cache has no lists, and making them costs more than the compiled full pass
        (10k items: 10 vs 1 ms), so its first edits take the full pass; a walk (or a
        reader) that needs the lists makes them and later edits walk."""
        return self._adj is not None or self._engine != "compiled"

    def _propagate(self, forward_seeds: set[int] | None, backward_seeds: set[int]) -> set[str]:
        """Re-schedule after a change at the seeds (None: everything); return moved keys."""
        self._invalidate()
        before_es, before_ef = self._es.copy(), self._ef.copy()
        changed = None
        if forward_seeds is not None and self._walks():
            changed = self._incremental(forward_seeds, backward_seeds)
            if changed is not None:
                self._gate_pass()
        if changed is None:  # cheaper to start again than to keep walking
            self._full_pass()
            moved = (self._es != before_es) | (self._ef != before_ef)
            changed = np.flatnonzero(moved).tolist()
        return {self._keys[i] for i in changed}

    def _item(self, key: str) -> int:
        try:
            return self._key_index[key]
        except KeyError:
            raise NotFoundError.of("", "schedule.unknown_item", key=key) from None

    def set_duration(self, key: str, days: int) -> set[str]:
        """Change one item's duration; return the keys whose early dates moved.

        Examples:
            >>> import datetime as dt
            >>> s = Scheduler([Activity("a", 3), Activity("b", 2), Activity("c", 1)],
            ...               [Link("a", "b")], WorkCalendar(), dt.date(2024, 6, 3))
            >>> sorted(s.set_duration("a", 4))
            ['a', 'b']
        """
        i = self._item(key)
        problem = _duration_problem(days, "duration", key)
        if problem:
            raise ValidationError(problems=[problem])
        self._invalidate()  # before anything changes: a result handed out is completed first
        act = replace(self.activity(i), duration=days)
        plan = _plan_item(act, self._memo, self._status, act.finish_no_later)
        self._gate[i] = self._gate_point_of(act)
        self._cols.duration[i] = days
        self._milestone[i] = days == 0
        old_state = self._state_v[i]
        (
            self._state_v[i],
            self._rem_v[i],
            self._floor_v[i],
            self._fixed_v[i],
            self._fnl_v[i],
        ) = plan
        if plan.state != old_state:  # e.g. a done milestone became a task in progress
            self._rebuild_adjacency()
            self._invalidate(structure=True)
            return self._propagate(None, set())
        if not self._walks():
            return self._propagate(None, set())
        preds = {self._lp_v[k] for k in self._in[i]}
        return self._propagate({i}, {i} | preds)

    def _find_path(self, source: int, target: int) -> list[int] | None:
        """A path source → … → target over all links, searching only levels below target's."""
        level = self._level_v
        limit = level[target]
        if level[source] >= limit:
            return None
        parent = {source: source}
        stack = [source]
        succ_all = self._succ_all
        while stack:
            u = stack.pop()
            for v in succ_all[u]:
                if v in parent:
                    continue
                parent[v] = u
                if v == target:
                    path = [v]
                    while v != source:
                        v = parent[v]
                        path.append(v)
                    path.reverse()
                    return path
                if level[v] < limit:
                    stack.append(v)
        return None

    def _linked(self, p: int, s: int) -> bool:
        """Whether a live link p → s exists (from the link arrays when the per-item lists
        were not made: an O(links) scan is cheaper than making them)."""
        if self._adj is not None:
            return (p, s) in self._adj.pair
        n = self._nlinks
        found = (self._lp[:n] == p) & (self._ls[:n] == s) & (self._alive[:n] != 0)
        return bool(found.any())

    def _raise_levels(self, p: int, s: int) -> None:
        """Keep every link going up a level after adding p → s (each item raised once)."""
        level = self._level_v
        if level[s] > level[p]:
            return
        # visit in the order of the old levels, a topological order of the graph without
        # p → s, so an item is raised only after everything that raises it
        heap = [(level[s], s)]
        queued = {s}
        level[s] = level[p] + 1
        succ_all = self._succ_all
        while heap:
            _, u = heapq.heappop(heap)
            need = level[u] + 1
            for v in succ_all[u]:
                if level[v] < need:
                    if v not in queued:
                        queued.add(v)
                        heapq.heappush(heap, (level[v], v))
                    level[v] = need

    def add_link(self, link: Link) -> set[str]:
        """Add a dependency; return the keys whose early dates moved.

        Raises :class:`ValidationError` for unknown items, self-links, duplicates, a bad type
        or lag, and :class:`DependencyCycleError` (naming the cycle) when the link would
        close one; in both cases nothing changes.

        Examples:
            >>> import datetime as dt
            >>> s = Scheduler([Activity("a", 3), Activity("b", 2)], [Link("a", "b")],
            ...               WorkCalendar(), dt.date(2024, 6, 3))
            >>> try:
            ...     s.add_link(Link("b", "a"))
            ... except DependencyCycleError as error:
            ...     error.cycle
            ['b', 'a']
        """
        ends = dict.fromkeys((link.predecessor, link.successor))
        probe = [Activity(k, 0) for k in ends if k in self._key_index]
        _check_network(probe, [link])
        p, s = self._key_index[link.predecessor], self._key_index[link.successor]
        if self._linked(p, s):
            name = f"{link.predecessor} → {link.successor}"
            raise ValidationError.of("link", "schedule.link.exists", link=name)
        path = self._find_path(s, p)
        if path is not None:
            raise DependencyCycleError([self._keys[p], *(self._keys[v] for v in path[:-1])])
        self._invalidate()
        self._append_link(p, s, _TYPE_CODE[link.type], link.lag)
        self._raise_levels(p, s)
        self._invalidate(structure=True)
        if self._state_v[s] == _DONE:
            return set()
        return self._propagate({s}, {p})

    def remove_link(self, predecessor: str, successor: str) -> set[str]:
        """Remove the dependency predecessor → successor; return the keys whose dates moved.

        Examples:
            >>> import datetime as dt
            >>> s = Scheduler([Activity("a", 3), Activity("b", 2)], [Link("a", "b")],
            ...               WorkCalendar(), dt.date(2024, 6, 3))
            >>> s.remove_link("a", "b")
            {'b'}
        """
        p, s = self._item(predecessor), self._item(successor)
        if not self._linked(p, s):
            raise NotFoundError.of("", "schedule.link.missing", link=f"{predecessor} → {successor}")
        self._invalidate()
        if not self._walks():  # no per-item lists to keep: drop it from the arrays
            n = self._nlinks
            live = (self._lp[:n] == p) & (self._ls[:n] == s) & (self._alive[:n] != 0)
            self._alive[np.flatnonzero(live)] = 0
            self._invalidate(structure=True)
            return self._propagate(None, set())
        k = self._pair.pop((p, s))
        self._alive[k] = 0
        self._succ_all[p].remove(s)
        self._invalidate(structure=True)
        if k not in self._in[s]:
            return set()
        self._in[s].remove(k)
        self._out[p].remove(k)
        return self._propagate({s}, {p})

    # -- reading the schedule ------------------------------------------------------------

    @property
    def activities(self) -> tuple[Activity, ...]:
        """The activities as currently scheduled (with any changed durations)."""
        return tuple(self._cols.activity(i) for i in range(self._n))

    @property
    def links(self) -> tuple[Link, ...]:
        """The dependencies currently in the network, in the order they were added."""
        types = LINK_TYPES
        return tuple(
            Link(
                self._keys[self._lp_v[k]],
                self._keys[self._ls_v[k]],
                types[self._lt_v[k]],
                self._lg_v[k],
            )
            for k in np.flatnonzero(self._alive[: self._nlinks]).tolist()
        )

    @property
    def finish_point(self) -> int:
        """The project finish ``F`` as a working-day point."""
        return self._finish

    def points(self) -> dict[str, ItemPoints]:
        """Every item's early and late start and finish as working-day points.

        Examples:
            >>> import datetime as dt
            >>> s = Scheduler([Activity("a", 3), Activity("b", 1)], [Link("a", "b", "SS", 1)],
            ...               WorkCalendar(), dt.date(2024, 6, 3))
            >>> s.points()["b"]
            ItemPoints(early_start=1, early_finish=2, late_start=2, late_finish=3)
        """
        late_finish = self._derive().late_finish
        late_start = self._late_start(late_finish)
        rows = zip(
            self._es.tolist(),
            self._ef.tolist(),
            late_start.tolist(),
            late_finish.tolist(),
            strict=True,
        )
        return {key: ItemPoints(*row) for key, row in zip(self._keys, rows, strict=True)}

    def result(self) -> ScheduleResult:
        """The schedule with calendar dates, float, critical paths and phase overruns.

        Examples:
            >>> import datetime as dt
            >>> r = Scheduler([Activity("a", 3), Activity("b", 1)], [Link("a", "b")],
            ...               WorkCalendar(), dt.date(2024, 6, 3)).result()
            >>> r.items["b"].early_start, r.finish, r.critical_paths
            (datetime.date(2024, 6, 6), datetime.date(2024, 6, 6), [['a', 'b']])
        """
        if self._result is None:
            self._result = self._build_result()
        return self._result

    def _late_start(self, late_finish: Int64Array) -> Int64Array:
        """LF minus the item's span; a started item's late start is its actual start."""
        late_start = late_finish - (self._ef - self._es)
        started = self._state == _IN_PROGRESS
        late_start[started] = self._es[started]
        return late_start

    def _display_points(self, late_finish: Int64Array) -> Int64Array:
        """Working-day indices of the four displayed dates, stacked: ES, EF, LS, LF."""
        es, ef = self._es, self._ef
        late_start = self._late_start(late_finish)
        milestone = self._milestone

        def milestone_day(point: Int64Array) -> Int64Array:
            return np.where(point >= 1, point - 1, point)

        return np.concatenate(
            [
                np.where(milestone, milestone_day(ef), es),
                np.where(milestone, milestone_day(ef), ef - 1),
                np.where(milestone, milestone_day(late_finish), late_start),
                np.where(milestone, milestone_day(late_finish), late_finish - 1),
            ]
        )

    def _build_result(self) -> ScheduleResult:
        derived = self._derive()
        n, keys = self._n, self._keys
        if n == 0:
            first = self.index.start
            return ScheduleResult({}, first, first, [], [], [])
        days = self._display_points(derived.late_finish)
        ordinals = self.index.ordinals(days)
        items = ItemTable(
            keys,
            lambda: self._key_index,
            ordinals,
            derived.total_float,
            derived.free_float,
            derived.critical,
        )
        done = self._state == _DONE
        negative = np.flatnonzero((derived.total_float < 0) & ~done)
        early_finish = ordinals[n : 2 * n]
        critical = derived.critical
        return ScheduleResult(
            items=items,
            start=dt.date.fromordinal(int(ordinals[:n].min())),
            finish=dt.date.fromordinal(int(early_finish.max())),
            critical_paths=lambda: self._critical_paths(critical),
            overruns=lambda: self._overruns(early_finish),
            negative_float=lambda: [keys[i] for i in negative.tolist()],
        )

    def _critical_paths(self, critical: npt.NDArray[np.bool_]) -> list[list[str]]:
        """Chains of critical items joined by driving (zero-slack) links, in input order."""
        crit = critical.tolist()
        es, ef, rem = self._es_v, self._ef_v, self._rem_v
        ls, lt, lg = self._ls_v, self._lt_v, self._lg_v
        children: dict[int, list[int]] = {}
        driven: set[int] = set()
        for i in np.flatnonzero(critical).tolist():
            kids = []
            for k in self._out[i]:
                s, code = ls[k], lt[k]
                if not crit[s]:
                    continue
                value = (es[i] if code & 1 else ef[i]) + lg[k] + (rem[s] if code < 2 else 0)
                if value == ef[s]:
                    kids.append(s)
                    driven.add(s)
            children[i] = sorted(kids)
        paths: list[list[str]] = []
        for root in sorted(set(children) - driven):
            path = [root]
            stack = [iter(children[root])]
            while stack:
                nxt = next(stack[-1], None)
                if nxt is None:
                    if not children[path[-1]]:
                        paths.append([self._keys[i] for i in path])
                        if len(paths) >= MAX_CRITICAL_PATHS:
                            return paths
                    stack.pop()
                    path.pop()
                else:
                    path.append(nxt)
                    stack.append(iter(children[nxt]))
        return paths

    def phase_drivers(self) -> list[PhaseDriver]:
        """What drives each phase's gate (phases with items, in window order), on demand.

        Examples:
            >>> import datetime as dt
            >>> s = Scheduler([Activity("a", 3, "p1"), Activity("b", 4, "p1"),
            ...                Activity("c", 1, "p1")], [Link("a", "b")],
            ...               WorkCalendar(), dt.date(2024, 6, 3),
            ...               phase_windows=[PhaseWindow("p1", dt.date(2024, 6, 3),
            ...                                          dt.date(2024, 6, 7))])
            >>> [(d.phase, d.chain, d.finish, d.gate_float) for d in s.phase_drivers()]
            [('p1', ['a', 'b'], datetime.date(2024, 6, 11), -2)]
        """
        n = self._n
        if n == 0:
            return []
        es, ef = self._es.tolist(), self._ef.tolist()
        bound_start = (self._ef - self._rem).tolist()
        types, keys = LINK_TYPES, self._keys
        into = [
            [(self._lp_v[k], types[self._lt_v[k]], self._lg_v[k]) for k in self._in[i]]
            for i in range(n)
        ]
        members = self._members()
        shown_finish = self._display_points(self._derive().late_finish)[n : 2 * n]
        drivers = []
        for window in self.phase_windows:
            items = members.get(window.key)
            if not items:
                continue
            chain = gate_driver(items, es, bound_start, ef, into)
            end = chain[-1]
            point = gate_point(self.index, window.end, bool(self._milestone[end]))
            drivers.append(
                PhaseDriver(
                    window.key,
                    window.end,
                    self.index.date(int(shown_finish[end])),
                    point - ef[end],
                    [keys[i] for i in chain],
                )
            )
        return drivers

    def _members(self) -> dict[str, list[int]]:
        """The items of each phase (by key), in input order."""
        codes = self._cols.phase
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(self._cols.phase_keys) + 1))
        found = {}
        for j, key in enumerate(self._cols.phase_keys):
            members = order[bounds[j] : bounds[j + 1]]
            if members.size:
                found[key] = members.tolist()
        return found

    def _overruns(self, early_finish: Int64Array) -> list[PhaseOverrun]:
        """Phases whose items finish after the window (``early_finish``: shown ordinals)."""
        members = self._members()
        finish = early_finish.tolist()
        overruns = []
        for window in self.phase_windows:
            indices = members.get(window.key, [])
            end = window.end.toordinal()
            late = [(self._keys[i], finish[i] - end) for i in indices if finish[i] > end]
            if late:
                late.sort(key=lambda pair: -pair[1])
                last = max(finish[i] for i in indices)
                overruns.append(
                    PhaseOverrun(
                        window.key, window.end, dt.date.fromordinal(last), last - end, late
                    )
                )
        return overruns


def schedule(
    activities: Iterable[Activity],
    links: Iterable[Link],
    calendar: WorkCalendar,
    start: dt.date,
    status_date: dt.date | None = None,
    phase_windows: Iterable[PhaseWindow] = (),
    *,
    trusted: bool = False,
) -> ScheduleResult:
    """Schedule a program in one go (see the module docstring for the rules).

    Examples:
        >>> import datetime as dt
        >>> from planner.domain.calendar import WorkCalendar
        >>> result = schedule(
        ...     [Activity("kickoff", 0, "p1"), Activity("design", 5, "p1"),
        ...      Activity("build", 10, "p1"), Activity("docs", 3, "p1")],
        ...     [Link("kickoff", "design"), Link("design", "build"),
        ...      Link("design", "docs", "SS", 2)],
        ...     WorkCalendar(), dt.date(2024, 6, 3),
        ...     phase_windows=[PhaseWindow("p1", dt.date(2024, 6, 3), dt.date(2024, 6, 14))])
        >>> result.finish, result.critical_paths
        (datetime.date(2024, 6, 21), [['kickoff', 'design', 'build']])
        >>> result.items["docs"].early_start, result.items["docs"].total_float  # to the gate
        (datetime.date(2024, 6, 5), 5)
        >>> result.overruns[0].items
        [('build', 7)]
    """
    return Scheduler(
        activities, links, calendar, start, status_date, phase_windows, trusted=trusted
    ).result()
