"""The risk area's blueprint, the labels its templates use, and the words of a stale edit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Blueprint,
)
from flask_babel import gettext as _

from planner.domain.risk import STATUSES
from planner.forms.risks import (
    DECISION_LABELS,
    ENTITY_LABELS,
    FIELD_LABELS,
    OVERDUE_LABELS,
    RESPONSE_LABELS,
    STATUS_ACTIONS,
    STATUS_LABELS,
)
from planner.i18n import format_day
from planner.services.concurrency import StaleEditError

bp = Blueprint("risks", __name__)

SORTABLE = {
    "key": "asc",
    "title": "asc",
    "category": "asc",
    "owner": "asc",
    "status": "asc",
    "inherent_score": "desc",
    "residual_score": "desc",
    "phase": "asc",
    "review_date": "asc",
}


def today_date() -> date:
    return date.today()


def template_labels() -> dict[str, Any]:
    """Code → label tables every risk template uses."""
    return {
        "status_labels": STATUS_LABELS,
        "status_actions": STATUS_ACTIONS,
        "response_labels": RESPONSE_LABELS,
        "decision_labels": DECISION_LABELS,
        "overdue_labels": OVERDUE_LABELS,
        "field_labels": FIELD_LABELS,
        "entity_labels": ENTITY_LABELS,
        "statuses": STATUSES,
    }


def stale_message(exc: StaleEditError) -> str:
    if exc.last is None:
        return _("This was changed by someone else since you opened it.")
    when = f"{format_day(exc.last.at)} {exc.last.at:%H:%M}"
    return _(
        "This was changed by %(who)s at %(when)s UTC since you opened it: your input is kept "
        "below beside the values stored now; save again to overwrite them.",
        who=exc.last.actor,
        when=when,
    )
