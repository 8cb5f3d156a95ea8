"""Messages of the plan's own rules: work items, progress, dependencies, calendar, baselines.

The English sentences are those the plan pages have always shown (tests and users read them);
dates stay in ISO form, as typed in the forms.
"""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "plan.date_far": lambda r, w: gettext(
        "%(day)s is more than %(years)s years from the start", **w
    ),
    "plan.item.name_required": lambda r, w: gettext("a work item needs a name"),
    "plan.item.kind": lambda r, w: gettext('expected "task" or "milestone", got "%(value)s"', **w),
    "plan.item.duration": lambda r, w: gettext(
        "a task lasts 1 to %(max)s working days (got %(value)s); "
        "make it a milestone for a zero-length event",
        **w,
    ),
    "plan.item.constraint_type": lambda r, w: gettext(
        'expected SNET or FNLT, got "%(value)s"', **w
    ),
    "plan.item.constraint_date_missing": lambda r, w: gettext("a constraint needs its date"),
    "plan.item.constraint_type_missing": lambda r, w: gettext(
        "choose the kind of constraint for this date"
    ),
    "plan.phase_unknown": lambda r, w: gettext("choose one of this program's phases"),
    "plan.item.key_pattern": lambda r, w: gettext(
        "1–64 letters, digits, dots, dashes or underscores, starting with one"
    ),
    "plan.item.key_taken": lambda r, w: gettext('"%(key)s" is already used in this program', **w),
    "plan.item_unknown": lambda r, w: gettext('unknown item "%(key)s"', **w),
    "plan.progress.percent": lambda r, w: gettext("expected 0 to 100, got %(value)s", **w),
    "plan.progress.after_status": lambda r, w: gettext(
        "%(day)s is after the status date %(status)s: actual dates are in the past", **w
    ),
    "plan.progress.before_start": lambda r, w: gettext(
        "%(day)s is before the program starts (%(start)s)", **w
    ),
    "plan.progress.start_missing": lambda r, w: gettext(
        "a finished item needs its actual start too"
    ),
    "plan.progress.finish_before_start": lambda r, w: gettext(
        "the actual finish %(finish)s is before the actual start %(start)s", **w
    ),
    "plan.progress.finish_missing": lambda r, w: gettext(
        "a finished item (100 %) needs its actual finish"
    ),
    "plan.progress.started": lambda r, w: gettext(
        "an item with progress has started: give its actual start"
    ),
    "plan.link.key_required": lambda r, w: gettext("give the key of a work item"),
    "plan.link.lag": lambda r, w: gettext(
        "lag must be between -%(max)s and %(max)s working days", **w
    ),
    "plan.link.type": lambda r, w: gettext('expected FS, SS, FF or SF, got "%(value)s"', **w),
    "plan.link.self": lambda r, w: gettext("an item cannot depend on itself"),
    "plan.link.duplicate": lambda r, w: gettext(
        '"%(successor)s" already depends on "%(predecessor)s"', **w
    ),
    "plan.calendar.listed": lambda r, w: gettext("%(day)s is already listed", **w),
    "plan.status_date.before_actuals": lambda r, w: gettext(
        "%(day)s is before actual dates already recorded (%(items)s)", **w
    ),
    "plan.baseline.name_required": lambda r, w: gettext("a baseline needs a name"),
    "plan.baseline.name_taken": lambda r, w: gettext(
        'a baseline named "%(name)s" already exists', **w
    ),
    "plan.item_not_in_program": lambda r, w: gettext("no such work item in this program"),
}
