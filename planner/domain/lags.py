"""Lag units: a dependency's lag as given (weeks, percent of the predecessor, elapsed days)
and its working-day equivalent, which is what the scheduler works with.

Units: ``d`` working days (the scheduler's own unit), ``w`` weeks of the calendar's working
days (5 days on a Monday–Friday calendar, as MS Project's MinutesPerWeek / MinutesPerDay),
``pct`` percent of the predecessor's duration (it follows later changes of that duration),
``ed`` elapsed calendar days. An elapsed lag is calendar time: :func:`lag_working_days`
gives a first guess (scaled by working days per week, 7 elapsed days = one working week) and
:func:`elapsed_working_days` the exact span once the predecessor's dates are known (the
scheduling service repeats the schedule until the two agree).
Every conversion rounds half away from zero, so a lag and its mirror lead stay symmetric.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final, Literal

from planner.domain.calendar import WorkCalendar

LagUnit = Literal["d", "w", "pct", "ed"]
LAG_UNITS: Final[tuple[LagUnit, ...]] = ("d", "w", "pct", "ed")

__all__ = [
    "LAG_UNITS",
    "LagUnit",
    "elapsed_working_days",
    "lag_working_days",
    "round_half_away",
]


def round_half_away(value: float) -> int:
    """``value`` rounded to a whole number, halves away from zero.

    >>> round_half_away(2.5), round_half_away(-2.5), round_half_away(2.4)
    (3, -3, 2)
    """
    return int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)


def lag_working_days(
    unit: str, amount: int | None, fallback_days: int, predecessor_days: int, workdays: int
) -> int:
    """The working-day equivalent of a lag of ``amount`` ``unit``; ``fallback_days`` (the
    stored working days) for ``d`` or when there is no amount.

    >>> lag_working_days("pct", 50, 0, 9, 5), lag_working_days("w", 2, 0, 9, 5)
    (5, 10)
    >>> lag_working_days("ed", 14, 0, 9, 5), lag_working_days("d", None, 3, 9, 5)
    (10, 3)
    """
    if amount is None or unit == "d":
        return fallback_days
    if unit == "w":
        return amount * workdays
    if unit == "pct":
        return round_half_away(amount / 100 * predecessor_days)
    if unit == "ed":
        return round_half_away(amount * workdays / 7)
    return fallback_days


def elapsed_working_days(
    calendar: WorkCalendar,
    reads_start: bool,
    milestone: bool,
    predecessor_start: dt.date,
    predecessor_finish: dt.date,
    days: int,
) -> int:
    """The working days an elapsed lag of ``days`` calendar days spans from this
    predecessor's dates: calendar time counted from the end of its finish day (FS, FF; and a
    milestone, which sits at the end of its day) or the start of its start day (SS, SF), the
    successor then waiting for the next working time, as MS Project does.

    >>> from planner.domain.calendar import WorkCalendar
    >>> cal, thu = WorkCalendar(), dt.date(2025, 4, 10)
    >>> elapsed_working_days(cal, False, False, thu, thu, 3)  # Thu evening + 3 d: Sun → Mon
    1
    >>> elapsed_working_days(cal, True, False, thu, thu, 3)  # Thu morning + 3 d: Sun → Mon
    2
    >>> elapsed_working_days(cal, False, False, thu, thu, -3)  # Thu evening - 3 d: Mon evening
    -3
    """
    one = dt.timedelta(days=1)
    if reads_start and not milestone:
        base = predecessor_start
        if days >= 0:
            return calendar.workdays_between(base, base + dt.timedelta(days=days))
        return -calendar.workdays_between(base - dt.timedelta(days=-days), base)
    base = predecessor_finish
    if days >= 0:
        return calendar.workdays_between(base + one, base + dt.timedelta(days=days) + one)
    return -calendar.workdays_between(base - dt.timedelta(days=-days) + one, base + one)
