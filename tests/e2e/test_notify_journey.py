"""Keeping people informed in a real browser: the lead mentions a colleague in a comment
(picked from the completion list), and the colleague's bell counts one more."""

from __future__ import annotations

import re


def _bell_count(journey) -> int:  # type: ignore[no-untyped-def]
    journey.goto("/notifications")
    badge = journey.page.locator("[data-testid=bell-count]")
    return int(re.sub(r"\D", "", badge.inner_text())) if badge.count() else 0


def test_a_mention_rings_the_colleagues_bell(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    journey.sign_in("member")
    before = _bell_count(journey)
    journey.shot("bell-before")

    journey.restart()
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.open_program()
    journey.goto(f"/programs/{program_id}/risks")
    page.locator("main table a[href*='/risks/']").first.click()
    page.wait_for_url(re.compile(r"/risks/\d+$"))
    box = page.locator("form.mention-form textarea")
    box.click()
    box.type(journey.t("Could you check the figures, @mem", "请核对一下数据，@mem"))
    option = page.locator(".mention-menu button", has_text="@member")
    option.wait_for()
    journey.shot("mention-completion")
    box.press("Tab")
    assert "@member " in box.input_value()
    box.type(journey.t("before **Friday**?", "周五前可以吗？"))
    journey.submit(page.locator("form.mention-form"))
    comment = page.locator("[data-testid=comment]").last
    assert "@member" in comment.inner_text()
    journey.shot("comment-thread")
    journey.check_page()

    journey.restart()
    page = journey.page
    journey.sign_in("member")
    assert _bell_count(journey) == before + 1
    first = page.locator("[data-testid=notification]").first
    assert journey.t("mentioned you in a comment on", "的评论中提到了您") in first.inner_text()
    journey.shot("notifications")
    journey.check_page()
    first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/risks/\d+"))
    assert "#comment-" in page.url
    assert _bell_count(journey) == before


def test_the_lead_reads_settings_webhooks_and_gate_evidence(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.open_program()
    journey.goto("/notifications/preferences")
    assert page.locator("input[type=checkbox][name$='-mentioned-email']").count() >= 1
    journey.shot("preferences")
    journey.goto(f"/programs/{program_id}/notify")
    journey.shot("webhooks")
    journey.goto(f"/programs/{program_id}/gates")
    for ordinal in range(0, 4):
        journey.goto(f"/programs/{program_id}/gates/{ordinal}")
        if page.locator("[data-testid=attachments] a").count():
            break
    assert "foundation-gate-signoff.txt" in page.locator("[data-testid=attachments]").inner_text()
    journey.shot("gate-evidence")
    journey.goto(f"/programs/{program_id}/history?entity=comment")
    assert page.locator("table.history-table tbody tr").count() >= 1
    journey.shot("history-comments")
    journey.check_page()
