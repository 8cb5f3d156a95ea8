"""The price of a change: labour follows the working days, fixed costs stay, per phase and
in total; the expected figures are worked by hand in each case."""

from __future__ import annotations

import pytest

from planner.domain.change_cost import CostLine, change_cost


def test_added_days_add_the_same_daily_labour_and_leave_fixed_costs() -> None:
    # T1: 10 days, 80 h at 150/h = 12,000 (1,200 a day) + 3,000 licence; 4 more days
    lines = [CostLine("T1", "p1", 10, 12_000.0, 3_000.0), CostLine("T2", "p2", 20, 6_000.0)]
    cost = change_cost(lines, {"T1": 14, "T2": 20}, ["p1", "p2"], currency="CNY")
    p1, p2 = cost.phases
    assert (p1.phase, p1.live, p1.new) == ("p1", 15_000.0, 15_000.0 + 4 * 1_200.0)
    assert (p2.live, p2.new, p2.delta) == (6_000.0, 6_000.0, 0.0)
    assert cost.delta == pytest.approx(4_800.0)
    assert cost.live == 21_000.0 and cost.currency == "CNY"
    assert [p.phase for p in cost.moved] == ["p1"]


def test_removed_work_saves_money_and_a_milestone_has_no_labour_to_scale() -> None:
    lines = [CostLine("T1", "p1", 8, 4_000.0), CostLine("M1", "p1", 0, 0.0, 500.0)]
    cost = change_cost(lines, {"T1": 6, "M1": 0}, ["p1"], currency="EUR")
    assert cost.delta == pytest.approx(-1_000.0)  # 2 days of 500
    assert cost.new == pytest.approx(3_500.0)


def test_costs_on_a_phase_or_the_program_count_on_both_sides() -> None:
    lines = [CostLine("T1", "p2", 5, 1_000.0)]
    cost = change_cost(
        lines, {"T1": 10}, ["p1", "p2"], currency="CNY", other_fixed={"p1": 700.0, "": 50.0}
    )
    assert [(p.phase, p.live, p.new) for p in cost.phases] == [
        ("p1", 700.0, 700.0),
        ("p2", 1_000.0, 2_000.0),
        ("", 50.0, 50.0),
    ]
    assert cost.live == 1_750.0 and cost.delta == 1_000.0


def test_no_change_moves_nothing() -> None:
    cost = change_cost([CostLine("T1", "p1", 5, 900.0)], {}, ["p1"], currency="CNY")
    assert cost.delta == 0 and cost.moved == ()
