"""Progress reported on a work item: each refusal by its code, and what is stored."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.progress import Progress, checked_progress

START, STATUS = dt.date(2026, 1, 5), dt.date(2026, 3, 2)
DAY = dt.date(2026, 2, 2)


def codes(progress: Progress, milestone: bool = False) -> list[tuple[str, str]]:
    _stored, problems = checked_progress(progress, milestone=milestone, start=START, status=STATUS)
    return [(p.field, p.code) for p in problems]


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (Progress(101, DAY, None), [("percent_complete", "plan.progress.percent")]),
        (Progress(-1, None, None), [("percent_complete", "plan.progress.percent")]),
        (
            Progress(10, STATUS + dt.timedelta(days=1), None),
            [("actual_start", "plan.progress.after_status")],
        ),
        (
            Progress(10, START - dt.timedelta(days=1), None),
            [("actual_start", "plan.progress.before_start")],
        ),
        (Progress(100, None, DAY), [("actual_start", "plan.progress.start_missing")]),
        (
            Progress(100, DAY, DAY - dt.timedelta(days=1)),
            [("actual_finish", "plan.progress.finish_before_start")],
        ),
        (Progress(100, DAY, None), [("actual_finish", "plan.progress.finish_missing")]),
        (Progress(30, None, None), [("actual_start", "plan.progress.started")]),
        (Progress(30, DAY, None), []),
        (Progress(0, None, None), []),
    ],
)
def test_each_refusal_has_its_code(progress: Progress, expected: list[tuple[str, str]]) -> None:
    assert codes(progress) == expected


def test_a_finish_makes_it_complete() -> None:
    stored, problems = checked_progress(
        Progress(40, DAY, DAY), milestone=False, start=START, status=STATUS
    )
    assert problems == [] and stored == Progress(100, DAY, DAY)


def test_a_milestone_has_one_date() -> None:
    reached, problems = checked_progress(
        Progress(0, DAY, None), milestone=True, start=START, status=STATUS
    )
    assert problems == [] and reached == Progress(100, DAY, DAY)
    not_yet, problems = checked_progress(
        Progress(100, None, None), milestone=True, start=START, status=STATUS
    )
    assert problems == [] and not_yet == Progress(0, None, None)
    assert codes(Progress(0, None, STATUS + dt.timedelta(days=3)), milestone=True) == [
        ("actual_start", "plan.progress.after_status"),
        ("actual_finish", "plan.progress.after_status"),
    ]
