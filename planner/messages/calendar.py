"""Messages of the working calendar (planner/domain/calendar.py): weekdays, holidays and
extra working days as a plan file or a form gives them."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "calendar.weekday": lambda r, w: gettext(
        "expected weekday numbers 0–6 (Monday = 0), got %(got)s", **w
    ),
    "calendar.no_workday": lambda r, w: gettext(
        "a working calendar needs at least one working weekday"
    ),
    "calendar.not_a_date": lambda r, w: gettext("expected a date, got %(got)s", **w),
    "calendar.also_holiday": lambda r, w: gettext("also listed as holidays: %(days)s", **w),
    "calendar.feed.uid_taken": lambda r, w: gettext(
        "event %(other)s already uses the UID key “%(uid)s”", **w
    ),
    "holiday_set.unknown": lambda r, w: gettext("Choose one of the holiday sets offered."),
}
