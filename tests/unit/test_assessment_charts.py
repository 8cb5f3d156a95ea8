"""Chart builders of the assessment: plain plotly dicts, missing values never drawn as 0."""

from __future__ import annotations

import json

import pytest

from planner.charts.assessment import Series, comparison_radar, drilldown_bar, radar, wrap_label

AXES = ["Customer strategy", "Customer data", "IT"]


def test_radar_has_one_closed_trace_per_line_on_the_0_to_5_scale() -> None:
    fig = radar(
        AXES,
        [
            Series("Current", [2.5, None, 3.0], "current"),
            Series("Target", [4, 4, 3.5], "target"),
            Series("Benchmark", [3, 2.8, 3.1], "benchmark"),
        ],
    )
    assert [t["name"] for t in fig["data"]] == ["Current", "Target", "Benchmark"]
    current = fig["data"][0]
    assert current["type"] == "scatterpolar"
    assert current["r"] == [2.5, None, 3.0, 2.5]  # closed; the missing value stays None
    assert current["theta"][0] == current["theta"][-1] == "Customer<br>strategy"
    assert current["text"][1] == "not scored"
    assert current["connectgaps"] is False
    assert fig["layout"]["polar"]["radialaxis"]["range"] == [0, 5]
    assert fig["data"][1]["line"]["dash"] == "dash"
    json.dumps(fig)  # plain data, ready for the template


def test_radar_leaves_out_a_line_with_no_value_and_checks_lengths() -> None:
    fig = radar(
        AXES, [Series("Current", [1, 2, 3]), Series("Competitor", [None] * 3, "competitor")]
    )
    assert [t["name"] for t in fig["data"]] == ["Current"]
    with pytest.raises(ValueError, match="2 values for 3 axes"):
        radar(AXES, [Series("Current", [1, 2])])


def test_drilldown_bar_keeps_missing_bars_empty_and_notes_them() -> None:
    fig = drilldown_bar(
        ["cd-01 Data model", "cd-02 Quality"],
        [None, 1.5],
        [Series("Target", [4, 4.5], "target"), Series("Competitor", [None, None], "competitor")],
        current_name="Current",
        missing_label="— not scored",
    )
    bars, target = fig["data"]
    assert bars["type"] == "bar" and bars["x"] == [None, 1.5]
    assert target["mode"] == "markers" and target["marker"]["symbol"] == "diamond"
    (note,) = fig["layout"]["annotations"]
    assert note["y"] == "cd-01 Data model" and note["text"] == "— not scored"
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"
    with pytest.raises(ValueError):
        drilldown_bar(["a"], [1, 2])


def test_comparison_radar_draws_before_and_after() -> None:
    fig = comparison_radar(
        AXES, [1, 2, 3], [2, 2, None], before_name="Diagnosis", after_name="Gate 1"
    )
    before, after = fig["data"]
    assert (before["name"], after["name"]) == ("Diagnosis", "Gate 1")
    assert before["line"]["dash"] == "dot" and after["r"] == [2, 2, None, 2]


@pytest.mark.parametrize(
    ("label", "wrapped"),
    [
        ("IT", "IT"),
        ("Customer performance", "Customer<br>performance"),
        ("People and organisation", "People and<br>organisation"),
        ("客户战略", "客户战略"),
    ],
)
def test_wrap_label(label: str, wrapped: str) -> None:
    assert wrap_label(label) == wrapped
