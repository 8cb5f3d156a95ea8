"""RAID rules as plain data: the issue workflow, review cadence, residual reasons and what a
change request asks of an item."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import ValidationError
from planner.domain.raid import (
    ISSUE_TRANSITIONS,
    cadence_for,
    check_cadence,
    check_issue_transition,
    requested_edit,
    residual_reason_needed,
    resolution_needed,
    review_due,
)

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("open", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "closed"),
        ("resolved", "open"),
        ("closed", "open"),
        ("in_progress", "open"),
        ("open", "open"),
    ],
)
def test_each_step_of_the_workflow_and_reopen_are_allowed(old: str, new: str) -> None:
    check_issue_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [("open", "resolved"), ("open", "closed"), ("in_progress", "closed"), ("closed", "resolved")],
)
def test_skipping_a_step_is_refused_with_the_steps_allowed(old: str, new: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_issue_transition(old, new)
    (problem,) = refused.value.problems
    assert (problem.field, problem.code) == ("status", "raid.issue.skipped_step")
    assert problem.params["allowed"].split(", ") == sorted(
        ISSUE_TRANSITIONS[old], key=("open", "in_progress", "resolved", "closed").index
    )


def test_an_unknown_status_is_not_a_choice() -> None:
    with pytest.raises(ValidationError) as refused:
        check_issue_transition("open", "parked")
    assert refused.value.problems[0].code == "field.not_a_choice"


def test_resolving_needs_a_resolution() -> None:
    assert [p.code for p in resolution_needed("resolved", "  ")] == ["raid.issue.resolution_needed"]
    assert resolution_needed("resolved", "fixed") == []
    assert resolution_needed("closed", "") == []


def test_cadence_comes_from_the_risk_then_the_playbook_band_then_the_default() -> None:
    assert cadence_for(10, "critical", {"critical": 3}) == 10
    assert cadence_for(None, "critical", {"critical": 3}) == 3
    assert cadence_for(None, "critical", {}) == 7
    assert cadence_for(None, "low", None) == 60
    assert cadence_for(None, "unknown-band", None) == 30


def test_next_review_from_the_last_one_and_overdue_days() -> None:
    due = review_due(
        is_open=True,
        review_date=None,
        last_reviewed=date(2026, 2, 1),
        cadence_days=14,
        today=TODAY,
    )
    assert due.next_on == date(2026, 2, 15) and due.overdue and due.overdue_days == 15
    set_by_hand = review_due(
        is_open=True,
        review_date=date(2026, 3, 9),
        last_reviewed=date(2026, 2, 1),
        cadence_days=14,
        today=TODAY,
    )
    assert set_by_hand.next_on == date(2026, 3, 9) and not set_by_hand.overdue
    closed = review_due(
        is_open=False,
        review_date=date(2026, 1, 1),
        last_reviewed=None,
        cadence_days=14,
        today=TODAY,
    )
    assert closed.next_on is None and not closed.overdue
    assert check_cadence(0) and check_cadence(366) and not check_cadence(30)


def test_residual_above_inherent_asks_for_a_reason() -> None:
    (problem,) = residual_reason_needed(6, 9, "")
    assert problem.code == "raid.risk.residual_reason_needed"
    assert dict(problem.params) == {"inherent": 6, "residual": 9}
    assert residual_reason_needed(6, 9, "the vendor left") == []
    assert residual_reason_needed(9, 9, "") == []


def _edit(kind: str, item_kind: str = "task", **values: object):  # type: ignore[no-untyped-def]
    args = dict(
        item_key="T1",
        item_kind=item_kind,
        duration=10,
        constraint_type=None,
        constraint_date=None,
        days=None,
        new_date=None,
    )
    args.update(values)
    return requested_edit(kind, **args)  # type: ignore[arg-type]


def test_change_requests_translate_to_item_edits() -> None:
    assert _edit("add_work", days=5).duration == 15
    assert _edit("remove_work", days=4).duration == 6
    assert _edit("resize_work", days=30).duration == 30
    moved = _edit("move_milestone", item_kind="milestone", duration=0, new_date=TODAY)
    assert (moved.duration, moved.constraint_type, moved.constraint_date) == (0, "SNET", TODAY)
    assert _edit("phase_scope") is None


@pytest.mark.parametrize(
    ("kind", "item_kind", "values", "code"),
    [
        ("move_milestone", "task", {"new_date": TODAY}, "raid.change.not_a_milestone"),
        ("add_work", "milestone", {"days": 3}, "raid.change.milestone_has_no_work"),
        ("remove_work", "task", {"days": 10}, "raid.change.duration_range"),
        ("add_work", "task", {}, "field.required"),
        ("rename", "task", {}, "field.not_a_choice"),
    ],
)
def test_a_change_that_does_not_fit_its_item_is_refused(
    kind: str, item_kind: str, values: dict[str, object], code: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _edit(kind, item_kind, **values)
    assert refused.value.problems[0].code == code
