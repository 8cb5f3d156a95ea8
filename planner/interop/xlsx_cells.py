"""Cells and sheet furniture the workbook writers share: safe text cells, header rows,
column widths, date cells and finishing a workbook as bytes.

User text always goes through :func:`planner.interop.neutralise.neutralise` and is stored as
a text cell (data type forced), so a string starting with ``=`` never becomes a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.interop.neutralise import neutralise

#: the light header of the assessment and money workbooks
HEADER_FILL: Final = PatternFill("solid", fgColor="DDE6F3")
#: the dark header (white bold words) of the register and RAID workbooks
DARK_HEADER: Final = "1F4E79"
DATE_FORMAT: Final = "yyyy-mm-dd"


def text_cell(ws: Worksheet, row: int, column: int, value: str) -> Cell:
    """A user string as a text cell, neutralised against formula injection."""
    cell = ws.cell(row=row, column=column)
    cell.value = neutralise(value)
    cell.data_type = "s"  # a user string is text, whatever it starts with
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> None:
    """Write one cell: text stays text (data type forced), numbers stay numbers, None empty."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, str):
        text_cell(ws, row, column, value)
    else:
        cell.value = value


def put_row(ws: Worksheet, row: int, values: Iterable[Any]) -> None:
    for column, value in enumerate(values, start=1):
        put(ws, row, column, value)


def put_rows(ws: Worksheet, rows: Iterable[Iterable[Any]], first: int = 2) -> None:
    for row, values in enumerate(rows, start=first):
        put_row(ws, row, values)


def header(ws: Worksheet, values: Sequence[str]) -> None:
    """Row 1 in bold on the light fill, wrapped; the rows below scroll under it."""
    put_row(ws, 1, values)
    for column in range(1, len(values) + 1):
        cell = ws.cell(row=1, column=column)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def dark_header_cell(cell: Cell) -> Cell:
    """White bold words on the dark fill."""
    cell.font = Font(bold=True, color="FFFFFF")
    cell.fill = PatternFill("solid", fgColor=DARK_HEADER)
    return cell


def widths(ws: Worksheet, values: Iterable[float], first: int = 1) -> None:
    """Column widths from column ``first`` on."""
    for column, width in enumerate(values, start=first):
        ws.column_dimensions[get_column_letter(column)].width = width


def date_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    cell = ws.cell(row=row, column=column, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def to_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
