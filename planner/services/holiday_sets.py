"""Apply a public-holiday set to a program's working calendar (audited, like any day added)."""

from __future__ import annotations

from planner.domain.errors import ValidationError
from planner.domain.holiday_sets import HOLIDAY_SETS, holiday_set_days
from planner.models import CalendarException, Program


def program_years(program: Program) -> range:
    """The calendar years the program's windows cover, and the next one (for overruns)."""
    last = max((p.window_end for p in program.phases), default=program.start_date)
    return range(program.start_date.year, last.year + 2)


def apply_holiday_set(program: Program, set_id: str | None) -> int:
    """Record ``set_id`` as the program's set and add its days for the program's years that
    the calendar does not list yet (a day someone entered by hand is kept as entered).
    Return how many days were added; the caller reschedules. ``None`` (or "") clears the
    choice and leaves the days already in the calendar."""
    if not set_id:
        program.holiday_set = None
        return 0
    if set_id not in HOLIDAY_SETS:
        raise ValidationError.of("holiday_set", "holiday_set.unknown")
    program.holiday_set = set_id
    workdays = frozenset(int(digit) - 1 for digit in program.workdays)
    listed = {e.day for e in program.calendar_exceptions}
    added = 0
    for set_day in holiday_set_days(set_id, program_years(program), workdays):
        # days before the start change nothing (a replan to an earlier start applies again)
        if set_day.day in listed or set_day.day < program.start_date:
            continue
        program.calendar_exceptions.append(
            CalendarException(day=set_day.day, working=set_day.working, name=set_day.label[:200])
        )
        added += 1
    return added
