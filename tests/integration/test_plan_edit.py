"""Editing the plan through its forms: every save reschedules and says what moved; bad input
is refused with a clear message and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from planner.domain.errors import DependencyCycleError, ValidationError
from planner.models import AuditEvent, Dependency, WorkItem
from planner.services import audit
from planner.services import plan as plan_service
from tests.integration.plan_support import item, make_program, snapshot


@pytest.fixture()
def program(db):
    return make_program(db)


def audit_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def details(work_item: WorkItem, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": work_item.name,
        "kind": work_item.kind,
        "duration_days": work_item.duration_days,
        "owner": work_item.owner or "",
        "constraint_type": work_item.constraint_type or "",
        "constraint_date": work_item.constraint_date.isoformat()
        if work_item.constraint_date
        else "",
        "deliverable": work_item.deliverable or "",
        "version": work_item.version,
    }
    data.update(changes)
    return data


def url(program, work_item=None, suffix: str = "") -> str:
    base = f"/programs/{program.id}/plan"
    return f"{base}/items/{work_item.id}{suffix}" if work_item is not None else base


# --------------------------------------------------------------------------- saves


def test_longer_duration_moves_successors_and_the_page_says_by_how_much(client, db, program):
    requirements = item(db, program, "sfa-requirements")
    configuration = item(db, program, "sfa-configuration")
    before = configuration.early_start
    response = client.post(
        url(program, requirements, "/edit"), data=details(requirements, duration_days=15)
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert requirements.duration_days == 15
    # five more working days: the configuration starts a working week later
    assert configuration.early_start is not None and before is not None
    assert (configuration.early_start - before).days == 7
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What moved" in page
    assert "sfa-configuration" in page and "+5 wd" in page
    # shown once: the next page no longer lists the moves
    assert "What moved" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_add_work_item_after_a_predecessor(client, db, program):
    phase = program.phases[1]
    response = client.post(
        f"/programs/{program.id}/plan/items/new",
        data={
            "key": "crm-pilot",
            "name": "Pilot the CRM with one sales team",
            "kind": "task",
            "phase": phase.id,
            "workstream": "sales-automation",
            "duration_days": 4,
            "owner": "Li Wei",
            "constraint_type": "",
            "predecessor": "sfa-uat",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    pilot = item(db, program, "crm-pilot")
    uat = item(db, program, "sfa-uat")
    assert pilot.phase_id == phase.id and pilot.workstream == "sales-automation"
    assert pilot.early_start is not None and uat.early_finish is not None
    assert pilot.early_start > uat.early_finish
    link = db.session.scalars(select(Dependency).where(Dependency.successor_id == pilot.id)).one()
    assert (link.predecessor_id, link.type, link.lag_days) == (uat.id, "FS", 0)


def test_add_work_item_refuses_a_duplicate_key_and_an_unknown_predecessor(client, db, program):
    before = snapshot(db, program.id)
    response = client.post(
        f"/programs/{program.id}/plan/items/new",
        data={
            "key": "sfa-uat",
            "name": "Again",
            "kind": "task",
            "phase": program.phases[1].id,
            "duration_days": 2,
            "predecessor": "no-such-item",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "&#34;sfa-uat&#34; is already used in this program" in html
    assert "unknown item &#34;no-such-item&#34;" in html
    assert snapshot(db, program.id) == before


def test_milestone_has_no_duration_and_a_task_needs_one(client, db, program):
    task = item(db, program, "sfa-uat")
    before = snapshot(db, program.id)
    response = client.post(url(program, task, "/edit"), data=details(task, duration_days=0))
    assert response.status_code == 422
    assert "a task lasts 1 to 5000 working days" in response.get_data(as_text=True)
    assert snapshot(db, program.id) == before
    response = client.post(url(program, task, "/edit"), data=details(task, kind="milestone"))
    assert response.status_code == 302
    db.session.expire_all()
    assert (task.kind, task.duration_days) == ("milestone", 0)


def test_constraint_start_no_earlier_than_moves_the_item(client, db, program):
    task = item(db, program, "benefit-baseline")
    response = client.post(
        url(program, task, "/edit"),
        data=details(task, constraint_type="SNET", constraint_date="2026-06-01"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert task.early_start == date(2026, 6, 1)


def test_move_to_another_phase_and_workstream(client, db, program):
    task = item(db, program, "benefit-baseline")
    later = program.phases[2]
    response = client.post(
        url(program, task, "/move"),
        data={"phase": later.id, "workstream": "governance-2", "version": task.version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert task.phase_id == later.id and task.workstream == "governance-2"
    # the phase window is a start-no-earlier bound
    assert task.early_start is not None and task.early_start >= later.window_start


def test_progress_then_done(client, db, program):
    program.status_date = date(2026, 4, 15)
    db.session.commit()
    task = item(db, program, "p1-mobilise")
    response = client.post(
        url(program, task, "/progress"),
        data={"percent_complete": 40, "actual_start": "2026-04-01", "version": task.version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (task.percent_complete, task.actual_start, task.early_start) == (
        40,
        date(2026, 4, 1),
        date(2026, 4, 1),
    )
    response = client.post(
        url(program, task, "/progress"),
        data={
            "percent_complete": 40,
            "actual_start": "2026-04-01",
            "actual_finish": "2026-04-08",
            "version": task.version,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    # an actual finish means done, whatever the percent said
    assert (task.percent_complete, task.early_finish, task.total_float) == (
        100,
        date(2026, 4, 8),
        0,
    )


def test_delete_item_removes_its_links_and_records_them(client, db, program):
    task = item(db, program, "sfa-uat")
    task_id = task.id
    links = db.session.scalar(
        select(func.count())
        .select_from(Dependency)
        .where((Dependency.predecessor_id == task_id) | (Dependency.successor_id == task_id))
    )
    assert links >= 2
    assert client.get(url(program, task, "/delete")).status_code == 200
    response = client.post(url(program, task, "/delete"), data={"version": task.version})
    assert response.status_code == 302
    assert db.session.get(WorkItem, task_id) is None
    deleted = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "delete", AuditEvent.entity == "dependency")
    ).all()
    assert len(deleted) == links


def test_add_and_remove_a_dependency_with_lag(client, db, program):
    uat = item(db, program, "sfa-uat")
    baseline = item(db, program, "benefit-baseline")
    response = client.post(
        f"/programs/{program.id}/plan/dependencies",
        data={"predecessor": "sfa-uat", "successor": "benefit-baseline", "type": "FF", "lag": 3},
    )
    assert response.status_code == 302
    db.session.expire_all()
    link = db.session.scalars(
        select(Dependency).where(
            Dependency.predecessor_id == uat.id, Dependency.successor_id == baseline.id
        )
    ).one()
    assert (link.type, link.lag_days) == ("FF", 3)
    # FF+3: the successor finishes three working days after the predecessor
    calendar = plan_service.program_calendar(program)
    assert calendar.workdays_between(uat.early_finish, baseline.early_finish) == 3
    response = client.post(f"/programs/{program.id}/plan/dependencies/{link.id}/delete")
    assert response.status_code == 302
    assert db.session.get(Dependency, link.id) is None


# --------------------------------------------------------------------------- refusals


def dependency_form(predecessor: str, successor: str, lag: object = 0, kind: str = "FS") -> dict:
    return {"predecessor": predecessor, "successor": successor, "type": kind, "lag": lag}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            dependency_form("sfa-configuration", "sfa-requirements"),
            "dependency cycle: sfa-requirements → sfa-design-signed-off"
            " → sfa-configuration → sfa-requirements",
        ),
        (
            dependency_form("sfa-uat", "benefit-baseline", lag=5000),
            "The lag must be between -2000 and 2000 working days (negative = lead).",
        ),
        (dependency_form("sfa-uat", "benefit-baseline", lag="soon"), "Not a valid integer value."),
        (dependency_form("no-such-item", "sfa-uat"), "unknown item &#34;no-such-item&#34;"),
        (dependency_form("sfa-uat", "missing"), "unknown item &#34;missing&#34;"),
        (
            dependency_form("sfa-configuration", "sfa-uat"),
            "&#34;sfa-uat&#34; already depends on &#34;sfa-configuration&#34;",
        ),
        (dependency_form("sfa-uat", "sfa-uat"), "an item cannot depend on itself"),
        (dependency_form("sfa-uat", "benefit-baseline", kind="XX"), "Not a valid choice."),
    ],
    ids=[
        "cycle",
        "lag-too-big",
        "lag-not-a-number",
        "unknown-pred",
        "unknown-succ",
        "dup",
        "self",
        "type",
    ],
)
def test_bad_dependency_is_refused_and_changes_nothing(client, db, program, form, message):
    before = snapshot(db, program.id)
    events = audit_count(db)
    response = client.post(f"/programs/{program.id}/plan/dependencies", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(db, program.id) == before
    assert audit_count(db) == events


def test_bad_dependency_on_the_item_page_keeps_the_page(client, db, program):
    requirements = item(db, program, "sfa-requirements")
    response = client.post(
        f"/programs/{program.id}/plan/dependencies",
        data={
            **dependency_form("sfa-configuration", "sfa-requirements"),
            "item_id": requirements.id,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Computed schedule" in html and "dependency cycle: " in html


def test_service_refuses_cycles_and_bad_lags_too(db, program):
    with pytest.raises(DependencyCycleError) as cycle:
        plan_service.add_dependency(program, "project-closed", "p4-plan", "FS", 0)
    assert cycle.value.cycle[0] == "p4-plan" and cycle.value.cycle[-1] == "project-closed"
    with pytest.raises(ValidationError) as lag:
        plan_service.add_dependency(program, "sfa-uat", "benefit-baseline", "FS", 2001)
    assert lag.value.errors == [("lag", "lag must be between -2000 and 2000 working days")]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"percent_complete": 50, "actual_start": "2026-04-20"},
            "2026-04-20 is after the status date 2026-04-15: actual dates are in the past",
        ),
        (
            {"percent_complete": 50, "actual_start": "2026-04-10", "actual_finish": "2026-04-08"},
            "the actual finish 2026-04-08 is before the actual start 2026-04-10",
        ),
        ({"percent_complete": 50, "actual_start": "2026-02-30"}, "Not a valid date value."),
        ({"percent_complete": 50}, "an item with progress has started: give its actual start"),
        ({"percent_complete": 100, "actual_start": "2026-04-01"}, "needs its actual finish"),
        ({"percent_complete": 101}, "Number must be between 0 and 100."),
        (
            {"percent_complete": 0, "actual_start": "2025-12-01"},
            "2025-12-01 is before the program starts (2026-03-02)",
        ),
        ({"percent_complete": 0, "actual_finish": "2026-04-01"}, "needs its actual start too"),
    ],
    ids=[
        "future",
        "reversed",
        "no-such-day",
        "no-start",
        "no-finish",
        "percent",
        "early",
        "finish",
    ],
)
def test_bad_progress_is_refused_and_changes_nothing(client, db, program, form, message):
    program.status_date = date(2026, 4, 15)
    db.session.commit()
    task = item(db, program, "p1-mobilise")
    before = snapshot(db, program.id)
    events = audit_count(db)
    response = client.post(url(program, task, "/progress"), data={**form, "version": task.version})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(db, program.id) == before
    assert audit_count(db) == events


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"constraint_type": "SNET", "constraint_date": ""}, "a constraint needs its date"),
        (
            {"constraint_type": "", "constraint_date": "2026-05-01"},
            "choose the kind of constraint for this date",
        ),
        ({"constraint_type": "FNLT", "constraint_date": "31/12/2026"}, "Not a valid date value."),
        ({"name": ""}, "This field is required."),
        ({"duration_days": 6000}, "Number must be between 0 and 5000."),
    ],
    ids=["no-date", "no-type", "bad-date", "no-name", "too-long"],
)
def test_bad_details_are_refused_and_change_nothing(client, db, program, changes, message):
    task = item(db, program, "sfa-uat")
    before = snapshot(db, program.id)
    response = client.post(url(program, task, "/edit"), data=details(task, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot(db, program.id) == before


def test_finish_no_later_than_too_early_gives_negative_float(client, db, program):
    task = item(db, program, "sfa-uat")
    response = client.post(
        url(program, task, "/edit"),
        data=details(task, constraint_type="FNLT", constraint_date="2026-04-01"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert task.total_float is not None and task.total_float < 0
    table = client.get(f"/programs/{program.id}/plan/table?late=1").get_data(as_text=True)
    assert "sfa-uat" in table  # negative float counts as late


# --------------------------------------------------------------------------- conflicts


def test_stale_edit_is_refused_with_who_and_the_stored_values(client, db, program, monkeypatch):
    task = item(db, program, "sfa-uat")
    seen = details(task)  # the form as the user opened it
    monkeypatch.setattr(audit, "actor_provider", lambda: "alice@example.com")
    plan_service.update_item(
        program,
        task,
        plan_service.ItemDetails(name=task.name, duration_days=12, owner="Alice"),
        task.version,
    )
    db.session.commit()
    before = snapshot(db, program.id)
    response = client.post(
        url(program, task, "/edit"), data={**seen, "duration_days": 9, "owner": "Bob"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by alice@example.com at" in html and "since you opened it" in html
    assert 'value="Bob"' in html and 'value="9"' in html  # the user's input is kept
    assert (
        "Stored now:" in html and "<strong>Alice</strong>" in html and "<strong>12</strong>" in html
    )
    assert snapshot(db, program.id) == before
    # the form now carries the current version: saving again replaces the stored values
    db.session.expire_all()
    again = client.post(
        url(program, task, "/edit"),
        data={**seen, "duration_days": 9, "owner": "Bob", "version": task.version},
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert (task.duration_days, task.owner) == (9, "Bob")


def test_stale_progress_and_move_are_refused(client, db, program):
    task = item(db, program, "sfa-uat")
    old = task.version
    task.owner = "Someone"
    db.session.commit()
    before = snapshot(db, program.id)
    progress = client.post(
        url(program, task, "/progress"), data={"percent_complete": 0, "version": old}
    )
    move = client.post(
        url(program, task, "/move"), data={"phase": program.phases[2].id, "version": old}
    )
    delete = client.post(url(program, task, "/delete"), data={"version": old})
    assert (progress.status_code, move.status_code, delete.status_code) == (409, 409, 409)
    assert snapshot(db, program.id) == before


def test_unknown_or_foreign_item_is_404(client, db, program):
    other = make_program(db, name="Other")
    foreign = item(db, other, "sfa-uat")
    assert client.get(url(program, foreign)).status_code == 404
    assert client.get(f"/programs/{program.id}/plan/items/999999").status_code == 404
    response = client.post(url(program, foreign, "/edit"), data=details(foreign))
    assert response.status_code == 404


# --------------------------------------------------------------------------- calendar


def test_holiday_moves_work_and_duplicates_are_refused(client, db, program):
    task = item(db, program, "diagnosis-plan")  # 2 days from Monday 2 March
    assert task.early_finish == date(2026, 3, 3)
    response = client.post(
        f"/programs/{program.id}/plan/calendar",
        data={"day": "2026-03-03", "working": "0", "name": "Company day"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert task.early_finish == date(2026, 3, 4)
    before = snapshot(db, program.id)
    again = client.post(
        f"/programs/{program.id}/plan/calendar", data={"day": "2026-03-03", "working": "1"}
    )
    assert again.status_code == 422
    assert "2026-03-03 is already listed" in again.get_data(as_text=True)
    assert snapshot(db, program.id) == before
    day_id = before["calendar"][0][0]
    removed = client.post(f"/programs/{program.id}/plan/calendar/{day_id}/delete")
    assert removed.status_code == 302
    db.session.expire_all()
    assert task.early_finish == date(2026, 3, 3)


def test_status_date_moves_remaining_work_and_cannot_precede_actuals(client, db, program):
    first = item(db, program, "diagnosis-plan")
    response = client.post(
        f"/programs/{program.id}/plan/status-date",
        data={"status_date": "2026-03-09", "version": program.version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert first.early_start == date(2026, 3, 9)  # nothing is planned in the past
    plan_service.set_progress(
        program,
        first,
        percent_complete=100,
        actual_start=date(2026, 3, 2),
        actual_finish=date(2026, 3, 6),
        version=first.version,
    )
    db.session.commit()
    before = snapshot(db, program.id)
    refused = client.post(
        f"/programs/{program.id}/plan/status-date",
        data={"status_date": "2026-03-04", "version": program.version},
    )
    assert refused.status_code == 422
    assert "is before actual dates already recorded (diagnosis-plan)" in refused.get_data(
        as_text=True
    )
    assert snapshot(db, program.id) == before
