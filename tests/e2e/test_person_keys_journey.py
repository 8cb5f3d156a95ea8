"""A person's page on a phone: what they own is a card per thing, each key on its own line,
wrapped only where it has a hyphen (never in the middle of a word), and the page never
scrolls sideways (390 px, English and Chinese)."""

from __future__ import annotations

import re

from tests.e2e.conftest import Journey

LINES_JS = """() => [...document.querySelectorAll('.person-owns a.item-key')].map((a) => {
  const range = document.createRange();
  range.selectNodeContents(a);
  const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
  return {key: a.textContent, lines: tops.size, width: a.getBoundingClientRect().width};
})"""


def test_owned_keys_wrap_at_hyphens_and_the_page_stays_in_the_screen(journey: Journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.open_program()
    page.set_viewport_size({"width": 390, "height": 844})
    journey.goto(f"/programs/{program_id}/people")
    link = page.locator("a[href*='/people/']", has_text=re.compile("Wang Fang")).first
    link.click()
    page.wait_for_load_state()
    assert re.search(r"/people/\d+$", page.url)
    keys = page.evaluate(LINES_JS)
    assert len(keys) >= 10, keys  # the project lead owns much of the plan
    for key in keys:
        # on its own line of the card, every key of the demo fits whole: none is cut in a word
        assert key["lines"] == 1, key
        assert key["width"] <= 390, key
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    journey.shot("person-phone")
    journey.check_page()
