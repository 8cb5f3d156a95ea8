"""The Gantt's data for the browser: columnar arrays, not one object per item.

The page's own canvas layer (``static/js/gantt.js``) draws from this payload. Every date is a
whole number of days after ``origin`` (so 10,000 items cost a few bytes a date), every
repeated text (workstream, owner, status, link type) is an index into a small table, and
yes/no flags are 0/1. Rows come in the plan's order (phase, workstream, start); the client
builds the phase and workstream headings itself. No database access here: the caller
passes the rows it read (:mod:`planner.services.gantt_data`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

STATUSES = ("done", "in_progress", "not_started", "late")
LINK_TYPES = ("FS", "SS", "FF", "SF")
CONSTRAINTS = ("", "SNET", "FNLT")


class DataLink(NamedTuple):
    """A dependency as the chart draws and deletes it (a tuple: thousands are made)."""

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


def _origin(rows: Sequence[Any], phases: Sequence[Any], *days: date | None) -> date:
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
    today: date | None,
    status_date: date | None,
    finish: date | None,
) -> dict[str, Any]:
    """The payload: see the module docstring. ``rows`` are plan rows (``PlanRow``, or a
    playbook preview's ``PreviewRow``), ``phases`` plan phases (``PhaseInfo``, with
    ``driver``); no ``today`` or ``status_date``: no such line."""
    origin = _origin(rows, phases, today, status_date)

    def day(value: date | None) -> int | None:
        return None if value is None else (value - origin).days

    position = {row.id: i for i, row in enumerate(rows)}
    streams, owners = _Index(), _Index()
    phase_at = {p.key: i for i, p in enumerate(phases)}
    items = _item_columns(rows, day, phase_at, streams, owners, versions, driving)
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


def _item_columns(
    rows: Sequence[Any],
    day: Any,
    phase_at: Mapping[str, int],
    streams: _Index,
    owners: _Index,
    versions: Mapping[int, int],
    driving: frozenset[int],
) -> dict[str, list[Any]]:
    """One list per column, each built in one pass (10,000 rows in a few milliseconds):
    fields read by C-level getters, each distinct date converted once."""
    statuses = {status: i for i, status in enumerate(STATUSES)}
    constraints = {c: i for i, c in enumerate(CONSTRAINTS)}

    def column(name: str) -> list[Any]:
        return list(map(attrgetter(name), rows))

    days: dict[date | None, int | None] = {None: None}

    def dates(name: str) -> list[int | None]:
        values = column(name)
        for value in set(values).difference(days):
            days[value] = day(value)
        return [days[value] for value in values]

    ids = column("id")
    return {
        "id": ids,
        "key": column("key"),
        "name": column("name"),
        "kind": [1 if kind == "milestone" else 0 for kind in column("kind")],
        "phase": [phase_at.get(key, -1) for key in column("phase_key")],
        "ws": list(map(streams, column("workstream"))),
        "owner": list(map(owners, column("owner"))),
        "dur": column("duration"),
        "pct": column("percent"),
        "es": dates("early_start"),
        "ef": dates("early_finish"),
        "tf": column("total_float"),
        "ff": column("free_float"),
        "crit": [1 if critical else 0 for critical in column("critical")],
        "drive": [1 if i in driving else 0 for i in ids],
        "st": [statuses.get(status, 2) for status in column("status")],
        "bs": dates("baseline_start"),
        "bf": dates("baseline_finish"),
        "ct": [constraints.get(c or "", 0) for c in column("constraint_type")],
        "cd": dates("constraint_date"),
        "ver": [versions.get(i, 0) for i in ids],
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
    types = {t: i for i, t in enumerate(LINK_TYPES)}
    shown = [
        (link, position[link.predecessor_id], position[link.successor_id])
        for link in links
        if link.predecessor_id in position and link.successor_id in position
    ]  # a link with an end filtered out of the view is not drawn
    return {
        "id": [link.id for link, _, _ in shown],
        "p": [p for _, p, _ in shown],
        "s": [s for _, _, s in shown],
        "t": [types.get(link.type, 0) for link, _, _ in shown],
        "lag": [link.lag for link, _, _ in shown],
        "crit": [1 if link.critical else 0 for link, _, _ in shown],
    }
