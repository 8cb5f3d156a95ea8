"""Timesheet files (CSV or .xlsx): one row a person, item and week with the hours worked.

Columns by header (English or Chinese): ``person``/``人员``, ``item``/``任务`` (the item's
key), ``week``/``周`` (any day of the week, YYYY-MM-DD), ``hours``/``工时``, optional
``note``/``备注``. Rows come back as plain values with their line; checking them against the
program is the service's job (it refuses the whole file on any bad row).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from planner.domain.errors import ImportFormatError, Problem
from planner.interop.readings import decode_text

HEADERS = {
    "person": ("person", "人员", "name", "姓名"),
    "item": ("item", "任务", "key", "task"),
    "week": ("week", "周", "date", "日期"),
    "hours": ("hours", "工时", "小时"),
    "note": ("note", "备注"),
}


@dataclass(frozen=True)
class TimesheetRow:
    line: int
    person: str
    item: str
    week: Any
    hours: Any
    note: str


def read(data: bytes, filename: str) -> list[TimesheetRow]:
    """Rows of a timesheet file; a missing column or unreadable file is refused."""
    if filename.lower().endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04"):
        rows = list(_xlsx_rows(data))
    else:
        rows = list(_csv_rows(data))
    if not rows:
        raise ImportFormatError(problems=[Problem("file", "money.timesheet_empty")])
    where = _column_positions(rows[0][1])
    return [_row(line, values, where) for line, values in rows[1:] if not _blank(values)]


def _column_positions(header_row: Sequence[Any]) -> dict[str, int]:
    """Each known column's position (its first matching header); refused when a required
    one is missing."""
    header = [str(v or "").strip().lower() for v in header_row]
    where: dict[str, int] = {}
    for name, labels in HEADERS.items():
        index = next((i for i, title in enumerate(header) if title in labels), None)
        if index is not None:
            where[name] = index
    missing = [n for n in ("person", "item", "week", "hours") if n not in where]
    if missing:
        raise ImportFormatError(
            problems=[Problem("file", "money.timesheet_columns", {"columns": ", ".join(missing)})]
        )
    return where


def _blank(values: Sequence[Any]) -> bool:
    return not any(v not in (None, "") and str(v).strip() for v in values)


def _cell(values: Sequence[Any], where: dict[str, int], name: str) -> Any:
    index = where.get(name)
    if index is None or index >= len(values):
        return None
    value = values[index]
    return value.strip() if isinstance(value, str) else value


def _row(line: int, values: Sequence[Any], where: dict[str, int]) -> TimesheetRow:
    week = _cell(values, where, "week")
    if isinstance(week, datetime):
        week = week.date()
    return TimesheetRow(
        line=line,
        person=str(_cell(values, where, "person") or ""),
        item=str(_cell(values, where, "item") or ""),
        week=week if isinstance(week, date) else str(week or ""),
        hours=_cell(values, where, "hours"),
        note=str(_cell(values, where, "note") or ""),
    )


def _csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    text = decode_text(data)
    first = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=lambda sep: (first.count(sep), sep == ","))
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    except csv.Error as exc:
        raise ImportFormatError(problems=[Problem("file", "money.timesheet_unreadable")]) from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    from planner.interop.risks import check_xlsx_container

    check_xlsx_container(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book[book.sheetnames[0]]
        rows = list(enumerate(sheet.iter_rows(values_only=True), 1))
        book.close()
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors of a damaged file
        raise ImportFormatError(problems=[Problem("file", "money.timesheet_unreadable")]) from exc
    yield from rows
