"""The demo's assessment content: a diagnosis with three interviews per level, a re-assessment."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from planner.demodata import assessment as demo
from planner.services import assessment as service
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program


def test_demo_program_gets_a_diagnosis_a_reassessment_and_actions_in_the_plan(db) -> None:
    today = date(2026, 11, 27)
    program = create_program(
        get_playbook("crm-four-100-days"),
        name="Northwind",
        client="Northwind",
        start_date=today - timedelta(days=150),
    )
    demo.populate(program, today)
    db.session.commit()
    diagnosis, reassessment = service.list_assessments(program, full=True)
    assert (diagnosis.kind, diagnosis.status, diagnosis.phase_ordinal) == (
        "diagnosis",
        "completed",
        0,
    )
    assert (reassessment.kind, reassessment.phase_ordinal) == ("reassessment", 1)
    for assessment in (diagnosis, reassessment):
        assert Counter(iv.level for iv in assessment.interviews) == {
            "senior": 3,
            "middle": 3,
            "front_line": 3,
        }
        assert all(60 - 15 <= iv.duration_minutes <= 90 for iv in assessment.interviews)
    before = service.assessment_results(diagnosis, "en")
    after = service.assessment_results(reassessment, "en")
    assert before.coverage == 1.0 and before.has_competitor
    assert 1.2 < before.overall < after.overall < 3.5
    assert all(s.target is not None and s.benchmark is not None for s in diagnosis.indicators)
    moves = service.compare_assessments(diagnosis, reassessment, "en").movements
    assert any(m.delta and m.delta < 0 for m in moves) and any(
        m.delta and m.delta > 0.9 for m in moves
    )
    in_plan = [a for a in diagnosis.actions if a.work_item is not None]
    assert len(in_plan) >= 5
    assert all(a.work_item.key == f"act-{a.indicator_key}" for a in in_plan)
    assert {a.status for a in diagnosis.actions} == {"accepted", "proposed", "dropped"}
    assert service.latest_maturity_level(program, "en") == after.level.name


def test_small_program_gets_a_quick_check(db) -> None:
    today = date(2026, 11, 27)
    program = create_program(
        get_playbook("small-business-quick-start"),
        name="Company A",
        client="A",
        start_date=today - timedelta(days=20),
    )
    demo.populate(program, today)
    db.session.commit()
    (check,) = service.list_assessments(program, full=True)
    assert len(check.interviews) == 3 and check.actions
    assert service.assessment_results(check, "en").level is not None
