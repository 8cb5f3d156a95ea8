"""A program's plan rows as plain columns: the one loader of its work items and dependencies.

Two queries (items in plan order, dependencies in the order they were made), read through
the driver without an ORM object or a per-value conversion by SQLAlchemy: dates arrive as
the driver gives them (ISO text from SQLite, dates from PostgreSQL) and become date
ordinals in one numpy call per column. The scheduler's input (:func:`planner.services.
scheduling.plan_columns`), the kept schedule and the plan pages are made from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Select, String, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from planner.domain.schedule import NO_DATE
from planner.domain.schedule_fields import SCHEDULE_FIELDS
from planner.extensions import db
from planner.models import Dependency, WorkItem

Int64Array = npt.NDArray[np.int64]
EPOCH: Final = date(1970, 1, 1).toordinal()
"""The ordinal of numpy's day 0 (datetime64[D] counts days from it)."""
NO_FLOAT: Final = -(1 << 40)
"""A stored float never computed (the column is NULL)."""

#: the columns every reader gets
SCHEDULE_INPUT: Final = (
    "id",
    "key",
    "phase_id",
    "duration_days",
    "constraint_type",
    "constraint_date",
    "actual_start",
    "actual_finish",
    "percent_complete",
)
#: what the plan pages show besides
SHOWN: Final = ("name", "name_zh", "kind", "workstream", "owner", "owner_role", "position")
_DATES: Final = frozenset(
    {"constraint_date", "actual_start", "actual_finish", *SCHEDULE_FIELDS[:4]}
)


def ordinals(values: Sequence[Any]) -> Int64Array:
    """Dates, ISO dates as text or None as date ordinals (None: ``NO_DATE``); each distinct
    value converted once (plans repeat a few hundred dates)."""
    if values and None not in values and isinstance(values[0], str):
        # ISO text from SQLite, none missing (the computed dates): numpy parses it at once
        days: Int64Array = np.array(values, dtype="datetime64[D]").astype(np.int64)
        return days + EPOCH
    table: dict[Any, int] = {None: NO_DATE}
    for value in set(values):
        if value is None:
            continue
        day = date.fromisoformat(value) if isinstance(value, str) else value
        table[value] = day.toordinal()
    return np.fromiter(map(table.__getitem__, values), np.int64, len(values))


def dates(column: Int64Array) -> list[date | None]:
    """Date ordinals (``NO_DATE``: None) as dates, in one go."""
    days = (column - EPOCH).astype("datetime64[D]")
    days[column == NO_DATE] = np.datetime64("NaT")
    found: list[date | None] = days.tolist()
    return found


@dataclass
class PlanRows:
    """A program's items (in plan order) and dependencies, as columns.

    ``values`` holds every item column read, by name: dates as ordinals (``NO_DATE``),
    other columns as lists; ``computed`` the scheduler's stored columns as (n, 7)
    integers (dates as ordinals, floats ``NO_FLOAT`` when never computed); links by item
    id, their type as text, their lag in working days as stored.
    """

    values: dict[str, Any]
    computed: Int64Array
    link_predecessor: Int64Array
    link_successor: Int64Array
    link_type: list[str]
    link_lag: Int64Array
    _ids: Int64Array | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return len(self.values["key"])

    @property
    def ids(self) -> Int64Array:
        if self._ids is None:
            self._ids = np.array(self.values["id"], dtype=np.int64)
        return self._ids

    def positions(self, item_ids: Int64Array) -> Int64Array:
        """The places in plan order of these item ids (each must be one of the program's)."""
        ids = self.ids
        order = np.argsort(ids, kind="stable")
        found: Int64Array = order[np.searchsorted(ids[order], item_ids)]
        return found


def _column(name: str) -> ColumnElement[Any]:
    column = WorkItem.__table__.c[name]
    # dates as the driver gives them (text from SQLite): numpy converts a column at once
    return type_coerce(column, String()) if name in _DATES else column


def fetch_plain(connection: Connection, statement: Select[Any]) -> list[Sequence[Any]]:
    """The rows of ``statement`` as the driver's own tuples, in this transaction: no result
    object or row made by SQLAlchemy (a third of reading a 10,000-item plan). For columns
    whose values the driver gives as they are stored (no type conversion asked for)."""
    compiled = statement.compile(dialect=connection.dialect)
    positions = compiled.positiontup
    params: Any = compiled.params
    if positions is not None:  # qmark / format drivers (SQLite): parameters in order
        params = tuple(params[name] for name in positions)
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # an open connection has one
    try:
        cursor.execute(str(compiled), params)
        rows: list[Sequence[Any]] = list(cursor.fetchall())
    finally:
        cursor.close()
    return rows


def load_plan_rows(
    program_id: int, columns: Sequence[str] = (), *, computed: bool = True
) -> PlanRows:
    """The program's plan: the scheduler's input columns, ``columns`` besides, the stored
    computed columns when ``computed``, and every dependency."""
    names = list(dict.fromkeys([*SCHEDULE_INPUT, *columns]))
    wanted = [*names, *(SCHEDULE_FIELDS if computed else ())]
    t = WorkItem.__table__.c
    connection = db.session.connection()
    rows = fetch_plain(
        connection,
        select(*(_column(name) for name in wanted))
        .where(t.program_id == program_id)
        .order_by(t.position, t.id),
    )
    read: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else [()] * len(wanted)
    values: dict[str, Any] = {}
    for name, column in zip(names, read[: len(names)], strict=True):
        values[name] = ordinals(column) if name in _DATES else list(column)
    out = np.empty((len(rows), 7), np.int64)
    if computed and rows:
        stored = read[len(names) :]
        for k in range(4):
            out[:, k] = ordinals(stored[k])
        for k in (4, 5):
            out[:, k] = [NO_FLOAT if f is None else f for f in stored[k]]
        out[:, 6] = [bool(c) for c in stored[6]]
    d = Dependency.__table__.c
    links = fetch_plain(
        connection,
        select(d.predecessor_id, d.successor_id, d.type, d.lag_days)
        .where(d.program_id == program_id)
        .order_by(d.id),
    )
    pred, succ, kinds, lags = zip(*links, strict=True) if links else ((), (), (), ())
    return PlanRows(
        values=values,
        computed=out,
        link_predecessor=np.array(pred, dtype=np.int64),
        link_successor=np.array(succ, dtype=np.int64),
        link_type=list(kinds),
        link_lag=np.array(lags, dtype=np.int64),
    )
