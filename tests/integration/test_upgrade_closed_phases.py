"""An upgrade never reopens a closed phase: the demo, upgraded from crm-four-100-days 1.0
to 1.1 after phase 1's Go, keeps phase 1 closed and asks the lead what to do instead."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from planner.demo import load_demo
from planner.extensions import db as _db
from planner.models import GateCriterion, Metric, Phase, Program, WorkItem
from planner.models.gate import GateDecision
from planner.services import dashboard as dashboard_service
from planner.services import library as service
from tests.conftest import FROZEN_TODAY
from tests.integration.library_support import install_library

#: the pages judge on today: a frozen one (the `today` fixture of tests/conftest.py)
pytestmark = pytest.mark.usefixtures("today")
DEMO_DAY = FROZEN_TODAY


@pytest.fixture(autouse=True)
def library(app, monkeypatch):
    install_library(app, monkeypatch)


@pytest.fixture()
def demo(db):
    load_demo(DEMO_DAY)
    return _db.session.scalars(select(Program).where(Program.name.startswith("Northwind"))).one()


def _phase(program: Program, ordinal: int) -> Phase:
    return next(p for p in program.phases if p.ordinal == ordinal)


def _items_of(program: Program, phase: Phase) -> set[str]:
    return set(
        _db.session.scalars(
            select(WorkItem.key).where(
                WorkItem.program_id == program.id, WorkItem.phase_id == phase.id
            )
        )
    )


def test_the_demo_after_phase_1_go_keeps_phase_1_closed_and_asks(client, demo) -> None:
    phase1, phase2 = _phase(demo, 1), _phase(demo, 2)
    decision = _db.session.scalars(
        select(GateDecision).where(GateDecision.phase_id == phase1.id)
    ).first()
    assert decision is not None and decision.kind in ("go", "conditional_go")  # the story
    context = service.upgrade_context(demo, "1.1", DEMO_DAY)
    plan = context.plan
    # nothing is added to phase 1 by itself ...
    added_to_1 = [
        a
        for a in plan.actions
        if a.op == "add"
        and a.section in ("task", "milestone", "gate")
        and (a.phase == phase1.key or a.fields.get("phase_key", (None, None))[1] == phase1.key)
    ]
    assert added_to_1 == []
    # nor a link to the work in question: it goes with the lead's answer
    asked_keys = {c.key for c in plan.conflicts if c.code == "phase_closed"}
    assert not [
        a
        for a in plan.actions
        if a.section == "dependency" and a.op == "add" and set(a.key.split(" → ")) & asked_keys
    ]
    # ... every addition 1.1 makes to phase 1 is a question for the lead
    asked = [c for c in plan.conflicts if c.code == "phase_closed"]
    new_in_phase1 = {
        item.key for phase, item in context.new.work_items() if phase.key == phase1.key
    } - {item.key for phase, item in context.old.work_items() if phase.key == phase1.key}
    assert new_in_phase1, "1.1 adds work to phase 1"
    assert {c.key for c in asked if c.section in ("task", "milestone")} == new_in_phase1
    for conflict in asked:
        assert f'"{phase1.key}" is closed' in conflict.reason
        # taking it adds it to the current phase, phase 2, never to phase 1
        add, *links = conflict.take_new
        assert add.op == "add" and add.phase == phase2.key
        assert all(link.section == "dependency" and link.op == "add" for link in links)
    # the preview lists them among the conflicts, with "skip" and "add to the current phase"
    html = client.get(f"/programs/{demo.id}/playbook/upgrade?to=1.1").get_data(as_text=True)
    assert "Skip it: the phase stays closed" in html and "Add it to the current phase" in html


@pytest.mark.parametrize("choice", ["keep_program", "take_new"])
def test_the_leads_choice_for_a_closed_phase_is_applied(demo, choice: str) -> None:
    phase1, phase2 = _phase(demo, 1), _phase(demo, 2)
    before1, before2 = _items_of(demo, phase1), _items_of(demo, phase2)
    gates1 = len(phase1.gate_criteria)
    context = service.upgrade_context(demo, "1.1", DEMO_DAY)
    decisions: dict[str, Any] = {
        c.id: (choice if c.code == "phase_closed" else "keep_program")
        for c in context.plan.conflicts
    }
    asked = {c.key for c in context.plan.conflicts if c.code == "phase_closed"}
    service.apply_upgrade(
        demo, "1.1", decisions, version=demo.version, actor="lead", today=DEMO_DAY
    )
    _db.session.commit()
    _db.session.expire_all()
    # phase 1 is exactly as it was decided: no item, no criterion added
    assert _items_of(demo, phase1) == before1
    assert (
        len(
            _db.session.scalars(
                select(GateCriterion).where(GateCriterion.phase_id == phase1.id)
            ).all()
        )
        == gates1
    )
    after2 = _items_of(demo, phase2)
    moved = {k for k in asked if k in after2 - before2}
    tasks = {k for k in asked if ":" not in k}  # gate criteria's keys have a colon
    assert tasks, "1.1 adds work to phase 1"
    assert moved == (tasks if choice == "take_new" else set())
    # 1.1 raises duplicate-rate's phase-1 target from 6 % to 8 %: phase 1 was judged on 6 %
    dupes = _db.session.scalars(
        select(Metric).where(Metric.program_id == demo.id, Metric.key == "duplicate-rate")
    ).one()
    assert {t.phase_ordinal: t.target for t in dupes.targets}[1] == 6.0
    board = dashboard_service.build_dashboard(demo.id, DEMO_DAY)
    closed = next(s for s in board.phases if s.phase.ordinal == 1)
    assert closed.state == "past" and closed.schedule.rag == "green"
