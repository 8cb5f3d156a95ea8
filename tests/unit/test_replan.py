"""Replanning rules: windows and constraints move, actuals stay, and the change undoes."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.replan import ItemState, Replan, ReplanError, Window, diagnosis_weeks_of, replan

START = date(2026, 3, 2)  # a Monday
WINDOWS = [
    Window("diagnosis", 0, "diagnosis", date(2026, 3, 2), date(2026, 3, 29)),  # 28 days
    Window("p1", 1, "phase", date(2026, 3, 30), date(2026, 7, 7)),  # 100 days
    Window("p2", 2, "phase", date(2026, 7, 8), date(2026, 10, 15)),
]
ITEMS = [
    ItemState("interviews", "diagnosis", None, date(2026, 3, 9)),
    ItemState("build", "p1", None, date(2026, 4, 6)),
    ItemState("pilot", "p2", None, None),
]


def test_two_weeks_later_and_six_weeks_of_diagnosis() -> None:
    result = replan(START, WINDOWS, ITEMS, Replan(date(2026, 3, 16), 6))
    by_key = {w.key: w for w in result.windows}
    # diagnosis: moved 14 days, now 42 days long (16 Mar .. 26 Apr)
    assert (by_key["diagnosis"].start, by_key["diagnosis"].end) == (
        date(2026, 3, 16),
        date(2026, 4, 26),
    )
    # phases after it: 14 days of start shift + 14 more days of diagnosis = 28 days
    assert (by_key["p1"].start, by_key["p1"].end) == (date(2026, 4, 27), date(2026, 8, 4))
    assert by_key["p2"].start == date(2026, 8, 5)
    assert result.phase_shifts == {"diagnosis": 14, "p1": 28, "p2": 28}
    assert result.constraint_dates == {
        "interviews": date(2026, 3, 23),
        "build": date(2026, 5, 4),
    }
    assert result.start == date(2026, 3, 16)


def test_shifting_back_restores_the_plan() -> None:
    forward = replan(START, WINDOWS, ITEMS, Replan(date(2026, 3, 16), 6))
    moved_items = [
        ItemState(i.key, i.phase_key, None, forward.constraint_dates.get(i.key, i.constraint_date))
        for i in ITEMS
    ]
    back = replan(forward.start, forward.windows, moved_items, Replan(START, 4))
    assert back.windows == WINDOWS
    assert back.constraint_dates == {"interviews": date(2026, 3, 9), "build": date(2026, 4, 6)}
    assert diagnosis_weeks_of(back.windows) == 4


def test_started_work_keeps_its_constraint() -> None:
    items = [ItemState("interviews", "diagnosis", date(2026, 3, 4), date(2026, 3, 9)), *ITEMS[1:]]
    later = replan(START, WINDOWS, items, Replan(date(2026, 3, 16), None))
    assert "interviews" not in later.constraint_dates  # started: its constraint stays
    assert later.constraint_dates["build"] == date(2026, 4, 20)


def test_a_start_years_away_is_refused() -> None:
    with pytest.raises(ReplanError) as refused:
        replan(START, WINDOWS, ITEMS, Replan(date(2030, 3, 2), None))
    assert (
        refused.value.reasons[0]
        == (
            "start_date",
            refused.value.reasons[0][1],
        )
        and refused.value.reasons[0][1].code == "replan.start_too_far"
    )


@pytest.mark.parametrize("weeks", [0, 9, -1])
def test_diagnosis_weeks_are_one_to_eight(weeks: int) -> None:
    with pytest.raises(ReplanError) as refused:
        replan(START, WINDOWS, ITEMS, Replan(None, weeks))
    assert refused.value.reasons[0][1].code == "replan.diagnosis_weeks_range"


def test_diagnosis_weeks_need_a_diagnosis_stage() -> None:
    with pytest.raises(ReplanError) as refused:
        replan(START, WINDOWS[1:], ITEMS[1:], Replan(None, 3))
    assert refused.value.reasons[0][1].code == "replan.no_diagnosis"


def test_nothing_asked_changes_nothing() -> None:
    result = replan(START, WINDOWS, ITEMS, Replan())
    assert result.windows == WINDOWS and not result.changed


def test_a_set_day_is_named_in_the_readers_language() -> None:
    from planner.domain.holiday_sets import CN_MAINLAND, holiday_set_days, name_in

    national = [
        d
        for d in holiday_set_days(CN_MAINLAND, [2026], frozenset(range(5)))
        if d.day == date(2026, 10, 1)
    ]
    assert [(name_in(d.label, "zh"), name_in(d.label, "en")) for d in national] == [
        ("国庆节", "National Day")
    ]
    assert name_in("Company day · offsite", "zh") == "Company day · offsite"
