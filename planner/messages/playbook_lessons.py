"""Messages of lessons learned (planner/domain/playbook_lessons.py): lessons that do not fit
the playbook, and the new version's number."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "lessons.threshold_negative": lambda r, w: gettext(
        "The duration threshold cannot be negative, got %(got)s.", **w
    ),
    "lessons.whole_number": lambda r, w: gettext("Expected a whole number %(min)s–%(max)s.", **w),
    "lessons.no_task": lambda r, w: gettext("The playbook has no task “%(key)s”.", **w),
    "lessons.no_risk": lambda r, w: gettext("The playbook has no risk “%(key)s”.", **w),
    "lessons.no_metric": lambda r, w: gettext("The playbook has no metric “%(key)s”.", **w),
    "lessons.no_phase": lambda r, w: gettext("The playbook has no phase “%(key)s”.", **w),
    "lessons.unknown_kind": lambda r, w: gettext("Unknown kind of lesson “%(kind)s”.", **w),
    "lessons.phase_ordinal": lambda r, w: gettext("Expected a phase number."),
    "lessons.number": lambda r, w: gettext("Expected a number."),
    "lessons.predecessors": lambda r, w: gettext("Expected a list of predecessors."),
    "lessons.predecessor": lambda r, w: gettext(
        "Expected a work item key, or a key with a link type and a lag."
    ),
    "lessons.version_format": lambda r, w: gettext(
        "“%(version)s” is not a version number: use numbers separated by dots, e.g. 1.1.", **w
    ),
    "lessons.version_not_newer": lambda r, w: gettext(
        "Version %(version)s is not newer than %(current)s: choose a version after %(current)s.",
        **w,
    ),
}
