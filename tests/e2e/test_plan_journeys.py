"""The plan in a real browser: a new task and a dependency move the Gantt and the critical path;
a dependency that would close a cycle is refused with the cycle shown."""

from __future__ import annotations

import re
from datetime import date, timedelta

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _rows(page) -> dict[str, dict[str, object]]:
    """The plan table by key: start, finish, float, whether marked critical, predecessors.

    Days are read from the cells' <time datetime> (ISO); the text is the reader's locale."""
    table = page.eval_on_selector_all(
        "table.plan-table tbody tr",
        """rows => rows.map((r) => [r.className, [...r.cells].map((c) => {
            const day = c.querySelector('time[datetime]');
            return day ? day.getAttribute('datetime') : c.innerText.trim();
        })])""",
    )
    rows: dict[str, dict[str, object]] = {}
    for css, cells in table:
        if len(cells) < 12:
            continue
        start, finish = DAY.search(cells[7]), DAY.search(cells[8])
        rows[cells[0]] = {
            "start": start.group(0) if start else None,
            "finish": finish.group(0) if finish else None,
            "float": cells[11],
            "critical": "row-critical" in css,
            "after": cells[-1],
        }
    return rows


def _gantt_labels(journey, program_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the rows the Gantt shows when it shows the critical path only."""
    journey.goto(f"/programs/{program_id}/plan/gantt?critical=1")
    journey.wait_for_charts()
    return journey.page.evaluate(
        "() => { const m = window.plannerGantt.model;"
        " return m.rows.map((row) => m.label(row, window.plannerGantt.text)); }"
    )


def _next_monday(days_ahead: int) -> str:
    day = date.today() + timedelta(days=days_ahead)
    return (day + timedelta(days=(7 - day.weekday()) % 7)).isoformat()


def _phase_value(page, ordinal: int) -> str:
    for option in page.locator("select[name=phase] option").all():
        if option.inner_text().strip().startswith(f"{ordinal} ·"):
            return str(option.get_attribute("value"))
    raise AssertionError(f"no phase {ordinal} to choose")


def test_a_task_and_a_dependency_move_the_gantt_and_the_critical_path(journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.create_program(
        journey.t("Plan journey", "计划旅程"),
        journey.t("Fabrikam", "华东机械"),
        _next_monday(90),  # ahead of today: nothing has started, no status date interferes
        "crm-four-100-days@1.0",
    )
    plan = f"/programs/{program_id}/plan"
    key = f"e2e-extra-{journey.lang}"
    name = journey.t("Extra data check", "额外数据核对")

    journey.goto(f"{plan}/table")
    before = _rows(page)
    assert before["wave1-data"]["critical"] and before["all-regions-live"]["critical"]
    assert name not in _gantt_labels(journey, program_id)

    # a 15-day task after wave1-data: parallel work with float, nothing else moves
    journey.goto(f"{plan}/items/new")
    page.fill("input[name=key]", key)
    journey.fill("input[name=name]", name)
    page.select_option("select[name=phase]", _phase_value(page, 4))
    page.fill("input[name=duration_days]", "15")
    page.fill("input[name=predecessor]", "wave1-data")
    journey.submit(page.locator("form:has(input[name=key])"), "[type=submit][name=submit]")
    assert page.locator("h2", has_text=name).count() == 1
    assert page.locator(".plan-moves").is_visible()  # the "what moved" report
    journey.shot("item-added")

    journey.goto(f"{plan}/table")
    added = _rows(page)
    item = added[key]
    assert item["start"] and item["finish"], item  # computed dates in the table
    assert str(item["start"]) > str(before["wave1-data"]["finish"])
    assert not item["critical"] and int(str(item["float"])) > 0, item
    assert added["all-regions-live"]["start"] == before["all-regions-live"]["start"]

    # the new task now holds up all-regions-live: it becomes critical and the finish moves
    page.locator("table.plan-table a", has_text=key).click()
    page.wait_for_url(re.compile(r"/plan/items/\d+$"))
    item_url = journey.where()
    form = page.locator("form:has(input[name=successor])")
    form.locator("input[name=predecessor]").fill(key)
    form.locator("input[name=successor]").fill("all-regions-live")
    journey.submit(form)
    assert journey.where() == item_url
    moves = page.locator(".plan-moves")
    assert moves.is_visible()
    assert "all-regions-live" in moves.inner_text()
    assert "project-closed" in moves.inner_text()
    journey.shot("dependency-added")

    journey.goto(f"{plan}/table")
    after = _rows(page)
    assert after[key]["critical"], after[key]
    # a milestone falls on the day its predecessor finishes
    assert str(after["all-regions-live"]["start"]) == str(after[key]["finish"])
    assert str(after["all-regions-live"]["start"]) > str(before["all-regions-live"]["start"])
    assert str(after["project-closed"]["finish"]) > str(before["project-closed"]["finish"])
    journey.shot("table")

    labels = _gantt_labels(journey, program_id)
    assert name in labels, labels
    journey.shot("gantt-critical")
    journey.check_page()


def test_a_dependency_cycle_is_refused_with_the_cycle_shown(journey) -> None:
    page = journey.page
    journey.sign_in("lead")
    program_id = journey.create_program(
        journey.t("Cycle journey", "循环旅程"),
        journey.t("Fabrikam", "华东机械"),
        date.today().isoformat(),
        "small-business-quick-start@1.0",
    )
    plan = f"/programs/{program_id}/plan"
    journey.goto(f"{plan}/table")
    before = _rows(page)
    # the first item that follows another one: link them the other way round
    first, then = None, None
    for key, row in before.items():
        after = str(row["after"]).split(",")[0].split(" ")[0]
        if after in before:
            first, then = after, key
            break
    assert first and then, "the quick-start plan has no dependency"

    journey.goto(f"{plan}/dependencies/new")
    form = page.locator("form:has(input[name=successor])")
    form.locator("input[name=predecessor]").fill(then)
    form.locator("input[name=successor]").fill(first)
    response_status = []
    page.on(
        "response",
        lambda r: response_status.append(r.status) if r.request.method == "POST" else None,
    )
    journey.submit(form)
    assert response_status and response_status[-1] == 422, response_status
    error = page.locator(".invalid-feedback, .alert-danger").filter(has_text="→").first
    assert error.is_visible()
    assert first in error.inner_text() and then in error.inner_text()
    journey.shot("cycle-refused")

    journey.goto(f"{plan}/table")
    assert _rows(page) == before  # nothing changed
    journey.check_page()
