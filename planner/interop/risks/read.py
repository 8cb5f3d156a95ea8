"""Reading the register: all or nothing, every bad cell a coded problem at its place."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from planner.domain.errors import ImportFormatError, Problem
from planner.interop.messages import N_, Message
from planner.interop.risks.columns import (
    ACTION_BY_HEADER,
    ACTION_COLUMNS,
    BY_HEADER,
    COLUMNS,
    CellError,
    Column,
    as_text,
    is_blank,
)
from planner.interop.risks.records import (
    ACTIONS_SHEET,
    HEADER_SEARCH_ROWS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_ENTRIES,
    REGISTER_SHEET,
    ActionRecord,
    ImportedAction,
    ImportedRegister,
    ImportedRow,
    RiskRecord,
    cell_at,
)

# --------------------------------------------------------------------------- import


def _refuse(code: str, /, **params: Any) -> ImportFormatError:
    """The refusal of a whole file (``field`` empty: it is about no cell)."""
    return ImportFormatError.of("", code, **params)


def check_xlsx_container(data: bytes) -> None:
    """Refuse, before openpyxl sees it, an .xlsx that is not a zip or unpacks to too much."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse("risk.file.too_big", size=len(data), max=MAX_FILE_BYTES)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse("risk.file.not_zip")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse("risk.file.not_xlsx", error=str(exc)) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _refuse("risk.file.parts", parts=len(entries), max=MAX_ZIP_ENTRIES)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse("risk.file.unpacks", size=unpacked, max=MAX_UNPACKED_BYTES)
    if "xl/workbook.xml" not in names:
        raise _refuse("risk.file.zip_not_xlsx")


def decode_csv(data: bytes) -> str:
    """Text of a CSV: UTF-8 (with or without BOM), else GB18030 (Chinese Excel's default)."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse("risk.file.too_big", size=len(data), max=MAX_FILE_BYTES)
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM says UTF-8: nothing else to try
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise _refuse("risk.file.bad_utf8", byte=str(exc.start + 3)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").removeprefix("\ufeff")  # GB18030 has a BOM of its own
    except UnicodeDecodeError:
        raise _refuse("table.encoding") from None


def _rows_from_csv(text: str) -> list[tuple[int, list[Any]]]:
    head = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    delimiter = max((",", ";", "\t"), key=head.count) if head.strip() else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, list(row)))
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _refuse("table.too_many_rows", max=MAX_ROWS)
    except csv.Error as exc:
        raise _refuse("risk.file.bad_csv", line=str(reader.line_num), error=str(exc)) from None
    return rows


def _rows_from_sheet(sheet: Any) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, list(row)))
        if number > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _refuse("table.too_many_rows", max=MAX_ROWS)
    return rows


def _find_header(
    rows: list[tuple[int, list[Any]]], by_header: Mapping[str, Column], needed: Iterable[str]
) -> tuple[int, dict[int, Column], dict[str, str], list[str]] | None:
    """The header row: the first of the top rows naming every required column."""
    needed = set(needed)
    for position, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[int, Column] = {}
        headers: dict[str, str] = {}
        ignored: list[str] = []
        for index, cell in enumerate(cells):
            name = as_text(cell).strip()
            column = by_header.get(name.casefold())
            if column is None or column.attribute in headers:
                if name:
                    ignored.append(name)
                continue
            mapping[index] = column
            headers[column.attribute] = name
        if needed <= headers.keys():
            return position, mapping, headers, ignored
    return None


def _missing_columns(columns: Sequence[Column], sheet: str | None) -> Problem:
    names = ", ".join(f'"{c.en}"' for c in columns if c.required)
    params = {"rows": str(HEADER_SEARCH_ROWS), "names": names}
    if sheet is None:
        return Problem("", "risk.file.no_header", params)
    where = Message(N_("sheet %(sheet)s"), sheet=sheet)
    return Problem(where, "risk.file.no_header_sheet", params)


def _parse_rows(
    rows: list[tuple[int, list[Any]]],
    columns: Sequence[Column],
    by_header: Mapping[str, Column],
    errors: list[Problem],
    sheet: str | None = None,
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str], list[str]]:
    found = _find_header(rows, by_header, (c.attribute for c in columns if c.required))
    if found is None:
        errors.append(_missing_columns(columns, sheet))
        return [], {}, []
    position, mapping, headers, ignored = found
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, cells in rows[position + 1 :]:
        if all(is_blank(cell) for cell in cells):
            continue
        values: dict[str, Any] = {}
        for index, column in mapping.items():
            if column.parse is None:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                values[column.attribute] = column.parse(raw)
            except CellError as exc:
                where = cell_at(number, headers[column.attribute], sheet)
                errors.append(Problem(where, exc.code, exc.params))
        parsed.append((number, values))
    return parsed, headers, ignored


def read_register(filename: str, data: bytes) -> ImportedRegister:
    """Read a register from an .xlsx or .csv file; raise ImportFormatError listing every fault."""
    register, errors = parse_register(filename, data)
    if errors:
        raise ImportFormatError(problems=errors)
    return register


def error_order(problem: Problem) -> tuple[int, int]:
    """Sort key putting problems in file order: register rows first, then the Actions sheet."""
    params = getattr(problem.field, "params", {})
    row = params.get("row", 0)
    return (1 if "sheet" in params else 0, row if isinstance(row, int) else 0)


def parse_register(filename: str, data: bytes) -> tuple[ImportedRegister, list[Problem]]:
    """Read a register, returning the bad cells beside the good ones (for further checks).

    A file that cannot be read at all (not an .xlsx, no header row …) raises at once. Rows
    keep only the cells that parsed; the caller must not save anything while errors remain.
    """
    register_rows, action_rows = _sheets(filename, data)
    errors: list[Problem] = []
    parsed, headers, ignored = _parse_rows(register_rows, COLUMNS, BY_HEADER, errors)
    rows, seen = _risk_rows(parsed, headers, errors)
    if not rows and not errors:
        errors.append(Problem("", "risk.file.no_risks"))
    actions = _actions(action_rows, seen, errors) if action_rows is not None else None
    fatal = [e for e in errors if not e.field]
    if fatal:
        raise ImportFormatError(problems=fatal)
    register = ImportedRegister(
        tuple(rows), tuple(actions) if actions is not None else None, headers, tuple(ignored)
    )
    return register, errors


_Rows = list[tuple[int, list[Any]]]


def _sheets(filename: str, data: bytes) -> tuple[_Rows, _Rows | None]:
    """The register's rows and the Actions sheet's (None for a CSV, which has none)."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _rows_from_csv(decode_csv(data)), None
    if name.endswith((".xlsx", ".xlsm")):
        return _read_workbook(data)
    raise _refuse("risk.file.kind", name=filename)


def _risk_rows(
    parsed: list[tuple[int, dict[str, Any]]], headers: Mapping[str, str], errors: list[Problem]
) -> tuple[list[ImportedRow], dict[str, int]]:
    """The register's rows, and the row each key is first on (a key twice is an error)."""
    rows: list[ImportedRow] = []
    seen: dict[str, int] = {}
    for number, values in parsed:
        key = values.get("key")
        if isinstance(key, str):
            if key in seen:
                errors.append(
                    Problem(
                        cell_at(number, headers["key"]),
                        "risk.file.key_twice",
                        {"key": key, "row": str(seen[key])},
                    )
                )
            seen.setdefault(key, number)
        rows.append(ImportedRow(number, values))
    return rows, seen


def _actions(
    action_rows: _Rows, risk_keys: Mapping[str, int], errors: list[Problem]
) -> list[ImportedAction]:
    """The Actions sheet's actions; one of a risk the register does not hold is an error."""
    parsed, headers, _ignored = _parse_rows(
        action_rows, ACTION_COLUMNS, ACTION_BY_HEADER, errors, ACTIONS_SHEET
    )
    actions: list[ImportedAction] = []
    for number, values in parsed:
        risk_key = values.get("risk_key")
        if isinstance(risk_key, str) and risk_key not in risk_keys:
            errors.append(
                Problem(
                    cell_at(number, headers["risk_key"], ACTIONS_SHEET),
                    "risk.file.action_no_risk",
                    {"key": risk_key},
                )
            )
        if any(k not in values for k in ("risk_key", "title")):
            continue
        record = ActionRecord(
            title=values["title"],
            owner=values.get("owner"),
            due=values.get("due"),
            done=bool(values.get("done", False)),
        )
        actions.append(ImportedAction(number, values["risk_key"], record))
    return actions


def _read_workbook(
    data: bytes,
) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, list[Any]]] | None]:
    check_xlsx_container(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _refuse("risk.file.unreadable", error=f"{type(exc).__name__}: {exc}") from None
    try:
        names = workbook.sheetnames
        register = workbook[REGISTER_SHEET] if REGISTER_SHEET in names else workbook[names[0]]
        # read-only sheets are parsed only now, row by row: a truncated sheet or one with
        # entities fails here, not in load_workbook
        register_rows = _rows_from_sheet(register)
        action_rows = _rows_from_sheet(workbook[ACTIONS_SHEET]) if ACTIONS_SHEET in names else None
    except ImportFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - XML, zip and openpyxl errors of a damaged sheet
        raise _refuse("risk.file.sheet_unreadable", error=type(exc).__name__) from None
    finally:
        workbook.close()
    return register_rows, action_rows


def record_values(record: RiskRecord) -> dict[str, Any]:
    """The importable values of a record, as :func:`read_register` would give them."""
    return {
        column.attribute: getattr(record, column.attribute)
        for column in COLUMNS
        if column.parse is not None
    }
