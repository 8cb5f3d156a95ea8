"""Days typed into query strings and forms: one parser with one range for every edge.

Python's dates end at 9999-12-31 and start at 0001-01-01, so adding a day to the last one,
or a schedule's hundreds of days to a day near it, raises ``OverflowError`` (a 500). No
rollout is planned before ``FIRST_DAY`` or after ``LAST_DAY``; a day outside them is refused
where it arrives, with room to spare for every computation after it (a program may run
``MAX_YEARS_FROM_START`` = 100 years).
"""

from __future__ import annotations

from datetime import date
from typing import Final

FIRST_DAY: Final = date(1900, 1, 1)
LAST_DAY: Final = date(2999, 12, 31)


class NotADay(ValueError):
    """The text is not a day written YYYY-MM-DD."""


class DayOutOfRange(ValueError):
    """A day before ``FIRST_DAY`` or after ``LAST_DAY``."""


def parse_day(text: str) -> date:
    """The day written ``YYYY-MM-DD`` in ``text``; ``NotADay`` or ``DayOutOfRange`` if none.

    Examples:
        >>> parse_day(" 2026-03-02 ")
        datetime.date(2026, 3, 2)
        >>> for text in ("9999-12-31", "0001-01-01", "2026-02-30", "soon"):
        ...     try:
        ...         parse_day(text)
        ...     except ValueError as exc:
        ...         print(type(exc).__name__)
        DayOutOfRange
        DayOutOfRange
        NotADay
        NotADay
    """
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise NotADay(text) from None
    check_day(day)
    return day


def check_day(day: date) -> date:
    """``day`` itself when it is within the range, else ``DayOutOfRange``.

    Examples:
        >>> check_day(date(2999, 12, 31))
        datetime.date(2999, 12, 31)
    """
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DayOutOfRange(day.isoformat())
    return day
