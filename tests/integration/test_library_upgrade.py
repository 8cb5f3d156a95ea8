"""Upgrading a running program to a newer playbook version: preview, conflicts, one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from planner.domain.playbook import Playbook
from planner.domain.playbook_writer import dump_playbook
from planner.extensions import db as _db
from planner.models import AuditEvent, Dependency, GateCriterion, Metric, Phase, Program, Risk
from planner.models.library import PlaybookUpgrade
from planner.services import library as service
from planner.services.playbooks import get_playbook
from tests.integration.library_support import counts, install_library, item, new_program, text_of

#: a frozen today (tests/conftest.py), set before any sign-in
pytestmark = pytest.mark.usefixtures("today")


@pytest.fixture(autouse=True)
def library(app, monkeypatch):
    install_library(app, monkeypatch)


@pytest.fixture()
def program(today, db):
    # starts tomorrow: no phase is closed yet, whatever the day the tests run (an upgrade
    # never reopens a closed phase; test_upgrade_never_reopens_a_closed_phase covers that)
    return new_program(start=today + timedelta(days=1))


def _url(program: Program) -> str:
    return f"/programs/{program.id}/playbook/upgrade"


def _apply(client: Any, program: Program, to: str = "1.1", **decisions: str) -> Any:
    plan = service.upgrade_context(program, to).plan
    tokens = {c.id: service.conflict_token(c) for c in plan.conflicts}
    data = {"to": to, "version": str(program.version)}
    data.update({tokens[cid]: choice for cid, choice in decisions.items()})
    return client.post(_url(program), data=data)


def _risk(program: Program, key: str) -> Risk:
    return _db.session.scalars(
        select(Risk).where(Risk.program_id == program.id, Risk.key == key)
    ).one()


def _dependency(program: Program, pred: str, succ: str) -> Dependency | None:
    return _db.session.scalars(
        select(Dependency).where(
            Dependency.predecessor_id == item(program, pred).id,
            Dependency.successor_id == item(program, succ).id,
        )
    ).first()


def _target(program: Program, metric: str, ordinal: int) -> float:
    row = _db.session.scalars(
        select(Metric).where(Metric.program_id == program.id, Metric.key == metric)
    ).one()
    return next(t.target for t in row.targets if t.phase_ordinal == ordinal)


def test_preview_lists_what_would_change(client, program) -> None:
    page = text_of(client.get(_url(program)))
    assert "Upgrade from 1.0 to 1.1" in page
    assert "Task contact-migration phase foundation duration (working days): 15 → 18" in page
    assert "Add Task super-user-network phase foundation" in page
    assert "Add Dependency super-user-network → sales-training" in page
    assert "Update Risk cleaning-legacy-data likelihood: 4 → 5" in page
    assert "Add Risk key-user-turnover" in page
    assert "Update Metric duplicate-rate targets by phase: P1: 6" in page
    assert "Add Gate criterion metric_target:contact-completeness" in page
    assert "No conflicts" in page
    # a preview changes nothing
    assert program.playbook_version == "1.0"
    assert item(program, "contact-migration").duration_days == 15


def test_apply_changes_everything_in_one_audited_transaction(client, program, db) -> None:
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    response = _apply(client, program)
    assert response.status_code == 303
    db.session.expire_all()
    assert program.playbook_version == "1.1"
    assert item(program, "contact-migration").duration_days == 18
    assert item(program, "sales-training").duration_days == 10
    new = item(program, "super-user-network")
    assert (new.duration_days, new.phase.key, new.owner_role) == (5, "foundation", "change manager")
    assert new.name_zh.startswith("建立关键用户网络")
    assert new.early_start is not None  # rescheduled
    assert _dependency(program, "change-impact", "super-user-network") is not None
    assert _dependency(program, "super-user-network", "sales-training") is not None
    assert _dependency(program, "service-config", "marketing-config").lag_days == 10
    assert _risk(program, "cleaning-legacy-data").likelihood == 5
    assert _risk(program, "key-user-turnover").status == "open"
    assert _target(program, "duplicate-rate", 1) == 8
    phase = db.session.scalars(
        select(Phase).where(Phase.program_id == program.id, Phase.key == "second-capability")
    ).one()
    assert ("metric_target", "contact-completeness") in {
        (c.kind, c.reference)
        for c in db.session.scalars(select(GateCriterion).where(GateCriterion.phase_id == phase.id))
    }
    # the audit trail holds every change, by the person who applied it
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.program_id == program.id, AuditEvent.id > before)
    ).all()
    assert {e.actor for e in events} == {"admin@test.example"}
    seen = {(e.action, e.entity, e.entity_label, e.field, e.old_value, e.new_value) for e in events}
    assert ("update", "program", program.name, "playbook_version", "1.0", "1.1") in seen
    assert ("update", "workitem", "contact-migration", "duration_days", "15", "18") in seen
    assert ("update", "risk", "cleaning-legacy-data", "likelihood", "4", "5") in seen
    assert ("create", "workitem", "super-user-network", None, None, None) in seen
    assert ("create", "risk", "key-user-turnover", None, None, None) in seen
    assert (
        "create",
        "dependency",
        "super-user-network → sales-training FS",
        None,
        None,
        None,
    ) in seen
    record = db.session.scalars(select(PlaybookUpgrade)).one()
    assert (record.from_version, record.to_version) == ("1.0", "1.1")
    assert record.applied_by == "admin@test.example"
    assert record.first_audit_id == min(e.id for e in events)
    assert record.last_audit_id == max(e.id for e in events)
    # nothing left to upgrade; the history shows this one
    page = text_of(client.get(_url(program)))
    assert "newest installed version" in page
    assert "Earlier upgrades" in page and "admin@test.example" in page


def test_running_the_program_is_not_editing_it(client, program, db) -> None:
    item(program, "contact-migration").owner = "Liu Yang"
    risk = _risk(program, "cleaning-legacy-data")
    risk.status = "mitigating"
    risk.residual_likelihood = 2
    risk.owner = "Wang Fang"
    db.session.commit()
    plan = service.upgrade_context(program, "1.1").plan
    assert plan.conflicts == []
    assert ("update", "contact-migration") in {(a.op, a.key) for a in plan.actions}
    assert ("update", "cleaning-legacy-data") in {(a.op, a.key) for a in plan.actions}


def test_work_that_has_started_is_never_replanned_by_itself(client, program, db) -> None:
    item(program, "contact-migration").percent_complete = 40
    item(program, "sales-training").actual_start = program.start_date
    db.session.commit()
    plan = service.upgrade_context(program, "1.1").plan
    assert {c.id for c in plan.conflicts} == {
        "task:contact-migration:duration",
        "task:sales-training:duration",
    }
    page = text_of(client.get(_url(program)))
    assert "work on it has started" in page
    # not started: still automatic
    assert ("update", "service-history-migration") in {(a.op, a.key) for a in plan.actions}


@pytest.fixture()
def edited(program, db):
    """The program changed a duration, a risk's likelihood, a lag and a target itself."""
    item(program, "contact-migration").duration_days = 20
    _risk(program, "cleaning-legacy-data").likelihood = 3
    _dependency(program, "service-config", "marketing-config").lag_days = 2
    metric = db.session.scalars(
        select(Metric).where(Metric.program_id == program.id, Metric.key == "duplicate-rate")
    ).one()
    next(t for t in metric.targets if t.phase_ordinal == 2).target = 3
    db.session.commit()
    return program


CONFLICTS = {
    "task:contact-migration:duration",
    "dependency:service-config → marketing-config:lag",
    "risk:cleaning-legacy-data:likelihood",
    "metric:duplicate-rate:targets",
}


def test_edits_by_the_program_become_conflicts(client, edited) -> None:
    plan = service.upgrade_context(edited, "1.1").plan
    assert {c.id for c in plan.conflicts} == CONFLICTS
    duration = next(c for c in plan.conflicts if c.key == "contact-migration")
    assert (duration.program_value, duration.old_playbook_value, duration.new_playbook_value) == (
        20,
        15,
        18,
    )
    page = text_of(client.get(_url(edited)))
    assert "4 for you to decide" in page
    assert "Task contact-migration · duration (working days)" in page
    assert "the program changed it and the playbook changed it too" in page
    # what the program did not edit still changes by itself
    assert "Task sales-training phase foundation duration (working days): 8 → 10" in page


def test_undecided_conflicts_refuse_the_whole_upgrade(client, edited, db) -> None:
    before = counts()
    response = _apply(client, edited, **{"task:contact-migration:duration": "take_new"})
    assert response.status_code == 422
    assert "Decide this conflict." in text_of(response)
    assert "Nothing was changed." in text_of(response)
    db.session.expire_all()
    assert counts() == before
    assert edited.playbook_version == "1.0"
    assert item(edited, "sales-training").duration_days == 8  # not even the automatic part


def test_the_leads_decisions_are_applied(client, edited, db) -> None:
    response = _apply(
        client,
        edited,
        **{
            "task:contact-migration:duration": "keep_program",
            "dependency:service-config → marketing-config:lag": "take_new",
            "risk:cleaning-legacy-data:likelihood": "take_new",
            "metric:duplicate-rate:targets": "keep_program",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert edited.playbook_version == "1.1"
    assert item(edited, "contact-migration").duration_days == 20
    assert _dependency(edited, "service-config", "marketing-config").lag_days == 10
    assert _risk(edited, "cleaning-legacy-data").likelihood == 5
    assert _target(edited, "duplicate-rate", 1) == 6
    assert _target(edited, "duplicate-rate", 2) == 3
    assert item(edited, "sales-training").duration_days == 10


def test_stale_page_is_refused_with_409(client, program, db) -> None:
    stale = program.version
    program.name = "Renamed meanwhile"
    db.session.commit()
    before = counts()
    response = client.post(_url(program), data={"to": "1.1", "version": str(stale)})
    assert response.status_code == 409
    assert "changed by" in text_of(response)
    db.session.expire_all()
    assert counts() == before
    assert program.playbook_version == "1.0"


def test_what_the_program_removed_is_not_brought_back(client, program, db) -> None:
    db.session.delete(item(program, "service-history-migration"))
    db.session.commit()
    plan = service.upgrade_context(program, "1.1").plan
    skipped = {(a.op, a.key, a.code) for a in plan.actions}
    assert ("skip", "service-history-migration", "removed_by_program") in skipped
    assert _apply(client, program).status_code == 303
    assert not any(i.key == "service-history-migration" for i in program.work_items)


def test_a_key_the_program_already_uses_is_a_conflict(client, program, db) -> None:
    from planner.models import WorkItem

    phase = item(program, "change-impact").phase
    db.session.add(
        WorkItem(
            program_id=program.id,
            phase_id=phase.id,
            key="super-user-network",
            kind="task",
            name="Our own champions",
            duration_days=3,
            position=999,
        )
    )
    db.session.commit()
    plan = service.upgrade_context(program, "1.1").plan
    conflict = next(c for c in plan.conflicts if c.key == "super-user-network")
    assert conflict.code == "key_taken"
    response = _apply(client, program, **{conflict.id: "keep_program"})
    assert response.status_code == 303
    db.session.expire_all()
    assert item(program, "super-user-network").name == "Our own champions"
    assert item(program, "super-user-network").duration_days == 3


def _version_1_2() -> Playbook:
    """1.1 with sales-training and the new super-user-network lengthened."""
    data = get_playbook("crm-four-100-days", "1.1").model_dump()
    data["version"] = "1.2"
    for phase in data["phases"]:
        for task in phase["tasks"]:
            if task["key"] == "sales-training":
                task["duration"] = 12
            if task["key"] == "super-user-network":
                task["duration"] = 7
    return Playbook.model_validate(data)


def test_a_second_upgrade_does_not_mistake_the_first_for_edits(client, program, db) -> None:
    assert _apply(client, program).status_code == 303
    service.upload_playbook(dump_playbook(_version_1_2()).encode(), "v1.2.yaml", "c@test.example")
    db.session.commit()
    db.session.expire_all()
    plan = service.upgrade_context(program, "1.2").plan
    assert plan.conflicts == []
    updates = {a.key: a.fields for a in plan.actions if a.op == "update"}
    assert updates == {
        "sales-training": {"duration": (10, 12)},
        "super-user-network": {"duration": (5, 7)},
    }
    assert _apply(client, program, to="1.2").status_code == 303
    db.session.expire_all()
    assert program.playbook_version == "1.2"
    assert item(program, "sales-training").duration_days == 12
    assert (
        db.session.scalar(
            select(PlaybookUpgrade.to_version).order_by(PlaybookUpgrade.id.desc()).limit(1)
        )
        == "1.2"
    )


def test_choosing_the_target_version(client, program, db) -> None:
    service.upload_playbook(dump_playbook(_version_1_2()).encode(), "v1.2.yaml", "c@test.example")
    db.session.commit()
    assert "Upgrade from 1.0 to 1.2" in text_of(client.get(_url(program)))
    assert "Upgrade from 1.0 to 1.1" in text_of(client.get(_url(program) + "?to=1.1"))
    assert client.get(_url(program) + "?to=0.9").status_code == 404


def test_permissions(login_as, program, db) -> None:
    member, viewer, lead = (login_as(r, program) for r in ("member", "viewer", "lead"))
    outsider, anonymous = login_as("outsider"), login_as("anonymous")
    before = counts()
    page = member.get(_url(program))
    assert page.status_code == 200
    assert "Apply the upgrade" not in text_of(page)
    assert member.post(_url(program), data={"to": "1.1", "version": "1"}).status_code == 403
    assert viewer.get(_url(program)).status_code == 200
    assert viewer.post(_url(program), data={"to": "1.1", "version": "1"}).status_code == 403
    assert outsider.get(_url(program)).status_code == 404
    assert outsider.post(_url(program), data={"to": "1.1", "version": "1"}).status_code == 404
    assert anonymous.get(_url(program)).status_code == 302
    assert counts() == before
    assert "Apply the upgrade" in text_of(lead.get(_url(program)))
    assert _apply(lead, program).status_code == 303
    db.session.expire_all()
    assert program.playbook_version == "1.1"


def _version_1_2_without_dashboard() -> Playbook:
    """1.1 less the data-quality dashboard it added (and the links to it)."""
    data = get_playbook("crm-four-100-days", "1.1").model_dump()
    data["version"] = "1.2"
    for phase in data["phases"]:
        phase["tasks"] = [t for t in phase["tasks"] if t["key"] != "data-quality-dashboard"]
        for work in [*phase["tasks"], *phase["milestones"]]:
            work["depends_on"] = [
                d for d in work["depends_on"] if d["key"] != "data-quality-dashboard"
            ]
    return Playbook.model_validate(data)


@pytest.mark.parametrize("choice", ["take_new", "keep_program"])
def test_removing_work_under_way_is_the_leads_call(client, program, db, choice) -> None:
    assert _apply(client, program).status_code == 303
    item(program, "data-quality-dashboard").percent_complete = 30
    service.upload_playbook(
        dump_playbook(_version_1_2_without_dashboard()).encode(), "v1.2.yaml", "c@test.example"
    )
    db.session.commit()
    plan = service.upgrade_context(program, "1.2").plan
    [conflict] = plan.conflicts
    assert (conflict.id, conflict.code) == (
        "task:data-quality-dashboard",
        "removed_but_in_progress",
    )
    dashboard_id = item(program, "data-quality-dashboard").id
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    assert _apply(client, program, to="1.2", **{conflict.id: choice}).status_code == 303
    db.session.expire_all()
    keys = {i.key for i in program.work_items}
    assert ("data-quality-dashboard" in keys) is (choice == "keep_program")
    deleted = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.id > before,
            AuditEvent.action == "delete",
            AuditEvent.entity == "workitem",
        )
    ).all()
    assert [e.entity_id for e in deleted] == ([dashboard_id] if choice == "take_new" else [])
    links = db.session.scalars(
        select(Dependency).where(
            (Dependency.predecessor_id == dashboard_id) | (Dependency.successor_id == dashboard_id)
        )
    ).all()
    if choice == "take_new":
        assert links == []
