"""Messages of the schedule risk analysis (Monte Carlo)."""

from __future__ import annotations

from flask_babel import gettext

from planner.messages import Message

MESSAGES: dict[str, Message] = {
    "risk_analysis.range_order": lambda r, w: gettext(
        "Give optimistic ≤ most likely ≤ pessimistic durations (most likely: %(likely)s).", **w
    ),
    "risk_analysis.negative_delay": lambda r, w: gettext("A delay cannot be negative."),
    "risk_analysis.empty_plan": lambda r, w: gettext("The plan has no work items to simulate yet."),
    "risk_analysis.unknown_scope": lambda r, w: gettext(
        "%(value)s is neither a phase nor a workstream of this program.", **w
    ),
    "risk_analysis.low_above_high": lambda r, w: gettext(
        "The low end (%(low)s %%) must not be above the high end (%(high)s %%).", **w
    ),
}
