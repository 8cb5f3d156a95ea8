"""Messages of the adoption area: dimension values, the user → team lookup, usage-log
imports, training sessions."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "adoption.key_pattern": lambda r, w: gettext(
        "%(value)s: use lower-case letters, digits, '-' or '_' (up to 64).", **w
    ),
    "adoption.unknown_team": lambda r, w: gettext(
        "line %(line)s: %(value)s is not a team of this program.", **w
    ),
    "adoption.unknown_region": lambda r, w: gettext(
        "line %(line)s: %(value)s is not a region of this program.", **w
    ),
    "adoption.usage.no_user": lambda r, w: gettext("line %(line)s: the user is empty.", **w),
    "adoption.usage.bad_date": lambda r, w: gettext(
        "line %(line)s: %(value)s is not a date in the mapped order.", **w
    ),
    "adoption.usage.missing_column": lambda r, w: gettext(
        "The file has no column %(column)s: check the column mapping.", **w
    ),
    "adoption.usage.more_bad_rows": lambda r, w: gettext(
        "and %(count)s more rows with problems.", **w
    ),
    "adoption.usage.no_rows": lambda r, w: gettext("The file has no rows to import."),
    "adoption.usage.not_a_table": lambda r, w: gettext("This is not a CSV or .xlsx file."),
    "adoption.usage.empty": lambda r, w: gettext("The file is empty."),
    "adoption.training.attended_over_invited": lambda r, w: gettext(
        "More attended than were invited."
    ),
    "adoption.training.bad_line": lambda r, w: gettext(
        "line %(line)s: write team, module, date (YYYY-MM-DD), invited, attended.", **w
    ),
    "adoption.training.bad_value": lambda r, w: gettext(
        "line %(line)s: an unknown team or module, a date outside the program, or more "
        "attended than invited.",
        **w,
    ),
}
