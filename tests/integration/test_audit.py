"""The automatic audit trail and optimistic locking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from planner.models import AuditEvent, Risk
from planner.services import audit
from planner.services.concurrency import StaleEditError, check_version
from planner.services.playbooks import get_playbook
from planner.services.programs import create_program


@pytest.fixture()
def program(db):
    program = create_program(
        get_playbook("small-business-quick-start"),
        name="P",
        client="C",
        start_date=date(2026, 1, 5),
    )
    db.session.commit()
    return program


def events(db, **where):
    query = select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def test_create_update_delete_are_recorded_with_actor_and_values(db, program, monkeypatch) -> None:
    created = events(db, program_id=program.id, action="create")
    assert {e.entity for e in created} >= {"program", "phase", "workitem", "risk", "metric"}
    risk = program.risks[0]
    monkeypatch.setattr(audit, "actor_provider", lambda: "lead@example.com")
    risk.likelihood = 5 if risk.likelihood != 5 else 4
    old = 5 if risk.likelihood == 4 else None
    risk.owner = "Sales director"
    db.session.commit()
    updates = events(db, entity="risk", entity_id=risk.id, action="update")
    assert {(e.field, e.actor) for e in updates} == {
        ("likelihood", "lead@example.com"),
        ("owner", "lead@example.com"),
    }
    owner_change = next(e for e in updates if e.field == "owner")
    assert (owner_change.old_value, owner_change.new_value) == (None, "Sales director")
    assert old is None or any(e.old_value == str(old) for e in updates)
    risk_id = risk.id
    db.session.delete(risk)
    db.session.commit()
    (deleted,) = events(db, entity="risk", entity_id=risk_id, action="delete")
    assert deleted.entity_label == risk.key


def test_computed_schedule_fields_are_not_audited(db, program) -> None:
    item = program.phases[1].work_items[0]
    item.early_start = date(2026, 2, 2)
    item.total_float = 3
    db.session.commit()
    assert events(db, entity="workitem", entity_id=item.id, action="update") == []


def test_stale_version_is_refused_with_who_and_when(db, program, monkeypatch) -> None:
    risk = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).first()
    seen_version = risk.version
    monkeypatch.setattr(audit, "actor_provider", lambda: "alice")
    risk.owner = "Alice"
    db.session.commit()
    assert risk.version == seen_version + 1
    check_version(risk, risk.version)  # current version passes
    with pytest.raises(StaleEditError) as caught:
        check_version(risk, seen_version)
    assert "changed by alice at" in str(caught.value)
    assert caught.value.current_version == seen_version + 1


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "changed by system at"), ("zh", "系统 已于")]
)
def test_a_change_made_outside_a_request_is_worded_as_the_system_s(
    app, db, program, lang: str, expected: str
) -> None:
    from flask_babel import force_locale

    from planner.explain_text import word_problem

    risk = db.session.scalars(select(Risk).where(Risk.program_id == program.id)).first()
    seen_version = risk.version
    risk.owner = "Somebody"  # no request: the audit's actor is "system"
    db.session.commit()
    with pytest.raises(StaleEditError) as caught:
        check_version(risk, seen_version)
    with app.test_request_context(), force_locale("zh_Hans_CN" if lang == "zh" else "en"):
        worded = [word_problem(problem) for problem in caught.value.problems]
    assert any(expected in sentence for sentence in worded), worded
    assert lang == "en" or not any("system" in sentence for sentence in worded)


def test_rows_removed_from_a_collection_and_cascaded_deletes_are_recorded(db, program) -> None:
    from planner.models.risk import RiskAction

    risk = program.risks[0]
    risk.actions.append(RiskAction(title="Orphaned", owner="A"))
    risk.actions.append(RiskAction(title="Cascaded", owner="B"))
    db.session.commit()
    orphan_id, cascaded_id = (a.id for a in risk.actions[-2:])

    risk.actions.remove(next(a for a in risk.actions if a.id == orphan_id))  # delete-orphan
    db.session.commit()
    assert [e.action for e in events(db, entity="risk_action", entity_id=orphan_id)] == [
        "create",
        "delete",
    ]

    db.session.delete(risk)  # its remaining actions go with it
    db.session.commit()
    deleted = events(db, entity="risk_action", entity_id=cascaded_id, action="delete")
    assert len(deleted) == 1 and deleted[0].program_id == program.id
    assert len(events(db, entity="risk", entity_id=risk.id, action="delete")) == 1
