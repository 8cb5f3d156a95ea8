"""Messages of the scheduler's input checks (planner/domain/schedule.py): a network that
cannot be scheduled, named item by item."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "schedule.duration.whole": lambda r, w: gettext(
        "%(key)s: expected a whole number of working days, got %(value)s", **w
    ),
    "schedule.duration.negative": lambda r, w: gettext(
        "%(key)s: the duration must not be negative, got %(value)s", **w
    ),
    "schedule.duration.too_long": lambda r, w: gettext(
        "%(key)s: the duration must be at most %(max)s working days, got %(value)s", **w
    ),
    "schedule.key_empty": lambda r, w: gettext("expected a non-empty key, got %(value)s", **w),
    "schedule.key_twice": lambda r, w: gettext('duplicate key "%(key)s" (also %(other)s)', **w),
    "schedule.not_a_date": lambda r, w: gettext("%(key)s: expected a date, got %(value)s", **w),
    "schedule.date_expected": lambda r, w: gettext("expected a date, got %(value)s", **w),
    "schedule.percent": lambda r, w: gettext("%(key)s: expected 0–100, got %(value)s", **w),
    "schedule.finish_before_start": lambda r, w: gettext(
        "%(key)s: actual finish %(finish)s is before actual start %(start)s", **w
    ),
    "schedule.link.unknown_item": lambda r, w: gettext(
        'unknown item "%(key)s" in dependency %(link)s', **w
    ),
    "schedule.link.self": lambda r, w: gettext("%(key)s cannot depend on itself", **w),
    "schedule.link.type": lambda r, w: gettext(
        "%(link)s: expected one of %(known)s, got %(value)s", **w
    ),
    "schedule.link.lag_whole": lambda r, w: gettext(
        "%(link)s: expected whole working days, got %(value)s", **w
    ),
    "schedule.link.lag_range": lambda r, w: gettext(
        "%(link)s: lag must be within ±%(max)s working days, got %(value)s", **w
    ),
    "schedule.link.twice": lambda r, w: gettext(
        "duplicate dependency %(link)s (also %(other)s)", **w
    ),
    "schedule.link.exists": lambda r, w: gettext("duplicate dependency %(link)s", **w),
    "schedule.link.missing": lambda r, w: gettext("no dependency %(link)s", **w),
    "schedule.unknown_item": lambda r, w: gettext('unknown item "%(key)s"', **w),
    "schedule.status_date_far": lambda r, w: gettext(
        "%(day)s is too far from the start %(start)s", **w
    ),
    "schedule.date_far": lambda r, w: gettext("%(key)s: %(day)s is too far from %(start)s", **w),
    "schedule.actual_start_after_status": lambda r, w: gettext(
        "%(key)s: actual start %(day)s is after the status date %(status)s", **w
    ),
    "schedule.actual_finish_after_status": lambda r, w: gettext(
        "%(key)s: actual finish %(day)s is after the status date %(status)s", **w
    ),
    "schedule.window.dates": lambda r, w: gettext("%(key)s: expected start and end dates", **w),
    "schedule.window.order": lambda r, w: gettext(
        "%(key)s: ends %(end)s, before it starts %(start)s", **w
    ),
    "schedule.window.twice": lambda r, w: gettext('duplicate phase window "%(key)s"', **w),
    # the plan as columns (planner/domain/schedule.py PlanColumns.check)
    "schedule.columns.length": lambda r, w: gettext("expected %(n)s values, got %(got)s", **w),
    "schedule.columns.no_item": lambda r, w: gettext("no item at position %(at)s", **w),
    "schedule.columns.phase": lambda r, w: gettext("unknown phase", **w),
    "schedule.columns.link_type": lambda r, w: gettext("unknown link type", **w),
    "schedule.columns.date": lambda r, w: gettext("not a date", **w),
}
