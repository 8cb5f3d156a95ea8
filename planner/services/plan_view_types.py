"""What the plan views show: the filters, a work item's row, a link, a phase's roll-up, a
baseline, and the whole view (read by :mod:`planner.services.plan_view`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from functools import partial
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from planner.domain.schedule import paused_gc
from planner.models import Program
from planner.services.gate_drivers import GateDriver

STATUSES = ("done", "in_progress", "not_started", "late")
NO_WORKSTREAM = ""


# --------------------------------------------------------------------------- filters


def _flag(value: Any) -> bool:
    return str(value or "").lower() in ("1", "true", "on", "yes")


@dataclass(frozen=True)
class Filters:
    """Which items a view shows; each is a query argument so pages work without JavaScript."""

    phase: str | None = None
    workstream: str | None = None
    owner: str | None = None
    critical: bool = False
    late: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        def text(name: str) -> str | None:
            value = str(args.get(name) or "").strip()
            return value[:200] or None

        return cls(
            phase=text("phase"),
            workstream=text("workstream"),
            owner=text("owner"),
            critical=_flag(args.get("critical")),
            late=_flag(args.get("late")),
        )

    @property
    def active(self) -> bool:
        return bool(self.phase or self.workstream or self.owner or self.critical or self.late)

    def matches(self, row: Any) -> bool:
        """Whether a row (the plan view's or the Gantt's: each has ``phase_key``,
        ``workstream``, ``owner``, ``critical`` and ``status``) passes every filter."""
        if self.phase and row.phase_key != self.phase:
            return False
        if self.workstream:
            wanted = None if self.workstream == "-" else self.workstream
            if row.workstream != wanted:
                return False
        if self.owner and row.owner != self.owner:
            return False
        if self.critical and not row.critical:
            return False
        return not (self.late and row.status != "late")

    def as_args(self) -> dict[str, str]:
        args = {}
        for name in ("phase", "workstream", "owner"):
            value = getattr(self, name)
            if value:
                args[name] = value
        if self.critical:
            args["critical"] = "1"
        if self.late:
            args["late"] = "1"
        return args


# --------------------------------------------------------------------------- rows


@dataclass
class PlanRow:
    """One work item as the views show it."""

    id: int
    key: str
    name: str
    kind: str
    phase_id: int
    phase_key: str
    phase_ordinal: int
    workstream: str | None
    owner: str | None
    duration: int
    percent: int
    actual_start: date | None
    actual_finish: date | None
    constraint_type: str | None
    constraint_date: date | None
    early_start: date | None
    early_finish: date | None
    late_start: date | None
    late_finish: date | None
    total_float: int | None
    free_float: int | None
    critical: bool
    position: int
    status: str = "not_started"
    overrun_days: int = 0
    baseline_start: date | None = None
    baseline_finish: date | None = None
    start_variance: int | None = None
    finish_variance: int | None = None
    predecessors: list[str] = field(default_factory=list)

    @property
    def is_milestone(self) -> bool:
        return self.kind == "milestone"

    @property
    def predecessors_text(self) -> str:
        return ", ".join(self.predecessors)


class LinkRow(NamedTuple):
    """A dependency as the views show it (a tuple: a plan has tens of thousands)."""

    predecessor_id: int
    successor_id: int
    type: str
    lag: int
    critical: bool


@dataclass
class PhaseInfo:
    """A phase with its window, its items' roll-up and its variance against the baseline."""

    id: int
    key: str
    ordinal: int
    kind: str
    name: str
    goal: str
    window_start: date
    window_end: date
    finish: date | None = None
    overrun_days: int = 0
    overrun_items: list[tuple[str, int]] = field(default_factory=list)
    progress: float = 0.0
    baseline_finish: date | None = None
    finish_variance: int | None = None
    slipped_items: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    milestones: list[PlanRow] = field(default_factory=list)
    items: int = 0
    driver: GateDriver | None = None  # what drives the gate (the chain of driving links)

    @property
    def gate_date(self) -> date:
        return self.window_end


@dataclass(frozen=True)
class BaselineInfo:
    id: int
    name: str
    taken_at: datetime
    taken_by: str
    version: int


@dataclass
class PlanView:
    program: Program | None  # None only inside the shared cache
    phases: list[PhaseInfo]
    rows: list[PlanRow]  # filtered, grouped by phase and workstream
    all_rows: list[PlanRow]
    links: list[LinkRow]  # between visible rows
    all_links: int
    filters: Filters
    baselines: list[BaselineInfo]
    baseline: BaselineInfo | None
    workstreams: list[str]
    owners: list[str]
    status_date: date
    today: date
    finish: date | None
    baseline_finish: date | None
    finish_variance: int | None
    critical_count: int
    refreshed: bool

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """Pickled as columns (see the end of this module)."""
        return _reduce_view(self)

    @property
    def by_id(self) -> dict[int, PlanRow]:
        return {row.id: row for row in self.all_rows}

    @property
    def overrunning_phases(self) -> list[PhaseInfo]:
        return [phase for phase in self.phases if phase.overrun_days > 0]

    @property
    def driving_ids(self) -> frozenset[int]:
        """Items not done on a chain that drives a gate with no float left (highlighted in
        the Gantt): what the team can still act on."""
        done = {row.id for row in self.all_rows if row.status == "done"}
        return frozenset(
            item_id
            for phase in self.phases
            if phase.driver is not None and phase.driver.gate_float <= 0
            for item_id in phase.driver.chain_ids
            if item_id not in done
        )


# --------------------------------------------------------------------------- kept compactly
#
# A plan view is kept per revision in the shared cache and read by every page after a
# change. Pickled as objects, 10,000 rows (each a dict of thirty fields and ten dates) take
# longer to read back than to compute; kept as columns (dates as one array of ordinals per
# field) they are read back in a few milliseconds. Rows are referred to by position, so
# the visible rows and each phase's milestones stay the same objects as ``all_rows``.

_ROW_FIELDS = tuple(f.name for f in fields(PlanRow))
_ROW_DATES = frozenset(f.name for f in fields(PlanRow) if f.type == "date | None")
_EPOCH = date(1970, 1, 1).toordinal()
_NO_DAY = -(1 << 62)


def _day_column(values: list[date | None]) -> npt.NDArray[np.int64]:
    return np.array(
        [_NO_DAY if day is None else day.toordinal() - _EPOCH for day in values], np.int64
    )


def _days(column: npt.NDArray[np.int64]) -> list[date | None]:
    days = column.astype("datetime64[D]")
    days[column == _NO_DAY] = np.datetime64("NaT")
    found: list[date | None] = days.tolist()
    return found


def _pack_rows(rows: list[PlanRow]) -> dict[str, Any]:
    columns = list(zip(*map(attrgetter(*_ROW_FIELDS), rows), strict=True)) if rows else []
    packed: dict[str, Any] = {"n": len(rows)}
    for name, column in zip(_ROW_FIELDS, columns, strict=True):
        packed[name] = _day_column(list(column)) if name in _ROW_DATES else column
    return packed


def _unpack_rows(packed: dict[str, Any]) -> list[PlanRow]:
    n = packed["n"]
    if not n:
        return []
    columns = [_days(packed[name]) if name in _ROW_DATES else packed[name] for name in _ROW_FIELDS]
    new = object.__new__
    rows = []
    for values in zip(*columns, strict=True):
        row = new(PlanRow)
        row.__dict__.update(zip(_ROW_FIELDS, values, strict=True))
        row.predecessors = list(row.predecessors)
        rows.append(row)
    return rows


def _restore_view(state: dict[str, Any]) -> PlanView:
    with paused_gc():  # tens of thousands of objects, none cyclic
        return _restored(state)


def _restored(state: dict[str, Any]) -> PlanView:
    rows = _unpack_rows(state.pop("all_rows"))
    new = object.__new__
    links = list(map(partial(tuple.__new__, LinkRow), state.pop("links")))
    for phase, milestones in zip(state["phases"], state.pop("milestones"), strict=True):
        phase.milestones = [rows[i] for i in milestones]
    visible = [rows[i] for i in state.pop("rows")]
    view = new(PlanView)
    view.__dict__.update(state, all_rows=rows, rows=visible, links=links)
    return view


def _reduce_view(view: PlanView) -> tuple[Any, tuple[dict[str, Any]]]:
    where = {id(row): i for i, row in enumerate(view.all_rows)}
    state = dict(view.__dict__)
    state["all_rows"] = _pack_rows(view.all_rows)
    state["rows"] = [where[id(row)] for row in view.rows]
    state["links"] = [tuple(link) for link in view.links]
    phases = [replace(phase, milestones=[]) for phase in view.phases]
    state["milestones"] = [[where[id(row)] for row in phase.milestones] for phase in view.phases]
    state["phases"] = phases
    return _restore_view, (state,)
