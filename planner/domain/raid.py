"""Rules of the RAID log as plain data: issue workflow, review cadence, residual reasons and
what a change request asks of the plan.

Problems are coded (:class:`~planner.domain.errors.Problem`); the words live in
``planner/messages/raid.py``.

Examples:
    >>> check_issue_transition("open", "in_progress") is None
    True
    >>> next_review(date(2026, 1, 1), 14)
    datetime.date(2026, 1, 15)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from planner.domain.errors import Problem, ValidationError
from planner.domain.limits import MAX_TASK_DAYS

ISSUE_STATUSES: Final = ("open", "in_progress", "resolved", "closed")
SEVERITIES: Final = ("low", "medium", "high", "critical")

# each step of the workflow, one at a time; "open" again from resolved or closed is a reopen
ISSUE_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    "open": frozenset({"in_progress"}),
    "in_progress": frozenset({"open", "resolved"}),
    "resolved": frozenset({"closed", "open"}),
    "closed": frozenset({"open"}),
}

# days between reviews of a risk in each band when neither the risk nor the playbook says
DEFAULT_BAND_CADENCE: Final[Mapping[str, int]] = {
    "critical": 7,
    "high": 14,
    "medium": 30,
    "low": 60,
}
MAX_CADENCE_DAYS: Final = 365


def check_issue_transition(old: str, new: str) -> None:
    """Refuse a move of an issue's status that is unknown or skips a step.

    Examples:
        >>> check_issue_transition("resolved", "open") is None  # reopen
        True
        >>> try:
        ...     check_issue_transition("open", "closed")
        ... except ValidationError as error:
        ...     for p in error.problems:
        ...         print(f"{p.field}: {p.code} {dict(p.params)}")
        status: raid.issue.skipped_step {'old': 'open', 'new': 'closed', 'allowed': 'in_progress'}
    """
    if new not in ISSUE_TRANSITIONS:
        raise ValidationError.of("status", "field.not_a_choice", value=new)
    if old == new:
        return
    allowed = ISSUE_TRANSITIONS.get(old, frozenset())
    if new not in allowed:
        order = ", ".join(s for s in ISSUE_STATUSES if s in allowed)
        raise ValidationError.of(
            "status", "raid.issue.skipped_step", old=old, new=new, allowed=order
        )


def resolution_needed(new_status: str, resolution: str) -> list[Problem]:
    """Resolving an issue says how it was resolved."""
    if new_status == "resolved" and not resolution.strip():
        return [Problem("resolution", "raid.issue.resolution_needed")]
    return []


# --------------------------------------------------------------------------- cadence


def cadence_for(
    risk_cadence: int | None, band: str, band_cadences: Mapping[str, int] | None = None
) -> int:
    """Days between reviews: the risk's own, else its band's (playbook, then default).

    Examples:
        >>> cadence_for(None, "high"), cadence_for(10, "high")
        (14, 10)
        >>> cadence_for(None, "high", {"high": 5})
        5
    """
    if risk_cadence:
        return risk_cadence
    if band_cadences and band_cadences.get(band):
        return int(band_cadences[band])
    return DEFAULT_BAND_CADENCE.get(band, 30)


def next_review(last_reviewed: date, cadence_days: int) -> date:
    return last_reviewed + timedelta(days=cadence_days)


@dataclass(frozen=True)
class ReviewDue:
    """When a risk's next review falls and whether it is overdue on ``today``."""

    cadence_days: int
    next_on: date | None
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def review_due(
    *,
    is_open: bool,
    review_date: date | None,
    last_reviewed: date | None,
    cadence_days: int,
    today: date,
) -> ReviewDue:
    """The next review: the date set on the risk, else the last review plus the cadence.

    Examples:
        >>> review_due(is_open=True, review_date=None, last_reviewed=date(2026, 1, 1),
        ...            cadence_days=7, today=date(2026, 1, 10)).overdue_days
        2
    """
    if not is_open:
        return ReviewDue(cadence_days, None, 0)
    next_on = review_date or (next_review(last_reviewed, cadence_days) if last_reviewed else None)
    overdue = (today - next_on).days if next_on and next_on < today else 0
    return ReviewDue(cadence_days, next_on, overdue)


def check_cadence(days: int | None) -> list[Problem]:
    if days is not None and not 1 <= days <= MAX_CADENCE_DAYS:
        limits = {"min": 1, "max": MAX_CADENCE_DAYS}
        return [Problem("review_cadence_days", "field.out_of_range", limits)]
    return []


def residual_reason_needed(inherent: int, residual: int, reason: str) -> list[Problem]:
    """A residual score above the inherent one (the response makes it worse) needs a reason.

    Examples:
        >>> residual_reason_needed(6, 9, ""), residual_reason_needed(6, 9, "vendor left") == []
        ([Problem(field='residual_reason', code='raid.risk.residual_reason_needed', \
params=mappingproxy({'inherent': 6, 'residual': 9}))], True)
    """
    if residual > inherent and not reason.strip():
        return [
            Problem(
                "residual_reason",
                "raid.risk.residual_reason_needed",
                {"inherent": inherent, "residual": residual},
            )
        ]
    return []


# --------------------------------------------------------------------------- change requests

CHANGE_KINDS: Final = ("add_work", "remove_work", "resize_work", "move_milestone", "phase_scope")


@dataclass(frozen=True)
class ItemEdit:
    """What a change request does to one item of the plan (applied to a scenario copy)."""

    key: str
    duration: int
    constraint_type: str | None
    constraint_date: date | None


def requested_edit(
    kind: str,
    *,
    item_key: str | None,
    item_kind: str | None,
    duration: int | None,
    constraint_type: str | None,
    constraint_date: date | None,
    days: int | None,
    new_date: date | None,
) -> ItemEdit | None:
    """The edit a change request makes to its item (``None``: a phase's scope, edited by hand
    in the scenario). Raises coded problems when the request does not fit the item.

    Examples:
        >>> requested_edit("add_work", item_key="T1", item_kind="task", duration=10,
        ...     constraint_type=None, constraint_date=None, days=5, new_date=None).duration
        15
    """
    if kind not in CHANGE_KINDS:
        raise ValidationError.of("kind", "field.not_a_choice", value=kind)
    if kind == "phase_scope":
        return None
    if item_key is None or duration is None:
        raise ValidationError.of("work_item", "field.required")
    if kind == "move_milestone":
        if item_kind != "milestone":
            raise ValidationError.of("work_item", "raid.change.not_a_milestone", key=item_key)
        if new_date is None:
            raise ValidationError.of("new_date", "field.required")
        return ItemEdit(item_key, duration, "SNET", new_date)
    if item_kind == "milestone":
        raise ValidationError.of("work_item", "raid.change.milestone_has_no_work", key=item_key)
    if days is None:
        raise ValidationError.of("days", "field.required")
    new = {"add_work": duration + days, "remove_work": duration - days, "resize_work": days}[kind]
    if not 1 <= new <= MAX_TASK_DAYS:
        raise ValidationError.of(
            "days", "raid.change.duration_range", duration=new, max=MAX_TASK_DAYS
        )
    return ItemEdit(item_key, new, constraint_type, constraint_date)
