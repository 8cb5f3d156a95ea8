"""The RAID log in a real browser, in English and in Chinese: a member raises an issue and
moves it on (a skipped step is refused in the page's language), requests a change and reads
its impact; steering approves it and the log shows the decision."""

from __future__ import annotations

import re


def test_an_issue_and_a_change_request_through_the_raid_log(journey) -> None:  # type: ignore[no-untyped-def]
    page = journey.page
    journey.sign_in("member")
    program_id = journey.open_program()
    journey.goto(f"/programs/{program_id}/raid")
    assert page.locator(".raid-counts .card").count() == 5
    journey.shot("log")

    page.click(f"a[href='/programs/{program_id}/raid/issues/new']")
    title = journey.t("Quote approvals wait for the regional heads", "报价审批等待区域负责人")
    journey.fill("input[name=title]", title)
    page.select_option("select[name=severity]", "high")
    journey.fill("input[name=risks]", "R-12")
    journey.submit(page.locator("form:has(input[name=title])"))
    assert page.locator("h1", has_text=title).count() == 1
    journey.shot("issue")
    page.click("button[name=status][value=in_progress]")
    page.wait_for_load_state()
    assert page.locator("button[name=status][value=resolved]").count() == 1
    page.click("button[name=status][value=resolved]")  # without a resolution: refused
    page.wait_for_load_state()
    refusal = journey.t("Say how the issue was resolved", "请说明问题是如何解决的")
    assert page.locator(".invalid-feedback, .alert-danger", has_text=refusal).count() >= 1
    journey.check_page()

    journey.goto(f"/programs/{program_id}/raid/changes/new")
    change = journey.t("Two more training days for the call centre", "呼叫中心增加两天培训")
    journey.fill("input[name=title]", change)
    page.select_option("select[name=kind]", "add_work")
    page.select_option("select[name=work_item]", "quoting-training")
    journey.fill("input[name=days]", "2")
    journey.fill("input[name=requester]", journey.t("Service manager", "服务经理"))
    journey.submit(page.locator("form:has(input[name=title])"))
    assert page.locator("#impact-h").count() == 1
    assert page.locator("table.raid-gates tbody tr").count() >= 4
    journey.shot("impact")
    journey.check_page()
    url = page.url

    journey.restart()
    journey.sign_in("steering")
    page = journey.page
    page.goto(url)
    journey.fill(
        "textarea[name=rationale]", journey.t("Training is the cheapest fix", "培训是最省的办法")
    )
    page.click("form.raid-decide input[name=approve]")
    page.wait_for_load_state()
    assert page.locator("#change-h .badge", has_text=journey.t("Approved", "已批准")).count() == 1
    journey.shot("approved")
    key = re.search(r"CR-\d+", page.locator("h1").inner_text())
    assert key
    journey.goto(f"/programs/{program_id}/raid?kind=decision")
    assert page.locator("table.raid-table", has_text=key.group(0)).count() == 1
    journey.check_page()
