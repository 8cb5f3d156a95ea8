"""A maturity assessment in a real browser: score part of it with the keyboard, see the radar."""

from __future__ import annotations

import re
from datetime import date


def test_scoring_part_of_an_assessment_by_keyboard_shows_the_radar(journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.open_program()

    journey.goto(f"/programs/{program_id}/assessment/new")
    title = journey.t("Browser re-assessment", "浏览器复评")
    journey.fill("input[name=title]", title)
    page.fill("input[name=started_on]", date.today().isoformat())
    journey.submit(page.locator("form:has(input[name=title])"), "[type=submit][name=submit]")
    page.wait_for_url(re.compile(r"/assessment/\d+$"))
    assessment = journey.where()
    journey.data.add(title)

    journey.goto(f"{assessment}/interviews/new?level=senior")
    interviewee = journey.t("Zhang Min", "张敏")
    journey.fill("input[name=interviewee]", interviewee)
    journey.fill("input[name=role]", journey.t("Sales director", "销售总监"))
    journey.submit(page.locator("form:has(input[name=interviewee])"), "button[name=then]")
    assert "/score/" in journey.where()
    first_category = journey.where()

    # keys: a digit scores the indicator in focus and moves to the next one
    groups = page.locator("fieldset.score-group")
    assert groups.count() >= 4
    first_radio = groups.nth(0).locator("input[type=radio]:checked")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.type === 'radio'"
    )
    assert first_radio.evaluate("(el) => el === document.activeElement")
    scores = ["3", "2", "4", "1"]
    for key in scores:
        page.keyboard.press(key)
    for index, value in enumerate(scores):
        assert groups.nth(index).locator("input:checked").get_attribute("value") == value
    # the focus moved on to the fifth indicator
    assert (
        groups.nth(4)
        .locator("input[type=radio]")
        .first.evaluate(
            "(el) => el.closest('fieldset') === document.activeElement.closest('fieldset')"
        )
    )
    journey.shot("scoring")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # saves and opens the next category
    assert journey.where() != first_category and "/score/" in journey.where()
    assert page.locator(".alert-success").count() == 1
    assert "4" in page.locator(".alert-success").inner_text()  # four scores saved

    journey.goto(f"{assessment}/results")
    journey.wait_for_charts()
    radar = page.locator("#assessment-radar")
    assert radar.locator(".main-svg").count() >= 1
    assert radar.evaluate("(el) => el.data.some((t) => t.type === 'scatterpolar')")
    journey.shot("radar")
    journey.check_page()
