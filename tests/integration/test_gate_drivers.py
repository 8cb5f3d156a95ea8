"""What drives each phase's gate: on a new program, on the demo, in the banner and the Gantt."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from planner.demodata import plan as plan_demo
from planner.domain.schedule import PhaseWindow, Scheduler
from planner.models import Dependency
from planner.services.plan_view import load_plan
from planner.services.scheduling import (
    _activities,
    _links,
    load_network,
    program_calendar,
    status_date_of,
)
from tests.integration.plan_support import make_program


def test_a_new_program_names_what_drives_every_phase_gate(db):
    program = make_program(db)
    view = load_plan(program)
    rows = {row.id: row for row in view.all_rows}
    links = {
        (d.predecessor_id, d.successor_id)
        for d in db.session.scalars(select(Dependency).where(Dependency.program_id == program.id))
    }
    for phase in view.phases:
        assert phase.items > 0
        driver = phase.driver
        assert driver is not None and len(driver.chain_ids) >= 2, phase.key
        last = rows[driver.chain_ids[-1]]
        # the chain ends at the phase's latest finish and its float says how far the gate is
        assert last.phase_id == phase.id and last.early_finish == phase.finish
        assert phase.finish is not None and phase.finish <= phase.window_end
        assert driver.gate_float >= 0
        # consecutive items are joined by dependencies of the plan
        for pair in zip(driver.chain_ids, driver.chain_ids[1:], strict=False):
            assert pair in links, (phase.key, pair)
        # every item of the chain has no more float than the chain's end has to the gate
        assert all(rows[i].total_float <= driver.gate_float for i in driver.chain_ids)


def test_the_demo_phase_2_overrun_is_explained_by_a_driving_chain(client, db):
    today = date(2026, 9, 14)
    program = make_program(db, start=today - timedelta(days=150), status=None)
    plan_demo.populate(program, today)
    program.status_date = today
    db.session.commit()
    view = load_plan(program, today=today)
    phase2 = next(p for p in view.phases if p.key == "second-capability")
    # phase 2 overruns (the demo's story); so does the integration phase months ahead on this
    # day: its window holds New Year's Day and Spring Festival 2027 (the demo's China holidays)
    assert [p.key for p in view.overrunning_phases] == ["second-capability", "integration"]
    driver = phase2.driver
    assert driver is not None
    rows = {row.id: row for row in view.all_rows}
    # the configurator's growth drives the gate: every item of the chain is late by as many
    # working days as the gate (negative float, critical)
    assert "configurator-build" in driver.chain_keys
    assert driver.chain_keys[-1] == "p2-gate-review"
    assert driver.gate_float < 0
    assert all(rows[i].total_float == driver.gate_float for i in driver.chain_ids)
    assert all(rows[i].critical for i in driver.chain_ids)
    # phases that meet their gate are not highlighted; phase 2's chain is
    assert view.driving_ids >= set(driver.chain_ids)

    html = client.get(f"/programs/{program.id}/plan/gantt").get_data(as_text=True)
    banner = html.split("overruns its window", 1)[1].split("</div>", 1)[0]
    assert f"float {driver.gate_float:+d} working days" in banner
    assert " → ".join(f"<code>{key}</code>" for key in driver.chain_keys) in banner
    # the Gantt's data marks the driving chain (drawn as "Drives a gate")
    data = client.get(f"/programs/{program.id}/plan/gantt/data").get_json()
    items = data["items"]
    driving = {i for i, flag in zip(items["id"], items["drive"], strict=True) if flag}
    assert set(driver.chain_ids) <= driving


def test_the_stored_schedule_names_the_same_drivers_as_the_scheduler(db):
    today = date(2026, 9, 14)
    program = make_program(db, start=today - timedelta(days=150), status=None)
    plan_demo.populate(program, today)
    program.status_date = today
    db.session.commit()
    view = load_plan(program, today=today)
    network = load_network(program)
    phases = {p.id: p for p in program.phases}
    scheduler = Scheduler(
        _activities(network, phases),
        _links(network),
        program_calendar(program),
        program.start_date,
        status_date_of(program, today),
        [PhaseWindow(p.key, p.window_start, p.window_end) for p in phases.values()],
    )
    from_domain = {d.phase: (d.chain, d.gate_float) for d in scheduler.phase_drivers()}
    from_rows = {p.key: (p.driver.chain_keys, p.driver.gate_float) for p in view.phases if p.driver}
    assert from_rows == from_domain
