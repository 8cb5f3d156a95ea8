"""Programs through the API: list, create from a playbook, read, change, delete; roles."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.models import Membership, Program, WorkItem
from tests.integration.api_support import (
    api_as,
    assert_problem,
    audit_count,
    new_program,
)

BODY = {
    "name": "Beta rollout",
    "client": "Beta Co",
    "start_date": "2026-03-02",
    "playbook": "crm-four-100-days",
}


pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


def _programs(db) -> int:
    return int(db.session.scalar(select(func.count()).select_from(Program)))


def test_create_from_a_playbook_makes_the_caller_lead(app, db) -> None:
    api = api_as(app, "outsider")
    response = api.post("/programs", {**BODY, "playbook": "crm-four-100-days@1.1"})
    assert response.status_code == 201, response.get_json()
    program = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/programs/{program['id']}")
    assert program["status"] == "planning" and program["playbook_version"] == "1.1"
    assert program["created_at"].endswith("Z")
    role = db.session.scalar(select(Membership.role).where(Membership.program_id == program["id"]))
    assert role == "lead"
    items = db.session.scalar(select(func.count()).where(WorkItem.program_id == program["id"]))
    assert items == 84
    assert [p["id"] for p in api.get("/programs").get_json()["items"]] == [program["id"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**BODY, "playbook": "no-such-playbook"}, "playbook"),
        ({**BODY, "playbook": "crm-four-100-days@9.9"}, "playbook"),
        ({**BODY, "name": "   "}, "name"),
        ({**BODY, "name": ""}, "name"),
        ({**BODY, "start_date": "2026-02-30"}, "start_date"),
        ({**BODY, "status": "active"}, "status"),
        ({k: v for k, v in BODY.items() if k != "client"}, "client"),
    ],
)
def test_create_validation(app, db, payload, field) -> None:
    api = api_as(app, "admin")
    before = (_programs(db), audit_count())
    assert_problem(api.post("/programs", payload), 422, field)
    assert (_programs(db), audit_count()) == before


def test_list_is_paginated_and_filtered(app, db) -> None:
    programs = [new_program(f"P{n}") for n in range(3)]
    programs[1].status = "active"
    db.session.commit()
    api = api_as(app, "admin")
    first = api.get("/programs?per_page=2").get_json()
    assert [p["id"] for p in first["items"]] == [programs[0].id, programs[1].id]
    assert first["total"] == 3 and first["next"]
    active = api.get("/programs?status=active").get_json()["items"]
    assert [p["id"] for p in active] == [programs[1].id]
    assert_problem(api.get("/programs?status=paused"), 400, "status")


def test_update_and_conflict(app, db) -> None:
    program = new_program()
    api = api_as(app, "lead", program)
    path = f"/programs/{program.id}"
    version = api.get(path).get_json()["version"]
    changed = api.patch(
        path,
        {"version": version, "name": "Renamed", "status": "active", "status_date": "2026-02-02"},
    )
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["name"] == "Renamed" and body["status"] == "active"
    assert body["status_date"] == "2026-02-02" and body["version"] > version
    before = (db.session.get(Program, program.id).name, audit_count())
    stale = assert_problem(api.patch(path, {"version": version, "name": "Again"}), 409, "version")
    assert stale["current_version"] == body["version"]
    assert_problem(
        api.patch(path, {"version": body["version"], "start_date": "2027-01-01"}), 422, "start_date"
    )
    assert_problem(api.patch(path, {"version": body["version"], "status": "paused"}), 422, "status")
    assert_problem(api.patch(path, {"version": body["version"], "client": ""}), 422, "client")
    assert_problem(api.patch(path, {"name": "No version"}), 422, "version")
    db.session.expire_all()
    assert (db.session.get(Program, program.id).name, audit_count()) == before


def test_status_date_before_recorded_progress_is_refused(app, db) -> None:
    program = new_program()
    api = api_as(app, "lead", program)
    item = db.session.scalar(select(WorkItem).where(WorkItem.key == "diagnosis-plan"))
    api.patch(f"/programs/{program.id}", {"version": program.version, "status_date": "2026-02-02"})
    db.session.refresh(item)
    done = api.patch(
        f"/programs/{program.id}/work-items/{item.id}",
        {
            "version": item.version,
            "percent_complete": 100,
            "actual_start": "2026-01-05",
            "actual_finish": "2026-01-30",
        },
    )
    assert done.status_code == 200, done.get_json()
    current = api.get(f"/programs/{program.id}").get_json()
    refused = api.patch(
        f"/programs/{program.id}", {"version": current["version"], "status_date": "2026-01-10"}
    )
    assert_problem(refused, 422, "status_date")


def test_delete_needs_manage_and_the_version(app, db) -> None:
    program = new_program()
    path = f"/programs/{program.id}"
    for role in ("member", "steering", "viewer"):
        assert_problem(api_as(app, role, program).delete(f"{path}?version=1"), 403)
    lead = api_as(app, "lead", program)
    assert_problem(lead.delete(f"{path}?version=7"), 409, "version")
    assert_problem(lead.delete(path), 400, "version")
    assert _programs(db) == 1
    assert lead.delete(f"{path}?version={program.version}").status_code == 204
    assert _programs(db) == 0
    assert db.session.scalar(select(func.count()).select_from(WorkItem)) == 0
    assert_problem(lead.get(path), 404)


@pytest.mark.parametrize(
    "role", ["viewer", "steering", "member", "lead", "admin", "outsider", "anonymous"]
)
def test_roles_on_a_program(app, db, role) -> None:
    program = new_program()
    api = api_as(app, role, program)
    path = f"/programs/{program.id}"
    read = api.get(path)
    patch = api.patch(path, {"version": program.version, "client": role})
    listed = api.get("/programs")
    if role == "anonymous":
        for response in (read, patch, listed):
            assert_problem(response, 401)
    elif role == "outsider":
        assert_problem(read, 404)
        assert_problem(patch, 404)
        assert listed.get_json()["items"] == []
    else:
        assert read.status_code == 200
        assert [p["id"] for p in listed.get_json()["items"]] == [program.id]
        if role in ("lead", "admin"):
            assert patch.status_code == 200 and patch.get_json()["client"] == role
        else:
            assert_problem(patch, 403)
            db.session.refresh(program)
            assert program.client == "Acme Ltd"
