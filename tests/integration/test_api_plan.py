"""Phases, work items and dependencies through the API: CRUD, roles, conflicts, validation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.models import Dependency, WorkItem
from tests.integration.api_support import (
    JSON,
    api_as,
    assert_problem,
    audit_count,
    new_program,
)

pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


@pytest.fixture()
def program(db):
    return new_program()


def _item(db, program, key):
    return db.session.scalar(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key)
    )


def _snapshot(db, program):
    rows = db.session.execute(
        select(WorkItem.key, WorkItem.name, WorkItem.duration_days, WorkItem.version)
        .where(WorkItem.program_id == program.id)
        .order_by(WorkItem.id)
    ).all()
    deps = db.session.scalar(select(func.count()).select_from(Dependency))
    return rows, deps, audit_count()


def test_phases_list_and_read(app, program) -> None:
    api = api_as(app, "viewer", program)
    body = api.get(f"/programs/{program.id}/phases").get_json()
    assert [p["ordinal"] for p in body["items"]] == [0, 1, 2, 3, 4]
    assert body["total"] == 5 and body["next"] is None
    phase = body["items"][1]
    one = api.get(f"/programs/{program.id}/phases/{phase['id']}")
    assert one.status_code == 200 and one.get_json() == phase
    assert_problem(api.get(f"/programs/{program.id}/phases/999999"), 404)


def test_work_items_paginate_in_a_stable_order_with_links(app, program) -> None:
    api = api_as(app, "viewer", program)
    first = api.get(f"/programs/{program.id}/work-items?per_page=30")
    body = first.get_json()
    assert first.mimetype == JSON and body["page"] == 1 and body["total"] == 84
    assert body["prev"] is None and "page=2" in body["next"] and "per_page=30" in body["next"]
    assert 'rel="next"' in first.headers["Link"] and 'rel="last"' in first.headers["Link"]
    seen = [i["id"] for i in body["items"]]
    url = body["next"]
    while url:
        page = app.test_client().get(url, headers=api.headers()).get_json()
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 84
    positions = [
        (i["position"], i["id"])
        for i in api.get(f"/programs/{program.id}/work-items?per_page=200").get_json()["items"]
    ]
    assert positions == sorted(positions)
    beyond = api.get(f"/programs/{program.id}/work-items?page=99").get_json()
    assert beyond["items"] == [] and beyond["next"] is None


def test_work_item_filters(app, program) -> None:
    api = api_as(app, "viewer", program)
    base = f"/programs/{program.id}/work-items?per_page=200"
    phases = api.get(f"/programs/{program.id}/phases").get_json()["items"]
    one = api.get(f"{base}&phase_id={phases[1]['id']}").get_json()["items"]
    assert one and {i["phase_id"] for i in one} == {phases[1]["id"]}
    critical = api.get(f"{base}&critical=true").get_json()["items"]
    others = api.get(f"{base}&critical=false").get_json()["items"]
    assert critical and others and all(i["is_critical"] for i in critical)
    assert len(critical) + len(others) == 84
    stream = api.get(f"{base}&workstream=training-change").get_json()["items"]
    assert stream and {i["workstream"] for i in stream} == {"training-change"}
    milestones = api.get(f"{base}&kind=milestone").get_json()["items"]
    assert milestones and all(i["duration_days"] == 0 for i in milestones)
    assert_problem(api.get(f"{base}&critical=maybe"), 400, "critical")
    assert_problem(api.get(f"{base}&kind=epic"), 400, "kind")


def test_create_read_update_delete_a_work_item(app, db, program) -> None:
    api = api_as(app, "member", program)
    phase_id = _item(db, program, "diagnosis-plan").phase_id
    created = api.post(
        f"/programs/{program.id}/work-items",
        {
            "key": "api-task",
            "phase_id": phase_id,
            "name": "From the API",
            "duration_days": 3,
            "workstream": "governance",
            "owner": "Li",
        },
    )
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert created.headers["Location"].endswith(f"/work-items/{item['id']}")
    assert item["early_start"] and item["early_finish"] and item["version"] == 1
    assert item["total_float"] is not None
    path = f"/programs/{program.id}/work-items/{item['id']}"
    assert api.get(path).get_json() == item

    # details, place and progress in one PATCH; the schedule follows
    changed = api.patch(
        path,
        {
            "version": 1,
            "name": "Renamed",
            "duration_days": 10,
            "percent_complete": 20,
            "actual_start": "2026-01-05",
        },
    )
    assert changed.status_code == 200, changed.get_json()
    after = changed.get_json()
    assert after["name"] == "Renamed" and after["duration_days"] == 10
    assert after["percent_complete"] == 20 and after["actual_start"] == "2026-01-05"
    assert after["version"] > 1 and after["early_finish"] > item["early_finish"]
    row = _item(db, program, "api-task")
    db.session.refresh(row)
    assert row.name == "Renamed" and row.owner == "Li"  # not sent: kept

    assert_problem(api.delete(path), 400, "version")
    assert_problem(api.delete(f"{path}?version=1"), 409, "version")
    assert api.delete(f"{path}?version={after['version']}").status_code == 204
    assert _item(db, program, "api-task") is None
    assert_problem(api.get(path), 404)


def test_a_stale_version_is_409_naming_the_current_one_and_changes_nothing(
    app, db, program
) -> None:
    api = api_as(app, "member", program)
    item = _item(db, program, "diagnosis-plan")
    path = f"/programs/{program.id}/work-items/{item.id}"
    assert api.patch(path, {"version": item.version, "name": "First"}).status_code == 200
    before = _snapshot(db, program)
    body = assert_problem(api.patch(path, {"version": 1, "name": "Second"}), 409, "version")
    assert body["current_version"] == 2 and "changed by" in body["detail"]
    assert _snapshot(db, program) == before


@pytest.mark.parametrize(
    ("payload", "field", "hint"),
    [
        ({"early_start": "2026-01-01"}, "early_start", "computed by the scheduler"),
        ({"late_finish": "2026-01-01"}, "late_finish", "computed by the scheduler"),
        ({"total_float": 3}, "total_float", "computed by the scheduler"),
        ({"is_critical": False}, "is_critical", "computed by the scheduler"),
        ({"key": "other"}, "key", "cannot be changed"),
        ({"colour": "red"}, "colour", "unknown field"),
        ({"name": ""}, "name", "at least 1"),
        ({"duration_days": 5001}, "duration_days", "5000 or less"),
        ({"duration_days": "3"}, "duration_days", "a whole number"),
        ({"percent_complete": 101}, "percent_complete", ""),
        ({"constraint_type": "MSO"}, "constraint_type", ""),
        ({"constraint_type": "SNET"}, "constraint_date", "needs its date"),
        ({"actual_start": "2026-13-01"}, "actual_start", "date"),
        ({"actual_start": "2027-06-01"}, "actual_start", "after the status date"),
        ({"phase_id": 999999}, "phase_id", "phases"),
        ({"owner": "a\u0000b"}, "owner", "NUL"),
        ({"kind": "task", "duration_days": 0}, "duration_days", "1 to 5000"),
    ],
)
def test_invalid_updates_are_422_naming_the_field_and_change_nothing(
    app, db, program, payload, field, hint
) -> None:
    api = api_as(app, "member", program)
    item = _item(db, program, "diagnosis-plan")
    before = _snapshot(db, program)
    response = api.patch(
        f"/programs/{program.id}/work-items/{item.id}", {"version": item.version, **payload}
    )
    body = assert_problem(response, 422, field)
    assert hint in json_text(body)
    assert _snapshot(db, program) == before


def json_text(body) -> str:
    return " ".join(e["message"] for e in body["errors"]) + " " + body["detail"]


def test_create_validation(app, db, program) -> None:
    api = api_as(app, "member", program)
    phase_id = _item(db, program, "diagnosis-plan").phase_id
    before = _snapshot(db, program)
    url = f"/programs/{program.id}/work-items"
    assert_problem(
        api.post(url, {"key": "diagnosis-plan", "phase_id": phase_id, "name": "Dup"}), 422, "key"
    )
    assert_problem(
        api.post(url, {"key": "bad key!", "phase_id": phase_id, "name": "X"}), 422, "key"
    )
    assert_problem(api.post(url, {"key": "ok", "phase_id": 999999, "name": "X"}), 422, "phase_id")
    missing = assert_problem(api.post(url, {"key": "ok"}), 422)
    assert {e["field"] for e in missing["errors"]} == {"phase_id", "name"}
    assert_problem(
        api.post(url, {"key": "ok", "phase_id": phase_id, "name": "X", "free_float": 1}),
        422,
        "free_float",
    )
    assert _snapshot(db, program) == before


def test_dependencies(app, db, program) -> None:
    api = api_as(app, "member", program)
    a, b = _item(db, program, "staff-briefing"), _item(db, program, "roadmap-approved")
    url = f"/programs/{program.id}/dependencies"
    listed = api.get(f"{url}?successor_id={a.id}").get_json()
    assert listed["items"] and all(d["successor_id"] == a.id for d in listed["items"])
    assert listed["items"][0]["predecessor_key"] == "diagnosis-plan"
    created = api.post(
        url, {"predecessor_id": a.id, "successor_id": b.id, "type": "SS", "lag_days": -2}
    )
    assert created.status_code == 201, created.get_json()
    dep = created.get_json()
    assert (
        dep["predecessor_key"] == "staff-briefing" and dep["type"] == "SS" and dep["lag_days"] == -2
    )
    assert api.get(f"{url}/{dep['id']}").get_json() == dep
    both = api.get(f"{url}?work_item_id={a.id}&per_page=200").get_json()["items"]
    assert dep["id"] in [d["id"] for d in both]
    before = _snapshot(db, program)
    # duplicate, cycle, unknown item, bad type, self link
    assert_problem(
        api.post(url, {"predecessor_id": a.id, "successor_id": b.id}), 422, "successor_id"
    )
    cycle = assert_problem(
        api.post(url, {"predecessor_id": b.id, "successor_id": a.id}), 422, "successor_id"
    )
    assert "cycle" in cycle["detail"]
    assert_problem(
        api.post(url, {"predecessor_id": 999999, "successor_id": b.id}), 422, "predecessor_id"
    )
    assert_problem(
        api.post(url, {"predecessor_id": a.id, "successor_id": b.id, "type": "XX"}), 422, "type"
    )
    assert_problem(
        api.post(url, {"predecessor_id": a.id, "successor_id": a.id}), 422, "successor_id"
    )
    assert_problem(
        api.post(url, {"predecessor_id": a.id, "successor_id": b.id, "lag_days": 2001}),
        422,
        "lag_days",
    )
    assert_problem(api.patch(f"{url}/{dep['id']}", {"lag_days": 1}), 405)
    assert _snapshot(db, program) == before
    assert api.delete(f"{url}/{dep['id']}").status_code == 204
    assert_problem(api.get(f"{url}/{dep['id']}"), 404)


def test_schedule_fields_follow_a_new_dependency(app, db, program) -> None:
    api = api_as(app, "member", program)
    a, b = _item(db, program, "diagnosis-plan"), _item(db, program, "sfa-design-signed-off")
    before = api.get(f"/programs/{program.id}/work-items/{b.id}").get_json()
    response = api.post(
        f"/programs/{program.id}/dependencies",
        {"predecessor_id": b.id, "successor_id": _item(db, program, "staff-briefing").id},
    )
    assert response.status_code == 201
    moved = api.get(
        f"/programs/{program.id}/work-items/{_item(db, program, 'staff-briefing').id}"
    ).get_json()
    assert moved["early_start"] > before["early_finish"]
    assert a.early_start.isoformat() < moved["early_start"]


ROLE_EXPECTATIONS = {
    # role: (may read, may write)
    "viewer": (True, False),
    "steering": (True, False),
    "member": (True, True),
    "lead": (True, True),
    "admin": (True, True),
}


@pytest.mark.parametrize("role", [*ROLE_EXPECTATIONS, "outsider", "anonymous"])
def test_roles_on_the_plan(app, db, program, role) -> None:
    api = api_as(app, role, program)
    item = _item(db, program, "diagnosis-plan")
    base = f"/programs/{program.id}"
    reads = [
        f"{base}/phases",
        f"{base}/work-items",
        f"{base}/work-items/{item.id}",
        f"{base}/dependencies",
    ]
    write = api.patch(f"{base}/work-items/{item.id}", {"version": item.version, "owner": role})
    create_dep = api.post(
        f"{base}/dependencies",
        {"predecessor_id": item.id, "successor_id": _item(db, program, "roadmap-approved").id},
    )
    if role == "anonymous":
        for path in reads:
            assert_problem(api.get(path), 401)
        assert_problem(write, 401)
        return
    if role == "outsider":
        for path in reads:
            assert_problem(api.get(path), 404)
        assert_problem(write, 404)
        assert_problem(create_dep, 404)
        return
    may_read, may_write = ROLE_EXPECTATIONS[role]
    for path in reads:
        assert api.get(path).status_code == 200
    if may_write:
        assert write.status_code == 200 and write.get_json()["owner"] == role
        assert create_dep.status_code == 201
    else:
        assert_problem(write, 403)
        assert_problem(create_dep, 403)
        db.session.refresh(item)
        assert item.owner is None


def test_a_work_item_created_without_a_key_gets_one_from_its_name(app, db, program) -> None:  # type: ignore[no-untyped-def]
    api = api_as(app, "member", program)
    phase_id = _item(db, program, "diagnosis-plan").phase_id
    suggested = api.get(
        f"/programs/{program.id}/work-items/key-suggestion?name=Diagnosis%20plan"
    ).get_json()
    assert suggested["key"] == "diagnosis-plan-2"  # diagnosis-plan is taken
    body = {"phase_id": phase_id, "name": "Diagnosis plan", "duration_days": 2}
    created = api.post(f"/programs/{program.id}/work-items", body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["key"] == suggested["key"]
    chinese = api.post(f"/programs/{program.id}/work-items", {**body, "name": "诊断计划"})
    assert chinese.status_code == 201 and chinese.get_json()["key"].startswith("item-")
