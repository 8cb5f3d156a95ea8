"""The risk register as a spreadsheet: .xlsx (openpyxl) and .csv, written and read.

Plain data in and out; no database access. The layout is the one a steering committee
expects: one row per risk on a "Register" sheet (a title row, then the header), the heat map
of open risks on a second sheet, and the mitigation actions one per row on an "Actions"
sheet so that export → import gives back the same register.

Writing: user strings always go into text cells, neutralised by
:func:`planner.interop.neutralise.neutralise`, so nothing a user typed becomes a formula.
Reading: all or nothing; every bad cell is reported as
``row 14, column "Likelihood"`` with the code ``risk.level`` in one
:class:`~planner.domain.errors.ImportFormatError`. An .xlsx that is not a zip, or whose
size or unpacked size is huge, is refused before openpyxl opens it.

One module a job: :mod:`.records`, :mod:`.columns`, :mod:`.write`, :mod:`.read`; their
public names are importable from here.
"""

from __future__ import annotations

from planner.interop.risks.columns import (
    ACTION_COLUMNS,
    COLUMNS,
    CellError,
    Column,
    Parser,
    parse_date,
    parse_done,
    parse_key,
    parse_keys,
    parse_level,
    parse_optional_level,
    parse_optional_text,
    parse_rank,
    parse_required_text,
    parse_response,
    parse_status,
    parse_text,
)
from planner.interop.risks.read import (
    check_xlsx_container,
    decode_csv,
    error_order,
    parse_register,
    read_register,
    record_values,
)
from planner.interop.risks.records import (
    ACTIONS_SHEET,
    HEADER_SEARCH_ROWS,
    HEAT_MAP_SHEET,
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
from planner.interop.risks.write import WORKBOOK_WORDS, write_csv, write_xlsx

__all__ = [
    "ACTIONS_SHEET",
    "ACTION_COLUMNS",
    "ActionRecord",
    "COLUMNS",
    "CellError",
    "Column",
    "HEADER_SEARCH_ROWS",
    "HEAT_MAP_SHEET",
    "ImportedAction",
    "ImportedRegister",
    "ImportedRow",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_ZIP_ENTRIES",
    "Parser",
    "REGISTER_SHEET",
    "RiskRecord",
    "WORKBOOK_WORDS",
    "cell_at",
    "check_xlsx_container",
    "decode_csv",
    "error_order",
    "parse_date",
    "parse_done",
    "parse_key",
    "parse_keys",
    "parse_level",
    "parse_optional_level",
    "parse_optional_text",
    "parse_rank",
    "parse_register",
    "parse_required_text",
    "parse_response",
    "parse_status",
    "parse_text",
    "read_register",
    "record_values",
    "write_csv",
    "write_xlsx",
]
