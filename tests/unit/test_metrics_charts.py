"""Chart builders of the metrics area: trend, sparkline, phase timeline (plain dicts)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from planner.charts.metrics import (
    GATE_COLOURS,
    NO_STATUS,
    RAG_COLOURS,
    PhaseBand,
    TimelinePhase,
    sparkline_figure,
    timeline_figure,
    trend_figure,
)
from planner.domain.metrics import (
    MetricDef,
    PhaseSpan,
    Reading,
    linear_forecast,
    target_steps,
)

P0 = PhaseSpan(0, date(2024, 1, 1), date(2024, 1, 28))
P1 = PhaseSpan(1, date(2024, 1, 29), date(2024, 5, 7))
P2 = PhaseSpan(2, date(2024, 5, 8), date(2024, 8, 15))
ACTIVE = MetricDef("active", "Active users", "%", "higher", 0.0, {1: 70.0, 2: 80.0}, True)
READINGS = [
    Reading(date(2024, 2, 5), 10.0, "pilot"),
    Reading(date(2024, 3, 4), 40.0),
    Reading(date(2024, 4, 1), 60.0),
]
BANDS = [
    PhaseBand(0, "Diagnosis", P0.start, P0.end, diagnosis=True),
    PhaseBand(1, "Phase 1", P1.start, P1.end),
    PhaseBand(2, "Phase 2", P2.start, P2.end),
]


def _trend(**overrides):
    args = {
        "readings": READINGS,
        "target_steps": target_steps(ACTIVE, [P0, P1, P2]),
        "phases": BANDS,
        "unit": "%",
        "today": date(2024, 4, 3),
        "forecast": linear_forecast(READINGS, P1.end),
        "baseline": 0.0,
        "percentage": True,
    }
    args.update(overrides)
    return trend_figure(**args)


def test_trend_has_one_trace_per_layer_and_is_json() -> None:
    fig = _trend()
    json.dumps(fig)  # plain data only
    names = [t["name"] for t in fig["data"]]
    assert names == ["Target", "Readings", "Forecast"]
    target, readings, forecast = fig["data"]
    # per-phase target steps: a step line starting at phase 1 (the diagnosis has no target)
    assert target["line"]["shape"] == "hv"
    assert target["x"] == ["2024-01-29", "2024-05-07", "2024-05-08", "2024-08-15"]
    assert target["y"] == [70.0, 70.0, 80.0, 80.0]
    assert readings["x"] == ["2024-02-05", "2024-03-04", "2024-04-01"]
    assert readings["text"][0] == "pilot"
    # the forecast runs from the latest reading to the gate date
    assert forecast["x"] == ["2024-04-01", "2024-05-07"]


def test_trend_forecast_is_clamped_for_percentages() -> None:
    steep = [Reading(date(2024, 2, 5), 10.0), Reading(date(2024, 2, 12), 60.0)]
    fig = _trend(readings=steep, forecast=linear_forecast(steep, P1.end))
    assert fig["data"][2]["y"][1] == 100.0
    assert fig["layout"]["yaxis"]["range"] == [0, 105.0]
    free = _trend(readings=steep, forecast=linear_forecast(steep, P1.end), percentage=False)
    assert free["data"][2]["y"][1] > 100
    assert "range" not in free["layout"]["yaxis"]


def test_trend_phase_windows_are_bands_with_labels_and_a_today_line() -> None:
    layout = _trend()["layout"]
    rects = [s for s in layout["shapes"] if s["type"] == "rect"]
    assert [(r["x0"], r["x1"]) for r in rects] == [
        ("2024-01-01", "2024-01-29"),  # the band covers the whole last day
        ("2024-01-29", "2024-05-08"),
        ("2024-05-08", "2024-08-16"),
    ]
    assert rects[0]["fillcolor"] != rects[1]["fillcolor"]
    lines = [s for s in layout["shapes"] if s["type"] == "line"]
    assert {"x0": "2024-04-03", "x1": "2024-04-03"}.items() <= lines[-1].items()
    texts = [a["text"] for a in layout["annotations"]]
    assert texts[:3] == ["Diagnosis", "Phase 1", "Phase 2"]
    assert "Baseline 0%" in texts
    assert any(t.strip().startswith("Today 2024-04-03") for t in texts)


def test_trend_percentage_range_fits_small_values() -> None:
    low = [Reading(date(2024, 2, 5), 12.0), Reading(date(2024, 3, 4), 8.0)]
    steps = [(P1.start, 6.0), (P1.end, 6.0)]
    fig = _trend(readings=low, target_steps=steps, forecast=None, baseline=15.0)
    assert fig["layout"]["yaxis"]["range"] == [0, pytest.approx(15.0 * 1.15)]


def test_trend_without_readings_forecast_or_targets() -> None:
    fig = _trend(readings=[], forecast=None, target_steps=[], today=None, baseline=None)
    assert [t["name"] for t in fig["data"]] == ["Readings"]
    assert fig["data"][0]["x"] == []
    assert [s["type"] for s in fig["layout"]["shapes"]] == ["rect", "rect", "rect"]


def test_trend_labels_are_translatable() -> None:
    fig = _trend(labels={"readings": "读数", "target": "目标", "forecast": "预测"})
    assert [t["name"] for t in fig["data"]] == ["目标", "读数", "预测"]


def test_sparkline_marks_latest_in_status_colour() -> None:
    fig = sparkline_figure(READINGS, target=70.0, rag="amber")
    readings, target, latest = fig["data"]
    assert readings["y"] == [10.0, 40.0, 60.0]
    assert target["x"] == ["2024-02-05", "2024-04-01"] and target["y"] == [70.0, 70.0]
    assert latest["x"] == ["2024-04-01"] and latest["marker"]["color"] == RAG_COLOURS["amber"]
    assert fig["layout"]["xaxis"]["visible"] is False
    assert fig["config"]["staticPlot"] is True


def test_sparkline_without_status_target_or_readings() -> None:
    fig = sparkline_figure(READINGS[:1])
    assert [t["name"] for t in fig["data"]] == ["readings", "latest"]
    assert fig["data"][1]["marker"]["color"] == NO_STATUS
    assert [t["name"] for t in sparkline_figure([], target=5.0)["data"]] == ["readings"]


def test_timeline_bars_gates_and_today() -> None:
    phases = [
        TimelinePhase("Diagnosis", P0.start, P0.end, "green", "pass", "Gate: Go"),
        TimelinePhase("Phase 1", P1.start, P1.end, "amber", "at_risk", "Gate: at risk"),
        TimelinePhase("Phase 2", P2.start, P2.end, None, "fail", "Outlook: fail", True),
    ]
    fig = timeline_figure(phases, today=date(2024, 3, 1), labels={"today": "Heute"})
    json.dumps(fig)
    bars, gates = fig["data"]
    assert bars["type"] == "bar" and bars["orientation"] == "h"
    assert bars["base"] == ["2024-01-01", "2024-01-29", "2024-05-08"]
    assert bars["x"][0] == 28 * 86_400_000  # 28 days, both ends included
    assert bars["marker"]["color"] == [RAG_COLOURS["green"], RAG_COLOURS["amber"], NO_STATUS]
    assert bars["marker"]["opacity"][2] < bars["marker"]["opacity"][1]
    # a 28-day bar is too narrow for its dates; the hover text still has them
    assert bars["text"][0] == "" and bars["text"][1] == "2024-01-29 → 2024-05-07"
    assert bars["hovertext"][0] == "2024-01-01 → 2024-01-28"
    assert gates["x"] == ["2024-01-28", "2024-05-07", "2024-08-15"]
    assert gates["marker"]["color"] == [
        GATE_COLOURS["pass"],
        GATE_COLOURS["at_risk"],
        GATE_COLOURS["fail"],
    ]
    assert gates["text"] == ["Gate: Go", "Gate: at risk", "Outlook: fail"]
    assert fig["layout"]["shapes"][0]["x0"] == "2024-03-01"
    assert fig["layout"]["annotations"][0]["text"].strip() == "Heute 2024-03-01"
