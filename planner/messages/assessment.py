"""Maturity assessments (planner/services/assessment.py): settings, interviews, actions."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "assessment.no_model": lambda r, w: gettext(
        "This playbook defines no maturity model to assess."
    ),
    "assessment.no_phase": lambda r, w: gettext("The program has no phase %(phase)s.", **w),
    "assessment.completed_needs_date": lambda r, w: gettext(
        "A completed assessment needs its completion date."
    ),
    "assessment.completed_before_start": lambda r, w: gettext(
        "The completion date comes before the start date."
    ),
    "assessment.other_program": lambda r, w: gettext("Not an assessment of this program."),
    "assessment.same_twice": lambda r, w: gettext("Choose two different assessments."),
    "assessment.unknown_indicator": lambda r, w: gettext(
        "“%(key)s” is not an indicator of this assessment.", **w
    ),
    "assessment.unknown_categories": lambda r, w: gettext("Unknown categories: %(keys)s.", **w),
    "assessment.interview_minutes": lambda r, w: gettext(
        "An interview lasts %(min)s to %(max)s minutes (60 to 90 is usual).", **w
    ),
    "assessment.action_in_plan": lambda r, w: gettext(
        "This action is already a work item of the plan; it stays accepted."
    ),
    "assessment.accept_first": lambda r, w: gettext(
        "No accepted action is waiting to be added to the plan: accept some actions first."
    ),
    "assessment.of_title": lambda r, w: gettext("“%(title)s”: %(problem)s", **w),
    # a rule of the maturity model, worded where it was found
    "assessment.as_given": lambda r, w: str(r.get("text", "")),
}
