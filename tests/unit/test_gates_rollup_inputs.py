"""Gate roll-up additions: window slips of a phase, metrics RAG of a phase with no targets."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.explain import Days, Explanation
from planner.domain.gates import ItemFinish, RagResult, metrics_rag, schedule_rag, window_slips

END = date(2024, 4, 9)


@pytest.mark.parametrize(
    ("items", "slips", "overrun"),
    [
        ([], {}, 0),
        ([ItemFinish("Go-live", True, END)], {}, 0),  # on the gate date: on time
        ([ItemFinish("Go-live", True, date(2024, 4, 10))], {"Go-live": 1}, 1),
        ([ItemFinish("Training", False, date(2024, 4, 19))], {}, 10),  # tasks overrun only
        ([ItemFinish("Report", True, None)], {}, 0),  # no forecast: left out
        (
            [
                ItemFinish("A", True, date(2024, 4, 12)),
                ItemFinish("B", True, date(2024, 3, 1)),
                ItemFinish("T", False, date(2024, 4, 11)),
            ],
            {"A": 3},
            3,
        ),
    ],
)
def test_window_slips(items: list[ItemFinish], slips: dict[str, int], overrun: int) -> None:
    assert window_slips(END, items) == (slips, overrun)


def test_window_slips_feed_schedule_rag() -> None:
    slips, overrun = window_slips(END, [ItemFinish("Go-live", True, date(2024, 4, 20))])
    result = schedule_rag(slips, overrun, tolerance=5)
    assert result.rag == "red"
    # Go-live 11 days late, and the phase overruns its window by as much
    problems = result.reason.params["problems"].params["clauses"]
    assert problems[0] == Explanation(
        "schedule.milestone_late", {"name": "Go-live", "days": Days(11)}
    )
    assert problems[1] == Explanation("schedule.overrun", {"days": Days(11)})


def test_metrics_rag_of_a_phase_without_targets() -> None:
    assert metrics_rag({}, expected=False) == RagResult(
        "green", Explanation("metrics.none_expected")
    )
    assert metrics_rag({}).rag == "amber"  # expected but none tracked
    # expected=False changes nothing once there are statuses
    assert metrics_rag({"A": "red"}, expected=False).rag == "red"
