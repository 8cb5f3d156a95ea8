"""Adding a work item: the key is proposed from the name as it is typed, stays editable,
and a key the user typed is theirs (issue 20). On a phone, in English and Chinese."""

from __future__ import annotations

import re

from tests.e2e.conftest import Journey


def test_the_key_follows_the_name_until_the_user_types_one(journey: Journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.open_program()
    page.set_viewport_size({"width": 390, "height": 844})
    journey.goto(f"/programs/{program_id}/plan/items/new")
    key = page.locator("input[name=key]")
    assert key.input_value() == ""

    page.locator("input[name=name]").press_sequentially("Train the key users", delay=10)
    page.wait_for_function("() => document.querySelector('[name=key]').value !== ''")
    assert key.input_value() == "train-key-users"

    # a Chinese name: no transliteration, a numbered key
    journey.fill("input[name=name]", "培训关键用户")
    page.locator("input[name=name]").dispatch_event("input")
    page.wait_for_function("() => /^item-\\d+$/.test(document.querySelector('[name=key]').value)")

    # the user's own key is kept whatever the name becomes
    own = f"kick-off-{journey.lang}"  # the other language's run added its own
    key.fill(own)
    page.locator("input[name=name]").press_sequentially(" 2", delay=10)
    page.wait_for_timeout(600)
    assert key.input_value() == own

    journey.fill("input[name=name]", journey.t("Key users trained", "关键用户培训完成"))
    journey.submit(page.locator("form:has(input[name=key])"), "[type=submit][name=submit]")
    assert re.search(r"/plan/items/\d+$", page.url)
    assert own in page.inner_text("main")
    journey.check_page()
