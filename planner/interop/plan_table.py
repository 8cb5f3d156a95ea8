"""The plan as a table, one row per work item: CSV and Excel (.xlsx), both ways.

Columns (the header is row 1; matched case-insensitively, in English or Chinese as MS Project
names them, in any order; unknown columns are ignored)::

    ID, Key, Name, Phase, Workstream, Type, Duration (days), Start, Finish, Percent complete,
    Owner, Predecessors, Constraint, Constraint date, Actual start, Actual finish

* ``ID`` numbers the rows (1, 2, … on export); ``Predecessors`` refers to them in MS Project's
  notation: ``12FS+2d;14SS;3FF-1d`` (type FS, SS, FF or SF, lag or lead in working days;
  plain ``12`` is finish-to-start without lag; ``,`` also separates). A row without an ID
  cannot be a predecessor.
* ``Key`` is the item's stable key (one is made from the ID when blank); ``Phase`` the
  phase's name (or key); ``Type`` ``task`` or ``milestone`` (from the duration when blank);
  ``Duration (days)`` whole working days; ``Start``/``Finish`` the scheduler's early dates
  (informative); ``Constraint`` ``SNET`` or ``FNLT`` (or their long names) with its date.
* Dates are ``2024-03-04`` (also ``2024/3/4`` and ``2024年3月4日``) or date cells.

Header labels: this module knows no language of the interface (it stays free of Flask). The
writers take ``headers``, a mapping from the canonical names above to the labels to write
(the web layer builds it with gettext, so a Chinese interface exports Chinese headers); the
readers take ``headers``, any number of such mappings whose labels are accepted on top of the
built-in English and MS Project names (the web layer passes one per interface language, so a
file exported in either language imports in either).

What the table does not hold — the plan's name, start and calendar, the phases' ordinals and
windows, baselines — comes from ``base`` on reading (a plan whose items and links are
ignored): phases are matched by key or name. Without ``base``, or with a base without phases,
phases are made in the order they first appear (keys ``p1``, ``p2``, …; windows from the
items' dates) and the start is the earliest date in the file.

Reading is all-or-nothing: every bad cell is reported as ``(f'row {n}, column "{col}"',
message)`` in one ImportFormatError (a dependency cycle is named by IDs). CSV is written as
UTF-8 with a byte-order mark (so Excel shows Chinese) and read as UTF-8 with or without one,
or GB18030. Text a spreadsheet could take for a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading ``'`` and restored on reading.
An .xlsx is checked for being a reasonable zip (no zip bomb) before openpyxl reads it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from planner.domain.errors import ImportFormatError, Problem
from planner.domain.explain import Explanation
from planner.interop.messages import N_, Message
from planner.interop.plandata import (
    LINK_TYPES,
    CalendarData,
    ConstraintType,
    ItemData,
    ItemKind,
    LinkData,
    LinkType,
    PhaseData,
    PlanData,
    find_cycle,
    normalised,
    problems,
    refusal,
    validate,
)
from planner.interop.plandata import Problem as DataProblem

try:  # formula-injection guard shared by every exporter (restore undoes it on import)
    from planner.interop.neutralise import neutralise, restore
except ImportError:  # pragma: no cover - the module ships with the interop package
    _TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

    def _needs(text: str) -> bool:
        return text.startswith(_TRIGGERS) or (
            text.startswith("'") and text[1:].startswith(_TRIGGERS)
        )

    def neutralise(value: object) -> object:
        return "'" + value if isinstance(value, str) and _needs(value) else value

    def restore(value: object) -> object:
        if isinstance(value, str) and value.startswith("'") and _needs(value[1:]):
            return value[1:]
        return value


__all__ = [
    "COLUMNS",
    "HeaderLabels",
    "MAX_ROWS",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_UNCOMPRESSED",
    "format_predecessors",
    "ALL_COLUMNS",
    "NAME_EN",
    "NAME_ZH",
    "VERSION",
    "columns_of",
    "header_row",
    "parse_predecessors",
    "read_csv",
    "read_xlsx",
    "write_csv",
    "write_xlsx",
]

COLUMNS: Final = (
    "ID",
    "Key",
    "Name",
    "Phase",
    "Workstream",
    "Type",
    "Duration (days)",
    "Start",
    "Finish",
    "Percent complete",
    "Owner",
    "Predecessors",
    "Constraint",
    "Constraint date",
    "Actual start",
    "Actual finish",
)
_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "ID": ("id", "#", "标识号", "序号"),
    "Key": ("key", "item key", "键", "计划键"),
    "Name": ("name", "task name", "work item", "名称", "任务名称"),
    "Phase": ("phase", "阶段"),
    "Workstream": ("workstream", "work stream", "工作流"),
    "Type": ("type", "kind", "类型"),
    "Duration (days)": ("duration (days)", "duration", "days", "工期", "工期（天）", "工期(天)"),
    "Start": ("start", "early start", "开始时间", "开始"),
    "Finish": ("finish", "early finish", "完成时间", "完成"),
    "Percent complete": ("percent complete", "% complete", "完成百分比"),
    "Owner": ("owner", "resource names", "负责人", "资源名称"),
    "Predecessors": ("predecessors", "前置任务"),
    "Constraint": ("constraint", "constraint type", "限制类型"),
    "Constraint date": ("constraint date", "限制日期"),
    "Actual start": ("actual start", "实际开始时间", "实际开始"),
    "Actual finish": ("actual finish", "实际完成时间", "实际完成"),
}
NAME_EN: Final = "Name (English)"
NAME_ZH: Final = "Name (Chinese)"
VERSION: Final = "Version"
EXTRA_COLUMNS: Final = (NAME_EN, NAME_ZH, VERSION)
"""Columns written after :data:`COLUMNS` when they say something: the name in the language
the Name column is not in (a file exported in ``lang``), and each row's version."""
ALL_COLUMNS: Final = (*COLUMNS, *EXTRA_COLUMNS)
_ALIASES[NAME_EN] = ("name (english)", "name (en)", "english name", "名称（英文）", "英文名称")
_ALIASES[NAME_ZH] = ("name (chinese)", "name (zh)", "chinese name", "名称（中文）", "中文名称")
_ALIASES[VERSION] = ("version", "row version", "版本", "行版本")
HeaderLabels = Mapping[str, str]
"""Canonical column name (one of :data:`COLUMNS`) → the header label a file uses for it."""
_TEXT_COLUMNS: Final = ("Key", "Name", "Phase", "Workstream", "Owner", NAME_EN, NAME_ZH)
_DATE_COLUMNS: Final = ("Start", "Finish", "Constraint date", "Actual start", "Actual finish")
MAX_ROWS: Final = 10_000
"""Most work items a file may hold."""
MAX_XLSX_UNCOMPRESSED: Final = 50 * 1024 * 1024
"""Largest total uncompressed size of an .xlsx (50 MiB)."""
MAX_XLSX_RATIO: Final = 100
"""Largest compression ratio of an .xlsx above 1 MiB uncompressed."""
_MAX_ZIP_MEMBERS: Final = 2_000
_CSV_ENCODINGS: Final = ("utf-8", "gb18030")

_KINDS: Final[dict[str, ItemKind]] = {
    "task": "task",
    "t": "task",
    "任务": "task",
    "milestone": "milestone",
    "m": "milestone",
    "里程碑": "milestone",
}
_CONSTRAINTS: Final[dict[str, ConstraintType | None]] = {
    "snet": "SNET",
    "start no earlier than": "SNET",
    "不得早于...开始": "SNET",
    "fnlt": "FNLT",
    "finish no later than": "FNLT",
    "不得晚于...完成": "FNLT",
    "asap": None,
    "as soon as possible": None,
    "越早越好": None,
}
_PREDECESSOR = re.compile(
    r"^(?P<id>\d+)\s*(?P<type>FS|SS|FF|SF)?\s*"
    r"(?:(?P<sign>[+-])\s*(?P<lag>\d+)\s*(?P<unit>d|days?|edays?|天|工作日|个工作日)?)?$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[;,；，、]")
_DURATION = re.compile(
    r"^(?P<n>\d+)(?:\.0+)?\s*(?:d|days?|天|个工作日|工作日)?$",
    re.IGNORECASE,
)
_WHOLE = re.compile(r"^(?P<n>\d+)(?:\.0+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


# ============================================================================================
# predecessors notation


def format_predecessors(links: Iterable[tuple[int, LinkType, int]]) -> str:
    """``(id, type, lag)`` triples in MS Project's notation.

    Examples:
        >>> format_predecessors([(12, "FS", 2), (14, "SS", 0), (3, "FF", -1), (7, "FS", 0)])
        '12FS+2d;14SS;3FF-1d;7'
    """
    out = []
    for number, kind, lag in links:
        if kind == "FS" and lag == 0:
            out.append(str(number))
        elif lag == 0:
            out.append(f"{number}{kind}")
        else:
            out.append(f"{number}{kind}{lag:+d}d")
    return ";".join(out)


class PredecessorsError(ValueError):
    """A Predecessors cell that is not like 12, 12SS or 12FS+2d; ``part`` is the bad part."""

    def __init__(self, part: str) -> None:
        super().__init__(f'"{part}" is not like 12, 12SS or 12FS+2d (lags in working days)')
        self.part = part


def _cell(row: int, column: str) -> str:
    """Where in the file, worded in the reader's language where it is shown (a Message)."""
    return Message(N_('row %(row)s, column "%(column)s"'), row=row, column=column)


def _row(row: int) -> str:
    return Message(N_("row %(row)s"), row=row)


def _line(line: int) -> str:
    return Message(N_("line %(line)s"), line=line)


def parse_predecessors(text: str) -> list[tuple[int, LinkType, int]]:
    """The ``(id, type, lag)`` triples of a Predecessors cell; ValueError names a bad part.

    Examples:
        >>> parse_predecessors("12FS+2d; 14ss, 3FF-1 days;7")
        [(12, 'FS', 2), (14, 'SS', 0), (3, 'FF', -1), (7, 'FS', 0)]
        >>> parse_predecessors("12FS+2w")
        Traceback (most recent call last):
        ...
        ValueError: "12FS+2w" is not like 12, 12SS or 12FS+2d (lags in working days)
    """
    out: list[tuple[int, LinkType, int]] = []
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        match = _PREDECESSOR.match(part)
        if not match:
            raise PredecessorsError(part)
        kind = (match["type"] or "FS").upper()
        assert kind in LINK_TYPES
        lag = int(match["lag"] or 0) * (-1 if match["sign"] == "-" else 1)
        out.append((int(match["id"]), kind, lag))
    return out


# ============================================================================================
# writing


def _phase_labels(phases: Sequence[PhaseData]) -> dict[str, str]:
    """Each phase's label in the Phase column: its name, or its key when another phase has
    the same name or a key equal to that name (so that labels are unique)."""
    labels: dict[str, str] = {}
    for phase in phases:
        clash = any(
            other is not phase and phase.name in (other.name, other.key) for other in phases
        )
        labels[phase.key] = phase.key if clash else phase.name
    return labels


def columns_of(plan: PlanData, lang: str | None = None) -> tuple[str, ...]:
    """The columns a file of ``plan`` has: :data:`COLUMNS`, then the name in the other
    language than ``lang`` (none without ``lang``), then Version when items carry one.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("P", d, items=[ItemData("a", "A", "p", version=3)])
        >>> columns_of(plan, "zh")[len(COLUMNS):]
        ('Name (English)', 'Version')
    """
    extra: list[str] = []
    if lang is not None:
        extra.append(NAME_ZH if lang == "en" else NAME_EN)
    if any(item.version is not None for item in plan.items):
        extra.append(VERSION)
    return (*COLUMNS, *extra)


def _rows(plan: PlanData, columns: Sequence[str] = COLUMNS) -> list[list[object]]:
    validate(plan)
    plan = normalised(plan)
    ids = {item.key: n for n, item in enumerate(plan.items, start=1)}
    labels = _phase_labels(plan.phases)
    incoming: dict[str, list[tuple[int, LinkType, int]]] = {}
    for link in plan.links:
        incoming.setdefault(link.successor, []).append((ids[link.predecessor], link.type, link.lag))
    rows: list[list[object]] = []
    for item in plan.items:
        extra = {
            NAME_EN: neutralise(item.name_en or ""),
            NAME_ZH: neutralise(item.name_zh or ""),
            VERSION: item.version,
        }
        rows.append(
            [
                ids[item.key],
                neutralise(item.key),
                neutralise(item.name),
                neutralise(labels[item.phase_key]),
                neutralise(item.workstream or ""),
                item.kind,
                item.duration,
                item.early_start,
                item.early_finish,
                item.percent_complete,
                neutralise(item.owner or ""),
                format_predecessors(incoming.get(item.key, [])),
                item.constraint_type or "",
                item.constraint_date,
                item.actual_start,
                item.actual_finish,
                *(extra[name] for name in columns[len(COLUMNS) :]),
            ]
        )
    return rows


def _fold(label: str) -> str:
    """A header label as it is matched: lower case, runs of spaces as one."""
    return re.sub(r"\s+", " ", label.strip().lower())


def header_row(headers: HeaderLabels | None = None, columns: Sequence[str] = COLUMNS) -> list[str]:
    """The header row to write: each column's label from ``headers`` (its canonical name
    where ``headers`` has none). ValueError for a name that is no column, or for two columns
    with the same label (the file could not be read back).

    Examples:
        >>> header_row({"ID": "标识号", "Name": "名称"})[:3]
        ['标识号', 'Key', '名称']
        >>> header_row({"Start": "Key"})
        Traceback (most recent call last):
        ...
        ValueError: two columns would both be headed "Key"
    """
    headers = headers or {}
    unknown = sorted(set(headers) - set(ALL_COLUMNS))
    if unknown:
        raise ValueError(f"not plan columns: {', '.join(unknown)}")
    labels = [(headers.get(name) or "").strip() or name for name in columns]
    seen: set[str] = set()
    for label in labels:
        if _fold(label) in seen:
            raise ValueError(f'two columns would both be headed "{label}"')
        seen.add(_fold(label))
    return labels


def write_csv(
    plan: PlanData, *, headers: HeaderLabels | None = None, lang: str | None = None
) -> bytes:
    """The plan as CSV: UTF-8 with a byte-order mark, CRLF line ends, ISO dates; the header
    row in ``headers``' labels (English without); the columns of :func:`columns_of`.

    Examples:
        >>> d = dt.date(2024, 3, 4)
        >>> plan = PlanData("P", d, phases=[PhaseData("p", "阶段一", 1, d, d)],
        ...                 items=[ItemData("a", "=1+1", "p", duration=2)])
        >>> data = write_csv(plan)
        >>> data.startswith(b"\\xef\\xbb\\xbfID,Key,Name"), "'=1+1" in data.decode("utf-8-sig")
        (True, True)
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = columns_of(plan, lang)
    writer.writerow(header_row(headers, columns))
    for row in _rows(plan, columns):
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row]
        )
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    plan: PlanData,
    *,
    headers: HeaderLabels | None = None,
    sheet_title: str = "Plan",
    lang: str | None = None,
) -> bytes:
    """The plan as an Excel workbook: one sheet, user text in text cells, real date cells;
    the header row in ``headers``' labels (English without); the columns of
    :func:`columns_of`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    # a sheet name may not hold []:*?/\\ and has at most 31 characters
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", sheet_title).strip()[:31] or "Plan"
    columns = columns_of(plan, lang)
    sheet.append(header_row(headers, columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text = (*_TEXT_COLUMNS, "Predecessors", "Type", "Constraint")
    text_columns = {i for i, name in enumerate(columns) if name in text}
    for r, row in enumerate(_rows(plan, columns), start=2):
        for c, value in enumerate(row):
            cell = sheet.cell(row=r, column=c + 1)
            if value is None or value == "":
                continue
            cell.value = value
            if c in text_columns:
                cell.data_type = "s"  # a text cell, never a formula
                cell.number_format = "@"
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    widths = {"ID": 6, "Key": 18, "Name": 40, "Phase": 22, "Predecessors": 18, NAME_EN: 40}
    widths[NAME_ZH] = 40
    for c, name in enumerate(columns):
        letter = sheet.cell(row=1, column=c + 1).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    sheet.freeze_panes = "A2"
    fixed = dt.datetime(2000, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ============================================================================================
# reading: bytes to cells


Cell = object  # str, int, float, datetime, date or None


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _file_error("table.not_utf8", byte=exc.start + 4) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in _CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _file_error("table.encoding")


def _file_error(code: str, **params: object) -> ImportFormatError:
    return refusal([Problem("file", code, params)])


def _csv_cells(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error("table.xlsx_not_csv")
    text = _decode(data)
    if "\x00" in text:
        raise _file_error("table.nul")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:  # rows numbered as a spreadsheet shows them (a cell may span several lines)
        for number, row in enumerate(reader, start=1):
            yield number, list(row)
    except csv.Error as exc:
        raise refusal(
            [Problem(_line(reader.line_num), "table.csv_unreadable", {"error": str(exc)})]
        ) from None


def _check_zip(data: bytes) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error("table.xls")
    if not data.startswith(b"PK\x03\x04"):
        raise _file_error("table.not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _file_error("table.xlsx_damaged") from None
    if len(infos) > _MAX_ZIP_MEMBERS:
        raise _file_error("table.xlsx_parts", parts=len(infos))
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise _file_error(
            "table.xlsx_too_big",
            size=unpacked // (1024 * 1024),
            max=MAX_XLSX_UNCOMPRESSED // (1024 * 1024),
        )
    if unpacked > 1024 * 1024 and unpacked > MAX_XLSX_RATIO * max(packed, 1):
        raise _file_error("table.zip_bomb", ratio=unpacked // max(packed, 1))
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise _file_error("table.zip_not_xlsx")


def _xlsx_cells(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _file_error("table.xlsx_unreadable", error=type(exc).__name__) from None
    try:
        if not workbook.worksheets:
            raise _file_error("table.no_sheet")
        sheet = workbook.worksheets[0]
        # the declared size of a sheet may be a lie (A1:XFD1048576): read only its real cells
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except Exception as exc:  # a damaged sheet part
                raise _file_error("table.sheet_unreadable", error=type(exc).__name__) from None
            number += 1
            yield number, list(row)
    finally:
        workbook.close()


# ============================================================================================
# reading: cells to a plan


@dataclass
class _Row:
    number: int
    cells: dict[str, Cell]
    id: int | None = None
    key: str | None = None
    name: str | None = None
    phase: str | None = None
    workstream: str | None = None
    kind: ItemKind | None = None
    duration: int | None = None
    percent: int = 0
    owner: str | None = None
    predecessors: list[tuple[int, LinkType, int]] = field(default_factory=list)
    constraint: ConstraintType | None = None
    name_en: str | None = None
    name_zh: str | None = None
    version: int | None = None
    dates: dict[str, dt.date | None] = field(default_factory=dict)
    broken: bool = False


class _Table:
    def __init__(
        self, cells: Iterator[tuple[int, list[Cell]]], headers: Sequence[HeaderLabels] = ()
    ) -> None:
        self.errors: list[Problem] = []
        self.header: dict[str, str] = {}  # canonical column → as the file spells it
        self.rows: list[_Row] = []
        self.labels = headers
        self._read(cells)

    def error(self, number: int, column: str, code: str, /, **params: object) -> None:
        self.errors.append(Problem(self.cell(number, column), code, params))

    def cell(self, row: int, column: str) -> str:
        """Where a problem is: a row and a column as the file heads it."""
        return _cell(row, self.header.get(column, column))

    def _read(self, cells: Iterator[tuple[int, list[Cell]]]) -> None:
        positions: dict[str, int] = {}
        for number, values in cells:
            if not positions:
                if all(_blank(v) for v in values):
                    continue
                positions = self._header(number, values)
                if not positions:
                    return
                continue
            if all(_blank(v) for v in values):
                continue
            if len(self.rows) >= MAX_ROWS:
                raise _file_error("table.too_many_rows", max=MAX_ROWS)
            row = {c: values[i] if i < len(values) else None for c, i in positions.items()}
            self.rows.append(_Row(number, row))
        if not positions:
            raise _file_error("table.empty")

    def _header(self, number: int, values: list[Cell]) -> dict[str, int]:
        lookup = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
        for labels in self.labels:  # the interface's labels, in every language it has
            for name, label in labels.items():
                if name in _ALIASES and label and label.strip():
                    lookup[_fold(label)] = name
        positions: dict[str, int] = {}
        for i, value in enumerate(values):
            label = "" if value is None else str(value).strip()
            name = lookup.get(_fold(label))
            if name is None:
                continue
            if name in positions:
                self.errors.append(Problem(_row(number), "table.column_twice", {"column": label}))
                continue
            positions[name] = i
            self.header[name] = label
        missing = [c for c in ("Name", "Duration (days)") if c not in positions]
        for name in missing:
            # named as the interface's first language heads it (the one it exports)
            label = next((ls[name] for ls in self.labels if ls.get(name)), name)
            self.errors.append(Problem(_row(number), "table.column_missing", {"column": label}))
        return {} if missing else positions

    # -- cells ---------------------------------------------------------------------------

    def order(self, error: Problem) -> tuple[int, int, str]:
        """Errors by row, then by the column's place in :data:`COLUMNS` (whatever the file
        calls it), file-wide ones first."""
        match = re.match(r'row (\d+)(?:, column "(.*)")?', str(error.field))
        if not match:
            return (0, 0, str(error.field))
        spelt = {label: name for name, label in self.header.items()}
        column = spelt.get(match[2] or "", match[2] or "")
        columns = {v: k for k, v in enumerate(COLUMNS)}
        return (int(match[1]), columns.get(column, len(COLUMNS)), str(error.field))

    def parse(self) -> None:
        for row in self.rows:
            before = len(self.errors)
            self._parse_row(row)
            row.broken = len(self.errors) > before

    def _text(self, row: _Row, column: str) -> str | None:
        value = row.cells.get(column)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime | dt.date):
            text = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        restored = restore(text.strip()) if column in _TEXT_COLUMNS else text.strip()
        assert isinstance(restored, str)
        return restored

    def _whole(self, row: _Row, column: str, low: int, high: int | None = None) -> int | None:
        value = row.cells.get(column)
        if _blank(value):
            return None
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            if column == "Percent complete":
                text = text.removesuffix("%").strip()
            pattern = _DURATION if column == "Duration (days)" else _WHOLE
            match = pattern.match(text)
            number = int(match["n"]) if match else None
        if number is None or number < low or (high is not None and number > high):
            if high is not None:
                self.error(
                    row.number, column, "table.whole_between", min=low, max=high, value=value
                )
            else:
                self.error(row.number, column, "table.whole_at_least", min=low, value=str(value))
            return None
        return number

    def _date(self, row: _Row, column: str) -> dt.date | None:
        value = row.cells.get(column)
        if _blank(value):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        match = _DATE.match(str(value).strip())
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                pass
        self.error(row.number, column, "table.not_a_date", value=str(value))
        return None

    def _parse_row(self, row: _Row) -> None:
        row.id = self._whole(row, "ID", 1)
        row.key = self._text(row, "Key")
        row.name = self._text(row, "Name")
        if row.name is None:
            self.error(row.number, "Name", "table.name_needed")
        row.phase = self._text(row, "Phase")
        row.workstream = self._text(row, "Workstream")
        row.owner = self._text(row, "Owner")
        row.name_en = self._text(row, NAME_EN)
        row.name_zh = self._text(row, NAME_ZH)
        row.version = self._whole(row, VERSION, 1)
        kind = self._text(row, "Type")
        if kind is not None:
            row.kind = _KINDS.get(kind.lower())
            if row.kind is None:
                self.error(row.number, "Type", "table.kind", value=kind)
        row.duration = self._whole(row, "Duration (days)", 0)
        if row.duration is None and _blank(row.cells.get("Duration (days)")):
            if row.kind == "milestone":
                row.duration = 0
            else:
                self.error(row.number, "Duration (days)", "table.duration_needed")
        if row.kind is None and row.duration is not None and kind is None:
            row.kind = "milestone" if row.duration == 0 else "task"
        row.percent = self._whole(row, "Percent complete", 0, 100) or 0
        predecessors = self._text(row, "Predecessors")
        if predecessors:
            try:
                row.predecessors = parse_predecessors(predecessors)
            except PredecessorsError as exc:
                self.error(row.number, "Predecessors", "table.predecessors", part=exc.part)
        constraint = self._text(row, "Constraint")
        if constraint is not None:
            key = re.sub(r"\s+", " ", constraint.lower())
            if key not in _CONSTRAINTS:
                self.error(row.number, "Constraint", "table.constraint", value=constraint)
            else:
                row.constraint = _CONSTRAINTS[key]
        for column in _DATE_COLUMNS:
            row.dates[column] = self._date(row, column)

    # -- rows to a plan --------------------------------------------------------------------

    def identify(self) -> dict[int, _Row]:
        by_id: dict[int, _Row] = {}
        for row in self.rows:
            if row.id is None:
                continue
            if row.id in by_id:
                self.error(row.number, "ID", "table.id_twice", id=row.id, row=by_id[row.id].number)
                row.broken = True
            else:
                by_id[row.id] = row
        explicit: dict[str, _Row] = {}
        for row in self.rows:
            if row.key is None:
                continue
            if row.key in explicit:
                other = explicit[row.key].number
                self.error(row.number, "Key", "table.key_twice", key=row.key, row=other)
                row.broken = True
            else:
                explicit[row.key] = row
        for row in self.rows:
            if row.key is None:
                stem = f"item-{row.id}" if row.id is not None else f"row-{row.number}"
                key, n = stem, 1
                while key in explicit:
                    n += 1
                    key = f"{stem}-{n}"
                row.key = key
                explicit[key] = row
        return by_id

    def phases(
        self, base: PlanData | None, name: str, aliases: Mapping[str, str] | None = None
    ) -> tuple[list[PhaseData], dict[int, str]]:
        """The phases and each row's phase key (rows whose phase is unknown get an error);
        ``aliases`` are more labels of the base's phases (label → key)."""
        row_phase: dict[int, str] = {}
        known = list(base.phases) if base is not None else []
        if known:
            keys = {p.key for p in known}
            exact = {label: key for label, key in (aliases or {}).items() if key in keys}
            exact.update({label: key for key, label in _phase_labels(known).items()})
            folded: dict[str, str] = {}
            for phase in known:  # then names and keys, whatever their case
                folded.setdefault(phase.name.lower(), phase.key)
            for phase in known:
                folded.setdefault(phase.key.lower(), phase.key)
            listed = ", ".join(f'"{p.name}"' for p in known)
            for row in self.rows:
                if row.phase is None:
                    if len(known) == 1:
                        row_phase[row.number] = known[0].key
                    else:
                        self.error(row.number, "Phase", "table.phase_needed", phases=listed)
                        row.broken = True
                    continue
                key = exact.get(row.phase) or folded.get(row.phase.lower())
                if key is None:
                    self.error(
                        row.number, "Phase", "table.unknown_phase", phase=row.phase, phases=listed
                    )
                    row.broken = True
                else:
                    row_phase[row.number] = key
            return known, row_phase
        made: dict[str, str] = {}
        names: list[str] = []
        for row in self.rows:
            label = row.phase if row.phase is not None else name
            label_key = label.strip().lower()
            if label_key not in made:
                made[label_key] = f"p{len(made) + 1}"
                names.append(label.strip())
            row_phase[row.number] = made[label_key]
        start = base.start if base is not None else self.earliest()
        phases = []
        for n, label in enumerate(names, start=1):
            key = f"p{n}"
            days = [
                d
                for row in self.rows
                if row_phase.get(row.number) == key
                for column in ("Start", "Finish", "Actual start", "Actual finish")
                if (d := row.dates.get(column)) is not None
            ]
            first = min(days) if days else start
            last = max(days) if days else first
            phases.append(PhaseData(key, label, n, first or dt.date.min, last or dt.date.min))
        return phases, row_phase

    def earliest(self) -> dt.date | None:
        days = [
            d
            for row in self.rows
            for d in (row.dates.get("Start"), row.dates.get("Actual start"))
            if d is not None
        ]
        return min(days) if days else None

    def links(self, by_id: dict[int, _Row]) -> list[tuple[_Row, LinkData]]:
        out: list[tuple[_Row, LinkData]] = []
        for row in self.rows:
            seen: set[int] = set()
            for number, kind, lag in row.predecessors:
                pred = by_id.get(number)
                if pred is None:
                    self.error(row.number, "Predecessors", "table.unknown_id", id=number)
                elif pred is row:
                    self.error(row.number, "Predecessors", "table.self_id", id=number)
                elif number in seen:
                    self.error(row.number, "Predecessors", "table.id_listed_twice", id=number)
                else:
                    seen.add(number)
                    assert pred.key is not None and row.key is not None
                    out.append((row, LinkData(pred.key, row.key, kind, lag)))
        return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_COLUMN_OF: Final = {
    "key": "Key",
    "name": "Name",
    "phase_key": "Phase",
    "kind": "Type",
    "duration": "Duration (days)",
    "workstream": "Workstream",
    "owner": "Owner",
    "percent_complete": "Percent complete",
    "actual_start": "Actual start",
    "actual_finish": "Actual finish",
    "constraint_type": "Constraint",
    "constraint_date": "Constraint date",
    "early_start": "Start",
    "early_finish": "Finish",
    "predecessor": "Predecessors",
    "successor": "Predecessors",
    "type": "Predecessors",
    "lag": "Predecessors",
}


def _plan(
    cells: Iterator[tuple[int, list[Cell]]],
    base: PlanData | None,
    headers: Iterable[HeaderLabels] = (),
    lang: str | None = None,
    phase_names: Mapping[str, str] | None = None,
) -> PlanData:
    table = _Table(cells, tuple(headers))
    if table.errors:
        raise refusal(table.errors)
    table.parse()
    by_id = table.identify()
    name = base.name if base is not None else "Imported plan"
    phases, row_phase = table.phases(base, name, phase_names)
    # the Name column is in the language the other name column is not in (else in ``lang``)
    if NAME_ZH in table.header and NAME_EN not in table.header:
        lang = "en"
    elif NAME_EN in table.header and NAME_ZH not in table.header:
        lang = "zh"
    links = table.links(by_id)
    start = base.start if base is not None else table.earliest()
    if start is None:
        table.errors.append(Problem("file", "table.no_start"))
    # a cycle among the links, named by IDs
    cycle = find_cycle(link for _, link in links)
    if cycle:
        rows = {row.key: row for row in table.rows}
        steps = [f'{rows[k].id} "{rows[k].name}"' for k in [*cycle, cycle[0]]]
        table.error(
            rows[cycle[0]].number, "Predecessors", "dependency.cycle", cycle=" → ".join(steps)
        )
    if table.errors or start is None:
        # rule checks below would only repeat or confuse these
        raise refusal(sorted(table.errors, key=table.order))
    assert start is not None
    sound = [row for row in table.rows if not row.broken]
    items = [_item(row, row_phase[row.number], lang) for row in sound]
    keys = {item.key for item in items}
    kept = [
        (row, link) for row, link in links if link.predecessor in keys and link.successor in keys
    ]
    plan = PlanData(
        name,
        start,
        base.calendar if base is not None else CalendarData(),
        tuple(phases),
        tuple(items),
        tuple(link for _, link in kept),
    )
    for problem in problems(plan):
        _place(table, problem, [r.number for r in sound], [r.number for r, _ in kept])
    if table.errors:
        raise refusal(sorted(table.errors, key=table.order))
    return normalised(plan)


def _place(table: _Table, problem: DataProblem, items: list[int], links: list[int]) -> None:
    """A rule of the plan's data broken by a row: on its cell (an item's column, a link's
    Predecessors), else on the file."""
    column = _COLUMN_OF.get(problem.field)
    if problem.section == "items" and problem.index is not None and column:
        table.error(items[problem.index], column, problem.code, **problem.params)
    elif problem.section == "links" and problem.index is not None:
        table.error(links[problem.index], "Predecessors", problem.code, **problem.params)
    else:
        what = Explanation(problem.code, problem.params)
        table.errors.append(
            Problem("file", "table.at_path", {"path": problem.path, "problem": what})
        )


def _item(row: _Row, phase_key: str, lang: str | None = None) -> ItemData:
    assert row.key is not None and row.name is not None and row.duration is not None
    constraint_date = row.dates.get("Constraint date")
    return ItemData(
        key=row.key,
        name=row.name,
        phase_key=phase_key,
        kind=row.kind or ("milestone" if row.duration == 0 else "task"),
        duration=row.duration,
        workstream=row.workstream,
        owner=row.owner,
        percent_complete=row.percent,
        actual_start=row.dates.get("Actual start"),
        actual_finish=row.dates.get("Actual finish"),
        constraint_type=row.constraint,
        constraint_date=constraint_date,
        early_start=row.dates.get("Start"),
        early_finish=row.dates.get("Finish"),
        name_en=row.name if lang == "en" else row.name_en,
        name_zh=row.name if lang == "zh" else row.name_zh,
        version=row.version,
    )


def read_csv(
    data: bytes,
    *,
    base: PlanData | None = None,
    headers: Iterable[HeaderLabels] = (),
    lang: str | None = None,
    phase_names: Mapping[str, str] | None = None,
) -> PlanData:
    """Read a CSV plan (UTF-8 with or without BOM, or GB18030; comma, semicolon or tab);
    ``headers``' labels are accepted besides the built-in ones. The Name column is in the
    language the file's other name column is not in, else in ``lang`` (None: unknown);
    ``phase_names`` are more labels of ``base``'s phases (e.g. in the other language).

    Examples:
        >>> text = "ID,Name,Duration (days),Predecessors\\r\\n1,设计,5,\\r\\n2,上线,0,1FS+2d\\r\\n"
        >>> base = PlanData("P", dt.date(2024, 3, 4))
        >>> plan = read_csv(text.encode("gb18030"), base=base)
        >>> [(i.key, i.name, i.kind) for i in plan.items], plan.links
        ([('item-1', '设计', 'task'), ('item-2', '上线', 'milestone')], \
(LinkData(predecessor='item-1', successor='item-2', type='FS', lag=2),))
    """
    return _plan(_csv_cells(data), base, headers, lang, phase_names)


def read_xlsx(
    data: bytes,
    *,
    base: PlanData | None = None,
    headers: Iterable[HeaderLabels] = (),
    lang: str | None = None,
    phase_names: Mapping[str, str] | None = None,
) -> PlanData:
    """Read the first sheet of an .xlsx plan (checked for zip bombs first; values, not
    formulas); ``headers``' labels are accepted besides the built-in ones; the other
    arguments as for :func:`read_csv`."""
    return _plan(_xlsx_cells(data), base, headers, lang, phase_names)
