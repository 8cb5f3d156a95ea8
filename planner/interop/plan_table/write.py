"""Writing the plan table: CSV (UTF-8 with a byte-order mark) and Excel (.xlsx), one row per
work item, text a spreadsheet could take for a formula neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence

from planner.interop.neutralise import neutralise
from planner.interop.plan_table.columns import (
    _TEXT_COLUMNS,
    ALL_COLUMNS,
    COLUMNS,
    NAME_EN,
    NAME_ZH,
    VERSION,
    HeaderLabels,
    _fold,
    _phase_labels,
    format_predecessors,
)
from planner.interop.plandata import (
    LinkType,
    PlanData,
    normalised,
    validate,
)

# ============================================================================================
# writing


def columns_of(plan: PlanData, lang: str | None = None) -> tuple[str, ...]:
    """The columns a file of ``plan`` has: :data:`COLUMNS`, then the name in the other
    language than ``lang`` (none without ``lang``), then Version when items carry one.

    Examples:
        >>> from planner.interop.plandata import ItemData
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
        >>> from planner.interop.plandata import ItemData, PhaseData
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
