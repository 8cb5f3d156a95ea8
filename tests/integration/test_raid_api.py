"""The RAID log through the API: issues (workflow, refusals coded and worded in the caller's
language), risk to issue, actions, decisions, change requests (impact; only steering or the
lead decides; a stale change is refused with 409 and nothing changes)."""

from __future__ import annotations

import pytest

from planner.models import WorkItem
from tests.integration.api_support import api_as, assert_problem, audit_count, install_api
from tests.integration.api_support import new_program as api_program


@pytest.fixture(autouse=True)
def _api(app, monkeypatch):  # type: ignore[no-untyped-def]
    install_api(app, monkeypatch)


def test_issues_actions_and_decisions_through_the_api(app, db) -> None:  # type: ignore[no-untyped-def]
    program = api_program()
    member = api_as(app, "member", program)
    base = f"/programs/{program.id}"
    risk = program.risks[0]
    made = member.post(f"{base}/issues", {"title": "Quotes wrong", "risks": [risk.key]})
    assert made.status_code == 201, made.get_json()
    issue = made.get_json()
    assert issue["key"] == "I-1" and issue["risks"] == [risk.key]
    path = f"{base}/issues/{issue['id']}"
    before = audit_count()
    skipped = member.post(f"{path}/status", {"status": "resolved", "version": issue["version"]})
    body = assert_problem(skipped, 422, "status")
    assert "from here it can go to: In progress" in body["detail"]
    assert audit_count() == before
    zh = member.post(
        f"{path}/status",
        {"status": "resolved", "version": issue["version"]},
        headers={"Accept-Language": "zh-CN"},
    )
    assert "问题不能从" in assert_problem(zh, 422)["detail"]
    moved = member.post(f"{path}/status", {"status": "in_progress", "version": issue["version"]})
    assert moved.status_code == 200 and moved.get_json()["status"] == "in_progress"
    unknown = member.post(f"{base}/issues", {"title": "x", "items": ["no-such-item"]})
    assert_problem(unknown, 422, "items")

    action = member.post(
        f"{base}/actions", {"parent_kind": "issue", "parent": "I-1", "title": "Fix rules"}
    )
    assert action.status_code == 201 and action.get_json()["parent"] == "I-1"
    done = member.patch(
        f"{base}/actions/{action.get_json()['id']}",
        {"done": True, "version": action.get_json()["version"]},
    )
    assert done.get_json()["done"] is True
    listed = member.get(f"{base}/raid?kind=action").get_json()
    assert [row["key"] for row in listed["items"]] == [f"A-{action.get_json()['id']}"]

    assert member.post(f"{base}/decisions", {"title": "x"}).status_code == 403
    steering = api_as(app, "steering", program)
    decision = steering.post(
        f"{base}/decisions", {"title": "Freeze scope", "options": ["freeze", "go on"]}
    )
    assert decision.status_code == 201 and decision.get_json()["options"] == ["freeze", "go on"]

    occurred = member.post(f"{base}/risks/{risk.id}/issue", {"version": risk.version})
    assert occurred.status_code == 201 and occurred.get_json()["source_risk"] == risk.key


def _driver(program) -> WorkItem:  # type: ignore[no-untyped-def]
    tasks = [i for i in program.work_items if i.phase.ordinal == 2 and i.kind == "task"]
    return max(tasks, key=lambda i: (i.early_finish, -i.total_float))


def test_change_requests_impact_role_and_stale(app, db) -> None:  # type: ignore[no-untyped-def]
    program = api_program()
    base = f"/programs/{program.id}"
    member = api_as(app, "member", program)
    driver = _driver(program)
    made = member.post(
        f"{base}/change-requests",
        {"title": "More work", "kind": "add_work", "work_item": driver.key, "days": 4,
         "requester": "Sales"},
    )  # fmt: skip
    assert made.status_code == 201, made.get_json()
    change = made.get_json()
    gates = {g["phase"]: g["shift"] for g in change["impact"]["gates"]}
    assert gates[driver.phase.key] == 4 and change["impact"]["stale"] is False
    assert change["impact"]["priced"] is False and change["impact"]["cost"] is None
    path = f"{base}/change-requests/{change['id']}/decision"
    assert member.post(path, {"approve": True, "version": change["version"]}).status_code == 403

    lead = api_as(app, "lead", program)
    other = next(i for i in program.work_items if i.kind == "task" and i.id != driver.id)
    other.duration_days += 2
    db.session.commit()
    before = audit_count()
    stale = lead.post(path, {"approve": True, "version": change["version"]})
    assert "analysed" in assert_problem(stale, 409)["detail"]
    assert audit_count() == before

    rejected = lead.post(path, {"approve": False, "version": change["version"], "rationale": "no"})
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    again = lead.post(path, {"approve": True, "version": rejected.get_json()["version"]})
    assert_problem(again, 422)


def test_a_change_request_is_priced_in_the_api(app, db) -> None:  # type: ignore[no-untyped-def]
    from planner.services import effort, people

    program = api_program()
    driver = _driver(program)
    people.create_person(
        program, {"name": "Li Wei", "capacity_hours": 40, "hourly_rate": 250, "currency": "USD"}
    )
    effort.set_assignment(program, {"person": "Li Wei", "item": driver.key, "planned_hours": 60})
    db.session.commit()
    member = api_as(app, "member", program)
    made = member.post(
        f"/programs/{program.id}/change-requests",
        {"title": "More", "kind": "add_work", "work_item": driver.key, "days": 3,
         "requester": "Li Wei"},
    )  # fmt: skip
    assert made.status_code == 201, made.get_json()
    cost = made.get_json()["impact"]["cost"]
    expected = 3 * 60 * 250 / driver.duration_days  # three more days of the item's daily labour
    assert made.get_json()["impact"]["priced"] is True and cost["currency"] == "USD"
    assert cost["delta"] == pytest.approx(expected)
    phases = {p["phase"]: p["new"] - p["live"] for p in cost["phases"]}
    assert phases[driver.phase.key] == pytest.approx(expected)
    assert sum(phases.values()) == pytest.approx(expected)
