"""Gates are deadlines, started tasks, and what drives each phase's gate: hand-computed cases.

The calendar is Monday–Friday and the program starts on Monday 3 June 2024, so working day
(point) i is:

    0 Mon 3 Jun   1 Tue 4   2 Wed 5   3 Thu 6   4 Fri 7
    5 Mon 10      6 Tue 11  7 Wed 12  8 Thu 13  9 Fri 14
   10 Mon 17     11 Tue 18 12 Wed 19 13 Thu 20 14 Fri 21   15 Mon 24

A task with early start s and duration d has EF = s + d and shows finish day s + d - 1. A
gate on day g is met by a finish point up to g + 1 (the point just after the gate day).
"""

from __future__ import annotations

import datetime as dt

from planner.domain.calendar import WorkCalendar
from planner.domain.schedule import (
    Activity,
    ItemPoints,
    Link,
    PhaseDriver,
    PhaseWindow,
    Scheduler,
    driving_chain,
)

D = dt.date
CAL = WorkCalendar()
START = D(2024, 6, 3)


def build(
    activities: list[Activity],
    links: list[Link],
    windows: list[PhaseWindow] = (),
    status: dt.date | None = None,
) -> Scheduler:
    return Scheduler(activities, links, CAL, START, status, windows)


# --- started tasks ---------------------------------------------------------------------------


def test_a_started_task_is_not_tied_through_ss_links_from_its_fixed_start() -> None:
    # issue 15: A 5 d, actual start Mon, 40 % at Wed; B 10 d; SS A → B.
    # A: ES = actual start 0; remaining ceil(5 × 0.6) = 3 from the status date (point 2) → EF 5
    # B: SS reads A's actual start 0, but waits for the status date → ES 2, EF 12; F = 12
    # A's late finish is F = 12 (the SS link reads a start that has already happened)
    # → total float 12 - 5 = 7 (tied through the start, it was 2 + 5 - 5 = 2)
    s = build(
        [Activity("A", 5, actual_start=D(2024, 6, 3), percent_complete=40), Activity("B", 10)],
        [Link("A", "B", "SS")],
        status=D(2024, 6, 5),
    )
    assert s.points() == {"A": ItemPoints(0, 5, 0, 12), "B": ItemPoints(2, 12, 2, 12)}
    a = s.result().items["A"]
    assert (a.total_float, a.free_float, a.critical) == (7, 7, False)
    # late start = the actual start (Mon 3); late finish point 12 → day 11 (Tue 18)
    assert (a.late_start, a.late_finish) == (D(2024, 6, 3), D(2024, 6, 18))
    assert s.result().items["B"].critical


def test_a_started_task_is_not_tied_through_sf_links_either() -> None:
    # A as above (0, EF 5); B 4 d with SF+8 from A: EF(B) ≥ 0 + 8 → B 4–8; F = 8
    # A LF = F = 8 → float 3 (tied through its start it would be 8 - 8 + 5 - 5 = 0)
    s = build(
        [Activity("A", 5, actual_start=D(2024, 6, 3), percent_complete=40), Activity("B", 4)],
        [Link("A", "B", "SF", 8)],
        status=D(2024, 6, 5),
    )
    assert s.points()["B"] == ItemPoints(4, 8, 4, 8)
    assert s.result().items["A"].total_float == 3


def test_a_started_task_is_still_tied_through_its_finish_and_its_late_start_is_its_actual() -> None:
    # A as above (0, EF 5); B 4 d FF+2 from A: EF(B) ≥ 7 → B 3–7; C 10 d alone waits for
    # the status date: 2–12, F = 12. B LF = 12; A LF = 12 - 2 = 10 → float 5 (shown Fri 14)
    # A's late start is its actual start, point 0 (LF - span would say 10 - 5 = 5)
    s = build(
        [
            Activity("A", 5, actual_start=D(2024, 6, 3), percent_complete=40),
            Activity("B", 4),
            Activity("C", 10),
        ],
        [Link("A", "B", "FF", 2)],
        status=D(2024, 6, 5),
    )
    assert s.points()["A"] == ItemPoints(0, 5, 0, 10)
    a = s.result().items["A"]
    assert (a.total_float, a.late_start, a.late_finish) == (5, D(2024, 6, 3), D(2024, 6, 14))


# --- gates are deadlines ---------------------------------------------------------------------

P1_TO_FRI_7 = PhaseWindow("p1", D(2024, 6, 3), D(2024, 6, 7))  # gate point 5
P2_TO_FRI_28 = PhaseWindow("p2", D(2024, 6, 10), D(2024, 6, 28))  # gate point 20


def test_a_gate_is_a_deadline_for_the_items_of_its_phase_fs() -> None:
    # a 3 d (p1) → b 4 d (p1) → c 2 d (p2): a 0–3, b 3–7, c 7–9; F = 9
    # b LF = min(F 9, gate 5, LS(c) 7) = 5 → float -2; a LF = LS(b) = 1 → float -2
    # c LF = min(9, gate 20) = 9 → float 0
    s = build(
        [Activity("a", 3, "p1"), Activity("b", 4, "p1"), Activity("c", 2, "p2")],
        [Link("a", "b"), Link("b", "c")],
        [P1_TO_FRI_7, P2_TO_FRI_28],
    )
    assert s.points() == {
        "a": ItemPoints(0, 3, -2, 1),
        "b": ItemPoints(3, 7, 1, 5),
        "c": ItemPoints(7, 9, 7, 9),
    }
    r = s.result()
    assert [r.items[k].total_float for k in "abc"] == [-2, -2, 0]
    assert all(r.items[k].critical for k in "abc")  # critical: total float ≤ 0
    assert r.negative_float == ["a", "b"]
    assert [(o.phase, o.days_over) for o in r.overruns] == [("p1", 4)]  # Tue 11 vs Fri 7
    assert s.phase_drivers() == [
        PhaseDriver("p1", D(2024, 6, 7), D(2024, 6, 11), -2, ["a", "b"]),
        PhaseDriver("p2", D(2024, 6, 28), D(2024, 6, 13), 20 - 9, ["a", "b", "c"]),
    ]


def test_total_float_is_the_smaller_of_float_to_the_gate_and_to_the_end() -> None:
    # d 1 d (p1) → e 15 d (no phase): d 0–1, e 1–16, F = 16
    # d: float to the gate 5 - 1 = 4, float to the end LS(e) - EF(d) = 1 - 1 = 0 → 0
    # f 1 d (p1) alone: float to the end 16 - 1 = 15, to the gate 5 - 1 = 4 → 4
    s = build(
        [Activity("d", 1, "p1"), Activity("e", 15), Activity("f", 1, "p1")],
        [Link("d", "e")],
        [P1_TO_FRI_7],
    )
    items = s.result().items
    assert (items["d"].total_float, items["f"].total_float) == (0, 4)
    assert items["f"].free_float == 4  # free float never above total float


def test_a_later_gate_does_not_reach_back_into_an_earlier_phase() -> None:
    # a 3 d (p1, gate point 5): 0–3. b 10 d (p2, window Mon 10 – Fri 14: SNET point 5,
    # gate point 10) FS after a: 5–15, F = 15. b: float to its gate 10 - 15 = -5.
    # a: float to the end LS(b) - EF(a) = 5 - 3 = 2, to its own gate 5 - 3 = 2 → 2; phase
    # 2's lateness stays on phase 2 (through the link a would show 10 - 10 - 3 = -3)
    p2 = PhaseWindow("p2", D(2024, 6, 10), D(2024, 6, 14))
    s = build(
        [Activity("a", 3, "p1"), Activity("b", 10, "p2", start_no_earlier=D(2024, 6, 10))],
        [Link("a", "b")],
        [P1_TO_FRI_7, p2],
    )
    items = s.result().items
    assert (items["a"].total_float, items["b"].total_float) == (2, -5)
    assert s.result().negative_float == ["b"]
    assert not items["a"].critical


def test_gate_deadlines_through_ss_ff_and_sf_links_with_lags() -> None:
    # phase p1 to Wed 12 June: gate point 8
    # x 4 d: 0–4; y 3 d SS+2 from x: 2–5; z 2 d FF+1 from y: EF ≥ 6 → 4–6;
    # w 3 d SF+9 from x: EF ≥ 0 + 9 → 6–9; F = 9
    # backward: w LF = min(9, 8) = 8 (float -1); z LF = 8 (float 2);
    # y LF = min(8, LF(z) - 1 = 7) = 7 (float 2);
    # x LF = min(8, via SS: LS(y) - 2 + 4 = 4 - 2 + 4 = 6, via SF: LF(w) - 9 + 4 = 3) = 3
    # → x float 3 - 4 = -1
    window = PhaseWindow("p1", D(2024, 6, 3), D(2024, 6, 12))
    s = build(
        [
            Activity("x", 4, "p1"),
            Activity("y", 3, "p1"),
            Activity("z", 2, "p1"),
            Activity("w", 3, "p1"),
        ],
        [Link("x", "y", "SS", 2), Link("y", "z", "FF", 1), Link("x", "w", "SF", 9)],
        [window],
    )
    assert s.points() == {
        "x": ItemPoints(0, 4, -1, 3),
        "y": ItemPoints(2, 5, 4, 7),
        "z": ItemPoints(4, 6, 6, 8),
        "w": ItemPoints(6, 9, 5, 8),
    }
    items = s.result().items
    assert [items[k].total_float for k in "xyzw"] == [-1, 2, 2, -1]
    assert [items[k].critical for k in "xyzw"] == [True, False, False, True]
    # w finishes last (point 9, shown Thu 13) and the SF link from x drives it
    assert s.phase_drivers() == [PhaseDriver("p1", D(2024, 6, 12), D(2024, 6, 13), -1, ["x", "w"])]


def test_a_lead_on_a_gate_deadline() -> None:
    # m 5 d (p1) 0–5; n 3 d FS-2 from m: 3–6 (p1, gate point 5) → n float -1
    # m LF = LS(n) + 2 = (5 - 3) + 2 = 4 → float -1: the whole chain is a day late
    s = build(
        [Activity("m", 5, "p1"), Activity("n", 3, "p1")],
        [Link("m", "n", "FS", -2)],
        [P1_TO_FRI_7],
    )
    assert s.points() == {"m": ItemPoints(0, 5, -1, 4), "n": ItemPoints(3, 6, 2, 5)}
    assert s.phase_drivers()[0].chain == ["m", "n"]
    assert s.phase_drivers()[0].gate_float == -1


def test_a_milestone_on_its_gate_day_has_zero_float() -> None:
    # t 5 d: 0–5 (Fri 7); gate milestone g FS after t at point 5, shown Fri 7 = the gate day
    s = build(
        [Activity("t", 5, "p1"), Activity("g", 0, "p1"), Activity("later", 10, "p2")],
        [Link("t", "g")],
        [P1_TO_FRI_7, P2_TO_FRI_28],
    )
    items = s.result().items
    assert (items["g"].early_finish, items["g"].total_float) == (D(2024, 6, 7), 0)
    assert items["t"].total_float == 0
    assert s.phase_drivers()[0] == PhaseDriver("p1", D(2024, 6, 7), D(2024, 6, 7), 0, ["t", "g"])


def test_a_gate_that_does_not_bind_changes_nothing() -> None:
    acts = [Activity("A", 3, "p"), Activity("B", 2, "p"), Activity("C", 4, "p"), Activity("D", 1)]
    links = [Link("A", "B"), Link("A", "C"), Link("B", "D"), Link("C", "D")]
    late_gate = [PhaseWindow("p", START, D(2024, 7, 31))]
    assert build(acts, links, late_gate).points() == build(acts, links).points()
    # a gate on C's finish day (Tue 11, point 7) binds nothing either
    on_time = [PhaseWindow("p", START, D(2024, 6, 11))]
    assert build(acts, links, on_time).points() == build(acts, links).points()


def test_incremental_changes_see_the_gate() -> None:
    # a 3 d → b 2 d in p1 (gate point 5): b 3–5, float 0; b to 4 d: b 3–7, float -2
    s = build([Activity("a", 3, "p1"), Activity("b", 2, "p1")], [Link("a", "b")], [P1_TO_FRI_7])
    assert s.result().items["b"].total_float == 0
    s.set_duration("b", 4)
    assert [s.result().items[k].total_float for k in "ab"] == [-2, -2]
    assert s.phase_drivers()[0].gate_float == -2


# --- driving chains ----------------------------------------------------------------------------


def test_the_driving_chain_follows_zero_slack_links_and_stops_at_a_constraint() -> None:
    # 0: a 0–3; 1: b SNET point 5, 5–7 (FS from a has slack 2); 2: c FS from b 7–8
    # c is driven by b; b by its own constraint, not by a
    into: list[list[tuple[int, str, int]]] = [[], [(0, "FS", 0)], [(1, "FS", 0)]]
    assert driving_chain(2, [0, 5, 7], [0, 5, 7], [3, 7, 8], into) == [1, 2]
    # with b at 3–5, the link from a drives it
    assert driving_chain(2, [0, 3, 5], [0, 3, 5], [3, 5, 6], into) == [0, 1, 2]


def test_phases_without_items_have_no_driver() -> None:
    s = build([Activity("a", 3, "p1")], [], [P1_TO_FRI_7, P2_TO_FRI_28])
    assert [d.phase for d in s.phase_drivers()] == ["p1"]


# --- results made once, read lazily ---------------------------------------------------------


def test_a_result_keeps_the_schedule_it_was_made_of_after_a_change() -> None:
    # a 3 → b 2 (FS): critical path a, b; after b becomes 0 days and c 9 days alone,
    # the first result still says a, b, and finish Fri 7 June
    s = build([Activity("a", 3), Activity("b", 2), Activity("c", 1)], [Link("a", "b")])
    first = s.result()
    s.set_duration("c", 9)
    assert first.critical_paths == [["a", "b"]]
    assert first.finish == D(2024, 6, 7)
    assert s.result().critical_paths == [["c"]]
    assert first != s.result()


def test_a_trusted_build_gives_the_same_schedule() -> None:
    acts = [Activity("a", 3, "p1"), Activity("b", 4, "p1"), Activity("c", 2, "p2")]
    links = [Link("a", "b"), Link("b", "c", "SS", 1)]
    windows = [P1_TO_FRI_7, P2_TO_FRI_28]
    trusted = Scheduler(acts, links, CAL, START, None, windows, trusted=True)
    assert trusted.result() == build(acts, links, windows).result()
    assert trusted.phase_drivers() == build(acts, links, windows).phase_drivers()
