"""Lag units: working-day equivalents of weeks, percent and elapsed days (hand-computed)."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.calendar import WorkCalendar
from planner.domain.lags import elapsed_working_days, lag_working_days

D = dt.date


@pytest.mark.parametrize(
    ("unit", "amount", "stored", "pred", "workdays", "days"),
    [
        ("d", None, 3, 10, 5, 3),  # working days: as stored
        ("w", 2, 0, 10, 5, 10),  # two weeks of five working days
        ("w", 1, 0, 10, 6, 6),  # a six-day week
        ("pct", 50, 0, 7, 5, 4),  # 3.5 rounds half away from zero
        ("pct", -50, 0, 7, 5, -4),  # and a lead the same way
        ("pct", 25, 0, 0, 5, 0),  # of a milestone: nothing
        ("ed", 14, 0, 3, 5, 10),  # first guess: 14 × 5/7
        ("pct", None, 6, 10, 5, 6),  # no amount: the stored working days
    ],
)
def test_lag_working_days(
    unit: str, amount: int | None, stored: int, pred: int, workdays: int, days: int
) -> None:
    assert lag_working_days(unit, amount, stored, pred, workdays) == days


@pytest.mark.parametrize(
    ("reads_start", "milestone", "days", "expected"),
    [
        # predecessor Tue 8 – Thu 10 April 2025
        (False, False, 3, 1),  # Thu evening + 3 d = Sun evening: only Friday lies between
        (False, False, 7, 5),  # a week later: Fri, Mon, Tue, Wed, Thu
        (True, False, 3, 3),  # Tue morning + 3 d = Fri morning: Tue, Wed, Thu
        (True, False, 5, 4),  # Tue morning + 5 d = Sun morning: Tue–Fri, then Monday
        (True, True, 3, 1),  # a milestone sits at the end of its day, even for SS
        (False, False, -3, -3),  # a lead of 3 elapsed days from Thu evening: Mon evening
        (False, False, 0, 0),
    ],
)
def test_elapsed_working_days(reads_start: bool, milestone: bool, days: int, expected: int) -> None:
    calendar = WorkCalendar()
    assert (
        elapsed_working_days(calendar, reads_start, milestone, D(2025, 4, 8), D(2025, 4, 10), days)
        == expected
    )


def test_elapsed_days_count_holidays_as_calendar_time() -> None:
    calendar = WorkCalendar(holidays=frozenset({D(2025, 4, 4)}))  # Qingming, a Friday
    # Thu 3 April evening + 3 days = Sun evening: Friday is a holiday, no working day between
    assert elapsed_working_days(calendar, False, False, D(2025, 4, 1), D(2025, 4, 3), 3) == 0
