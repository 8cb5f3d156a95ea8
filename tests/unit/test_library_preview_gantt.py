"""A playbook preview's Gantt (planner/services/library/preview_gantt.py): the steering pack's
renderer on the preview's schedule, in the reader's language."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from flask_babel import force_locale

from planner.charts.gantt_scene import COLOURS, ROW, Poly, Rect, Text
from planner.config import SHIPPED_PLAYBOOKS
from planner.domain.playbook import load_playbook, parse_playbook
from planner.services import library as service
from planner.services.library.preview_gantt import preview_chart
from tests.unit.test_library_parts import TINY


def chart_of(app, result, lang="en"):  # type: ignore[no-untyped-def]
    with app.app_context(), force_locale("zh_Hans_CN" if lang == "zh" else "en"):
        chart = preview_chart(result, lang)
    assert chart is not None
    return chart


def item_rows(scene) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """An item's name → the top of its row (item names are indented 24 px in the grid)."""
    return {s.text: s.y - ROW / 2 for s in scene.shapes if isinstance(s, Text) and s.x == 24}


@pytest.fixture(scope="module")
def tiny_result():  # type: ignore[no-untyped-def]
    return service.preview(parse_playbook(TINY), date(2026, 3, 2), "en")  # a Monday


def test_a_bar_per_task_at_its_scheduled_days(app, tiny_result) -> None:
    scene = chart_of(app, tiny_result).scene
    rows = item_rows(scene)
    assert set(rows) == {r.name for r in tiny_result.rows}
    bars = {
        name: next(
            s for s in scene.shapes
            if isinstance(s, Rect) and s.y == y + 5 and s.h == 13 and s.stroke is None
        )
        for name, y in rows.items()
        if name != "Roadmap agreed"
    }  # fmt: skip
    tasks = {r.name: r for r in tiny_result.rows if r.kind == "task"}
    assert set(bars) == set(tasks)
    # one scale: a bar is as long as its calendar days, placed by its start day
    first = tasks["Interviews"]
    per_day = bars["Interviews"].w / ((first.early_finish - first.early_start).days + 1)
    for name, row in tasks.items():
        days = (row.early_finish - row.early_start).days + 1
        assert bars[name].w == pytest.approx(days * per_day)
        offset = (row.early_start - first.early_start).days * per_day
        assert bars[name].x - bars["Interviews"].x == pytest.approx(offset)
    words = {s.text for s in scene.shapes if isinstance(s, Text)}
    assert "Mar 2, 26 – Mar 6, 26" in words  # Interviews, in the grid's dates column


def test_critical_items_are_outlined_and_the_milestone_is_a_diamond(app, tiny_result) -> None:
    scene = chart_of(app, tiny_result).scene
    rows = item_rows(scene)
    critical = {r.name for r in tiny_result.rows if r.critical}
    assert critical == {"Build"}
    outlined = [s for s in scene.shapes if isinstance(s, Rect) and s.stroke == COLOURS["critical"]]
    outlined_rows = {name for name, y in rows.items() for s in outlined if s.y == y + 5}
    assert outlined_rows == critical
    diamonds = [s for s in scene.shapes if isinstance(s, Poly) and len(s.points) == 4 and s.fill]
    milestone_y = rows["Roadmap agreed"] + ROW / 2 - 1
    assert any(s.points[1][1] == milestone_y for s in diamonds)


def test_only_the_critical_paths_links_are_drawn_in_red(app) -> None:
    playbook = load_playbook(SHIPPED_PLAYBOOKS / "crm-four-100-days-v1.1.yaml")
    result = service.preview(playbook, date(2026, 1, 5), "en")
    critical_links = [link for link in result.links if link.critical]
    assert 0 < len(critical_links) < len(result.links)
    scene = chart_of(app, result).scene
    arrows = [
        s for s in scene.shapes if isinstance(s, Poly) and s.fill is None and len(s.points) == 4
    ]
    assert len(arrows) == len(critical_links)
    assert {s.stroke for s in arrows} == {COLOURS["critical"]}


def test_the_chart_speaks_chinese(app) -> None:
    result = service.preview(parse_playbook(TINY), date(2026, 3, 2), "zh")
    chart = chart_of(app, result, "zh")
    words = {s.text for s in chart.scene.shapes if isinstance(s, Text)}
    assert {"诊断", "名称", "关键", "已计划"} <= words  # phase, grid heading, legend
    assert "26年3月2日 – 26年3月6日" in words
    assert "Critical" not in words and "Name" not in words
    assert "诊断" in chart.svg and "<title>" in chart.svg


def test_the_svg_is_inline_safe_and_a_plan_without_items_has_none(app, tiny_result) -> None:
    svg = str(chart_of(app, tiny_result).svg)
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert " style=" not in svg and "<script" not in svg and "<style" not in svg
    empty = dataclasses.replace(tiny_result, rows=[], links=[])
    with app.app_context(), force_locale("en"):
        assert preview_chart(empty, "en") is None
