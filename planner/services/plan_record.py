"""A program's plan rows kept as one compact record, so a cold edit reads two values.

Reading a 10,000-item plan row by row costs tens of milliseconds before anything is
scheduled: the driver makes a Python value for each of 180,000 cells. Every reschedule
therefore also writes the rows it scheduled, in the same transaction, as arrays
(:class:`RecordColumns`): the items' scheduling columns, their stored computed columns and
the dependencies in one part (``numbers``), their keys and names in another (``texts``,
rewritten only when one of them changes; the numbers name their digest). An edit that finds
no schedule kept in its process builds it from the record instead of the rows.

A record is used only while its revision is the program's plan revision (its newest audit
event about the plan): every change to an input of the schedule writes such an event, so a
change made by a path that schedules nothing (a program or a phase renamed, an owner
assigned) leaves the record unused — the next reschedule reads the rows and writes a new one.
Programs with lags kept in weeks, percent or elapsed days are scheduled in full from the
rows by every edit and get no record.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from sqlalchemy import insert, select, update

from planner.domain.schedule import LINK_TYPES, NO_DATE
from planner.extensions import db
from planner.models import PlanRecord, WorkItem
from planner.services.plan_rows import PlanRows

Int64Array = npt.NDArray[np.int64]
NUMBERS: Final = "numbers"
TEXTS: Final = "texts"
_MAGIC: Final = b"PR01"
_HEADER: Final = struct.Struct("<4sqqH")  # magic, items, links, the texts' digest length
_CONSTRAINTS: Final = (None, "SNET", "FNLT")
#: a constraint type (None: none) and a link type as the codes the scheduler's columns hold
CONSTRAINT_CODES: Final[dict[str | None, int]] = {
    name: code for code, name in enumerate(_CONSTRAINTS)
}
TYPE_CODES: Final[dict[str, int]] = {kind: code for code, kind in enumerate(LINK_TYPES)}
# codes back to names, a column at a time
_CONSTRAINT_NAMES: Final = np.array(_CONSTRAINTS, dtype=object)
_TYPE_NAMES: Final = np.array(LINK_TYPES, dtype=object)
# the item columns of ``RecordColumns.items``, in order
ITEM_COLUMNS: Final = (
    "id",
    "phase_id",
    "duration_days",
    "constraint_type",  # 0 none, 1 SNET, 2 FNLT
    "constraint_date",  # date ordinals, NO_DATE when none
    "actual_start",
    "actual_finish",
)


@dataclass
class RecordColumns:
    """The rows a kept schedule was built from, as changed by the edits applied to it."""

    items: Int64Array  # (n, 7): ITEM_COLUMNS
    percent: npt.NDArray[np.float64]
    links: Int64Array  # (m, 4): predecessor id, successor id, type code, lag in working days
    keys: list[str]
    names: list[str]
    names_zh: list[str | None]
    # the digest of the texts part that holds these keys and names (None: not written yet)
    texts_digest: str | None = None
    _key_position: dict[str, int] | None = field(default=None, repr=False)

    @classmethod
    def of_rows(cls, rows: PlanRows) -> RecordColumns:
        values = rows.values
        items = np.empty((rows.n, len(ITEM_COLUMNS)), np.int64)
        items[:, 0] = rows.ids
        items[:, 1] = values["phase_id"]
        items[:, 2] = values["duration_days"]
        items[:, 3] = [CONSTRAINT_CODES[c] for c in values["constraint_type"]]
        items[:, 4] = values["constraint_date"]
        items[:, 5] = values["actual_start"]
        items[:, 6] = values["actual_finish"]
        links = np.empty((len(rows.link_type), 4), np.int64)
        links[:, 0] = rows.link_predecessor
        links[:, 1] = rows.link_successor
        links[:, 2] = [TYPE_CODES[kind] for kind in rows.link_type]
        links[:, 3] = rows.link_lag
        return cls(
            items=items,
            percent=np.array(values["percent_complete"], np.float64),
            links=links,
            keys=values["key"],
            names=values["name"],
            names_zh=values["name_zh"],
        )

    def rows(self, computed: Int64Array) -> PlanRows:
        """The plan rows these columns hold (with ``computed``), as the row loader gives them."""
        items = self.items
        values: dict[str, Any] = {
            "id": items[:, 0].tolist(),
            "key": self.keys,
            "phase_id": items[:, 1].tolist(),
            "duration_days": items[:, 2].tolist(),
            "constraint_type": _CONSTRAINT_NAMES[items[:, 3]].tolist(),
            "constraint_date": items[:, 4].copy(),
            "actual_start": items[:, 5].copy(),
            "actual_finish": items[:, 6].copy(),
            "percent_complete": self.percent.tolist(),
            "name": self.names,
            "name_zh": self.names_zh,
        }
        links = self.links
        return PlanRows(
            values=values,
            computed=computed,
            link_predecessor=links[:, 0].copy(),
            link_successor=links[:, 1].copy(),
            link_type=_TYPE_NAMES[links[:, 2]].tolist(),
            link_lag=links[:, 3].copy(),
            _ids=items[:, 0].copy(),
        )

    # ----------------------------------------------------------------------------------------
    # edits (each applied after the kept scheduler took it)

    def set_item(self, i: int, item: WorkItem) -> None:
        """Row ``i`` as ``item`` holds it now (its fields changed in memory)."""
        self.items[i] = (
            item.id,
            item.phase_id,
            item.duration_days,
            CONSTRAINT_CODES[item.constraint_type],
            _ordinal(item.constraint_date),
            _ordinal(item.actual_start),
            _ordinal(item.actual_finish),
        )
        self.percent[i] = float(item.percent_complete)
        if (self.keys[i], self.names[i], self.names_zh[i]) != (item.key, item.name, item.name_zh):
            self.keys[i], self.names[i], self.names_zh[i] = item.key, item.name, item.name_zh
            self._key_position = None
            self.texts_digest = None

    def add_link(self, predecessor: str, successor: str, kind: str, lag: int) -> None:
        at = self._positions()
        row = (
            self.items[at[predecessor], 0],
            self.items[at[successor], 0],
            TYPE_CODES[kind],
            lag,
        )
        self.links = np.vstack([self.links, np.array([row], np.int64)])

    def remove_link(self, predecessor: str, successor: str) -> None:
        at = self._positions()
        pred, succ = self.items[at[predecessor], 0], self.items[at[successor], 0]
        found = np.flatnonzero((self.links[:, 0] == pred) & (self.links[:, 1] == succ))
        self.links = np.delete(self.links, found[:1], axis=0)

    def _positions(self) -> dict[str, int]:
        if self._key_position is None:
            self._key_position = {key: i for i, key in enumerate(self.keys)}
        return self._key_position


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else NO_DATE


# --------------------------------------------------------------------------------------------
# the two parts as bytes


def encode_numbers(columns: RecordColumns, computed: Int64Array) -> bytes:
    texts = (columns.texts_digest or "").encode("ascii")
    header = _HEADER.pack(_MAGIC, len(columns.items), len(columns.links), len(texts))
    pad = b"\0" * (-(len(header) + len(texts)) % 8)  # arrays start 8-byte aligned
    parts = (
        np.ascontiguousarray(columns.items, np.int64),
        np.ascontiguousarray(columns.percent, np.float64),
        np.ascontiguousarray(computed, np.int64),
        np.ascontiguousarray(columns.links, np.int64),
    )
    return b"".join([header, texts, pad, *(part.tobytes() for part in parts)])


def encode_texts(columns: RecordColumns) -> bytes:
    return json.dumps(
        [columns.keys, columns.names, columns.names_zh], ensure_ascii=False, separators=(",", ":")
    ).encode()


def digest(texts: bytes) -> str:
    """What the numbers part says of the texts part it goes with (its items, in its order)."""
    return hashlib.blake2b(texts, digest_size=16).hexdigest()


class BadRecord(ValueError):
    """A record of another format or length: read the rows instead."""


def decode(numbers: bytes, texts: bytes) -> tuple[RecordColumns, Int64Array]:
    """The columns and the stored computed columns; BadRecord when the texts are not the
    ones the numbers were written with."""
    if len(numbers) < _HEADER.size:
        raise BadRecord("short")
    magic, n, m, length = _HEADER.unpack_from(numbers)
    if magic != _MAGIC:
        raise BadRecord("format")
    at = _HEADER.size
    texts_digest = numbers[at : at + length].decode("ascii")
    if texts_digest != digest(texts):
        raise BadRecord("texts")
    at += length
    at += -at % 8
    width = len(ITEM_COLUMNS)
    sizes = (n * width, n, n * 7, m * 4)
    if len(numbers) != at + 8 * sum(sizes):
        raise BadRecord("length")
    items = np.frombuffer(numbers, np.int64, sizes[0], at).reshape(n, width).copy()
    at += 8 * sizes[0]
    percent = np.frombuffer(numbers, np.float64, sizes[1], at).copy()
    at += 8 * sizes[1]
    computed = np.frombuffer(numbers, np.int64, sizes[2], at).reshape(n, 7).copy()
    at += 8 * sizes[2]
    links = np.frombuffer(numbers, np.int64, sizes[3], at).reshape(m, 4).copy()
    keys, names, names_zh = json.loads(texts)
    if not len(keys) == len(names) == len(names_zh) == n:
        raise BadRecord("texts")
    columns = RecordColumns(items, percent, links, keys, names, names_zh, texts_digest)
    return columns, computed


# --------------------------------------------------------------------------------------------
# reading and writing


def read(program_id: int, revision: str) -> tuple[RecordColumns, Int64Array] | None:
    """The program's record when it was written at ``revision`` (its plan as stored now)."""
    parts = {
        part: (written, data)
        for part, written, data in db.session.execute(
            select(PlanRecord.part, PlanRecord.revision, PlanRecord.data).where(
                PlanRecord.program_id == program_id
            )
        )
    }
    # the texts part's revision says when it was written; the numbers name its digest
    if NUMBERS not in parts or TEXTS not in parts or parts[NUMBERS][0] != revision:
        return None
    try:
        return decode(bytes(parts[NUMBERS][1]), bytes(parts[TEXTS][1]))
    except (BadRecord, ValueError, UnicodeDecodeError):
        return None


def write(program_id: int, revision: str, columns: RecordColumns, computed: Int64Array) -> None:
    """Store the record of ``revision`` in this transaction (its texts when they changed)."""
    if columns.texts_digest is None:
        texts = encode_texts(columns)
        _put(program_id, TEXTS, revision, texts)
        columns.texts_digest = digest(texts)
    _put(program_id, NUMBERS, revision, encode_numbers(columns, computed))


def _put(program_id: int, part: str, revision: str, data: bytes) -> None:
    where = (PlanRecord.program_id == program_id) & (PlanRecord.part == part)
    done = db.session.execute(
        update(PlanRecord).where(where).values(revision=revision, data=data),
        execution_options={"synchronize_session": False},
    )
    if done.rowcount == 0:  # type: ignore[attr-defined]  # an UPDATE's result has one
        row = {"program_id": program_id, "part": part, "revision": revision, "data": data}
        db.session.execute(insert(PlanRecord).values(**row))
