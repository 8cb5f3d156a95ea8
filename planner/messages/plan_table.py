"""The plan as a table (CSV, .xlsx: planner/interop/plan_table.py): why a file is refused.

The English words are the ones the importer always had (tests and logs read them)."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "table.not_utf8": lambda r, w: gettext(
        "the file is not valid UTF-8 (byte %(byte)s)", byte=r["byte"]
    ),
    "table.encoding": lambda r, w: gettext(
        "the file is neither UTF-8 nor GB18030 text: save it as CSV UTF-8"
    ),
    "table.xlsx_not_csv": lambda r, w: gettext(
        "this is an Excel workbook, not CSV: import it as .xlsx"
    ),
    "table.nul": lambda r, w: gettext(
        "the file contains NUL characters: it is not a CSV text file"
    ),
    "table.csv_unreadable": lambda r, w: gettext("the CSV cannot be read: %(error)s", **w),
    "table.xls": lambda r, w: gettext(
        "old Excel .xls files are not supported: save the sheet as .xlsx"
    ),
    "table.not_xlsx": lambda r, w: gettext("this is not an .xlsx workbook"),
    "table.xlsx_damaged": lambda r, w: gettext(
        "the .xlsx workbook is damaged (not a readable zip file)"
    ),
    "table.xlsx_parts": lambda r, w: gettext(
        "the .xlsx has %(parts)s parts: too many for a workbook", parts=r["parts"]
    ),
    "table.xlsx_too_big": lambda r, w: gettext(
        "the .xlsx unpacks to %(size)s MB, more than %(max)s MB", size=r["size"], max=r["max"]
    ),
    "table.zip_bomb": lambda r, w: gettext(
        "the .xlsx is compressed %(ratio)s to 1, which looks like a zip bomb", ratio=r["ratio"]
    ),
    "table.zip_not_xlsx": lambda r, w: gettext("this zip file is not an Excel workbook"),
    "table.xlsx_unreadable": lambda r, w: gettext(
        "the .xlsx workbook cannot be read (%(error)s)", **w
    ),
    "table.no_sheet": lambda r, w: gettext("the workbook has no sheet"),
    "table.sheet_unreadable": lambda r, w: gettext(
        "the .xlsx sheet cannot be read (%(error)s)", **w
    ),
    "table.too_many_rows": lambda r, w: gettext(
        "the file has more than %(max)s rows", max=r["max"]
    ),
    "table.empty": lambda r, w: gettext("the file is empty: row 1 should name the columns"),
    "table.column_twice": lambda r, w: gettext('the column "%(column)s" appears twice', **w),
    "table.column_missing": lambda r, w: gettext('the column "%(column)s" is missing', **w),
    "table.whole_between": lambda r, w: gettext(
        'expected a whole number from %(min)s to %(max)s, got "%(value)s"', **w
    ),
    "table.whole_at_least": lambda r, w: gettext(
        'expected a whole number ≥ %(min)s, got "%(value)s"', **w
    ),
    "table.not_a_date": lambda r, w: gettext(
        'expected a date like 2024-03-04, got "%(value)s"', **w
    ),
    "table.name_needed": lambda r, w: gettext("a name is needed"),
    "table.kind": lambda r, w: gettext('expected "task" or "milestone", got "%(value)s"', **w),
    "table.duration_needed": lambda r, w: gettext("a duration in working days is needed"),
    "table.predecessors": lambda r, w: gettext(
        '"%(part)s" is not like 12, 12SS or 12FS+2d (lags in working days)', **w
    ),
    "table.constraint": lambda r, w: gettext(
        'expected SNET (start no earlier than) or FNLT (finish no later than), got "%(value)s"',
        **w,
    ),
    "table.id_twice": lambda r, w: gettext(
        "ID %(id)s is also on row %(row)s", id=r["id"], row=r["row"]
    ),
    "table.key_twice": lambda r, w: gettext(
        '"%(key)s" is also the key on row %(row)s', key=r["key"], row=r["row"]
    ),
    "table.phase_needed": lambda r, w: gettext("a phase is needed: one of %(phases)s", **w),
    "table.unknown_phase": lambda r, w: gettext(
        'unknown phase "%(phase)s": the plan has %(phases)s', **w
    ),
    "table.unknown_id": lambda r, w: gettext("unknown ID %(id)s", id=r["id"]),
    "table.self_id": lambda r, w: gettext("ID %(id)s is this row itself", id=r["id"]),
    "table.id_listed_twice": lambda r, w: gettext("ID %(id)s is listed twice", id=r["id"]),
    "table.no_start": lambda r, w: gettext("no row has a Start date: give the plan's start date"),
    "table.at_path": lambda r, w: gettext("%(path)s: %(problem)s", **w),
}
