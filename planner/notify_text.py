"""A notification's reason in words, in the current language (the bell, the page, the digest,
the chat message): the stored event and parameters go through the message catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import get_locale, gettext, lazy_gettext

from planner.domain.explain import Explanation
from planner.explain_text import render

OUTLOOK_WORDS = {
    "pass": lazy_gettext("on track"),
    "at_risk": lazy_gettext("at risk"),
    "fail": lazy_gettext("off track"),
}
EVENT_LABELS = {
    "item_starts": lazy_gettext("An item I own starts soon"),
    "item_late": lazy_gettext("An item I own is late"),
    "action_due": lazy_gettext("A risk action is due"),
    "action_overdue": lazy_gettext("A risk action is overdue"),
    "review_due": lazy_gettext("A risk review is due"),
    "review_overdue": lazy_gettext("A risk review is overdue"),
    "gate_soon": lazy_gettext("A gate is coming"),
    "gate_outlook": lazy_gettext("A gate's outlook changed"),
    "metric_red": lazy_gettext("A metric turned Red"),
    "risk_score": lazy_gettext("A risk I own changed score"),
    "mentioned": lazy_gettext("I was mentioned"),
    "decision": lazy_gettext("A decision was recorded"),
    "scenario_applied": lazy_gettext("A scenario was applied"),
}
URGENCY_LABELS = {
    "overdue": lazy_gettext("Overdue"),
    "soon": lazy_gettext("Coming up"),
    "info": lazy_gettext("For your information"),
}


def _zh() -> bool:
    return str(get_locale() or "en").startswith("zh")


def words_for(params: Mapping[str, Any]) -> dict[str, object]:
    values: dict[str, object] = dict(params)
    if _zh() and params.get("name_zh"):
        values["name"] = params["name_zh"]
    values.pop("name_zh", None)
    if isinstance(params.get("day"), str):
        try:
            values["day"] = date.fromisoformat(str(params["day"]))
        except ValueError:
            pass
    for key in ("outlook", "before"):
        if key in params:
            values[key] = str(OUTLOOK_WORDS.get(str(params[key]), params[key]))
    return values


def reason(event: str, params: Mapping[str, Any]) -> str:
    return render(Explanation(f"notify.event.{event}", words_for(params)))


def event_label(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))


def program_label(params: Mapping[str, Any]) -> str:
    return str(params.get("program") or gettext("All programs"))
