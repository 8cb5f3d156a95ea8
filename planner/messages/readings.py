"""Metric readings files (planner/interop/readings.py): why a file or a row is refused."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "readings.xls": lambda r, w: gettext(
        "old Excel .xls files are not supported: save the sheet as .xlsx or CSV"
    ),
    "readings.not_a_table": lambda r, w: gettext(
        'cannot read "%(file)s": expected a .csv or .xlsx file', **w
    ),
    "readings.not_xlsx": lambda r, w: gettext("the file is not a readable .xlsx workbook"),
    "readings.empty": lambda r, w: gettext("the file is empty"),
    "readings.columns_missing": lambda r, w: (
        gettext(
            "the header row needs a %(need)s column (found %(found)s); columns are Metric, Date, "
            "Value, Note",
            **w,
        )
        if r.get("found")
        else gettext(
            "the header row needs a %(need)s column; columns are Metric, Date, Value, Note", **w
        )
    ),
    "readings.date_required": lambda r, w: gettext("a date is required"),
    "readings.no_such_day": lambda r, w: gettext('"%(text)s" is not a day of the calendar', **w),
    "readings.not_a_date": lambda r, w: gettext(
        'expected a date like 2024-03-31, got "%(text)s"', **w
    ),
}
