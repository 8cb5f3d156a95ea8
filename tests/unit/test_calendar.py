"""Working calendar: working days, holidays, make-up days, working-day arithmetic and index."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.calendar import WorkCalendar, WorkdayIndex
from planner.domain.errors import ValidationError

D = dt.date
MON_FRI = WorkCalendar()
# Easter 2024: Good Friday 29 March and Easter Monday 1 April, either side of a weekend
EASTER = WorkCalendar(holidays=frozenset({D(2024, 3, 29), D(2024, 4, 1)}))
# China, National Day 2024: 1–7 October off; Sunday 29 September and Saturday 12 October
# are make-up working days
NATIONAL_DAY = WorkCalendar(
    holidays=frozenset(D(2024, 10, d) for d in range(1, 8)),
    extra_workdays=frozenset({D(2024, 9, 29), D(2024, 10, 12)}),
)
SUN_THU = WorkCalendar(workdays=frozenset({6, 0, 1, 2, 3}))  # a Sunday–Thursday week


def naive_is_workday(cal: WorkCalendar, d: dt.date) -> bool:
    if d in cal.extra_workdays:
        return True
    return d not in cal.holidays and d.weekday() in cal.workdays


def naive_add(cal: WorkCalendar, d: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    while n:
        d += dt.timedelta(days=step)
        if naive_is_workday(cal, d):
            n -= step
    return d


def naive_between(cal: WorkCalendar, a: dt.date, b: dt.date) -> int:
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    days = (b - a).days
    return sign * sum(naive_is_workday(cal, a + dt.timedelta(days=i)) for i in range(days))


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        (MON_FRI, D(2024, 6, 3), True),  # Monday
        (MON_FRI, D(2024, 6, 7), True),  # Friday
        (MON_FRI, D(2024, 6, 8), False),  # Saturday
        (MON_FRI, D(2024, 6, 9), False),  # Sunday
        (EASTER, D(2024, 3, 28), True),  # Maundy Thursday
        (EASTER, D(2024, 3, 29), False),  # Good Friday
        (EASTER, D(2024, 4, 1), False),  # Easter Monday
        (NATIONAL_DAY, D(2024, 9, 29), True),  # make-up Sunday
        (NATIONAL_DAY, D(2024, 10, 1), False),  # holiday on a Tuesday
        (NATIONAL_DAY, D(2024, 10, 5), False),  # Saturday inside the holiday
        (NATIONAL_DAY, D(2024, 10, 12), True),  # make-up Saturday
        (SUN_THU, D(2024, 6, 9), True),  # Sunday
        (SUN_THU, D(2024, 6, 7), False),  # Friday
    ],
)
def test_is_workday(cal: WorkCalendar, day: dt.date, expected: bool) -> None:
    assert cal.is_workday(day) is expected


@pytest.mark.parametrize(
    ("cal", "day", "n", "expected"),
    [
        (MON_FRI, D(2024, 6, 3), 0, D(2024, 6, 3)),
        (MON_FRI, D(2024, 6, 8), 0, D(2024, 6, 8)),  # 0 returns d even on a Saturday
        (MON_FRI, D(2024, 6, 7), 1, D(2024, 6, 10)),  # Friday + 1 = Monday
        (MON_FRI, D(2024, 6, 8), 1, D(2024, 6, 10)),  # Saturday + 1 = Monday (like WORKDAY)
        (MON_FRI, D(2024, 6, 8), -1, D(2024, 6, 7)),  # Saturday - 1 = Friday
        (MON_FRI, D(2024, 6, 10), -1, D(2024, 6, 7)),  # Monday - 1 = Friday
        (MON_FRI, D(2024, 6, 3), 10, D(2024, 6, 17)),  # two whole weeks
        (MON_FRI, D(2024, 6, 3), -10, D(2024, 5, 20)),
        (MON_FRI, D(2024, 1, 1), 261, D(2024, 12, 31)),  # 2024 has 262 weekdays; Jan 1 + 261
        # Thursday 28 March + 1 skips Good Friday, the weekend and Easter Monday
        (EASTER, D(2024, 3, 28), 1, D(2024, 4, 2)),
        (EASTER, D(2024, 4, 2), -1, D(2024, 3, 28)),
        (EASTER, D(2024, 3, 25), 5, D(2024, 4, 3)),  # Tue 26, Wed 27, Thu 28, Tue 2, Wed 3
        # Friday 27 September + 1 is the make-up Sunday 29, + 2 Monday 30, + 3 Tuesday 8 October
        (NATIONAL_DAY, D(2024, 9, 27), 1, D(2024, 9, 29)),
        (NATIONAL_DAY, D(2024, 9, 27), 2, D(2024, 9, 30)),
        (NATIONAL_DAY, D(2024, 9, 27), 3, D(2024, 10, 8)),
        (NATIONAL_DAY, D(2024, 10, 11), 1, D(2024, 10, 12)),  # Friday + 1 = make-up Saturday
        (NATIONAL_DAY, D(2024, 10, 8), -2, D(2024, 9, 29)),
        (SUN_THU, D(2024, 6, 6), 1, D(2024, 6, 9)),  # Thursday + 1 = Sunday
    ],
)
def test_add_workdays(cal: WorkCalendar, day: dt.date, n: int, expected: dt.date) -> None:
    assert cal.add_workdays(day, n) == expected


@pytest.mark.parametrize(
    ("cal", "a", "b", "expected"),
    [
        (MON_FRI, D(2024, 6, 3), D(2024, 6, 3), 0),
        (MON_FRI, D(2024, 6, 3), D(2024, 6, 10), 5),  # [Mon, next Mon)
        (MON_FRI, D(2024, 6, 10), D(2024, 6, 3), -5),
        (MON_FRI, D(2024, 6, 8), D(2024, 6, 10), 0),  # Saturday and Sunday
        (MON_FRI, D(2024, 1, 1), D(2025, 1, 1), 262),
        (EASTER, D(2024, 3, 28), D(2024, 4, 3), 2),  # Thu 28 and Tue 2
        # Mon 23 Sep → Mon 14 Oct: 5 (23–27 Sep) + Sun 29 + Mon 30 + 4 (8–11 Oct) + Sat 12 = 12
        (NATIONAL_DAY, D(2024, 9, 23), D(2024, 10, 14), 12),
        (NATIONAL_DAY, D(2024, 10, 14), D(2024, 9, 23), -12),
    ],
)
def test_workdays_between(cal: WorkCalendar, a: dt.date, b: dt.date, expected: int) -> None:
    assert cal.workdays_between(a, b) == expected


@pytest.mark.parametrize(
    ("cal", "day", "following", "preceding"),
    [
        (MON_FRI, D(2024, 6, 5), D(2024, 6, 5), D(2024, 6, 5)),  # a working day is itself
        (MON_FRI, D(2024, 6, 8), D(2024, 6, 10), D(2024, 6, 7)),
        (EASTER, D(2024, 3, 30), D(2024, 4, 2), D(2024, 3, 28)),
        (NATIONAL_DAY, D(2024, 10, 3), D(2024, 10, 8), D(2024, 9, 30)),
        (NATIONAL_DAY, D(2024, 9, 28), D(2024, 9, 29), D(2024, 9, 27)),
    ],
)
def test_next_and_previous_workday(
    cal: WorkCalendar, day: dt.date, following: dt.date, preceding: dt.date
) -> None:
    assert cal.next_workday(day) == following
    assert cal.previous_workday(day) == preceding


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"workdays": frozenset()}, ("workdays", "calendar.no_workday", {})),
        ({"workdays": frozenset({7})}, ("workdays", "calendar.weekday", {"got": "7"})),
        ({"workdays": frozenset({True})}, ("workdays", "calendar.weekday", {"got": "True"})),
        (
            {"holidays": frozenset({"2024-10-01"})},
            ("holidays", "calendar.not_a_date", {"got": "'2024-10-01'"}),
        ),
        (
            {"holidays": {D(2024, 10, 1)}, "extra_workdays": {D(2024, 10, 1)}},
            ("extra_workdays", "calendar.also_holiday", {"days": "2024-10-01"}),
        ),
    ],
)
def test_invalid_calendar(kwargs: dict[str, Any], problem: tuple[str, str, dict[str, str]]) -> None:
    with pytest.raises(ValidationError) as info:
        WorkCalendar(**kwargs)
    assert [(p.field, p.code, dict(p.params)) for p in info.value.problems] == [problem]


def test_sets_given_as_lists_are_frozen() -> None:
    cal = WorkCalendar(workdays=[0, 1, 2], holidays=[D(2024, 6, 4)])
    assert cal.workdays == frozenset({0, 1, 2})
    assert cal.holidays == frozenset({D(2024, 6, 4)})
    assert hash(cal) == hash(WorkCalendar(frozenset({0, 1, 2}), frozenset({D(2024, 6, 4)})))


def test_long_spans_match_counting() -> None:
    # 10,000 working days ≈ 38 years; the week jumps must land where day-by-day counting does
    start = D(2024, 9, 20)
    assert NATIONAL_DAY.add_workdays(start, 10_000) == naive_add(NATIONAL_DAY, start, 10_000)
    assert NATIONAL_DAY.add_workdays(start, -10_000) == naive_add(NATIONAL_DAY, start, -10_000)


calendars = st.builds(
    WorkCalendar,
    workdays=st.frozensets(st.integers(0, 6), min_size=1),
    holidays=st.frozensets(st.dates(D(2024, 1, 1), D(2024, 12, 31)), max_size=40),
    extra_workdays=st.frozensets(st.dates(D(2025, 1, 1), D(2025, 3, 31)), max_size=10),
)
days = st.dates(D(2023, 10, 1), D(2025, 6, 30))


@settings(max_examples=150, deadline=None)
@given(calendars, days, st.integers(-300, 300))
def test_add_workdays_matches_naive_stepping(cal: WorkCalendar, day: dt.date, n: int) -> None:
    result = cal.add_workdays(day, n)
    assert result == naive_add(cal, day, n)
    if n:
        assert cal.is_workday(result)
    if cal.is_workday(day):
        assert cal.workdays_between(day, result) == n


@settings(max_examples=150, deadline=None)
@given(calendars, days, days)
def test_workdays_between_matches_naive_count(cal: WorkCalendar, a: dt.date, b: dt.date) -> None:
    assert cal.workdays_between(a, b) == naive_between(cal, a, b)


# --- WorkdayIndex ---------------------------------------------------------------------------


def test_index_from_a_saturday_origin() -> None:
    index = WorkdayIndex(MON_FRI, D(2024, 6, 1))  # Saturday: index 0 is Monday 3 June
    assert index.start == D(2024, 6, 3)
    assert index.date(0) == D(2024, 6, 3)
    assert index.date(5) == D(2024, 6, 10)
    assert index.date(-1) == D(2024, 5, 31)
    assert index.index(D(2024, 6, 1)) == 0  # the origin counts as the next working day
    assert index.index(D(2024, 6, 8)) == 5  # Saturday → next Monday
    assert index.index_through(D(2024, 6, 8)) == 5  # working days up to Saturday: Mon–Fri
    assert index.index_through(D(2024, 6, 7)) == 5
    assert index.index(D(2024, 5, 27)) == -5


def test_index_with_holidays_and_make_up_days() -> None:
    index = NATIONAL_DAY.index(D(2024, 9, 23))
    # 0 Mon 23, 1–4 Tue 24–Fri 27, 5 Sun 29 (make-up), 6 Mon 30, 7 Tue 8 Oct, …, 11 Sat 12 Oct
    expected = [D(2024, 9, d) for d in (23, 24, 25, 26, 27, 29, 30)]
    expected += [D(2024, 10, d) for d in (8, 9, 10, 11, 12, 14)]
    assert index.dates(range(13)) == expected
    assert [index.index(d) for d in expected] == list(range(13))
    assert index.index(D(2024, 10, 3)) == 7  # inside the holiday → Tuesday 8 October


def test_index_grows_in_both_directions() -> None:
    index = MON_FRI.index(D(2024, 6, 3))
    far = index.date(5000)  # beyond the table built at first
    assert far == MON_FRI.add_workdays(D(2024, 6, 3), 5000)
    assert index.index(far) == 5000
    early = index.date(-3000)
    assert early == MON_FRI.add_workdays(D(2024, 6, 3), -3000)
    assert index.index(early) == -3000
    assert index.index(D(2070, 1, 2)) == MON_FRI.workdays_between(D(2024, 6, 3), D(2070, 1, 2))
    assert [int(o) for o in index.ordinals([-3000, 0, 5000])] == [
        early.toordinal(),
        D(2024, 6, 3).toordinal(),
        far.toordinal(),
    ]


@settings(max_examples=100, deadline=None)
@given(calendars, days, st.lists(st.integers(-700, 700), min_size=1, max_size=20))
def test_index_round_trips(cal: WorkCalendar, origin: dt.date, indices: list[int]) -> None:
    index = WorkdayIndex(cal, origin)
    dates = index.dates(indices)
    assert dates == [index.date(i) for i in indices]
    for i, d in zip(indices, dates, strict=True):
        assert cal.is_workday(d)
        assert index.index(d) == i
        assert index.index_through(d) == i + 1
        assert cal.workdays_between(index.start, d) == i


@settings(max_examples=100, deadline=None)
@given(calendars, days, days)
def test_index_of_any_day_is_the_next_working_day(
    cal: WorkCalendar, origin: dt.date, day: dt.date
) -> None:
    index = WorkdayIndex(cal, origin)
    assert index.date(index.index(day)) == cal.next_workday(day)
    assert index.date(index.index_through(day) - 1) == cal.previous_workday(day)


def test_invalid_calendar_reads_in_chinese(app) -> None:
    from flask_babel import force_locale

    with pytest.raises(ValidationError) as info:
        WorkCalendar(workdays=frozenset())
    with app.app_context(), force_locale("zh_Hans_CN"):
        assert info.value.errors == [("workdays", "工作日历至少需要一个工作日")]
