"""The Gantt drawn in Python (planner/charts/gantt_scene.py, gantt_render.py): the page's
layout and colour rules on the page's payload, as SVG and PNG."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image

from planner.charts.gantt_data import DataCalendar, DataLink, gantt_columns
from planner.charts.gantt_render import to_png, to_svg
from planner.charts.gantt_scene import COLOURS, Line, Poly, Rect, SceneTexts, Text, gantt_scene
from tests.unit.test_gantt_data import Driver, Phase, Row


def payload(n_streams: int = 2, per_stream: int = 3) -> dict:  # type: ignore[type-arg]
    rows = []
    for s in range(n_streams):
        for k in range(per_stream):
            i = len(rows) + 1
            start = date(2026, 3, 2 + 2 * k)
            rows.append(
                Row(i, f"k{i}", workstream=f"ws{s}", name=f"Task {i} 数据迁移",
                    early_start=start, early_finish=start.replace(day=start.day + 1),
                    critical=k == 0, status="late" if k == 2 else "not_started",
                    baseline_start=date(2026, 3, 2), baseline_finish=date(2026, 3, 3))
            )  # fmt: skip
    rows.append(Row(99, "m", kind="milestone", workstream="ws0", name="Go live",
                    early_start=date(2026, 3, 20), early_finish=date(2026, 3, 20),
                    constraint_type="SNET", constraint_date=date(2026, 3, 20)))  # fmt: skip
    rows.sort(key=lambda r: (r.workstream, r.early_start))
    links = [DataLink(7, 1, 2, "FS", 0, True), DataLink(8, 2, 99, "FS", 0, False)]
    phases = [Phase("P1", "Build 构建", date(2026, 3, 1), date(2026, 3, 27), driver=Driver([2], 0))]
    return gantt_columns(
        rows, links, phases, versions={}, driving=frozenset({2}),
        calendar=DataCalendar(frozenset({0, 1, 2, 3, 4}), [date(2026, 3, 5)], []),
        today=date(2026, 3, 9), status_date=date(2026, 3, 9), finish=date(2026, 3, 20),
    )  # fmt: skip


def texts_of(scene) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in scene.shapes if isinstance(s, Text)]


def test_every_item_when_it_fits_with_the_pages_marks() -> None:
    data = payload()
    scene = gantt_scene(data, SceneTexts(legend=(("done", "Done"), ("today", "Today"))))
    assert scene.level == "items" and scene.rows == 1 + 2 + 7
    words = texts_of(scene)
    for name in data["items"]["name"]:
        assert name in words  # in the grid (and beside the bar when there is room)
    assert "Build 构建" in words and "ws0" in words and "Done" in words
    fills = {s.fill for s in scene.shapes if isinstance(s, Rect)}
    strokes = {s.stroke for s in scene.shapes if isinstance(s, Rect)}
    assert {COLOURS["late"], COLOURS["not_started"], COLOURS["baseline"]} <= fills
    assert COLOURS["critical"] in strokes and COLOURS["driving"] in strokes
    lines = [s for s in scene.shapes if isinstance(s, Line)]
    assert any(s.colour == COLOURS["today"] and s.width == 2 for s in lines)
    assert any(s.colour == COLOURS["gate"] and s.dash for s in lines)
    polys = [s for s in scene.shapes if isinstance(s, Poly)]
    assert any(len(p.points) == 4 and p.fill for p in polys)  # the milestone's diamond
    assert any(p.stroke == COLOURS["snet"] for p in polys)  # its start-no-earlier-than
    arrows = [p for p in polys if p.stroke in (COLOURS["critical"], COLOURS["link"])]
    assert len([a for a in arrows if len(a.points) == 4]) == 2  # both links, one critical


def test_a_big_plan_shows_its_summaries() -> None:
    data = payload(n_streams=6, per_stream=5)
    streams = gantt_scene(data, SceneTexts(), max_rows=12)
    assert streams.level == "workstreams" and streams.rows <= 12
    assert "ws5" in texts_of(streams)
    phases = gantt_scene(data, SceneTexts(), max_rows=4)
    assert phases.level == "phases" and phases.rows == 1
    assert not any(name in texts_of(phases) for name in data["items"]["name"])


def test_the_axis_speaks_the_readers_language() -> None:
    texts = SceneTexts(month=lambda d: f"{d.month}月", year=lambda d: f"{d.year}年",
                       day_month=lambda d: f"{d.month}月{d.day}日",
                       month_year=lambda d: f"{d.year}年{d.month}月")  # fmt: skip
    words = texts_of(gantt_scene(payload(), texts))  # three weeks: months over days
    assert "2026年3月" in words and "16" in words
    wide = texts_of(gantt_scene(payload(), texts, width=700))  # weeks under months
    assert "2026年3月" in wide and "3月9日" in wide


def test_svg_and_png_carry_the_same_drawing() -> None:
    scene = gantt_scene(payload(), SceneTexts())
    svg = to_svg(scene, title="Gantt")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Task 1 数据迁移" in svg and "Noto Sans CJK SC" in svg
    assert 'fill-opacity="0.45"' in svg  # rgba() as SVG 1.1 opacity, for WeasyPrint
    assert svg.count("<text") == len(texts_of(scene))
    image = Image.open(io.BytesIO(to_png(scene, scale=2)))
    assert image.size == (round(scene.width * 2), round(scene.height * 2))
    rgb = image.convert("RGB")
    colours = {rgb.getpixel((x, y)) for x in range(0, image.size[0], 3)
               for y in range(0, image.size[1], 3)}  # fmt: skip
    assert (0xE8, 0x89, 0x2B) in colours  # a late bar, drawn
