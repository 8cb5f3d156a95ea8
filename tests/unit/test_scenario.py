"""Scenario edits and the comparison with the live plan, on hand-built schedules."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import DependencyCycleError, word
from planner.domain.scenario import (
    PlanItem,
    PlanLink,
    ScenarioError,
    ScenarioPlan,
    add_link,
    compare,
    edit_item,
    plan_changes,
    remove_link,
)
from planner.domain.schedule import Activity, Link, schedule
from planner.replan_text import reason_text

CAL = WorkCalendar()  # Monday to Friday
START = date(2026, 3, 2)  # a Monday
PLAN = ScenarioPlan(
    items=(
        PlanItem("a", "A", "p1", "task", 5),
        PlanItem("b", "B", "p1", "task", 3),
        PlanItem("c", "C", "p2", "task", 4),
        PlanItem("gate", "Gate", "p2", "milestone", 0),
    ),
    links=(PlanLink("a", "b"), PlanLink("b", "c"), PlanLink("c", "gate")),
)


def run(plan: ScenarioPlan):
    return schedule(
        [Activity(i.key, i.duration, i.phase) for i in plan.items],
        [Link(k.predecessor, k.successor, k.type, k.lag) for k in plan.links],
        CAL,
        start=START,
        status_date=START,
    )


def test_ten_more_days_on_b_moves_both_gates_by_ten_working_days() -> None:
    longer = edit_item(PLAN, "b", duration=13, constraint_type=None, constraint_date=None)
    # live: A 2–6 Mar, B 9–11 Mar, C 12–17 Mar; B +10 wd → B 9–25 Mar, C 26 Mar – 31 Mar
    gates = [("p1", date(2026, 3, 13)), ("p2", date(2026, 3, 20))]
    result = compare(run(PLAN), run(longer), longer, gates, CAL)
    by_phase = {g.phase: g for g in result.gates}
    assert (by_phase["p1"].live_finish, by_phase["p1"].scenario_finish) == (
        date(2026, 3, 11),
        date(2026, 3, 25),
    )
    assert by_phase["p1"].shift == 10
    # p1 gate Friday 13 Mar: B now finishes Wednesday 25 Mar, 8 working days after it
    assert (by_phase["p1"].live_over, by_phase["p1"].scenario_over) == (0, 8)
    assert by_phase["p2"].scenario_finish == date(2026, 3, 31)
    assert by_phase["p2"].scenario_over == 7  # 23–27 Mar and 30–31 Mar
    assert result.finish_shift == 10
    assert [m.key for m in result.moved] == ["b", "c", "gate"]
    assert plan_changes(PLAN, longer).items == [(PLAN.items[1], longer.items[1])]


def test_links_added_removed_and_cycles_refused() -> None:
    rewired = add_link(remove_link(PLAN, "b", "c"), "a", "c", "SS", 2)
    changes = plan_changes(PLAN, rewired)
    assert changes.removed_links == [PlanLink("b", "c")]
    assert changes.added_links == [PlanLink("a", "c", "SS", 2)]
    with pytest.raises(ScenarioError) as refused:
        add_link(PLAN, "gate", "a", "FS", 0)
    assert refused.value.reasons[0][1].code == "dependency.cycle"
    with pytest.raises(ScenarioError):
        add_link(PLAN, "a", "b", "FS", 0)  # already there
    with pytest.raises(ScenarioError):
        remove_link(PLAN, "a", "c")  # not there


def test_bad_edits_are_refused_and_json_round_trips() -> None:
    with pytest.raises(ScenarioError):
        edit_item(PLAN, "gate", duration=2, constraint_type=None, constraint_date=None)
    with pytest.raises(ScenarioError):
        edit_item(PLAN, "a", duration=3, constraint_type="SNET", constraint_date=None)
    dated = edit_item(
        PLAN, "c", duration=4, constraint_type="SNET", constraint_date=date(2026, 4, 1)
    )
    assert ScenarioPlan.from_json(dated.to_json()) == dated


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "dependency cycle: "), ("zh_Hans_CN", "依赖循环：")]
)
def test_a_refused_cycle_is_the_one_cycle_sentence(app, lang: str, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioError) as refused:
        add_link(PLAN, "gate", "a", "FS", 0)
    with app.app_context(), force_locale(lang):
        scenario = reason_text(refused.value.reasons[0][1])
        shared = word(DependencyCycleError(["a", "gate"]).problems[0])
    assert scenario.startswith(words) and shared.startswith(words)
