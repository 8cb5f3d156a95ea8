"""Every page on a phone (390×844) and a tablet (768×1024), in English and Chinese (issue 20).

The tour of tests/e2e/test_page_tour.py finds the pages (every GET route, reached by following
links in the demo program); here each page is opened once and looked at in both sizes:

- the page itself never scrolls sideways (``document.scrollingElement.scrollWidth`` is at
  most the window's width): wide tables scroll inside their own box;
- the site's header takes at most 15 % of the screen's height (its menu collapsed);
- no text is cut: no element that clips its content (``overflow: hidden`` or ``clip``,
  ``text-overflow: ellipsis``) holds text wider or taller than itself.

A screenshot of each page, size and language lands in test-output/e2e/
(small_screens-<lang>-<width>-<page>.png), with small_screens-<lang>.txt listing findings.
The collapsed menu and the one-row program tabs are checked by a journey of their own.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import OUTPUT, Journey, Session
from tests.e2e.test_page_tour import APP, PAGE_IDS, PROGRAM, PageResult, Tour, _slug

VIEWPORTS = ((390, 844), (768, 1024))
DESKTOP = {"width": 1440, "height": 900}
HEADER_SHARE = 0.15
SETTLE_MS = 3000  # the longest a chart may take to fit the new width
OUTPUT_NAME = "small_screens"
# layout.js has fitted the page to the new width (a page without it, as it is)
FITTED_JS = """(width) => !document.querySelector('script[src*="layout.js"]')
    || document.documentElement.getAttribute('data-fitted-width') === String(width)"""
# the handout is printed, not looked at on a screen
SIZED_PAGES = [p for p in PAGE_IDS if not p.endswith("@print")]

MEASURE_JS = """() => {
  const width = window.innerWidth;
  const header = document.querySelector('nav.planner-nav');
  const cut = [];
  const clips = (style) => ['hidden', 'clip'].includes(style.overflowX)
    || ['hidden', 'clip'].includes(style.overflowY) || style.textOverflow === 'ellipsis';
  for (const el of document.querySelectorAll('body *')) {
    const skip = 'svg, .visually-hidden, [aria-hidden="true"], script, style, template';
    if (el.closest(skip)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    if (!clips(style) || style.display === 'none' || style.visibility === 'hidden') continue;
    // text hidden on purpose for screen readers only (a 1 px box, as .visually-hidden)
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2) {
      cut.push(el.tagName.toLowerCase() + ': ' + el.textContent.trim().slice(0, 40));
    }
  }
  return {
    scrollWidth: document.scrollingElement.scrollWidth,
    width: width,
    height: window.innerHeight,
    header: header ? header.getBoundingClientRect().height : 0,
    cut: cut.slice(0, 5),
  };
}"""


class SizeTour(Tour):
    """The page tour, measuring each page at the phone's and the tablet's size."""

    def visit(self, page_id: str, url: str, *, harvest: bool = True) -> PageResult:
        from playwright.sync_api import Error as PlaywrightError

        page = self.journey.page
        started = time.monotonic()
        result = PageResult(url, None)
        try:
            response = page.goto(self.journey.base_url + url)
            result.status = response.status if response is not None else None
            self._measure(page_id, result)
        except PlaywrightError as exc:
            result.problems.append(f"the page could not be checked: {exc}")
        finally:
            page.set_viewport_size(DESKTOP)
        result.seconds = time.monotonic() - started
        self.results[page_id] = result
        if harvest:
            self.harvest()
        return result

    def recheck(self, page_id: str, prepare: Callable[[], None]) -> PageResult:
        prepare()
        result = PageResult(self.journey.where(), 200)
        if page_id in SIZED_PAGES:
            try:
                self._measure(page_id, result)
            finally:
                self.journey.page.set_viewport_size(DESKTOP)
        self.results[page_id] = result
        return result

    def _measure(self, page_id: str, result: PageResult) -> None:
        page = self.journey.page
        for width, height in VIEWPORTS:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function(FITTED_JS, arg=width, timeout=SETTLE_MS)
            self._settle_width()
            found: dict[str, Any] = page.evaluate(MEASURE_JS)
            size = f"{width}×{height}"
            if found["scrollWidth"] > found["width"]:
                result.problems.append(
                    f"{size}: the page scrolls sideways ({found['scrollWidth']} px wide)"
                )
            if found["header"] > HEADER_SHARE * found["height"]:
                result.problems.append(
                    f"{size}: the header takes {found['header']:.0f} px of {found['height']}"
                )
            result.problems += [f"{size}: text cut — {c}" for c in found["cut"]]
            OUTPUT.mkdir(parents=True, exist_ok=True)
            shot = OUTPUT / f"{OUTPUT_NAME}-{self.lang}-{width}-{_slug(page_id)}.png"
            page.screenshot(path=str(shot))

    def _settle_width(self) -> None:
        """Give charts time to draw again at the new width (plotly relayouts after a resize,
        later on a loaded machine); a page still too wide after that is measured as it is."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.journey.page.wait_for_function(
                "() => document.scrollingElement.scrollWidth <= window.innerWidth",
                timeout=SETTLE_MS,
            )
        except PlaywrightTimeout:
            pass

    def write_summary(self) -> None:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        lines = []
        for page_id, r in self.results.items():
            lines.append(f"{page_id}\t{r.url}\t{r.status}\t{r.seconds:.2f}s\t{len(r.problems)}")
            lines += [f"    {p}" for p in r.problems]
        path = OUTPUT / f"{OUTPUT_NAME}-{self.lang}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module", params=["en", "zh"])
def sized(request, e2e: Session) -> Iterator[SizeTour]:  # type: ignore[no-untyped-def]
    journey = Journey(e2e, request.param, OUTPUT_NAME)
    tour = SizeTour(request.param, journey, APP.url_map.bind("localhost"))
    try:
        tour.run()
        yield tour
    finally:
        journey.close()
        tour.write_summary()


@pytest.mark.parametrize("page_id", SIZED_PAGES)
def test_page_fits_a_phone_and_a_tablet(sized: SizeTour, page_id: str) -> None:
    result = sized.results.get(page_id)
    if result is None:
        pytest.fail(f"{page_id}: the tour did not reach this page (see test_page_tour.py)")
    assert not result.problems, f"{page_id} ({result.url}):\n" + "\n".join(result.problems)


def test_phone_menu_collapses_and_program_tabs_keep_one_row(journey: Journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    journey.open_program(PROGRAM)
    page.set_viewport_size({"width": 390, "height": 844})
    toggler = page.locator(".planner-nav .navbar-toggler")
    menu = page.locator("#planner-menu")
    assert toggler.is_visible() and not menu.is_visible()
    assert toggler.get_attribute("aria-expanded") == "false"
    toggler.click()
    assert menu.is_visible() and toggler.get_attribute("aria-expanded") == "true"
    programs = page.locator("#planner-menu a.nav-link").first
    assert programs.is_visible()
    page.keyboard.press("Escape")
    assert not menu.is_visible() and toggler.get_attribute("aria-expanded") == "false"
    # keyboard: the toggler is a button, Enter opens the menu
    toggler.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible()

    page.goto(journey.base_url + journey.where().split("?")[0] + "/reviews")
    tabs = page.locator(".program-tabs")
    box = tabs.bounding_box()
    first = page.locator(".program-tabs .nav-link").first.bounding_box()
    assert box is not None and first is not None
    assert box["height"] < 2 * first["height"], "the program tabs wrap onto several rows"
    assert tabs.evaluate("(el) => el.scrollWidth > el.clientWidth")  # they scroll instead
    current = page.locator(".program-tabs .nav-link.active").bounding_box()
    assert current is not None and 0 <= current["x"] and current["x"] + current["width"] <= 390
    assert re.search(r"/reviews$", page.url)
    journey.check_page()
