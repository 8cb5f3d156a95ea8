"""The demo's RAID log tells the demo's story: issue I-3 is the customisation risk that
occurred (linked both ways), a decision log with the gate decisions in it, CR-1 approved
with the phase 2 gate moved by the working days it added to the configurator build (the
scope change the plan carries), and CR-2 pending with its impact analysed on today's plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from planner.demodata.plan import SCOPE_CHANGE_ITEM
from planner.models import ChangeRequest, Issue, Program, WorkItem
from planner.services import change_requests as changes
from planner.services import raid
from planner.services.playbooks import get_playbook
from planner.services.raid_log import RaidQuery, raid_log
from planner.services.scheduling import program_calendar
from tests.integration.demo_copy import load_demo_copy

DEMO_DAY = date(2026, 11, 30)


def test_the_demo_raid_log_is_real_and_consistent(db) -> None:  # type: ignore[no-untyped-def]
    load_demo_copy(DEMO_DAY)
    program = db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()
    issues = {i.key: i for i in raid.list_issues(program)}
    three = issues["I-3"]
    custom = next(r for r in program.risks if r.key == "software-customisation")
    assert "issue I-3" in custom.issue_note and custom.status == "occurred"
    assert three.source_risk is custom and custom.issues == [three]
    assert three.is_open and three.raised_on == custom.occurred_on
    assert [i.key for i in issues.values() if i.is_open] == ["I-1", "I-3"]

    log = raid_log(program, RaidQuery(), DEMO_DAY)
    assert log.counts["decision"]["recorded"] == 3
    assert {"go", "conditional_go"} <= set(log.counts["decision"])  # the gate decisions
    assert log.counts["action"]["open"] and raid.overdue_actions(program, DEMO_DAY)

    cr1, cr2 = changes.list_changes(program)
    assert (cr1.key, cr1.status, cr2.key, cr2.status) == ("CR-1", "approved", "CR-2", "pending")
    # the known number: the configurator build's days over the playbook's, which CR-1 added
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == SCOPE_CHANGE_ITEM)
    ).one()
    playbook = get_playbook(program.playbook_id, program.playbook_version)
    planned = next(t.duration for p in playbook.phases for t in p.tasks if t.key == item.key)
    added = item.duration_days - planned
    assert added > 0 and cr1.days == added
    impact = changes.impact_of(program, cr1, DEMO_DAY)
    assert impact is not None
    moved = {g.phase: g.shift for g in impact.gates_moved}
    assert moved["second-capability"] == added
    gate2 = next(g for g in impact.gates if g.phase == "second-capability")
    calendar = program_calendar(program)
    assert calendar.workdays_between(gate2.live_finish, gate2.new_finish) == added
    assert cr1.decisions and cr1.decisions[0].decided_by == "Liu Yang"
    assert cr1.scenario is None  # applied and kept as decided

    pending = changes.impact_of(program, cr2, DEMO_DAY)
    assert pending is not None and not pending.stale
    assert {g.phase for g in pending.gates_moved} >= {"integration"}
    assert "R-12" in pending.risks
    assert db.session.scalar(select(ChangeRequest.id).where(ChangeRequest.key == "CR-3")) is None
    assert db.session.scalar(select(Issue.id).where(Issue.key == "I-4")) is None


def test_the_demo_change_requests_are_priced(db) -> None:  # type: ignore[no-untyped-def]
    """CR-1's price is the configurator build's daily labour times the days it added; the
    labour is worked here from the assignments and the people's (or their roles') rates."""
    from planner.models import Assignment, Person, RoleRate
    from planner.services.money_input import settings_of, to_program_currency

    load_demo_copy(DEMO_DAY)
    program = db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()
    cr1, cr2 = changes.list_changes(program)
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == SCOPE_CHANGE_ITEM)
    ).one()
    settings = settings_of(program)
    roles = {
        r.role.lower(): to_program_currency(r.hourly_rate, r.currency, settings)
        for r in db.session.scalars(select(RoleRate).where(RoleRate.program_id == program.id))
    }
    labour = 0.0
    for a in db.session.scalars(select(Assignment).where(Assignment.work_item_id == item.id)):
        person = db.session.get(Person, a.person_id)
        rate = (
            to_program_currency(person.hourly_rate, person.currency, settings)
            if person.hourly_rate is not None
            else roles.get(person.role.lower(), 0.0)
        )
        labour += a.planned_hours * rate
    assert labour > 0
    impact = changes.impact_of(program, cr1, DEMO_DAY)
    assert impact is not None and impact.cost is not None and impact.cost.currency == "CNY"
    assert impact.cost.delta == pytest.approx(labour * cr1.days / item.duration_days)
    assert [p.phase for p in impact.cost.moved] == ["second-capability"]
    pending = changes.impact_of(program, cr2, DEMO_DAY)
    assert pending is not None and pending.priced and pending.cost is not None
    assert pending.cost.delta > 0
