"""The main journeys, each in English and in Chinese, in a real browser.

The journeys of one area are in test_<area>_journeys.py beside this file.
"""

from __future__ import annotations

import re

OTHER = {"en": "zh", "zh": "en"}
HTML_LANG = {"en": "en", "zh": "zh-CN"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_sign_in_and_open_the_demo_overview(journey) -> None:
    page = journey.page
    journey.goto("/login")
    assert "lead@demo.example" in page.inner_text("body")  # demo mode lists the accounts
    journey.shot("login")
    journey.sign_in("lead", with_form=True)
    page.click("text=Northwind Industrial")
    page.wait_for_selector(".stage-card")
    assert page.locator(".stage-card").count() == 5
    # each stage's window: two days shown the reader's way, machine-readable in <time>
    windows = page.locator(".stage-window")
    for n in range(windows.count()):
        days = (
            windows.nth(n)
            .locator("time")
            .evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
        )
        assert len(days) == 2 and days[0] <= days[1], days
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in days), days
        assert "→" in windows.nth(n).inner_text()
    journey.shot("overview")
    journey.check_page()


def test_create_a_program_from_a_playbook(journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    journey.goto("/programs/new")
    journey.shot("form")
    name = journey.t("Browser rollout", "浏览器试点推广")
    client = journey.t("Contoso", "康拓索")
    journey.fill("input[name=name]", name)
    journey.fill("input[name=client]", client)
    page.fill("input[name=start_date]", "2027-01-04")
    page.select_option("select[name=playbook]", "small-business-quick-start@1.0")
    journey.data.add(name, client)
    page.click("input[type=submit][name=submit], button[type=submit][name=submit]")
    page.wait_for_selector(".stage-card")
    assert name in page.inner_text("h1")
    assert page.locator(".stage-card").count() == 3
    journey.shot("created")
    journey.check_page()


def test_switch_language_with_the_header_selector(journey) -> None:
    page = journey.page
    journey.sign_in("member")
    program_id = journey.open_program()
    path = f"/programs/{program_id}/plan/phases"
    journey.goto(path)
    tabs_before = page.locator(".nav-link").all_inner_texts()
    other = OTHER[journey.lang]

    journey.use_language(other)
    assert journey.where() == path  # the same page, now in the other language
    assert page.get_attribute("html", "lang") == HTML_LANG[other]
    tabs_after = page.locator(".nav-link").all_inner_texts()
    assert tabs_after != tabs_before
    assert bool(CJK.search(" ".join(tabs_after))) == (other == "zh")
    journey.shot(f"switched-to-{other}")

    # the choice holds on the next page
    journey.goto(f"/programs/{program_id}/risks")
    assert page.get_attribute("html", "lang") == HTML_LANG[other]
    journey.shot(f"next-page-{other}")

    journey.use_language(journey.lang)
    assert page.locator(".nav-link").all_inner_texts() != tabs_after
    journey.check_page()


def test_the_language_choice_is_remembered_per_user(journey) -> None:
    """Chosen once, the language holds in the next session, whatever the browser asks for."""
    page = journey.page
    other = OTHER[journey.lang]
    journey.sign_in("viewer", with_form=True)
    journey.use_language(other)
    with page.expect_navigation():
        page.locator("form[action$='/logout'] button[type=submit]").click()

    journey.restart()  # another day: a fresh session, the browser still asks for journey.lang
    page = journey.page
    journey.goto("/login")
    page.fill("input[name=email]", "viewer@demo.example")
    page.fill("input[name=password]", "demo-password")
    page.click("input[type=submit], button[type=submit] >> nth=-1")
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.get_attribute("html", "lang") == HTML_LANG[other], (
        f"signed in again: the page is in {page.get_attribute('html', 'lang')}, "
        f"but the user chose {HTML_LANG[other]}"
    )
    journey.shot("remembered")
    # put it back for whoever uses the account next
    journey.use_language(journey.lang)
    journey.check_page()
