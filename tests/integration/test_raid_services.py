"""RAID log services: issues (workflow, links, from a risk), actions, decisions, change
requests (impact as a scenario, approve applies, stale and role refused), risk cadence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from planner.domain.errors import ConflictError, ValidationError
from planner.models import AuditEvent, ChangeRequest, Decision, Issue, Risk, RiskAction
from planner.services import change_requests as changes
from planner.services import raid, risk_cadence
from planner.services import risks as risk_service
from tests.integration.plan_support import make_program, snapshot

TODAY = date(2026, 3, 2)


def codes(exc: pytest.ExceptionInfo) -> list[str]:  # type: ignore[type-arg]
    return [p.code for p in exc.value.problems]


def a_risk(program) -> Risk:  # type: ignore[no-untyped-def]
    return risk_service.create_risk(
        program, {"title": "Legacy data is dirty", "likelihood": 4, "impact": 4, "owner": "Li"}
    )


def phase_two_driver(program):  # type: ignore[no-untyped-def]
    tasks = [i for i in program.work_items if i.phase.ordinal == 2 and i.kind == "task"]
    return max(tasks, key=lambda i: (i.early_finish, i.total_float * -1))


def test_issue_workflow_one_step_at_a_time_with_reopen(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    phase = program.phases[1]
    issue = raid.create_issue(
        program, {"title": "Quotes wrong", "severity": "high", "phases": phase.key}, TODAY
    )
    db.session.commit()
    assert issue.key == "I-1" and issue.status == "open"
    assert [link.phase for link in issue.links] == [phase]

    with pytest.raises(ValidationError) as skipped:
        raid.move_issue(issue, "resolved", issue.version, "fixed", TODAY)
    assert codes(skipped) == ["raid.issue.skipped_step"]
    with force_locale("zh_Hans_CN"):
        assert "已解决" in str(skipped.value)
    raid.move_issue(issue, "in_progress", issue.version, "", TODAY)
    with pytest.raises(ValidationError) as no_reason:
        raid.move_issue(issue, "resolved", issue.version, " ", TODAY)
    assert codes(no_reason) == ["raid.issue.resolution_needed"]
    raid.move_issue(issue, "resolved", issue.version, "Pricing rules fixed", TODAY)
    raid.move_issue(issue, "closed", issue.version, "", TODAY)
    raid.move_issue(issue, "open", issue.version, "", TODAY + timedelta(days=1))
    db.session.commit()
    statuses = db.session.scalars(
        select(AuditEvent.new_value).where(
            AuditEvent.entity == "issue", AuditEvent.field == "status"
        )
    ).all()
    assert statuses == ["in_progress", "resolved", "closed", "open"]
    assert issue.resolved_on is None and issue.resolution == "Pricing rules fixed"


def test_unknown_links_are_refused_and_nothing_is_saved(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    before = db.session.scalar(select(func.count()).select_from(Issue))
    with pytest.raises(ValidationError) as refused:
        raid.create_issue(program, {"title": "x", "items": "NOPE-1", "risks": "R-99"}, TODAY)
    db.session.rollback()
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("items", "field.unknown_reference"),
        ("risks", "field.unknown_reference"),
    ]
    assert db.session.scalar(select(func.count()).select_from(Issue)) == before


def test_a_risk_that_occurs_becomes_an_issue_linked_both_ways(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    risk = a_risk(program)
    risk_service.link_phase(risk, program.phases[1].id)
    db.session.commit()
    issue = raid.issue_from_risk(risk, risk.version, TODAY, "Two weeks lost")
    db.session.commit()
    assert risk.status == "occurred" and risk.occurred_on == TODAY
    assert issue.source_risk is risk and risk.issues == [issue]
    assert {link.target_key for link in issue.links} == {risk.key, program.phases[1].key}
    assert issue.severity == "high" and issue.owner == "Li"
    history = [(e.field, e.new_value) for e in risk_service.risk_history(risk)]
    assert ("status", "occurred") in history
    with pytest.raises(ValidationError):  # occurred already: not twice
        raid.issue_from_risk(risk, risk.version, TODAY, "")


def test_one_action_list_for_risks_issues_reviews_and_gates(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    risk = a_risk(program)
    old_style = RiskAction(title="Profile the data", due_date=TODAY - timedelta(days=2))
    risk.actions.append(old_style)  # the way risk actions were always added
    issue = raid.create_issue(program, {"title": "Quotes wrong"}, TODAY)
    review = risk_service.open_review(program, {"held_on": TODAY, "title": "March"})
    gate = program.phases[1]
    raid.add_action(program, "issue", issue.key, {"title": "Fix rules", "due_date": TODAY})
    raid.add_action(program, "review", review.id, {"title": "Send minutes"})
    late = raid.add_action(
        program, "gate", gate.id, {"title": "Sign-off", "due_date": "2026-02-01"}
    )
    db.session.commit()
    assert old_style.program_id == program.id
    kinds = sorted(a.owner_kind for a in raid.list_actions(program))
    assert kinds == ["gate", "issue", "review", "risk"]
    assert [a.title for a in raid.overdue_actions(program, TODAY)] == [late.title, old_style.title]
    with pytest.raises(ValidationError) as unknown:
        raid.add_action(program, "issue", "I-404", {"title": "x"})
    assert codes(unknown) == ["field.unknown_reference"]


def test_decisions_are_recorded_linked_and_listeners_told(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    issue = raid.create_issue(program, {"title": "Quotes wrong"}, TODAY)
    heard: list[Decision] = []
    raid.DECISION_LISTENERS.append(heard.append)
    try:
        decision = raid.record_decision(
            program,
            {
                "title": "Freeze pricing rules",
                "rationale": "stop the churn",
                "options": "freeze\ncontinue",
                "issue": issue.key,
                "decided_by": "Steering",
            },
            TODAY,
        )
    finally:
        raid.DECISION_LISTENERS.remove(heard.append)
    db.session.commit()
    assert heard == [decision] and decision.key == "D-1" and decision.issue is issue
    assert decision.option_list == ["freeze", "continue"]
    with pytest.raises(ValidationError):
        raid.record_decision(program, {"title": "x", "gate": "no-such-phase"}, TODAY)


def test_change_request_impact_then_approval_applies_it(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    driver = phase_two_driver(program)
    risk = a_risk(program)
    risk_service.link_work_item(risk, driver.id)
    before = snapshot(db, program.id)
    change = changes.create_change(
        program,
        {
            "title": "Configurator needs pricing rules",
            "kind": "add_work",
            "work_item": driver.key,
            "days": 10,
            "requester": "Sales director",
        },
        TODAY,
    )
    db.session.commit()
    assert snapshot(db, program.id) == before  # analysing changes nothing live
    impact = changes.impact_of(program, change)
    assert impact is not None and not impact.stale
    moved = {g.phase: g.shift for g in impact.gates_moved}
    assert moved[driver.phase.key] == 10
    assert impact.risks == [risk.key]

    with pytest.raises(ValidationError) as no_role:
        changes.decide(
            program,
            change,
            approve=True,
            version=change.version,
            role="member",
            rationale="",
            options="",
            today=TODAY,
        )
    assert codes(no_role) == ["raid.change.steering_only"]
    decision = changes.decide(
        program,
        change,
        approve=True,
        version=change.version,
        role="steering",
        rationale="worth it",
        options="",
        today=TODAY,
    )
    db.session.commit()
    assert change.status == "approved" and decision.change_request is change
    assert db.session.get(type(driver), driver.id).duration_days == driver.duration_days
    assert changes.impact_of(program, change).gates_moved[0].shift == 10  # kept as decided


def test_a_stale_change_is_refused_and_nothing_changes(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    driver = phase_two_driver(program)
    change = changes.create_change(
        program,
        {
            "title": "More work",
            "kind": "add_work",
            "work_item": driver.key,
            "days": 3,
            "requester": "PMO",
        },
        TODAY,
    )
    db.session.commit()
    other = next(i for i in program.work_items if i.kind == "task" and i.id != driver.id)
    other.duration_days += 1  # an audited edit of the live plan
    db.session.commit()
    before = snapshot(db, program.id)
    assert changes.impact_of(program, change).stale
    with pytest.raises(ConflictError) as stale:
        changes.decide(
            program,
            change,
            approve=True,
            version=change.version,
            role="lead",
            rationale="",
            options="",
            today=TODAY,
        )
    db.session.rollback()
    assert codes(stale) == ["raid.change.stale"]
    assert snapshot(db, program.id) == before
    assert db.session.get(ChangeRequest, change.id).status == "pending"
    changes.reanalyse(program, change, change.version)
    db.session.commit()
    assert not changes.impact_of(program, change).stale


def test_cadence_next_review_and_residual_reason(db) -> None:  # type: ignore[no-untyped-def]
    program = make_program(db)
    risk = a_risk(program)  # 4 × 4 = 16: high, every 14 days by default
    risk_cadence.mark_reviewed(risk, TODAY)
    assert risk.review_date == TODAY + timedelta(days=14)
    fields = {"title": risk.title, "likelihood": 4, "impact": 4, "review_cadence_days": "7"}
    risk_service.update_risk(risk, fields, risk.version)
    assert risk.review_cadence_days == 7
    risk_cadence.review_risk(risk, risk.version, TODAY)
    assert risk.review_date == TODAY + timedelta(days=7)
    late = TODAY + timedelta(days=10)
    assert [o.risk for o in risk_cadence.overdue_reviews(program, late)] == [risk]
    with pytest.raises(ValidationError) as worse:
        risk_service.update_risk(
            risk, {**fields, "residual_likelihood": 5, "residual_impact": 5}, risk.version
        )
    assert "raid.risk.residual_reason_needed" in codes(worse)
    db.session.rollback()
    reason = {**fields, "residual_likelihood": 5, "residual_reason": "the vendor left"}
    risk_service.update_risk(risk, reason, risk.version)  # with a reason it stands
    with pytest.raises(ValidationError) as bad:
        risk_cadence.clean_cadence("400")
    assert codes(bad) == ["field.out_of_range"]
