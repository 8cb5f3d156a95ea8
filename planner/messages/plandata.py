"""A plan's data rules (planner/interop/plandata.py), whatever file format brought it.

The English words are the ones the rules always had (tests and logs read them)."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "plandata.empty": lambda r, w: gettext("must not be empty"),
    "plandata.not_text": lambda r, w: gettext("expected text, got %(value)s", **w),
    "plandata.too_long": lambda r, w: gettext(
        "must be at most %(max)s characters, got %(length)s", **w
    ),
    "plandata.control_character": lambda r, w: gettext(
        "must not contain the control character %(code)s", **w
    ),
    "plandata.not_a_date": lambda r, w: gettext("expected a date, got %(value)s", **w),
    "plandata.phase_key_taken": lambda r, w: gettext('"%(key)s" is used by another phase', **w),
    "plandata.item_key_taken": lambda r, w: gettext('"%(key)s" is used by another item', **w),
    "plandata.whole_at_least": lambda r, w: gettext(
        "expected a whole number ≥ %(min)s, got %(value)s", **w
    ),
    "plandata.ordinal_taken": lambda r, w: gettext("%(ordinal)s is used by another phase", **w),
    "plandata.end_before_start": lambda r, w: gettext("%(end)s is before the start %(start)s", **w),
    "plandata.unknown_phase": lambda r, w: gettext("no phase has the key %(key)s", **w),
    "plandata.kind": lambda r, w: gettext('expected "task" or "milestone", got %(value)s', **w),
    "plandata.duration_invalid": lambda r, w: gettext(
        "expected a whole number of working days ≥ 0, got %(value)s", **w
    ),
    "plandata.milestone_duration": lambda r, w: gettext(
        "a milestone has a duration of 0, got %(value)s", **w
    ),
    "plandata.task_duration_zero": lambda r, w: gettext(
        "a task lasts at least 1 working day (make it a milestone instead)"
    ),
    "plandata.duration_too_long": lambda r, w: gettext(
        "must be at most %(max)s working days, got %(value)s", max=r["max"], value=r["value"]
    ),
    "plandata.percent_invalid": lambda r, w: gettext(
        "expected a whole number from 0 to 100, got %(value)s", **w
    ),
    "plandata.finish_without_start": lambda r, w: gettext(
        "an item with an actual finish needs an actual start"
    ),
    "plandata.actual_finish_before_start": lambda r, w: gettext(
        "%(finish)s is before the actual start %(start)s", **w
    ),
    "plandata.constraint_type_invalid": lambda r, w: gettext(
        'expected "SNET", "FNLT" or none, got %(value)s', **w
    ),
    "plandata.constraint_needs_date": lambda r, w: gettext(
        "a %(type)s constraint needs a date", **w
    ),
    "plandata.date_needs_constraint": lambda r, w: gettext(
        "a constraint date needs a constraint type (SNET or FNLT)"
    ),
    "plandata.unknown_item": lambda r, w: gettext("no work item has the key %(key)s", **w),
    "plandata.self_link": lambda r, w: gettext("%(key)s depends on itself", **w),
    "plandata.link_twice": lambda r, w: gettext(
        "%(predecessor)s → %(successor)s is listed twice", **w
    ),
    "plandata.link_type_invalid": lambda r, w: gettext(
        "expected FS, SS, FF or SF, got %(value)s", **w
    ),
    "plandata.lag_unit_invalid": lambda r, w: gettext(
        "expected d, w, pct or ed, got %(value)s", **w
    ),
    "plandata.lag_invalid": lambda r, w: gettext(
        "expected a whole number of working days from -%(max)s to %(max)s, got %(value)s",
        max=r["max"],
        value=r["value"],
    ),
    # a rule of the working calendar, worded where it was found
    "plandata.as_given": lambda r, w: str(r.get("text", "")),
}
