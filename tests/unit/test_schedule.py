"""Critical path method: textbook networks computed by hand, validation, incremental changes.

Unless a test says otherwise the calendar is Monday–Friday and the program starts on Monday
3 June 2024, so working day (point) i is:

    0 Mon 3 Jun   1 Tue 4   2 Wed 5   3 Thu 6   4 Fri 7
    5 Mon 10      6 Tue 11  7 Wed 12  8 Thu 13  9 Fri 14
   10 Mon 17     11 Tue 18 12 Wed 19 13 Thu 20 14 Fri 21   15 Mon 24

A task with early start s and duration d has EF = s + d, shows start day s and finish day
s + d - 1; a milestone at point p shows day p - 1 (day 0 when p = 0).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import DependencyCycleError, NotFoundError, ValidationError
from planner.domain.schedule import (
    MAX_CRITICAL_PATHS,
    Activity,
    ItemPoints,
    ItemSchedule,
    Link,
    LinkType,
    PhaseOverrun,
    PhaseWindow,
    Scheduler,
    schedule,
    validate_network,
)

D = dt.date
CAL = WorkCalendar()
START = D(2024, 6, 3)


def build(activities: list[Activity], links: list[Link], **kwargs: Any) -> Scheduler:
    calendar = kwargs.pop("calendar", CAL)
    start = kwargs.pop("start", START)
    return Scheduler(activities, links, calendar, start, **kwargs)


# A(3) → B(2) and A → C(4), both → D(1), all FS
TEXTBOOK = [Activity("A", 3), Activity("B", 2), Activity("C", 4), Activity("D", 1)]
TEXTBOOK_LINKS = [Link("A", "B"), Link("A", "C"), Link("B", "D"), Link("C", "D")]


def test_textbook_fs_network() -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS)
    # forward: A 0–3; B 3–5; C 3–7; D max(5, 7) = 7 → 8; project finish F = 8
    # backward: D LF 8 LS 7; B LF 7 LS 5; C LF 7 LS 3; A LF min(5, 3) = 3 LS 0
    assert s.points() == {
        "A": ItemPoints(0, 3, 0, 3),
        "B": ItemPoints(3, 5, 5, 7),
        "C": ItemPoints(3, 7, 3, 7),
        "D": ItemPoints(7, 8, 7, 8),
    }
    r = s.result()
    assert r.items == {
        "A": ItemSchedule(D(2024, 6, 3), D(2024, 6, 5), D(2024, 6, 3), D(2024, 6, 5), 0, 0, True),
        # B: ES 3 (Thu 6), EF 5 → finish day 4 (Fri 7); LS 5 (Mon 10), LF 7 → day 6 (Tue 11)
        # float 5 - 3 = 2; free float ES(D) - EF(B) = 7 - 5 = 2
        "B": ItemSchedule(
            D(2024, 6, 6), D(2024, 6, 7), D(2024, 6, 10), D(2024, 6, 11), 2, 2, False
        ),
        "C": ItemSchedule(D(2024, 6, 6), D(2024, 6, 11), D(2024, 6, 6), D(2024, 6, 11), 0, 0, True),
        "D": ItemSchedule(
            D(2024, 6, 12), D(2024, 6, 12), D(2024, 6, 12), D(2024, 6, 12), 0, 0, True
        ),
    }
    assert (r.start, r.finish) == (D(2024, 6, 3), D(2024, 6, 12))
    assert r.critical_paths == [["A", "C", "D"]]
    assert r.negative_float == [] and r.overruns == []


# A(5) → B(3) with each type and lag. A is 0–5. Columns: B's points (ES, EF, LS, LF),
# B's total float, B's free float; A always has total float 0 (it ends at or drives F).
@pytest.mark.parametrize(
    ("kind", "lag", "b_points", "b_total", "b_free"),
    [
        # FS: ES(B) ≥ EF(A) + lag = 5 + lag
        ("FS", 0, (5, 8, 5, 8), 0, 0),
        ("FS", 2, (7, 10, 7, 10), 0, 0),
        ("FS", -2, (3, 6, 3, 6), 0, 0),  # lead: starts 2 days before A finishes
        # SS: ES(B) ≥ ES(A) + lag = lag; F = 5 when B ends first, B's LF = 5
        ("SS", 0, (0, 3, 2, 5), 2, 2),
        ("SS", 2, (2, 5, 2, 5), 0, 0),
        ("SS", -2, (0, 3, 2, 5), 2, 2),  # nothing starts before the program start
        # FF: EF(B) ≥ EF(A) + lag = 5 + lag, so ES(B) = EF - 3
        ("FF", 0, (2, 5, 2, 5), 0, 0),
        ("FF", 2, (4, 7, 4, 7), 0, 0),
        ("FF", -4, (0, 3, 2, 5), 2, 2),  # EF ≥ 1 but ES ≥ 0 wins
        # SF: EF(B) ≥ ES(A) + lag = lag
        ("SF", 0, (0, 3, 2, 5), 2, 2),
        ("SF", 4, (1, 4, 2, 5), 1, 1),  # EF ≥ 4 → ES 1; LF = F = 5
    ],
)
def test_each_link_type_with_lag_and_lead(
    kind: LinkType, lag: int, b_points: tuple[int, ...], b_total: int, b_free: int
) -> None:
    s = build([Activity("A", 5), Activity("B", 3)], [Link("A", "B", kind, lag)])
    points = s.points()
    assert points["A"][:2] == (0, 5)
    assert tuple(points["B"]) == b_points
    items = s.result().items
    assert (items["B"].total_float, items["B"].free_float) == (b_total, b_free)
    assert items["A"].total_float == 0 and items["A"].critical
    # A's free float is capped by its total float 0 even where its link has slack (SF 0: 3)
    assert items["A"].free_float == 0
    assert items["B"].critical is (b_total == 0)


def test_lag_shows_in_dates() -> None:
    r = schedule([Activity("A", 5), Activity("B", 3)], [Link("A", "B", "FS", 2)], CAL, START)
    # A Mon 3 – Fri 7; B starts 2 working days after: point 7 = Wed 12, ends point 9 = Fri 14
    assert (r.items["B"].early_start, r.items["B"].early_finish) == (D(2024, 6, 12), D(2024, 6, 14))


def test_milestones_show_the_finish_of_the_day_before() -> None:
    s = build(
        [
            Activity("kickoff", 0),
            Activity("A", 5),
            Activity("done", 0),
            Activity("B", 2),
            Activity("gate", 0, start_no_earlier=D(2024, 6, 12)),
            Activity("C", 1),
        ],
        [
            Link("kickoff", "A"),
            Link("A", "done"),
            Link("done", "B"),
            Link("gate", "C"),
        ],
    )
    points = s.points()
    # kickoff at point 0 shows the start date; A 0–5; done at point 5 shows day 4 (A's finish)
    assert points["kickoff"][:2] == (0, 0)
    assert points["done"][:2] == (5, 5)
    assert points["B"][:2] == (5, 7)
    # gate no earlier than Wed 12 (day 7): point 8, which shows day 7; C starts at 8 (Thu 13)
    assert points["gate"][:2] == (8, 8)
    items = s.result().items
    assert items["kickoff"].early_start == items["kickoff"].early_finish == D(2024, 6, 3)
    assert items["done"].early_start == items["done"].early_finish == D(2024, 6, 7)
    assert items["A"].early_finish == D(2024, 6, 7)
    assert items["B"].early_start == D(2024, 6, 10)
    assert items["gate"].early_finish == D(2024, 6, 12)
    assert items["C"].early_start == D(2024, 6, 13)


@pytest.mark.parametrize("snet", [D(2024, 6, 10), D(2024, 6, 8)])  # Monday, or Saturday before
def test_start_no_earlier_than(snet: dt.date) -> None:
    s = build([Activity("A", 3), Activity("B", 2, start_no_earlier=snet)], [Link("A", "B")])
    # B: ES max(EF(A) = 3, Mon 10 = 5) = 5, EF 7 = F; A: LF ≤ LS(B) = 5 → LS 2, float 2
    assert s.points() == {"A": ItemPoints(0, 3, 2, 5), "B": ItemPoints(5, 7, 5, 7)}
    r = s.result()
    assert r.items["B"].early_start == D(2024, 6, 10)
    assert (r.items["A"].total_float, r.items["A"].free_float) == (2, 2)
    assert r.critical_paths == [["B"]]


def test_finish_no_later_than_gives_negative_float_that_is_reported() -> None:
    s = build(
        [Activity("A", 5), Activity("B", 5, finish_no_later=D(2024, 6, 7)), Activity("C", 2)],
        [Link("A", "B")],
    )
    # forward: A 0–5, B 5–10, C 0–2; F = 10
    # backward: B LF min(F = 10, Fri 7 → 5) = 5, LS 0, float 0 - 5 = -5; A LF ≤ 0, LS -5
    assert s.points() == {
        "A": ItemPoints(0, 5, -5, 0),
        "B": ItemPoints(5, 10, 0, 5),
        "C": ItemPoints(0, 2, 8, 10),
    }
    r = s.result()
    assert r.negative_float == ["A", "B"]
    assert [r.items[k].total_float for k in "ABC"] == [-5, -5, 8]
    assert [r.items[k].critical for k in "ABC"] == [True, True, False]
    assert r.critical_paths == [["A", "B"]]
    # late dates before the program start are shown, not clipped: point -5 is Mon 27 May
    assert (r.items["A"].late_start, r.items["A"].late_finish) == (D(2024, 5, 27), D(2024, 5, 31))
    assert (r.items["B"].late_start, r.items["B"].late_finish) == (D(2024, 6, 3), D(2024, 6, 7))


def test_finish_no_later_than_met_makes_an_item_critical() -> None:
    s = build([Activity("A", 3, finish_no_later=D(2024, 6, 5)), Activity("B", 10)], [])
    # A: LF min(F = 10, Wed 5 → 3) = 3 → float 0; B ends the project → float 0
    r = s.result()
    assert [r.items[k].total_float for k in "AB"] == [0, 0]
    assert r.critical_paths == [["A"], ["B"]]
    assert r.negative_float == []


def test_holidays_either_side_of_a_weekend() -> None:
    easter = WorkCalendar(holidays=frozenset({D(2024, 3, 29), D(2024, 4, 1)}))
    # from Mon 25 March: 0 Mon 25, 1 Tue 26, 2 Wed 27, 3 Thu 28, 4 Tue 2 Apr, 5 Wed 3, 6 Thu 4
    r = schedule(
        [Activity("A", 3), Activity("B", 3), Activity("C", 2), Activity("E", 1)],
        [Link("A", "B"), Link("A", "C", "SS", 2), Link("A", "E", "FS", 1)],
        easter,
        D(2024, 3, 25),
    )
    assert (r.items["A"].early_start, r.items["A"].early_finish) == (D(2024, 3, 25), D(2024, 3, 27))
    # B: 3–6 → Thu 28 March to day 5, Wed 3 April, across Good Friday, weekend, Easter Monday
    assert (r.items["B"].early_start, r.items["B"].early_finish) == (D(2024, 3, 28), D(2024, 4, 3))
    # C: SS + 2 → 2–4 → Wed 27 to Thu 28
    assert (r.items["C"].early_start, r.items["C"].early_finish) == (D(2024, 3, 27), D(2024, 3, 28))
    # E: FS + 1 → point 4 → Tue 2 April
    assert r.items["E"].early_start == D(2024, 4, 2)


def test_make_up_working_days() -> None:
    national_day = WorkCalendar(
        holidays=frozenset(D(2024, 10, d) for d in range(1, 8)),
        extra_workdays=frozenset({D(2024, 9, 29), D(2024, 10, 12)}),
    )
    # from Mon 23 Sep: 0–4 Mon 23–Fri 27, 5 Sun 29 (make-up), 6 Mon 30, 7 Tue 8 Oct, 8 Wed 9
    r = schedule(
        [Activity("A", 6), Activity("B", 3), Activity("C", 1)],
        [Link("A", "B"), Link("A", "C", "FF")],
        national_day,
        D(2024, 9, 23),
    )
    assert (r.items["A"].early_start, r.items["A"].early_finish) == (D(2024, 9, 23), D(2024, 9, 29))
    assert (r.items["B"].early_start, r.items["B"].early_finish) == (D(2024, 9, 30), D(2024, 10, 9))
    assert r.items["C"].early_start == r.items["C"].early_finish == D(2024, 9, 29)


def test_progress_with_a_status_date() -> None:
    status = D(2024, 6, 10)  # Monday, point 5
    acts = [
        Activity("A", 5, actual_start=D(2024, 6, 3), actual_finish=D(2024, 6, 6)),
        Activity("B", 6, actual_start=D(2024, 6, 7), percent_complete=50),
        Activity("C", 2),
        Activity("D", 3),
        Activity("E", 4, actual_finish=D(2024, 6, 7)),
        Activity("M", 0, actual_start=D(2024, 6, 5)),
    ]
    s = build(acts, [Link("A", "B"), Link("B", "C")], status_date=status)
    # A done: ES 0, EF = working days through Thu 6 = 4
    # B in progress since Fri 7 (4); remaining 6 × 50 % = 3 from the status date 5 → EF 8;
    #   it started, so its ES stays 4; LF = LS(C) = 8, LS = 8 - (8 - 4) = 4, float 0
    # C: FS after B → 8–10; D not started → no earlier than the status date: 5–8, float 2
    # E done with only a finish (Fri 7 → EF 5): ES = 5 - 4 = 1
    # M milestone done on Wed 5: point 3 (shows day 2)
    assert s.points() == {
        "A": ItemPoints(0, 4, 0, 4),
        "B": ItemPoints(4, 8, 4, 8),
        "C": ItemPoints(8, 10, 8, 10),
        "D": ItemPoints(5, 8, 7, 10),
        "E": ItemPoints(1, 5, 1, 5),
        "M": ItemPoints(3, 3, 3, 3),
    }
    r = s.result()
    assert (r.items["A"].early_start, r.items["A"].early_finish) == (D(2024, 6, 3), D(2024, 6, 6))
    assert (r.items["B"].early_start, r.items["B"].early_finish) == (D(2024, 6, 7), D(2024, 6, 12))
    assert (r.items["D"].early_start, r.items["D"].early_finish) == (D(2024, 6, 10), D(2024, 6, 12))
    assert (r.items["E"].early_start, r.items["E"].early_finish) == (D(2024, 6, 4), D(2024, 6, 7))
    assert r.items["M"].early_start == r.items["M"].early_finish == D(2024, 6, 5)
    # done items have no float and are never critical
    assert [r.items[k].critical for k in "ABCDEM"] == [False, True, True, False, False, False]
    assert [r.items[k].total_float for k in "ABCDEM"] == [0, 0, 0, 2, 0, 0]
    assert r.critical_paths == [["B", "C"]]


def test_progress_is_ignored_without_a_status_date() -> None:
    acts = [
        Activity("A", 5, actual_start=D(2024, 6, 3), actual_finish=D(2024, 6, 6)),
        Activity("B", 6, actual_start=D(2024, 6, 7), percent_complete=50),
    ]
    points = build(acts, [Link("A", "B")]).points()
    assert (points["A"][:2], points["B"][:2]) == ((0, 5), (5, 11))


@pytest.mark.parametrize(
    ("duration", "percent", "finish"),
    [
        (10, 70, D(2024, 6, 12)),  # 10 × 0.3 = 3 exactly (not 3.0000000000000004 → 4): 5–8
        (10, 75, D(2024, 6, 12)),  # 2.5 → 3 days: 5–8 → day 7 Wed 12
        (10, 100, D(2024, 6, 7)),  # nothing left: EF = 5 → shows day 4
        (4, 0, D(2024, 6, 13)),  # all 4 days left: 5–9 → day 8 Thu 13
    ],
)
def test_remaining_work_is_rounded_up(duration: int, percent: float, finish: dt.date) -> None:
    act = Activity("X", duration, actual_start=D(2024, 6, 3), percent_complete=percent)
    r = schedule([act], [], CAL, START, status_date=D(2024, 6, 10))
    assert r.items["X"].early_finish == finish


def test_remaining_work_waits_for_its_predecessors() -> None:
    # X started out of sequence before P; its remaining 4 × 75 % = 3 days follow P ("retained
    # logic"): P 5–13 (from the status date), X's remaining part 13–16 → finish day 15 Mon 24
    acts = [
        Activity("P", 8),
        Activity("X", 4, actual_start=D(2024, 6, 4), percent_complete=25),
    ]
    s = build(acts, [Link("P", "X")], status_date=D(2024, 6, 10))
    assert s.points()["X"] == ItemPoints(1, 16, 1, 16)
    assert s.result().items["X"].early_finish == D(2024, 6, 24)


def test_phase_windows_report_overruns_in_calendar_days() -> None:
    acts = [
        Activity("A", 3, "p1"),
        Activity("B", 2, "p1"),
        Activity("C", 4, "p1"),
        Activity("D", 1, "p2"),
    ]
    windows = [
        PhaseWindow("p1", D(2024, 6, 3), D(2024, 6, 5)),
        PhaseWindow("p2", D(2024, 6, 6), D(2024, 6, 30)),
    ]
    r = schedule(acts, TEXTBOOK_LINKS, CAL, START, phase_windows=windows)
    # A ends Wed 5 (inside); B Fri 7 (2 days over); C Tue 11 (6 days over); D in p2 is fine
    assert r.overruns == [
        PhaseOverrun("p1", D(2024, 6, 5), D(2024, 6, 11), 6, [("C", 6), ("B", 2)])
    ]


def test_every_critical_path_is_listed() -> None:
    acts = [Activity(k, d) for k, d in [("A", 2), ("B", 3), ("C", 3), ("D", 2), ("E", 1)]]
    links = [Link("A", "B"), Link("C", "D"), Link("B", "E"), Link("D", "E")]
    # A–B and C–D both take 5 days into E
    assert schedule(acts, links, CAL, START).critical_paths == [["A", "B", "E"], ["C", "D", "E"]]


def test_critical_paths_are_capped() -> None:
    # five diamonds in a row: 2^5 = 32 equally long paths
    acts = [Activity("j0", 1)]
    links = []
    for i in range(1, 6):
        acts += [Activity(f"a{i}", 2), Activity(f"b{i}", 2), Activity(f"j{i}", 1)]
        links += [Link(f"j{i - 1}", f"a{i}"), Link(f"j{i - 1}", f"b{i}")]
        links += [Link(f"a{i}", f"j{i}"), Link(f"b{i}", f"j{i}")]
    paths = schedule(acts, links, CAL, START).critical_paths
    assert len(paths) == MAX_CRITICAL_PATHS == 20
    assert paths[0] == ["j0", "a1", "j1", "a2", "j2", "a3", "j3", "a4", "j4", "a5", "j5"]
    assert len({tuple(p) for p in paths}) == 20


def test_empty_plan() -> None:
    r = schedule([], [], CAL, D(2024, 6, 1))  # a Saturday: the first working day is Monday
    assert r.items == {} and r.critical_paths == [] and r.overruns == []
    assert r.start == r.finish == D(2024, 6, 3)


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activities", "links", "path", "code"),
    [
        (
            [Activity("a", 1)],
            [Link("x", "a")],
            "links[0].predecessor",
            "schedule.link.unknown_item",
        ),
        ([Activity("a", 1)], [Link("a", "y")], "links[0].successor", "schedule.link.unknown_item"),
        ([Activity("a", 1)], [Link("a", "a")], "links[0]", "schedule.link.self"),
        ([Activity("a", 1), Activity("a", 2)], [], "activities[1].key", "schedule.key_twice"),
        ([Activity("", 1)], [], "activities[0].key", "schedule.key_empty"),
        ([Activity("a", -1)], [], "activities[0].duration", "schedule.duration.negative"),
        ([Activity("a", 1.5)], [], "activities[0].duration", "schedule.duration.whole"),
        ([Activity("a", 10_001)], [], "activities[0].duration", "schedule.duration.too_long"),
        (
            [Activity("a", 1), Activity("b", 1)],
            [Link("a", "b", "FS", 2001)],
            "links[0].lag",
            "schedule.link.lag_range",
        ),
        (
            [Activity("a", 1), Activity("b", 1)],
            [Link("a", "b", "FS", -2001)],
            "links[0].lag",
            "schedule.link.lag_range",
        ),
        (
            [Activity("a", 1), Activity("b", 1)],
            [Link("a", "b", "XX")],
            "links[0].type",
            "schedule.link.type",
        ),
        (
            [Activity("a", 1), Activity("b", 1)],
            [Link("a", "b"), Link("a", "b", "SS")],
            "links[1]",
            "schedule.link.twice",
        ),
        (
            [Activity("a", 1, percent_complete=150)],
            [],
            "activities[0].percent_complete",
            "schedule.percent",
        ),
        (
            [Activity("a", 1, actual_start=D(2024, 6, 5), actual_finish=D(2024, 6, 4))],
            [],
            "activities[0].actual_finish",
            "schedule.finish_before_start",
        ),
    ],
)
def test_validation_names_the_problem(
    activities: list[Activity], links: list[Link], path: str, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        validate_network(activities, links)
    assert not isinstance(info.value, DependencyCycleError)
    assert [(p.field, p.code) for p in info.value.problems] == [(path, code)]


def test_validation_lists_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as info:
        validate_network(
            [Activity("a", -2), Activity("b", 1)],
            [Link("a", "zz"), Link("b", "b"), Link("a", "b", "FS", 5000)],
        )
    assert [(p.field, p.code) for p in info.value.problems] == [
        ("activities[0].duration", "schedule.duration.negative"),
        ("links[0].successor", "schedule.link.unknown_item"),
        ("links[1]", "schedule.link.self"),
        ("links[2].lag", "schedule.link.lag_range"),
    ]


@pytest.mark.parametrize(
    ("links", "cycle"),
    [
        ([Link("a", "b"), Link("b", "a")], ["a", "b"]),
        ([Link("a", "b"), Link("b", "c", "SS"), Link("c", "a", "FF", -3)], ["a", "b", "c"]),
        # a cycle between acyclic parts: x → b → c → b → y
        ([Link("x", "b"), Link("b", "c"), Link("c", "b"), Link("c", "y")], ["b", "c"]),
    ],
)
def test_a_cycle_is_named_by_its_keys(links: list[Link], cycle: list[str]) -> None:
    acts = [Activity(k, 1) for k in ("a", "b", "c", "x", "y")]
    with pytest.raises(DependencyCycleError) as info:
        validate_network(acts, links)
    assert info.value.cycle == cycle
    assert str(info.value) == "dependency cycle: " + " → ".join([*cycle, cycle[0]])
    with pytest.raises(DependencyCycleError):
        build(acts, links)


@pytest.mark.parametrize(
    ("kwargs", "path", "code"),
    [
        (
            {
                "activities": [Activity("a", 1, actual_finish=D(2024, 6, 12))],
                "status_date": D(2024, 6, 10),
            },
            "activities[0].actual_finish",
            "schedule.actual_finish_after_status",
        ),
        (
            {"activities": [Activity("a", 1, start_no_earlier=D(2200, 1, 1))]},
            "activities[0].start_no_earlier",
            "schedule.date_far",
        ),
        ({"status_date": D(1900, 1, 1)}, "status_date", "schedule.status_date_far"),
        (
            {"phase_windows": [PhaseWindow("p1", D(2024, 7, 1), D(2024, 6, 1))]},
            "phase_windows[0].end",
            "schedule.window.order",
        ),
        (
            {
                "phase_windows": [
                    PhaseWindow("p1", D(2024, 6, 1), D(2024, 7, 1)),
                    PhaseWindow("p1", D(2024, 7, 1), D(2024, 8, 1)),
                ]
            },
            "phase_windows[1].key",
            "schedule.window.twice",
        ),
    ],
)
def test_bad_dates_are_refused(kwargs: dict[str, Any], path: str, code: str) -> None:
    activities = kwargs.pop("activities", [Activity("a", 1)])
    with pytest.raises(ValidationError) as info:
        build(activities, [], **kwargs)
    assert [(p.field, p.code) for p in info.value.problems] == [(path, code)]


# --- incremental changes --------------------------------------------------------------------


def fresh(s: Scheduler) -> Scheduler:
    return Scheduler(s.activities, s.links, s.calendar, s.start, s.status_date, s.phase_windows)


def test_set_duration_returns_what_moved() -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS)
    # B 2 → 4 days: 3–7, still before D at 7: only B moves, and its float drops to 0
    assert s.set_duration("B", 4) == {"B"}
    assert s.result().items["B"].total_float == 0
    # B 4 → 5 days: 3–8, D follows to 8–9
    assert s.set_duration("B", 5) == {"B", "D"}
    assert s.points()["D"] == ItemPoints(8, 9, 8, 9)
    assert s.result().critical_paths == [["A", "B", "D"]]
    assert s.result() == fresh(s).result()
    assert s.activities[1] == Activity("B", 5)


def test_set_duration_refuses_bad_input() -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS)
    with pytest.raises(NotFoundError):
        s.set_duration("nope", 3)
    with pytest.raises(ValidationError, match="must not be negative"):
        s.set_duration("A", -1)
    assert s.points() == fresh(s).points() == build(TEXTBOOK, TEXTBOOK_LINKS).points()


def test_set_duration_of_a_done_milestone_makes_it_a_task_in_progress() -> None:
    acts = [Activity("M", 0, actual_start=D(2024, 6, 5)), Activity("N", 2)]
    s = build(acts, [Link("M", "N")], status_date=D(2024, 6, 10))
    assert s.points()["N"][:2] == (5, 7)  # from the status date; M is done at point 3
    # as a 3-day task started on Wed 5 with nothing done, its 3 days run 5–8 and N follows
    assert s.set_duration("M", 3) == {"M", "N"}
    assert s.points()["M"][:2] == (2, 8)
    assert s.points()["N"][:2] == (8, 10)
    assert s.result() == fresh(s).result()


def test_add_link_reschedules() -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS)
    # C → B FS: B 7–9, D 9–10
    assert s.add_link(Link("C", "B")) == {"B", "D"}
    assert s.points()["D"] == ItemPoints(9, 10, 9, 10)
    assert s.result() == schedule(TEXTBOOK, [*TEXTBOOK_LINKS, Link("C", "B")], CAL, START)


def test_add_link_refuses_a_cycle_and_changes_nothing() -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS)
    before = s.result()
    with pytest.raises(DependencyCycleError) as info:
        s.add_link(Link("D", "A"))
    assert info.value.cycle == ["D", "A", "C"]  # D → A (new) → C → D
    assert str(info.value) == "dependency cycle: D → A → C → D"
    assert s.links == tuple(TEXTBOOK_LINKS)
    assert s.result() == before == fresh(s).result()


@pytest.mark.parametrize(
    ("link", "exception", "code"),
    [
        (Link("A", "zz"), ValidationError, "schedule.link.unknown_item"),
        (Link("A", "A"), ValidationError, "schedule.link.self"),
        (Link("A", "B", "SS"), ValidationError, "schedule.link.exists"),
        (Link("A", "D", "FS", 3000), ValidationError, "schedule.link.lag_range"),
        (Link("B", "A"), DependencyCycleError, "dependency.cycle"),
    ],
)
def test_add_link_refuses_bad_links(
    link: Link, exception: type[ValidationError], code: str
) -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS)
    with pytest.raises(exception) as info:
        s.add_link(link)
    assert info.value.problems[0].code == code
    assert s.links == tuple(TEXTBOOK_LINKS)


def test_remove_link() -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS)
    # without C → D, D follows B only: 5–6
    assert s.remove_link("C", "D") == {"D"}
    assert s.points()["D"][:2] == (5, 6)
    with pytest.raises(NotFoundError, match="no dependency C → D"):
        s.remove_link("C", "D")
    assert s.result() == schedule(TEXTBOOK, TEXTBOOK_LINKS[:3], CAL, START)


def test_links_into_a_done_item_change_nothing() -> None:
    acts = [Activity("A", 5), Activity("B", 2, actual_start=START, actual_finish=D(2024, 6, 4))]
    s = build(acts, [], status_date=D(2024, 6, 10))
    assert s.add_link(Link("A", "B")) == set()
    assert s.points()["B"] == ItemPoints(0, 2, 0, 2)
    assert s.remove_link("A", "B") == set()


@pytest.mark.parametrize("limit", [0, 1, 1000])
def test_full_pass_fallback_gives_the_same_result(limit: int) -> None:
    s = build(TEXTBOOK, TEXTBOOK_LINKS, incremental_limit=limit)
    assert s.set_duration("A", 6) == {"A", "B", "C", "D"}
    # A 0–6, B 6–8, C 6–10, D 10–11; B → C FF + 3: EF(C) ≥ 8 + 3 = 11 → C 7–11, D 11–12
    assert s.add_link(Link("B", "C", "FF", 3)) == {"C", "D"}
    assert s.points()["C"] == ItemPoints(7, 11, 7, 11)
    assert s.result() == fresh(s).result()
