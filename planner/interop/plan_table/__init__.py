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

from planner.interop.plan_table.cells import MAX_XLSX_RATIO, MAX_XLSX_UNCOMPRESSED
from planner.interop.plan_table.columns import (
    ALL_COLUMNS,
    COLUMNS,
    NAME_EN,
    NAME_ZH,
    VERSION,
    HeaderLabels,
    format_predecessors,
    parse_predecessors,
)
from planner.interop.plan_table.read import MAX_ROWS, read_csv, read_xlsx
from planner.interop.plan_table.write import columns_of, header_row, write_csv, write_xlsx

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
