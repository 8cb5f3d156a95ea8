"""Risks, steering reviews, metrics and gates in a real browser, in English and in Chinese."""

from __future__ import annotations

import re
from datetime import date, timedelta

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _heat_count(page, which: int, likelihood: int, impact: int) -> int:
    """The count in a heat-map table (0: inherent, 1: residual) for one cell."""
    text = page.evaluate(
        """([which, lk, im]) => {
            const table = document.querySelectorAll('table.heat-table')[which];
            const row = [...table.tBodies[0].rows]
                .find((r) => r.cells[0].textContent.trim().startsWith(String(lk)));
            return row.cells[im].textContent;
        }""",
        [which, likelihood, impact],
    )
    return int(text.strip())


def test_a_new_risk_shows_in_the_heat_map(journey) -> None:
    page = journey.page
    journey.sign_in("member")
    program_id = journey.open_program()
    register = f"/programs/{program_id}/risks"
    journey.goto(register)
    before = _heat_count(page, 0, 5, 5)

    journey.goto(f"{register}/new")
    title = journey.t("Key users leave before the rollout", "关键用户在推广前离职")
    journey.fill("input[name=title]", title)
    journey.fill("input[name=owner]", journey.t("Sales director", "销售总监"))
    page.select_option("select[name=likelihood]", "5")
    page.select_option("select[name=impact]", "5")
    journey.submit(page.locator("form:has(input[name=title])"))
    assert page.locator("h1, h2", has_text=title).count() >= 1
    journey.shot("added")

    journey.goto(register)
    journey.wait_for_charts()
    assert _heat_count(page, 0, 5, 5) == before + 1
    journey.shot("heat-map")

    # the cell lists the new risk
    journey.goto(f"{register}?cell=5-5-inherent")
    assert page.locator("main table tbody", has_text=title).count() >= 1
    journey.check_page()


def test_a_steering_review_records_a_decision(journey) -> None:
    page = journey.page
    journey.sign_in("steering")
    program_id = journey.open_program()
    journey.goto(f"/programs/{program_id}/reviews")
    # one review a day: each language holds its own meeting
    held_on = (date.today() + timedelta(days=1 if journey.lang == "en" else 2)).isoformat()
    page.fill("input[name=held_on]", held_on)
    journey.fill("input[name=title]", journey.t("Monthly steering meeting", "月度指导委员会会议"))
    journey.fill(
        "textarea[name=attendees]",
        journey.t("Li Wei (sponsor)\nWang Fang (project lead)", "李伟（发起人）\n王芳（项目经理）"),
    )
    journey.submit(page.locator("form:has(input[name=held_on])"))
    # the day as people read it; its ISO form in the heading's <time datetime>
    assert page.locator("h1 time").first.get_attribute("datetime") == held_on
    assert page.locator("table.top-risks tbody tr").count() >= 1
    journey.shot("opened")

    risk_row = page.locator("table.top-risks tbody tr:has(form.decision-form)").first
    row_id = risk_row.get_attribute("id")
    form = risk_row.locator("form.decision-form")
    note = journey.t("Add a data steward in every region", "每个区域增设一名数据管理员")
    form.locator("select[name=decision]").select_option("more_actions")
    journey.fill(form.locator("input[name=note]"), note)
    journey.submit(form)
    assert page.locator(".alert-success").count() == 1
    row = page.locator(f"tr#{row_id}")
    assert row.locator("select[name=decision]").input_value() == "more_actions"
    assert row.locator("input[name=note]").input_value() == note
    journey.shot("decided")
    journey.check_page()


def _current_gate(journey, program_id: int) -> str:
    """The path of the gate of the current phase: the first gate not yet behind us."""
    journey.goto(f"/programs/{program_id}/gates")
    # the gate date as people read it; its ISO day in the <time> element's datetime
    rows = journey.page.eval_on_selector_all(
        "main table tbody tr",
        """rows => rows.map((r) => [
            r.querySelector('a') && r.querySelector('a').getAttribute('href'),
            r.cells.length > 1 && r.cells[1].querySelector('time[datetime]')
                ? r.cells[1].querySelector('time[datetime]').getAttribute('datetime') : ''])""",
    )
    today = date.today().isoformat()
    for href, cell in rows:
        day = DAY.search(cell)
        if href and day and day.group(0) >= today:
            return str(href)
    raise AssertionError(f"no gate ahead of {today}: {rows}")


def _outcomes(page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            "tr[data-criterion]",
            "rows => rows.map((r) => [r.dataset.criterion, r.dataset.outcome])",
        )
    )


def test_a_metric_reading_turns_a_gate_criterion_met(journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    # a program 60 days in: its phase-1 gate waits for adoption readings
    program_id = journey.create_program(
        journey.t("Metrics journey", "指标旅程"),
        journey.t("Tailspin Toys", "东方玩具"),
        (date.today() - timedelta(days=60)).isoformat(),
        "crm-four-100-days@1.0",
    )
    gate = _current_gate(journey, program_id)

    journey.goto(f"/programs/{program_id}/metrics")
    metrics = page.eval_on_selector_all(
        "tr[data-metric]",
        "rows => rows.map((r) => [r.cells[0].querySelector('a').innerText.trim(),"
        " r.cells[0].querySelector('a').getAttribute('href'), r.cells[3].innerText])",
    )
    journey.goto(gate)
    before = _outcomes(page)
    criteria = page.eval_on_selector_all(
        "tr[data-criterion]",
        "rows => rows.map((r) => [r.dataset.criterion, r.cells[0].innerText.trim()])",
    )
    chosen = None
    for criterion_id, text in criteria:
        for name, href, target in metrics:
            if text.startswith(name) and NUMBER.search(target) and before[criterion_id] != "met":
                chosen = (criterion_id, href, NUMBER.search(target).group(0))
                break
        if chosen:
            break
    assert chosen, f"no unmet metric criterion on {gate}: {criteria}"
    criterion_id, metric_url, target = chosen
    journey.shot("gate-before")

    # a reading today that reaches the target of the current phase
    journey.goto(metric_url)
    form = page.locator("form:has(input[name=value])")
    form.locator("input[name=day]").fill(date.today().isoformat())
    form.locator("input[name=value]").fill(target)
    journey.submit(form)
    assert page.locator(".alert-success").count() == 1
    journey.wait_for_charts()
    journey.shot("reading")

    journey.goto(gate)
    after = _outcomes(page)
    assert after[criterion_id] == "met", (before[criterion_id], after[criterion_id])
    met = [v for v in after.values() if v == "met"]
    assert len(met) == len([v for v in before.values() if v == "met"]) + 1
    journey.shot("gate-after")
    journey.check_page()


def test_the_steering_committee_records_a_gate_decision(journey) -> None:
    page = journey.page
    journey.sign_in("steering")
    program_id = journey.open_program()
    gate = _current_gate(journey, program_id)
    journey.goto(gate)
    cards = page.locator("article.decision-card").count()

    form = page.locator("form.decision-form")
    form.locator("input[name=kind][value=conditional_go]").check()
    journey.fill(
        form.locator("input[name=decided_by]"),
        journey.t("Steering committee (chair: Li Wei)", "指导委员会（主席：李伟）"),
    )
    form.locator("input[name=decided_on]").fill(date.today().isoformat())
    journey.fill(
        form.locator("textarea[name=notes]"), journey.t("Go on two conditions.", "有两个条件。")
    )
    journey.fill(
        form.locator("textarea[name=conditions]"),
        journey.t("Duplicates below 3% by the next review.", "下次评审前重复率低于3%。"),
    )
    form.locator("input[name=due]").fill((date.today() + timedelta(days=14)).isoformat())
    journey.submit(form)
    assert page.locator(".alert-success").count() == 1
    assert page.locator("article.decision-card").count() == cards + 1
    latest = page.locator("article.decision-card").first
    assert "k-conditional_go" in (latest.get_attribute("class") or "")
    assert latest.locator("time").first.get_attribute("datetime") == date.today().isoformat()
    journey.shot("decided")
    journey.check_page()
