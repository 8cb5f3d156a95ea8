"""Working calendar: working weekdays, holidays, make-up working days, working-day arithmetic.

A :class:`WorkCalendar` says which calendar dates are working days:

* a date listed in ``extra_workdays`` is a working day (e.g. the Saturday make-up days around
  China's Spring Festival and National Day "golden weeks");
* otherwise a date listed in ``holidays`` is not a working day;
* otherwise a date is a working day when its weekday (Monday = 0 … Sunday = 6) is in
  ``workdays`` (Monday–Friday by default).

Working-day arithmetic follows the spreadsheet conventions people already know:

* :meth:`WorkCalendar.add_workdays` behaves like Excel's ``WORKDAY``: ``add_workdays(d, n)`` is
  the n-th working day after ``d`` (before it when ``n`` is negative), counting from ``d``
  exclusive, so a Saturday plus one working day is the Monday; ``n == 0`` returns ``d``;
* :meth:`WorkCalendar.workdays_between` counts the working days in the half-open range
  ``[a, b)`` and is negative when ``b`` is before ``a``; for a working day ``d``,
  ``workdays_between(d, add_workdays(d, n)) == n``.

:class:`WorkdayIndex` numbers the working days of a calendar from an origin (the first working
day on or after the origin is index 0, the working day before it is -1) and converts dates to
indices and back in O(log n) and O(1); the scheduler works in these integer indices.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.domain.errors import Problem, ValidationError

__all__ = ["DEFAULT_WORKDAYS", "WorkCalendar", "WorkdayIndex"]

DEFAULT_WORKDAYS: frozenset[int] = frozenset({0, 1, 2, 3, 4})
"""Monday to Friday (``date.weekday()`` numbering: Monday = 0)."""

_ONE_DAY = dt.timedelta(days=1)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _frozen_dates(values: Iterable[Any], path: str, errors: list[Problem]) -> frozenset[Any]:
    result = frozenset(values)
    for value in sorted(result, key=repr):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            errors.append(Problem(path, "calendar.not_a_date", {"got": repr(value)}))
    return result


@dataclass(frozen=True)
class WorkCalendar:
    """Which dates are working days; see the module docstring for the rules.

    Any iterable is accepted for the three sets and stored as a ``frozenset``.

    Examples:
        >>> import datetime as dt
        >>> cal = WorkCalendar(holidays=frozenset({dt.date(2024, 10, 1)}),
        ...                    extra_workdays=frozenset({dt.date(2024, 10, 12)}))
        >>> cal.is_workday(dt.date(2024, 10, 1)), cal.is_workday(dt.date(2024, 10, 12))
        (False, True)
        >>> cal.add_workdays(dt.date(2024, 9, 30), 1)  # Monday + 1 skips the holiday
        datetime.date(2024, 10, 2)
        >>> cal.workdays_between(dt.date(2024, 9, 30), dt.date(2024, 10, 7))
        4
    """

    workdays: frozenset[int] = DEFAULT_WORKDAYS
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_workdays: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        errors: list[Problem] = []
        workdays = frozenset(self.workdays)
        for day in sorted(workdays, key=repr):
            if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
                errors.append(Problem("workdays", "calendar.weekday", {"got": repr(day)}))
        if not workdays:
            errors.append(Problem("workdays", "calendar.no_workday"))
        holidays = _frozen_dates(self.holidays, "holidays", errors)
        extra = _frozen_dates(self.extra_workdays, "extra_workdays", errors)
        both = sorted(holidays & extra)
        if both:
            listed = ", ".join(d.isoformat() for d in both[:5])
            errors.append(Problem("extra_workdays", "calendar.also_holiday", {"days": listed}))
        if errors:
            raise ValidationError(problems=errors)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "extra_workdays", extra)

    # -- cached helpers (the dataclass is frozen, so caching is safe) ---------------------

    @cached_property
    def _weekday_mask(self) -> tuple[bool, ...]:
        return tuple(day in self.workdays for day in range(7))

    @cached_property
    def _off_ordinals(self) -> list[int]:
        """Sorted ordinals of holidays that fall on a working weekday (they remove a day)."""
        mask = self._weekday_mask
        return sorted(d.toordinal() for d in self.holidays if mask[d.weekday()])

    @cached_property
    def _extra_ordinals(self) -> list[int]:
        """Sorted ordinals of make-up days that fall on a day off (they add a day)."""
        mask = self._weekday_mask
        return sorted(d.toordinal() for d in self.extra_workdays if not mask[d.weekday()])

    # -- queries ------------------------------------------------------------------------

    def is_workday(self, d: dt.date) -> bool:
        """True when ``d`` is a working day.

        Examples:
            >>> import datetime as dt
            >>> WorkCalendar().is_workday(dt.date(2024, 6, 1))  # a Saturday
            False
        """
        if d in self.extra_workdays:
            return True
        if d in self.holidays:
            return False
        return self._weekday_mask[d.weekday()]

    def next_workday(self, d: dt.date) -> dt.date:
        """``d`` itself when it is a working day, else the first working day after it.

        Examples:
            >>> import datetime as dt
            >>> WorkCalendar().next_workday(dt.date(2024, 6, 1))  # Saturday → Monday
            datetime.date(2024, 6, 3)
        """
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def previous_workday(self, d: dt.date) -> dt.date:
        """``d`` itself when it is a working day, else the last working day before it.

        Examples:
            >>> import datetime as dt
            >>> WorkCalendar().previous_workday(dt.date(2024, 6, 2))  # Sunday → Friday
            datetime.date(2024, 5, 31)
        """
        while not self.is_workday(d):
            d -= _ONE_DAY
        return d

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Number of working days in ``[a, b)``; negative (``-workdays_between(b, a)``) if b < a.

        Runs in O(log h) for h holidays and make-up days, whatever the distance.

        Examples:
            >>> import datetime as dt
            >>> cal = WorkCalendar()
            >>> cal.workdays_between(dt.date(2024, 6, 3), dt.date(2024, 6, 10))  # Mon → Mon
            5
            >>> cal.workdays_between(dt.date(2024, 6, 10), dt.date(2024, 6, 3))
            -5
        """
        if b < a:
            return -self.workdays_between(b, a)
        start, end = a.toordinal(), b.toordinal()
        weeks, rest = divmod(end - start, 7)
        mask = self._weekday_mask
        first = a.weekday()
        count = weeks * len(self.workdays) + sum(mask[(first + i) % 7] for i in range(rest))
        count -= bisect_left(self._off_ordinals, end) - bisect_left(self._off_ordinals, start)
        count += bisect_left(self._extra_ordinals, end) - bisect_left(self._extra_ordinals, start)
        return count

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after ``d`` (before it if n < 0), like Excel's ``WORKDAY``.

        ``d`` itself is not counted, so Friday + 1 is Monday and Saturday + 1 is Monday too;
        ``n == 0`` returns ``d`` unchanged. Whole weeks are skipped arithmetically, so long
        spans cost about as much as short ones.

        Examples:
            >>> import datetime as dt
            >>> cal = WorkCalendar()
            >>> cal.add_workdays(dt.date(2024, 5, 31), 1)  # Friday → Monday
            datetime.date(2024, 6, 3)
            >>> cal.add_workdays(dt.date(2024, 6, 3), -1)  # Monday → Friday
            datetime.date(2024, 5, 31)
            >>> cal.add_workdays(dt.date(2024, 6, 3), 10)
            datetime.date(2024, 6, 17)
        """
        if n == 0:
            return d
        step = 1 if n > 0 else -1
        remaining = abs(n)
        per_week = len(self.workdays)
        current = d
        while remaining > 2 * per_week:
            target = current + dt.timedelta(days=7 * step * (remaining // per_week - 1))
            if step > 0:
                counted = self.workdays_between(current + _ONE_DAY, target + _ONE_DAY)
            else:
                counted = self.workdays_between(target, current)
            if counted >= remaining:  # many make-up days in the span: walk instead
                break
            remaining -= counted
            current = target
        while remaining > 0:
            current += dt.timedelta(days=step)
            if self.is_workday(current):
                remaining -= 1
        return current

    def index(self, origin: dt.date) -> WorkdayIndex:
        """A :class:`WorkdayIndex` of this calendar from ``origin``.

        Examples:
            >>> import datetime as dt
            >>> WorkCalendar().index(dt.date(2024, 6, 1)).date(0)  # Saturday origin
            datetime.date(2024, 6, 3)
        """
        return WorkdayIndex(self, origin)


class WorkdayIndex:
    """Working days of a calendar numbered from an origin, for O(1)/O(log n) conversions.

    Index 0 is the first working day on or after ``origin``; index 1 the next working day;
    index -1 the last working day before index 0. :meth:`index` of a non-working day is the
    index of the next working day, i.e. ``index(d)`` is the number of working days in
    ``[date(0), d)`` (negative before ``date(0)``). The table of working days is built with
    numpy and grows in both directions on demand (doubling), so conversions stay cheap.

    Examples:
        >>> import datetime as dt
        >>> idx = WorkdayIndex(WorkCalendar(), dt.date(2024, 6, 3))  # a Monday
        >>> idx.index(dt.date(2024, 6, 10)), idx.date(5), idx.date(-1)
        (5, datetime.date(2024, 6, 10), datetime.date(2024, 5, 31))
        >>> idx.index(dt.date(2024, 6, 8))  # Saturday: counts as the next Monday
        5
    """

    _INITIAL_SPAN_DAYS = 2 * 366

    def __init__(self, calendar: WorkCalendar, origin: dt.date) -> None:
        self.calendar = calendar
        self.origin = origin
        first = calendar.next_workday(origin).toordinal()
        mask = calendar._weekday_mask
        self._weekday_table = np.array([mask[(day - 1) % 7] for day in range(7)], dtype=bool)
        self._holiday_ords = np.array(sorted(d.toordinal() for d in calendar.holidays), np.int64)
        self._extra_ords = np.array(
            sorted(d.toordinal() for d in calendar.extra_workdays), np.int64
        )
        # _ords holds the ordinals of every working day in the day range [_day_lo, _day_hi);
        # _ords[0] has index _lo.
        self._day_lo = first
        self._day_hi = first
        self._ords: npt.NDArray[np.int64] = np.empty(0, np.int64)
        self._lo = 0
        self._extend_forward(self._INITIAL_SPAN_DAYS)
        self._extend_backward(self._INITIAL_SPAN_DAYS // 4)

    def _working_ordinals(self, lo: int, hi: int) -> npt.NDArray[np.int64]:
        days = np.arange(lo, hi, dtype=np.int64)
        # ordinal 1 (0001-01-01) is a Monday, so (ordinal - 1) % 7 is date.weekday()
        working = self._weekday_table[days % 7]
        if self._holiday_ords.size:
            working &= ~np.isin(days, self._holiday_ords)
        if self._extra_ords.size:
            working |= np.isin(days, self._extra_ords)
        found: np.ndarray[tuple[int], np.dtype[np.int64]] = days[working]
        return found

    def _extend_forward(self, days: int) -> None:
        new = self._working_ordinals(self._day_hi, self._day_hi + days)
        self._ords = np.concatenate([self._ords, new])
        self._day_hi += days

    def _extend_backward(self, days: int) -> None:
        new = self._working_ordinals(self._day_lo - days, self._day_lo)
        self._ords = np.concatenate([new, self._ords])
        self._lo -= int(new.size)
        self._day_lo -= days

    def _span(self) -> int:
        return self._day_hi - self._day_lo

    def _cover_ordinal(self, ordinal: int) -> None:
        """Make sure ``ordinal`` lies in the table's day range with a working day after it."""
        while ordinal < self._day_lo:
            self._extend_backward(max(self._span(), self._day_lo - ordinal))
        while self._ords.size == 0 or ordinal > self._ords[-1]:
            self._extend_forward(max(self._span(), ordinal - self._day_hi + 7))

    def _cover_indices(self, low: int, high: int) -> None:
        while low < self._lo:
            self._extend_backward(self._span())
        while high >= self._lo + self._ords.size:
            self._extend_forward(self._span())

    @property
    def start(self) -> dt.date:
        """The date of index 0 (the first working day on or after the origin)."""
        return self.date(0)

    def index(self, d: dt.date) -> int:
        """Working days in ``[date(0), d)``: the index of ``d`` or of the next working day.

        Examples:
            >>> import datetime as dt
            >>> WorkdayIndex(WorkCalendar(), dt.date(2024, 6, 3)).index(dt.date(2024, 5, 31))
            -1
        """
        ordinal = d.toordinal()
        self._cover_ordinal(ordinal)
        return int(np.searchsorted(self._ords, ordinal)) + self._lo

    def index_through(self, d: dt.date) -> int:
        """Working days in ``[date(0), d]``: the index just after the last working day ≤ d.

        A task that finishes on ``d`` ends at this point (its finish index is exclusive).

        Examples:
            >>> import datetime as dt
            >>> WorkdayIndex(WorkCalendar(), dt.date(2024, 6, 3)).index_through(dt.date(2024, 6, 8))
            5
        """
        return self.index(d + _ONE_DAY)

    def date(self, i: int) -> dt.date:
        """The working day with index ``i``.

        Examples:
            >>> import datetime as dt
            >>> WorkdayIndex(WorkCalendar(), dt.date(2024, 6, 3)).date(4)
            datetime.date(2024, 6, 7)
        """
        self._cover_indices(i, i)
        return dt.date.fromordinal(int(self._ords[i - self._lo]))

    def ordinals(self, indices: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Date ordinals of an array of indices (vectorised).

        Examples:
            >>> import datetime as dt
            >>> idx = WorkdayIndex(WorkCalendar(), dt.date(2024, 6, 3))
            >>> [dt.date.fromordinal(int(o)) for o in idx.ordinals([0, 5])]
            [datetime.date(2024, 6, 3), datetime.date(2024, 6, 10)]
        """
        arr = np.asarray(indices, dtype=np.int64)
        if arr.size == 0:
            return np.empty(arr.shape, np.int64)
        self._cover_indices(int(arr.min()), int(arr.max()))
        return self._ords[arr - self._lo]

    def indices(self, ordinals: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """:meth:`index` of an array of date ordinals (vectorised).

        Examples:
            >>> import datetime as dt
            >>> idx = WorkdayIndex(WorkCalendar(), dt.date(2024, 6, 3))
            >>> idx.indices([dt.date(2024, 5, 31).toordinal(), dt.date(2024, 6, 8).toordinal()])
            array([-1,  5])
        """
        arr = np.asarray(ordinals, dtype=np.int64)
        if arr.size == 0:
            return np.empty(arr.shape, np.int64)
        self._cover_ordinal(int(arr.min()))
        self._cover_ordinal(int(arr.max()))
        found: npt.NDArray[np.int64] = np.searchsorted(self._ords, arr) + self._lo
        return found.astype(np.int64, copy=False)

    def dates(self, indices: npt.ArrayLike) -> list[dt.date]:
        """The working days of an array of indices, as a list of dates (vectorised).

        Examples:
            >>> import datetime as dt
            >>> WorkdayIndex(WorkCalendar(), dt.date(2024, 6, 3)).dates([1, 4])
            [datetime.date(2024, 6, 4), datetime.date(2024, 6, 7)]
        """
        days = (self.ordinals(indices) - _EPOCH_ORDINAL).astype("datetime64[D]")
        result: list[dt.date] = days.tolist()
        return result
