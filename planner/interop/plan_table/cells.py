"""Reading a plan table, first step: the bytes of a CSV or .xlsx file to numbered rows of
cells (CSV in UTF-8 or GB18030; an .xlsx checked for being a reasonable zip first)."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterator
from typing import Final

from planner.domain.errors import ImportFormatError, Problem
from planner.interop.plan_table.columns import _line
from planner.interop.plandata import refusal

MAX_XLSX_UNCOMPRESSED: Final = 50 * 1024 * 1024
"""Largest total uncompressed size of an .xlsx (50 MiB)."""
MAX_XLSX_RATIO: Final = 100
"""Largest compression ratio of an .xlsx above 1 MiB uncompressed."""
_MAX_ZIP_MEMBERS: Final = 2_000
_CSV_ENCODINGS: Final = ("utf-8", "gb18030")

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
