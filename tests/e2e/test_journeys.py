"""The main journeys, each in English and in Chinese, in a real browser."""

from __future__ import annotations

import re


def test_sign_in_and_open_the_demo_overview(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    journey.goto("/login")
    assert "lead@demo.example" in page.inner_text("body")  # demo mode lists the accounts
    journey.sign_in("lead")
    page.click("text=Northwind Industrial")
    page.wait_for_selector(".stage-card")
    assert page.locator(".stage-card").count() == 5
    windows = page.locator(".stage-window").all_inner_texts()
    assert all(re.match(r"\d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}", w) for w in windows)
    journey.shot("overview")
    journey.check_page()


def test_create_a_program_from_a_playbook(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    journey.sign_in("lead")
    journey.goto("/programs/new")
    name = f"Browser rollout {journey.lang}"
    page.fill("input[name=name]", name)
    page.fill("input[name=client]", "Contoso")
    page.fill("input[name=start_date]", "2027-01-04")
    page.select_option("select[name=playbook]", "small-business-quick-start@1.0")
    page.click("input[type=submit][name=submit], button[type=submit][name=submit]")
    page.wait_for_selector(".stage-card")
    assert name in page.inner_text("h1")
    assert page.locator(".stage-card").count() == 3
    journey.shot("created")
    journey.check_page()
