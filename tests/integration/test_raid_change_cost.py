"""A change request is priced: the planned cost at completion of its what-if scenario
against the live plan, per phase and in total, in the program's currency; kept as decided;
shown on its page, in the API and on the pack's RAID slide. Without rates or costs the
impact says the program tracks no money. Expected figures are worked here from the rates
and hours, not read back from the code under test."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from planner.models import WorkItem
from planner.services import change_requests as changes
from planner.services import effort, money, people
from planner.services.money_input import settings_of
from planner.services.pack_raid import raid_slide
from tests.integration.plan_support import make_program

TODAY = date(2026, 3, 2)
RATE = 300.0  # CNY an hour, Li Wei's own rate
ROLE_RATE = 40.0  # EUR an hour, the consultant role's rate
FX = 7.8  # CNY for a EUR


def driver_of(program) -> WorkItem:  # type: ignore[no-untyped-def]
    tasks = [i for i in program.work_items if i.phase.ordinal == 2 and i.kind == "task"]
    return max(tasks, key=lambda i: (i.early_finish, -i.total_float))


def priced_program(db):  # type: ignore[no-untyped-def]
    program = make_program(db)
    money.update_settings(
        program,
        {"currency": "CNY", "fx_rates": {"EUR": FX}, "discount_rate": 8, "horizon_months": 36},
        settings_of(program).version,
    )
    people.create_person(
        program, {"name": "Li Wei", "capacity_hours": 40, "hourly_rate": RATE, "currency": "CNY"}
    )
    people.create_person(program, {"name": "Anna", "role": "consultant", "capacity_hours": 40})
    money.set_role_rate(
        program, {"role": "consultant", "hourly_rate": ROLE_RATE, "currency": "EUR"}
    )
    driver = driver_of(program)
    effort.set_assignment(program, {"person": "Li Wei", "item": driver.key, "planned_hours": 80})
    effort.set_assignment(program, {"person": "Anna", "item": driver.key, "planned_hours": 20})
    money.add_cost(
        program,
        {"item": driver.key, "amount": 5_000, "currency": "CNY", "day": "2026-05-01"},
    )
    first = program.phases[1]
    money.add_cost(
        program, {"phase": first.ordinal, "amount": 1_000, "currency": "EUR", "day": "2026-02-01"}
    )
    db.session.commit()
    return program, driver


def request(program, driver, days: int = 10):  # type: ignore[no-untyped-def]
    return changes.create_change(
        program,
        {
            "title": "Pricing rules",
            "kind": "add_work",
            "work_item": driver.key,
            "days": days,
            "requester": "Li Wei",
        },
        TODAY,
    )


def test_the_change_is_priced_per_phase_in_the_programs_currency(db) -> None:  # type: ignore[no-untyped-def]
    program, driver = priced_program(db)
    change = request(program, driver, 10)
    db.session.commit()
    impact = changes.impact_of(program, change, TODAY)
    assert impact is not None and impact.priced is True and impact.cost is not None
    cost = impact.cost
    labour = 80 * RATE + 20 * ROLE_RATE * FX  # 24,000 + 6,240 CNY over the item's days
    per_day = labour / driver.duration_days
    assert cost.currency == "CNY"
    assert cost.delta == pytest.approx(10 * per_day)
    by_phase = {p.phase: p for p in cost.phases}
    assert by_phase[driver.phase.key].live == pytest.approx(labour + 5_000)
    assert by_phase[driver.phase.key].new == pytest.approx(labour + 5_000 + 10 * per_day)
    assert by_phase[program.phases[1].key].delta == 0
    assert by_phase[program.phases[1].key].live == pytest.approx(1_000 * FX)
    assert [p.phase for p in cost.moved] == [driver.phase.key]
    # the live side is the money page's planned cost at completion
    assert cost.live == pytest.approx(money.cost_report(program, TODAY).program.planned)


def test_the_price_is_kept_when_steering_decides(db) -> None:  # type: ignore[no-untyped-def]
    program, driver = priced_program(db)
    change = request(program, driver, 5)
    db.session.commit()
    before = changes.impact_of(program, change, TODAY)
    changes.decide(
        program,
        change,
        approve=True,
        version=change.version,
        role="steering",
        rationale="",
        options="",
        today=TODAY,
    )
    db.session.commit()
    kept = changes.impact_of(program, change, TODAY)
    assert before is not None and before.cost is not None
    assert kept is not None and kept.cost == before.cost and kept.priced is True
    assert change.impact is not None and change.impact["cost"]["delta"] == pytest.approx(
        before.cost.delta
    )


def test_a_program_without_money_says_so(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    change = request(program, driver_of(program), 3)
    db.session.commit()
    impact = changes.impact_of(program, change, TODAY)
    assert impact is not None and impact.cost is None and impact.priced is False
    lead = login_as("lead", program)
    page = lead.get(f"/programs/{program.id}/raid/changes/{change.id}").get_data(as_text=True)
    assert "Not priced: this program has no cost rates and no planned costs yet" in page
    zh = lead.get(
        f"/programs/{program.id}/raid/changes/{change.id}", headers={"Accept-Language": "zh-CN"}
    ).get_data(as_text=True)
    assert "未计价" in zh
    with force_locale("en"):
        slide = raid_slide(program, TODAY, "en")
    assert slide.changes[0][2].endswith("cost not tracked")


def test_page_and_slide_show_the_price(db, login_as) -> None:  # type: ignore[no-untyped-def]
    program, driver = priced_program(db)
    change = request(program, driver, 10)
    db.session.commit()
    labour = 80 * RATE + 20 * ROLE_RATE * FX
    delta = round(10 * labour / driver.duration_days)
    lead = login_as("lead", program)
    page = lead.get(f"/programs/{program.id}/raid/changes/{change.id}").get_data(as_text=True)
    assert "Planned cost at completion changes by +" in page
    assert f"{delta:,}" in page
    with force_locale("en"):
        slide = raid_slide(program, TODAY, "en")
    assert slide.changes[0][2].endswith(f"cost +{delta:,} CNY")
    with force_locale("zh_Hans_CN"):
        slide_zh = raid_slide(program, TODAY, "zh")
    assert f"+{delta:,}" in slide_zh.changes[0][2] and "费用" in slide_zh.changes[0][2]
