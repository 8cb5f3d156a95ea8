"""Metric readings from CSV (UTF-8 with or without BOM, or GB18030) or .xlsx, and back to CSV.

The reader only understands the file: it finds the columns, decodes text, reads dates, and
reports what it cannot read as ``row N, column "X"`` (N as a spreadsheet shows it: the
header is row 1). Judging the readings (metric known, value a number, date inside the
program, no duplicate) is the service's job, with the domain's rules.

Columns, matched case-insensitively in English or Chinese: ``Metric`` (a metric key or
name; optional when importing into one metric), ``Date``, ``Value``, ``Note`` (optional).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.domain.errors import ImportFormatError, Problem
from planner.interop.messages import N_, Message

try:  # formula-injection guard shared by every exporter (restore undoes it on import)
    from planner.interop.neutralise import neutralise, restore
except ImportError:  # pragma: no cover - the module ships with the interop package

    def neutralise(value: object) -> object:
        return value

    def restore(value: object) -> object:
        return value


COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "metric": ("metric", "metric key", "key", "指标", "指标键"),
    "date": ("date", "day", "reading date", "日期"),
    "value": ("value", "reading", "数值", "值", "读数"),
    "note": ("note", "notes", "comment", "备注", "说明"),
}
EXPORT_HEADER = ("Metric", "Date", "Value", "Note")
_DATE_TEXT = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
_XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class RawReading:
    """One data row: ``day`` None when the date could not be read (an error says why)."""

    row: int
    metric: str | None
    day: date | None
    value: object
    note: str = ""


@dataclass(frozen=True)
class ReadingTable:
    """The rows of a file and the column headers as the file spells them."""

    rows: list[RawReading]
    date_column: str
    value_column: str
    metric_column: str | None = None
    note_column: str | None = None
    errors: list[Problem] = field(default_factory=list)


def read(data: bytes, filename: str) -> ReadingTable:
    """Read a CSV or .xlsx file of readings; raise ImportFormatError if it is unreadable."""
    name = filename.lower()
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFormatError.of("file", "readings.xls")
    if name.endswith((".xlsx", ".xlsm")) or data.startswith(_XLSX_MAGIC):
        return _table(_xlsx_rows(data))
    if name.endswith((".csv", ".txt", ".tsv")) or not name:
        return _table(_csv_rows(data))
    raise ImportFormatError.of("file", "readings.not_a_table", file=filename)


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else GB18030 (what Excel on Chinese Windows writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFormatError.of("file", "table.encoding") from exc


def _csv_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    text = decode_text(data)
    first = text.splitlines()[0] if text else ""
    # the header row's most frequent separator: comma, semicolon (European Excel) or tab
    delimiter = max(",;\t", key=lambda sep: (first.count(sep), sep == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        where = Message(N_("row %(row)s"), row=reader.line_num)
        raise ImportFormatError.of(where, "table.csv_unreadable", error=str(exc)) from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    from planner.interop.risks import check_xlsx_container

    # a zip bomb or a non-zip is refused before openpyxl unpacks anything
    check_xlsx_container(data)

    try:
        # data_only: a formula cell gives its cached value; nothing is ever computed
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors of a damaged file
        raise _unreadable() from exc
    try:
        names = {n.casefold(): n for n in book.sheetnames}
        sheet = book[names.get("readings", book.sheetnames[0])]
        # a read-only sheet is parsed row by row, here: a truncated sheet or one with
        # entities fails now, not in load_workbook
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except Exception as exc:  # noqa: BLE001
        raise _unreadable() from exc
    finally:
        book.close()


def _unreadable() -> ImportFormatError:
    return ImportFormatError.of("file", "readings.not_xlsx")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = restore(value.strip())
        return value.strip() if isinstance(value, str) else value
    return value


def _table(rows: Iterable[tuple[int, Sequence[Any]]]) -> ReadingTable:
    iterator = iter(rows)
    header = next((values for _index, values in iterator if not _blank(values)), None)
    if header is None:
        raise ImportFormatError.of("file", "readings.empty")
    columns = _columns(header)
    date_title = columns["date"][1]
    out: list[RawReading] = []
    errors: list[Problem] = []
    for index, values in iterator:
        if _blank(values):
            continue  # blank line
        reading, problem = _reading(index, values, columns)
        if problem is not None:
            where = Message(N_('row %(row)s, column "%(column)s"'), row=index, column=date_title)
            errors.append(Problem(where, problem.code, problem.params))
        out.append(reading)
    return ReadingTable(
        rows=out,
        date_column=date_title,
        value_column=columns["value"][1],
        metric_column=columns["metric"][1] if "metric" in columns else None,
        note_column=columns["note"][1] if "note" in columns else None,
        errors=errors,
    )


def _blank(values: Sequence[Any]) -> bool:
    return not any(v is not None and str(v).strip() for v in values)


_Columns = dict[str, tuple[int, str]]
"""Each logical column found: its position and its title as the file spells it."""


def _columns(header: Sequence[Any]) -> _Columns:
    """The logical columns of the header row (the first heading of each wins); refused
    without a date and a value column."""
    columns: _Columns = {}
    for position, heading in enumerate(header):
        title = str(heading).strip() if heading is not None else ""
        wanted = title.casefold().replace("_", " ")
        for logical, aliases in COLUMN_ALIASES.items():
            if wanted in aliases and logical not in columns:
                columns[logical] = (position, title)
    missing = [n for n in ("date", "value") if n not in columns]
    if missing:
        found = ", ".join(f'"{str(c).strip()}"' for c in header if c not in (None, ""))
        need = ", ".join(f'"{n.capitalize()}"' for n in missing)
        raise ImportFormatError.of("columns", "readings.columns_missing", need=need, found=found)
    return columns


def _cell(values: Sequence[Any], columns: _Columns, logical: str) -> Any:
    if logical not in columns:
        return None
    position = columns[logical][0]
    return _clean(values[position]) if position < len(values) else None


def _reading(
    index: int, values: Sequence[Any], columns: _Columns
) -> tuple[RawReading, Problem | None]:
    """One data row, and the problem of its date (None when it reads)."""
    day, problem = parse_day(_cell(values, columns, "date"))
    metric = _cell(values, columns, "metric")
    note = _cell(values, columns, "note")
    reading = RawReading(
        row=index,
        metric=str(metric) if metric not in (None, "") else None,
        day=day,
        value=_cell(values, columns, "value"),
        note="" if note is None else str(note),
    )
    return reading, problem


def parse_day(value: Any) -> tuple[date | None, Problem | None]:
    """``(day, None)`` or ``(None, the coded problem)``; accepts dates, 2024-03-31,
    2024/3/31, 2024年3月31日.

    >>> parse_day("2024/3/31")
    (datetime.date(2024, 3, 31), None)
    >>> parse_day("31.03.24")[1].code
    'readings.not_a_date'
    """
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, Problem("", "readings.date_required")
    text = str(value).strip()
    match = _DATE_TEXT.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])), None
        except ValueError:
            return None, Problem("", "readings.no_such_day", {"text": text})
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
        try:
            return datetime.fromisoformat(text).date(), None
        except ValueError:
            pass
    return None, Problem("", "readings.not_a_date", {"text": text})


def write_csv(rows: Iterable[tuple[str, date, float, str]]) -> bytes:
    """Readings as CSV UTF-8 with a BOM (Excel then shows Chinese correctly); user text
    is neutralised against formula injection."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    for key, day, value, note in rows:
        writer.writerow([neutralise(key), day.isoformat(), _number(value), neutralise(note)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
