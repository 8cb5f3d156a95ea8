"""The Gantt of big programs in a real browser, English and Chinese, desktop, phone, tablet.

2,000- and 10,000-item programs are added to the journeys' demo database
(``bench/gantt_programs.py``). A project lead opens them, scrolls to the last item, zooms,
resets and resizes the window — and every name on screen can still be read; then edits on
the chart: drags a bar, stretches one, draws a dependency, draws a cycle (refused, nothing
changed) and undoes, with the mouse and with the keyboard.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bench.gantt_programs import add_programs

READY = "#gx[data-ready]"

# every grid row on screen: its text, the label the model gives its row, whether it is inside
# the visible part of the grid, and whether its name is drawn with some width
VISIBLE_NAMES = """() => {
  const g = window.plannerGantt, box = g.rowsEl.getBoundingClientRect();
  return [...g.rowsEl.querySelectorAll(".gx-row:not([hidden])")].map((el) => {
    const r = Number(el.getAttribute("data-row")), rect = el.getBoundingClientRect();
    const name = el.querySelector(".gx-name");
    return {text: name.textContent, label: g.model.label(g.model.rows[r], g.text),
            inside: rect.bottom > box.top && rect.top < box.bottom,
            width: name.getBoundingClientRect().width, mode: g.root.getAttribute("data-mode")};
  }).filter((row) => row.inside);
}"""

BAR = """async (i) => {
  const g = window.plannerGantt, m = g.model, p = g.painter;
  const frame = () => new Promise((done) => requestAnimationFrame(done));
  g.showItem(i);
  g.main.scrollIntoView({block: "start", behavior: "instant"});
  await frame();
  await frame();  // scrolling settled: the drawing and the hit test use the same offset
  g.render();
  const rect = g.canvas.getBoundingClientRect(), y = rect.top + m.rowOf[i] * 26 - p.top + 13;
  const a = rect.left + p.x(m.items.es[i]), b = rect.left + p.x(m.items.ef[i] + 1);
  return {a: a, b: b, y: y, ppd: p.ppd, es: m.items.es[i], ef: m.items.ef[i],
          dur: m.items.dur[i], ct: m.items.ct[i], key: m.items.key[i], name: m.items.name[i]};
}"""

# not-started tasks of at least 3 days, each in its own workstream, far from the plan's end
CANDIDATES = """() => {
  const m = window.plannerGantt.model, it = m.items, seen = {}, out = [];
  for (let i = 0; i < m.n && out.length < 6; i++) {
    if (it.st[i] !== 2 || it.kind[i] !== 0 || it.dur[i] < 3 || seen[it.ws[i]]) continue;
    seen[it.ws[i]] = true;
    out.push(i);
  }
  return out;
}"""

LINKS = "() => window.plannerGantt.model.data.links.id.length"


@pytest.fixture(scope="module")
def big_programs(server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[int, int]:
    if os.environ.get("PLANNER_E2E_URL"):
        instance = Path(os.environ.get("PLANNER_E2E_INSTANCE", ""))
        if not (instance / "demo.sqlite").exists():
            pytest.skip("set PLANNER_E2E_INSTANCE to the demo's instance folder")
    else:
        instance = next(tmp_path_factory.getbasetemp().glob("e2e-instance*"))
    return add_programs(instance, [2000, 10000])


def _open(journey: Any, program: int) -> None:
    journey.goto(f"/programs/{program}/plan/gantt")
    journey.page.wait_for_selector(READY, timeout=60_000)
    # generated names and workstreams are user data for the language check
    data = journey.page.evaluate(
        "() => { const d = window.plannerGantt.model.data;"
        " return [...d.items.name, ...d.ws, ...d.owners, ...d.phases.name]; }"
    )
    journey.data.add(*data)


def _names_readable(journey: Any, at_least: int = 8) -> list[str]:
    journey.page.evaluate("() => new Promise((done) => requestAnimationFrame(done))")
    rows = journey.page.evaluate(VISIBLE_NAMES)
    assert len(rows) >= at_least, rows
    for row in rows:
        assert row["text"] and row["text"] == row["label"], row
        assert row["width"] > 20, row  # drawn, not squeezed away
    return [row["text"] for row in rows]


def _edits(journey: Any) -> int:
    return int(journey.page.get_attribute("#gx", "data-edits") or 0)


def _wait_edit(journey: Any, count: int) -> None:
    journey.page.wait_for_function(
        f"() => Number(document.querySelector('#gx').getAttribute('data-edits') || 0) >= {count}"
        " && !window.plannerGantt.editor.busy"
    )
    # the data reload after the edit
    journey.page.wait_for_function("() => !document.querySelector('#gx[data-loading]')")


def _drag(journey: Any, x0: float, y0: float, x1: float, y1: float) -> None:
    mouse = journey.page.mouse
    mouse.move(x0, y0)
    mouse.down()
    mouse.move(x1, y1, steps=6)
    mouse.up()


def test_big_programs_read_every_name_through_scroll_zoom_reset_and_resize(
    journey: Any, big_programs: dict[int, int]
) -> None:
    journey.sign_in("lead")
    page = journey.page
    for size, program in sorted(big_programs.items()):
        _open(journey, program)
        assert page.get_attribute("#gx", "data-ready") == str(size)
        first = _names_readable(journey)
        # the wheel over the grid scrolls the rows, in step with the bars
        page.hover(".gx-rows")
        page.mouse.wheel(0, 2600)
        page.wait_for_timeout(200)
        assert _names_readable(journey) != first
        # the last item
        page.evaluate(
            "() => { const s = window.plannerGantt.scroller; s.scrollTop = s.scrollHeight; }"
        )
        names = _names_readable(journey)
        last = page.evaluate(
            "() => { const m = window.plannerGantt.model; "
            "return m.label(m.rows[m.rows.length - 1], window.plannerGantt.text); }"
        )
        assert names[-1] == last
        for zoom in ("day", "month", "quarter", "week"):
            page.click(f"[data-zoom={zoom}]")
            _names_readable(journey)
        page.select_option("#gx-fit", index=2)
        _names_readable(journey)
        page.click("[data-act=reset]")
        _names_readable(journey)
        page.set_viewport_size({"width": 1000, "height": 700})
        page.wait_for_timeout(300)
        _names_readable(journey, at_least=6)
        page.set_viewport_size({"width": 1440, "height": 900})
        page.wait_for_timeout(300)
        _names_readable(journey)
        # search jumps to an item
        wanted = page.evaluate(
            "() => { const m = window.plannerGantt.model;"
            " return m.items.key[Math.floor(m.n * 0.7)]; }"
        )
        page.fill("#gx-q", wanted)
        page.click(".gx-search button[type=submit]")
        page.wait_for_timeout(200)
        assert wanted in page.inner_text(".gx-rows")
        assert wanted in page.inner_text(".gx-status")
        journey.shot(f"gantt-{size}")
    journey.check_page()


def test_edit_on_the_chart_with_mouse_and_keyboard(
    journey: Any, big_programs: dict[int, int]
) -> None:
    journey.sign_in("lead")
    page = journey.page
    program = big_programs[2000]
    _open(journey, program)
    a, b, c, d = page.evaluate(CANDIDATES)[:4]
    # drag a bar: a start-no-earlier-than, what moved, then undo
    bar = page.evaluate(BAR, a)
    _drag(
        journey,
        (bar["a"] + bar["b"]) / 2,
        bar["y"],
        (bar["a"] + bar["b"]) / 2 + 6 * bar["ppd"],
        bar["y"],
    )
    _wait_edit(journey, 1)
    moved = page.evaluate(BAR, a)
    assert moved["ct"] == 1 and moved["es"] >= bar["es"] + 6
    assert page.is_visible(".gx-moved") and bar["key"] in page.inner_text(".gx-moved")
    journey.shot("gantt-dragged")
    page.click("[data-act=undo]")
    _wait_edit(journey, 2)
    back = page.evaluate(BAR, a)
    assert back["ct"] == 0 and back["es"] == bar["es"]
    # stretch a bar by its end
    bar = page.evaluate(BAR, b)
    _drag(journey, bar["b"] - 2, bar["y"], bar["b"] - 2 + 8 * bar["ppd"], bar["y"])
    _wait_edit(journey, 3)
    assert page.evaluate(BAR, b)["dur"] > bar["dur"]
    # draw a dependency from the dot after c to d, choose its type after the drop
    links = page.evaluate(LINKS)
    one, two = page.evaluate(BAR, c), None
    two = page.evaluate(BAR, d)
    one = page.evaluate(BAR, c)
    _drag(journey, one["b"] + 5, one["y"], (two["a"] + two["b"]) / 2, two["y"])
    page.wait_for_selector(".gx-linktype:not([hidden])")
    page.click(".gx-linktype [data-type=SS]")
    _wait_edit(journey, 4)
    assert page.evaluate(LINKS) == links + 1
    # a cycle: d back to c is refused, named, and nothing changes
    journey._refused_pages.add(journey.base_url + f"/programs/{program}/plan/gantt/edits")
    before = page.evaluate("() => Array.from(window.plannerGantt.model.items.es)")
    two = page.evaluate(BAR, d)
    one = page.evaluate(BAR, c)
    _drag(journey, two["b"] + 5, two["y"], (one["a"] + one["b"]) / 2, one["y"])
    page.wait_for_selector(".gx-linktype:not([hidden])")
    page.click(".gx-linktype [data-type=FS]")
    page.wait_for_selector(".gx-status.gx-refused")
    refusal = page.inner_text(".gx-status")
    assert one["key"] in refusal and two["key"] in refusal
    assert journey.t("cycle", "循环") in refusal
    page.wait_for_function("() => !window.plannerGantt.editor.busy")
    page.wait_for_function("() => !document.querySelector('#gx[data-loading]')")
    assert page.evaluate(LINKS) == links + 1
    assert page.evaluate("() => Array.from(window.plannerGantt.model.items.es)") == before
    journey.shot("gantt-cycle-refused")
    # undo the dependency: the last accepted edit
    page.click("[data-act=undo]")
    _wait_edit(journey, 5)
    assert page.evaluate(LINKS) == links
    # the keyboard: choose the item, M, Right x3, Enter; then Ctrl+Z
    page.evaluate(BAR, a)
    page.focus(".gx-main")
    page.keyboard.press("m")
    assert journey.t("Move", "移动") in page.inner_text(".gx-status")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    _wait_edit(journey, 6)
    assert page.evaluate(BAR, a)["ct"] == 1
    page.focus(".gx-main")
    page.keyboard.press("Control+z")
    _wait_edit(journey, 7)
    assert page.evaluate(BAR, a)["ct"] == 0
    # K selects a dependency of the chosen item; Delete removes it; undo brings it back
    page.evaluate(BAR, c)
    page.focus(".gx-main")
    links = page.evaluate(LINKS)
    page.keyboard.press("k")
    page.keyboard.press("Delete")
    _wait_edit(journey, 8)
    assert page.evaluate(LINKS) == links - 1
    page.keyboard.press("Control+z")
    _wait_edit(journey, 9)
    assert page.evaluate(LINKS) == links
    journey.check_page()


@pytest.mark.parametrize("size", [(390, 844), (768, 1024)], ids=["phone", "tablet"])
def test_phone_and_tablet_show_grid_or_bars(
    journey: Any, big_programs: dict[int, int], size: tuple[int, int]
) -> None:
    page = journey.page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    try:
        journey.sign_in("lead")
        _open(journey, big_programs[2000])
        assert page.get_attribute("#gx", "data-mode") == "bars"
        assert page.is_visible(".gx-canvas") and not page.is_visible(".gx-rows")
        journey.shot(f"gantt-{size[0]}-bars")
        # a bar is dragged on the phone too, and undone
        i = page.evaluate(CANDIDATES)[0]
        bar = page.evaluate(BAR, i)
        _drag(
            journey,
            (bar["a"] + bar["b"]) / 2,
            bar["y"],
            (bar["a"] + bar["b"]) / 2 + 4 * bar["ppd"],
            bar["y"],
        )
        _wait_edit(journey, 1)
        assert page.evaluate(BAR, i)["ct"] == 1
        page.click("[data-act=undo]")
        _wait_edit(journey, 2)
        page.click("button[data-mode=grid]")
        assert page.is_visible(".gx-rows") and not page.is_visible(".gx-canvas")
        _names_readable(journey)
        page.evaluate(
            "() => { const s = window.plannerGantt.scroller; s.scrollTop = s.scrollHeight; }"
        )
        _names_readable(journey)
        right = page.evaluate("() => document.querySelector('#gx').getBoundingClientRect().right")
        assert right <= size[0] + 1, right  # the chart does not run off the screen
        journey.shot(f"gantt-{size[0]}-grid")
        journey.check_page()
    finally:
        page.set_viewport_size({"width": 1440, "height": 900})


def test_the_current_view_exports_as_png_and_prints_on_one_a3_sheet(
    journey: Any, big_programs: dict[int, int], tmp_path: Path
) -> None:
    journey.sign_in("lead")
    page = journey.page
    _open(journey, big_programs[2000])
    page.evaluate("() => { const s = window.plannerGantt.scroller; s.scrollTop = 2600; }")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(done))")
    _names_readable(journey)
    with page.expect_download() as download:
        page.click("[data-act=png]")
    png = tmp_path / "gantt.png"
    download.value.save_as(png)
    from PIL import Image

    width, height = Image.open(png).size
    plot = page.evaluate("() => window.plannerGantt.painter.width")
    assert width == 2 * (360 + 170 + plot) and height > 2 * 44 + 2 * 26 * 20  # twice as sharp
    # printing: the same drawing, as many rows of the current view as one A3 sheet holds
    rows = page.evaluate(
        "() => { const g = window.plannerGantt, img = g.q('.gx-print');"
        " img.src = g.snapshot(g.printRows()).toDataURL('image/png'); img.hidden = false;"
        " return g.printRows(); }"
    )
    assert rows >= 25
    page.emulate_media(media="print")
    try:
        pdf = tmp_path / "gantt.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        page.emulate_media(media="screen")
        page.evaluate("() => { window.plannerGantt.q('.gx-print').hidden = true; }")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout and "(A3)" in info.stdout
    journey.check_page()
