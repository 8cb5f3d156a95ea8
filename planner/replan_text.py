"""Replanning and scenario problems (codes from the domain and services), worded once, in
the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask_babel import gettext as _

from planner.domain.explain import Explanation
from planner.domain.limits import MAX_TASK_DAYS
from planner.explain_text import render
from planner.i18n import format_day

Words = Callable[[Mapping[str, object]], str]

_WORDS: dict[str, Words] = {
    "replan.start_too_far": lambda p: _(
        "The start can move by at most %(n)d days; create a new program instead.", n=p["days"]
    ),
    "replan.no_diagnosis": lambda p: _("This program has no diagnosis stage."),
    "replan.diagnosis_weeks_range": lambda p: _(
        "The diagnosis lasts %(low)d to %(high)d whole weeks.", low=p["low"], high=p["high"]
    ),
    "scenario.name_needed": lambda p: _("A scenario needs a name."),
    "scenario.unknown_item": lambda p: _("No work item “%(key)s” in this scenario.", key=p["key"]),
    "scenario.duration_range": lambda p: _(
        "A task lasts 1 to %(max)s working days; a milestone 0.", max=p.get("max", MAX_TASK_DAYS)
    ),
    "scenario.constraint_needs_date": lambda p: _("A constraint needs its date."),
    "scenario.date_needs_constraint": lambda p: _("Choose the kind of constraint for this date."),
    "scenario.self_link": lambda p: _("An item cannot depend on itself."),
    "scenario.duplicate_link": lambda p: _(
        "“%(successor)s” already depends on “%(predecessor)s”.",
        successor=p["successor"],
        predecessor=p["predecessor"],
    ),
    "scenario.lag_range": lambda p: _(
        "The lag is between -%(n)d and %(n)d working days.", n=p["limit"]
    ),
    "scenario.unknown_link": lambda p: _("No such dependency in this scenario."),
    "scenario.closed": lambda p: _("This scenario was applied already."),
}


def reason_text(reason: Explanation | str) -> str:
    """One problem in the reader's language (a bare code is worded with no parameters)."""
    if isinstance(reason, str):
        reason = Explanation(reason)
    words = _WORDS.get(reason.code)
    if words is None:
        # a code shared with other features (``dependency.cycle``) is worded in planner/messages
        return render(reason)
    params = {k: format_day(v) if hasattr(v, "isoformat") else v for k, v in reason.params.items()}  # type: ignore[arg-type]  # a value with isoformat is a date or datetime
    return words(params)
