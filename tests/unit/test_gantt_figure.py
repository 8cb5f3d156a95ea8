"""The Gantt figure builder: layers, geometry, hover, links, aggregation, size (no app)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pytest

from planner.charts import gantt
from planner.charts.gantt import DAY_MS, GanttOptions, build_gantt, figure_json


@dataclass
class Row:
    id: int
    key: str
    phase_key: str = "p1"
    workstream: str | None = "sales"
    early_start: date | None = date(2026, 3, 2)
    early_finish: date | None = date(2026, 3, 6)
    name: str = ""
    kind: str = "task"
    owner: str | None = "Li Wei"
    duration: int = 5
    percent: int = 0
    total_float: int | None = 0
    free_float: int | None = 0
    critical: bool = False
    status: str = "not_started"
    baseline_start: date | None = None
    baseline_finish: date | None = None
    finish_variance: int | None = None
    predecessors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.name = self.name or f"Task {self.key}"


@dataclass
class Link:
    predecessor_id: int
    successor_id: int
    type: str = "FS"
    lag: int = 0
    critical: bool = False


@dataclass
class Phase:
    key: str
    name: str
    window_start: date
    window_end: date
    kind: str = "phase"
    ordinal: int = 1
    overrun_days: int = 0


PHASES = [
    Phase("p0", "Diagnosis", date(2026, 2, 2), date(2026, 3, 1), "diagnosis", 0),
    Phase("p1", "Phase one", date(2026, 3, 2), date(2026, 6, 9), "phase", 1, overrun_days=3),
]


def decode(spec: object) -> list[float]:
    if isinstance(spec, list):
        return spec
    assert isinstance(spec, dict)
    dtype = {"i2": "<i2", "i4": "<i4", "f4": "<f4", "f8": "<f8"}[spec["dtype"]]
    return np.frombuffer(base64.b64decode(spec["bdata"]), dtype=dtype).tolist()


def layer(figure: dict, name: str) -> dict:
    found = [t for t in figure["data"] if t["name"] == name]
    assert len(found) == 1, [t["name"] for t in figure["data"]]
    return found[0]


def names(figure: dict) -> list[str]:
    return [t["name"] for t in figure["data"]]


@pytest.fixture()
def plan() -> tuple[list[Row], list[Link]]:
    rows = [
        Row(1, "a", status="done", percent=100, critical=True, early_finish=date(2026, 3, 4)),
        Row(
            2,
            "b",
            status="in_progress",
            percent=50,
            early_start=date(2026, 3, 5),
            early_finish=date(2026, 3, 11),
            predecessors=["a"],
            baseline_start=date(2026, 3, 5),
            baseline_finish=date(2026, 3, 9),
            finish_variance=2,
        ),
        Row(
            3,
            "m",
            kind="milestone",
            duration=0,
            early_start=date(2026, 3, 11),
            early_finish=date(2026, 3, 11),
            critical=True,
            predecessors=["b"],
        ),
        Row(4, "c", workstream="data", status="late", total_float=-2, critical=True),
        Row(5, "d", workstream=None, early_start=None, early_finish=None),  # never scheduled
    ]
    links = [Link(1, 2, critical=True), Link(2, 3, "FF", 1), Link(1, 4, "SS", -1, critical=True)]
    return rows, links


def test_one_trace_per_layer_with_rows_grouped_by_phase_and_workstream(plan) -> None:
    rows, links = plan
    figure = build_gantt(rows, links, PHASES, GanttOptions(baseline_name="Approved"))
    assert names(figure) == [
        "Baseline: Approved",
        "Workstream summary",
        "Done",
        "In progress",
        "Late",
        "Work done",
        "Critical",
        "Milestones",
        "Critical path links",
        "Critical path links",
    ]
    axis = figure["layout"]["yaxis"]
    # phase heading, workstream heading, its items; the unscheduled item is left out
    assert axis["tickvals"] == [0, 1, 2, 3, 4, 5, 6]
    assert axis["ticktext"] == [
        "<b>Phase one</b>",
        "<i>sales</i>",
        "Task a",
        "Task b",
        "Task m",
        "<i>data</i>",
        "Task c",
    ]
    assert axis["range"] == [6.5, -0.5]  # top to bottom


def test_bars_start_on_the_start_day_and_end_on_the_finish_day(plan) -> None:
    rows, links = plan
    figure = build_gantt(rows, links, PHASES)
    done = layer(figure, "Done")
    assert done["base"] == ["2026-03-02"]
    (length,) = decode(done["x"])
    # 2 March to the end of 4 March: three days, less the hour kept before midnight
    assert length == pytest.approx(3 * DAY_MS - 3_600_000, abs=1000)
    end = date(2026, 3, 2) + timedelta(milliseconds=length)
    assert end == date(2026, 3, 4)  # %{x} of the hover reads as the finish date
    assert decode(done["y"]) == [2]
    assert done["orientation"] == "h" and done["type"] == "bar"


def test_milestones_are_diamonds_at_the_end_of_their_day(plan) -> None:
    rows, links = plan
    milestones = layer(build_gantt(rows, links, PHASES), "Milestones")
    assert milestones["marker"]["symbol"] == "diamond"
    assert milestones["x"] == ["2026-03-12"]
    assert milestones["marker"]["line"]["color"] == [gantt.COLOURS["critical"]]
    assert milestones["customdata"][0][-1] == "2026-03-11"  # the date the hover shows


def test_hover_shows_dates_float_owner_and_predecessors(plan) -> None:
    rows, links = plan
    figure = build_gantt(rows, links, PHASES, GanttOptions(baseline_name="Approved"))
    progress = layer(figure, "In progress")
    template = progress["hovertemplate"]
    for part in ("%{base|%Y-%m-%d}", "%{x|%Y-%m-%d}", "Float", "Owner", "After", "vs baseline"):
        assert part in template
    (custom,) = progress["customdata"]
    assert custom[:8] == ["Task b", "b", 5, 50, 0, 0, "Li Wei", "a"]
    assert custom[8] == "+2"
    no_baseline = layer(build_gantt(rows, links, PHASES), "In progress")["hovertemplate"]
    assert "vs baseline" not in no_baseline


def test_critical_items_get_an_outline_and_progress_a_darker_part(plan) -> None:
    rows, links = plan
    figure = build_gantt(rows, links, PHASES)
    outline = layer(figure, "Critical")
    assert decode(outline["y"]) == [2, 6]  # tasks a and c; milestone m is outlined itself
    assert outline["marker"]["color"] == "rgba(0,0,0,0)"
    assert outline["marker"]["line"]["color"] == gantt.COLOURS["critical"]
    work = layer(figure, "Work done")
    (length,) = decode(work["x"])
    # half of b's seven calendar days, rounded: 4 days
    assert round((length + 3_600_000) / DAY_MS) == 4


def test_items_driving_a_gate_get_their_own_outline(plan) -> None:
    rows, links = plan
    assert "Drives a gate" not in names(build_gantt(rows, links, PHASES))
    figure = build_gantt(rows, links, PHASES, GanttOptions(driving=frozenset({2, 3})))
    driving = layer(figure, "Drives a gate")
    assert decode(driving["y"]) == [3]  # task b; milestone m has a coloured edge instead
    assert driving["marker"]["line"]["color"] == gantt.COLOURS["driving"]
    edges = layer(figure, "Milestones")["marker"]["line"]["color"]
    assert edges == [gantt.COLOURS["driving"]]


def test_baseline_ghost_bars_are_thin_and_below_the_bar(plan) -> None:
    rows, links = plan
    figure = build_gantt(rows, links, PHASES, GanttOptions(baseline_name="Approved"))
    ghosts = layer(figure, "Baseline: Approved")
    bars = layer(figure, "In progress")
    assert ghosts["base"] == ["2026-03-05"] and decode(ghosts["y"]) == [3]
    assert ghosts["width"] < bars["width"] / 2
    assert ghosts["offset"] >= bars["offset"] + bars["width"]  # no overlap
    assert ghosts["hoverinfo"] == "skip"


def test_links_critical_by_default_all_on_demand_none_in_summaries(plan) -> None:
    rows, links = plan
    default = build_gantt(rows, links, PHASES)
    lines = [t for t in default["data"] if t["name"] == "Critical path links"][0]
    # two critical links, three points and a gap each: a → b (FS), a → c (SS from a's start)
    assert lines["x"] == [
        "2026-03-05",
        "2026-03-05",
        "2026-03-05",
        None,
        "2026-03-02",
        "2026-03-02",
        "2026-03-02",
        None,
    ]
    assert lines["y"] == [2, 3, 3, None, 2, 6, 6, None]
    assert "Other links" not in names(default)
    every = build_gantt(rows, links, PHASES, GanttOptions(arrows="all"))
    other = [t for t in every["data"] if t["name"] == "Other links"]
    assert len(other) == 2  # the lines and their arrowheads
    # FF+1 from b's finish to m: arrives at m's diamond
    assert other[0]["x"][:3] == ["2026-03-12", "2026-03-12", "2026-03-12"]
    none = build_gantt(rows, links, PHASES, GanttOptions(arrows="none"))
    assert not any("links" in n for n in names(none))


def test_phase_windows_gates_overrun_and_today(plan) -> None:
    rows, links = plan
    figure = build_gantt(rows, links, PHASES, GanttOptions(today=date(2026, 3, 5)))
    shapes = figure["layout"]["shapes"]
    bands = [s for s in shapes if s["type"] == "rect"]
    assert [(b["x0"], b["x1"]) for b in bands] == [
        ("2026-02-02", "2026-03-02"),
        ("2026-03-02", "2026-06-10"),
    ]
    gates = [s for s in shapes if s["type"] == "line" and s["line"].get("dash") == "dot"]
    assert [g["x0"] for g in gates] == ["2026-03-02", "2026-06-10"]
    today = [s for s in shapes if s["type"] == "line" and s["x0"] == "2026-03-05"]
    assert len(today) == 1
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert any("Gate 2026-06-09" in t and "+3d overrun" in t for t in texts)
    assert "Today" in texts


def test_more_than_the_limit_collapses_into_workstream_summaries(monkeypatch, plan) -> None:
    rows, links = plan
    monkeypatch.setattr(gantt, "AGGREGATE_ABOVE", 3)
    figure = build_gantt(rows, links, PHASES, GanttOptions(baseline_name="B"))
    assert figure["layout"]["meta"]["summary"] is True
    assert "Milestones" not in names(figure)
    assert not any("links" in n for n in names(figure))
    # the sales group holds a late-free mix of done and in progress; data holds a late item
    assert decode(layer(figure, "In progress")["y"]) == [1]
    assert decode(layer(figure, "Late")["y"]) == [2]
    assert figure["layout"]["yaxis"]["ticktext"] == [
        "<b>Phase one</b>",
        "<i>sales</i>",
        "<i>data</i>",
    ]
    summary = build_gantt(rows, links, PHASES, GanttOptions(summary=True))
    assert summary["layout"]["meta"]["summary"] is True


def test_a_tall_chart_opens_on_the_current_phase() -> None:
    start = date(2026, 3, 2)
    rows = [
        Row(
            i,
            f"t{i}",
            phase_key="p0" if i < 150 else "p1",
            workstream=f"ws{i % 3}",
            early_start=start,
            early_finish=start,
        )
        for i in range(300)
    ]
    phases = [
        Phase("p0", "Zero", date(2026, 1, 1), date(2026, 3, 1), "diagnosis", 0),
        Phase("p1", "One", date(2026, 3, 2), date(2026, 6, 9)),
    ]
    figure = build_gantt(rows, [], phases, GanttOptions(today=date(2026, 4, 1)))
    layout = figure["layout"]
    first = layout["meta"]["firstRow"]
    assert layout["yaxis"]["ticktext"][layout["yaxis"]["tickvals"].index(first)] == "<b>One</b>"
    assert layout["yaxis"]["range"] == [first + gantt.VIEW_ROWS - 0.5, first - 0.5]
    labelled_items = [t for t in layout["yaxis"]["ticktext"] if not t.startswith("<")]
    assert len(labelled_items) < gantt.VIEW_ROWS  # the rest are labelled by gantt.js
    assert layout["height"] < 1300


def test_json_is_compact_and_safe_inside_a_script_tag(plan) -> None:
    rows, links = plan
    rows[0].name = "</script><script>alert(1)</script> & more"
    text = figure_json(build_gantt(rows, links, PHASES))
    assert "<" not in text and ">" not in text and "&" not in text
    back = json.loads(text)
    assert back["data"][1]["customdata"][0][0].startswith("&lt;/script&gt;")
    assert ", " not in text[:200]  # no padding


def test_no_rows_says_so() -> None:
    figure = build_gantt([], [], PHASES)
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert "No work items match these filters." in texts
    assert figure["data"] == []


def test_labels_can_be_translated(plan) -> None:
    rows, links = plan
    figure = build_gantt(rows, links, PHASES, GanttOptions(labels={"done": "已完成"}))
    assert "已完成" in names(figure)
