"""What-if scenarios: copy, edit, compare, apply (audited, locked) or discard."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from planner.domain.scenario import ScenarioError
from planner.models import AuditEvent, Dependency, Scenario, WorkItem
from planner.services import plan as plan_service
from planner.services import scenarios as service
from planner.services.concurrency import StaleEditError
from planner.services.scheduling import program_calendar
from tests.integration.plan_support import item, make_program, snapshot


def audit_count(db) -> int:
    return int(db.session.scalar(select(func.count()).select_from(AuditEvent)))


def phase_two_driver(program) -> WorkItem:
    """The phase-2 task that finishes last (its finish is the phase's forecast finish)."""
    tasks = [i for i in program.work_items if i.phase.ordinal == 2 and i.kind == "task"]
    return max(tasks, key=lambda i: (i.early_finish, i.total_float * -1))


def test_ten_more_days_on_a_phase_two_item_moves_its_gate_then_applies(db) -> None:
    program = make_program(db)
    driver = phase_two_driver(program)
    old_duration, old_finish = driver.duration_days, driver.early_finish
    before, audits = snapshot(db, program.id), audit_count(db)

    scenario = service.create_scenario(program, "Longer configurator build")
    service.edit_scenario_item(
        scenario,
        driver.key,
        duration=old_duration + 10,
        constraint_type=None,
        constraint_date=None,
        version=scenario.version,
    )
    db.session.commit()
    view = service.view_scenario(program, scenario)
    # the live plan, its computed dates and its audit trail are untouched by the scenario
    assert snapshot(db, program.id) == before and audit_count(db) == audits

    gates = {g.phase: g for g in view.comparison.gates}
    phase_two = next(p for p in program.phases if p.ordinal == 2)
    # the driver finishes 10 working days later, and so does its phase
    moved = {m.key: m for m in view.comparison.moved}
    assert moved[driver.key].finish_shift == 10
    calendar = program_calendar(program)
    assert moved[driver.key].finish == calendar.add_workdays(old_finish, 10)
    assert gates[phase_two.key].shift == 10
    assert gates[phase_two.key].gate == phase_two.window_end
    assert phase_two.key in [g.phase for g in view.comparison.gates_moved]
    assert [(old.duration, new.duration) for old, new in view.changes.items] == [
        (old_duration, old_duration + 10)
    ]

    outcome = service.apply_scenario(program, scenario, scenario.version)
    db.session.commit()
    db.session.expire_all()
    applied = item(db, program, driver.key)
    assert applied.duration_days == old_duration + 10
    assert applied.early_finish == moved[driver.key].finish
    assert any(m.key == driver.key for m in outcome.moves)
    assert db.session.get(Scenario, scenario.id).status == "applied"
    changed = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "workitem", AuditEvent.field == "duration_days"
        )
    ).all()
    assert [(e.old_value, e.new_value) for e in changed] == [
        (str(old_duration), str(old_duration + 10))
    ]


def test_links_added_and_removed_in_a_scenario_are_applied(db) -> None:
    program = make_program(db)
    network_links = db.session.scalars(
        select(Dependency).where(Dependency.program_id == program.id).order_by(Dependency.id)
    ).all()
    first = network_links[0]
    pred, succ = first.predecessor.key, first.successor.key
    scenario = service.create_scenario(program, "Rewire")
    service.remove_scenario_link(scenario, pred, succ, scenario.version)
    last = program.work_items[-1].key
    service.add_scenario_link(scenario, pred, last, "SS", 2, scenario.version)
    with pytest.raises(ScenarioError) as refused:  # back from the end to the start: a cycle
        service.add_scenario_link(scenario, last, pred, "FS", 0, scenario.version)
    assert refused.value.reasons[0][1].code == "dependency.cycle"
    db.session.commit()
    assert len(network_links) == db.session.scalar(
        select(func.count()).select_from(Dependency).where(Dependency.program_id == program.id)
    )
    service.apply_scenario(program, scenario, scenario.version)
    db.session.commit()
    pairs = {
        (d.predecessor.key, d.successor.key, d.type, d.lag_days)
        for d in db.session.scalars(select(Dependency).where(Dependency.program_id == program.id))
    }
    assert (pred, last, "SS", 2) in pairs
    assert not any(p[:2] == (pred, succ) for p in pairs)


def test_a_live_change_after_the_copy_is_a_conflict(db) -> None:
    program = make_program(db)
    driver = phase_two_driver(program)
    scenario = service.create_scenario(program, "Stale")
    service.edit_scenario_item(
        scenario,
        driver.key,
        duration=driver.duration_days + 10,
        constraint_type=None,
        constraint_date=None,
        version=scenario.version,
    )
    db.session.commit()
    other = program.work_items[0]
    plan_service.update_item(
        program,
        other,
        plan_service.ItemDetails(
            name="Renamed by someone else", kind=other.kind, duration_days=other.duration_days
        ),
        other.version,
    )
    db.session.commit()
    before = snapshot(db, program.id)
    view = service.view_scenario(program, scenario)
    assert {e.entity_label for e in view.conflicts} == {other.key}
    with pytest.raises(service.ScenarioConflict):
        service.apply_scenario(program, scenario, scenario.version)
    db.session.rollback()
    assert snapshot(db, program.id) == before


def test_stale_scenario_edit_and_discard(db) -> None:
    program = make_program(db)
    scenario = service.create_scenario(program, "Throwaway")
    db.session.commit()
    opened = scenario.version
    key = program.work_items[1].key
    service.edit_scenario_item(
        scenario,
        key,
        duration=3,
        constraint_type="SNET",
        constraint_date=date(2026, 9, 1),
        version=opened,
    )
    db.session.commit()
    with pytest.raises(StaleEditError):
        service.edit_scenario_item(
            scenario, key, duration=4, constraint_type=None, constraint_date=None, version=opened
        )
    db.session.rollback()
    audits = audit_count(db)
    service.discard_scenario(scenario, scenario.version)
    db.session.commit()
    assert db.session.get(Scenario, scenario.id) is None and audit_count(db) == audits


# --------------------------------------------------------------------------- pages


def test_scenario_pages_copy_edit_compare_apply(client, db) -> None:
    program = make_program(db)
    driver = phase_two_driver(program)
    old_duration = driver.duration_days
    base = f"/programs/{program.id}/scenarios"
    assert client.get(base).status_code == 200
    created = client.post(base, data={"name": "Ten more days"})
    assert created.status_code == 302
    page_url = created.headers["Location"]
    scenario = db.session.scalars(select(Scenario)).one()
    opened = scenario.version
    assert client.post(base, data={"name": ""}).status_code == 422

    bad = client.post(
        f"{page_url}/item",
        data={"key": "no-such-item", "duration_days": "5", "version": scenario.version},
    )
    assert bad.status_code == 422
    assert "No work item “no-such-item” in this scenario." in bad.get_data(as_text=True)
    edited = client.post(
        f"{page_url}/item",
        data={"key": driver.key, "duration_days": old_duration + 10, "version": scenario.version},
    )
    assert edited.status_code == 302
    db.session.expire_all()
    assert item(db, program, driver.key).duration_days == old_duration  # live plan untouched
    html = client.get(page_url).get_data(as_text=True)
    assert "Phases against their gates" in html and "+10" in html
    stale = client.post(f"{page_url}/apply", data={"version": opened})
    assert stale.status_code == 409  # the page was opened before the edit
    applied = client.post(
        f"{page_url}/apply", data={"version": db.session.get(Scenario, scenario.id).version}
    )
    assert applied.status_code == 302
    db.session.expire_all()
    assert item(db, program, driver.key).duration_days == old_duration + 10


def test_scenario_pages_in_chinese(client, db) -> None:
    program = make_program(db)
    scenario = service.create_scenario(program, "方案A")
    db.session.commit()
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    html = client.get(f"/programs/{program.id}/scenarios/{scenario.id}").get_data(as_text=True)
    assert "各阶段与关口" in html and "应用到现行计划" in html
    assert "情景" in client.get(f"/programs/{program.id}/scenarios").get_data(as_text=True)
