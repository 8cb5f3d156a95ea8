"""The Gantt's data for the browser: columnar arrays, not one object per item.

The page's own canvas layer (``static/js/gantt.js``) draws from this payload. Every date is a
whole number of days after ``origin`` (so 10,000 items cost a few bytes a date), every
repeated text (workstream, owner, status, link type) is an index into a small table, and
yes/no flags are 0/1. Rows come in the plan's order (phase, workstream, start); the client
builds the phase and workstream headings itself. No database access here: the caller
passes what the plan view read (:mod:`planner.services.gantt_data`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.charts.gantt import GanttPhase, GanttRow

STATUSES = ("done", "in_progress", "not_started", "late")
LINK_TYPES = ("FS", "SS", "FF", "SF")
CONSTRAINTS = ("", "SNET", "FNLT")


@dataclass(frozen=True)
class DataLink:
    """A dependency as the chart draws and deletes it."""

    id: int
    predecessor_id: int
    successor_id: int
    type: str
    lag: int
    critical: bool


@dataclass(frozen=True)
class DataCalendar:
    """The working week (Monday = 0) and the exceptions, for the client's day counting."""

    workdays: frozenset[int]
    holidays: Iterable[date]
    extra_workdays: Iterable[date]


class _Index:
    """Text → position in a table that grows as texts are met."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self._at: dict[str, int] = {}

    def __call__(self, text: str | None) -> int:
        if text is None:
            return -1
        found = self._at.get(text)
        if found is None:
            found = self._at[text] = len(self.table)
            self.table.append(text)
        return found


def _origin(rows: Sequence[GanttRow], phases: Sequence[GanttPhase], *days: date | None) -> date:
    candidates = [d for d in days if d is not None]
    candidates += [p.window_start for p in phases]
    candidates += [r.early_start for r in rows if r.early_start is not None]
    candidates += [r.baseline_start for r in rows if r.baseline_start is not None]
    return min(candidates) if candidates else date(2000, 1, 1)


def gantt_columns(
    rows: Sequence[Any],
    links: Sequence[DataLink],
    phases: Sequence[Any],
    *,
    versions: Mapping[int, int],
    driving: frozenset[int],
    calendar: DataCalendar,
    today: date,
    status_date: date,
    finish: date | None,
) -> dict[str, Any]:
    """The payload: see the module docstring. ``rows`` are plan rows (``PlanRow``),
    ``phases`` plan phases (``PhaseInfo``, with ``driver``)."""
    origin = _origin(rows, phases, today, status_date)

    def day(value: date | None) -> int | None:
        return None if value is None else (value - origin).days

    position = {row.id: i for i, row in enumerate(rows)}
    streams, owners = _Index(), _Index()
    phase_at = {p.key: i for i, p in enumerate(phases)}
    items: dict[str, list[Any]] = {
        name: []
        for name in (
            "id key name kind phase ws owner dur pct es ef tf ff crit drive st bs bf ct cd ver"
        ).split()
    }
    for row in rows:
        for name, value in (
            ("id", row.id),
            ("key", row.key),
            ("name", row.name),
            ("kind", 1 if row.kind == "milestone" else 0),
            ("phase", phase_at.get(row.phase_key, -1)),
            ("ws", streams(row.workstream)),
            ("owner", owners(row.owner)),
            ("dur", row.duration),
            ("pct", row.percent),
            ("es", day(row.early_start)),
            ("ef", day(row.early_finish)),
            ("tf", row.total_float),
            ("ff", row.free_float),
            ("crit", 1 if row.critical else 0),
            ("drive", 1 if row.id in driving else 0),
            ("st", STATUSES.index(row.status) if row.status in STATUSES else 2),
            ("bs", day(row.baseline_start)),
            ("bf", day(row.baseline_finish)),
            ("ct", CONSTRAINTS.index(row.constraint_type or "")),
            ("cd", day(row.constraint_date)),
            ("ver", versions.get(row.id, 0)),
        ):
            items[name].append(value)
    return {
        "origin": origin.isoformat(),
        "today": day(today),
        "status": day(status_date),
        "finish": day(finish),
        "calendar": {
            "workdays": sorted(calendar.workdays),
            "off": sorted(d for d in (day(h) for h in calendar.holidays) if d is not None),
            "on": sorted(d for d in (day(h) for h in calendar.extra_workdays) if d is not None),
        },
        "statuses": list(STATUSES),
        "linkTypes": list(LINK_TYPES),
        "constraints": list(CONSTRAINTS),
        "ws": streams.table,
        "owners": owners.table,
        "phases": _phase_columns(phases, position, day),
        "items": items,
        "links": _link_columns(links, position),
    }


def _phase_columns(phases: Sequence[Any], position: Mapping[int, int], day: Any) -> dict:
    columns: dict[str, list[Any]] = {
        n: [] for n in "key name kind start end finish over float chain".split()
    }
    for phase in phases:
        driver = getattr(phase, "driver", None)
        columns["key"].append(phase.key)
        columns["name"].append(phase.name)
        columns["kind"].append(phase.kind)
        columns["start"].append(day(phase.window_start))
        columns["end"].append(day(phase.window_end))
        columns["finish"].append(day(getattr(phase, "finish", None)))
        columns["over"].append(phase.overrun_days)
        columns["float"].append(None if driver is None else driver.gate_float)
        chain = [] if driver is None else driver.chain_ids
        columns["chain"].append([position[i] for i in chain if i in position])
    return columns


def _link_columns(links: Sequence[DataLink], position: Mapping[int, int]) -> dict:
    columns: dict[str, list[int]] = {n: [] for n in "id p s t lag crit".split()}
    for link in links:
        p, s = position.get(link.predecessor_id), position.get(link.successor_id)
        if p is None or s is None:
            continue  # an end filtered out of the view
        columns["id"].append(link.id)
        columns["p"].append(p)
        columns["s"].append(s)
        columns["t"].append(LINK_TYPES.index(link.type) if link.type in LINK_TYPES else 0)
        columns["lag"].append(link.lag)
        columns["crit"].append(1 if link.critical else 0)
    return columns
