"""Gates through the API: evaluation, criteria (lead), decisions (steering), roles, validation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.models import GateCriterion, GateDecision
from tests.integration.api_support import (
    api_as,
    assert_problem,
    audit_count,
    new_program,
)

pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


@pytest.fixture()
def program(db):
    return new_program()


def _state(db):
    db.session.expire_all()
    criteria = tuple(
        db.session.execute(
            select(GateCriterion.id, GateCriterion.text, GateCriterion.version)
        ).all()
    )
    decisions = db.session.scalar(select(func.count()).select_from(GateDecision))
    return criteria, decisions, audit_count()


def test_gates_are_evaluated(app, program) -> None:
    api = api_as(app, "viewer", program)
    gates = api.get(f"/programs/{program.id}/gates").get_json()
    assert [g["ordinal"] for g in gates["items"]] == [0, 1, 2, 3, 4]
    first = gates["items"][0]
    verdicts = ("on_track", "at_risk", "off_track", "pass", "fail")
    assert first["overall"] in verdicts and first["summary"]
    # a gate not yet due is an outlook, never "fail"; from its date on, a result
    for gate in gates["items"]:
        assert gate["outlook"] is (gate["days_to_gate"] > 0)
        allowed = ("on_track", "at_risk", "off_track") if gate["outlook"] else verdicts[1:]
        assert gate["overall"] in allowed
    assert all(
        c["outcome"] in ("met", "on_track", "not_met", "at_risk") and c["reason"]
        for c in first["criteria"]
    )
    # the same reason for machines: stable dotted codes, as many as the worded clauses need
    assert all(
        c["reason_codes"] and all(code.startswith("gate.") for code in c["reason_codes"])
        for c in first["criteria"]
    )
    assert api.get(f"/programs/{program.id}/gates/0").get_json() == first
    assert_problem(api.get(f"/programs/{program.id}/gates/7"), 404)


def test_criteria_crud(app, db, program) -> None:
    api = api_as(app, "lead", program)
    url = f"/programs/{program.id}/gates/1/criteria"
    created = api.post(url, {"kind": "manual", "text": "The sponsor signs the gate"})
    assert created.status_code == 201, created.get_json()
    criterion = created.get_json()
    assert criterion["outcome"] != "met"  # a manual criterion nobody judged yet
    assert criterion["met"] is None and criterion["version"] == 1
    path = f"{url}/{criterion['id']}"
    assert api.get(path).get_json() == criterion
    met = api.patch(
        path,
        {
            "version": 1,
            "met": True,
            "evidence": "Signed 2 March",
            "evidence_url": "https://example.test/minutes",
        },
    )
    assert met.status_code == 200, met.get_json()
    assert (
        met.get_json()["outcome"] == "met"
        and met.get_json()["text"] == "The sponsor signs the gate"
    )
    listed = api.get(url).get_json()["items"]
    assert listed[-1]["id"] == criterion["id"]
    metric = api.post(url, {"kind": "metric_target", "metric": "weekly-logins"})
    assert metric.status_code == 201 and metric.get_json()["metric"] == "weekly-logins"
    assert_problem(api.delete(f"{path}?version=1"), 409, "version")
    assert api.delete(f"{path}?version=2").status_code == 204
    assert_problem(api.get(path), 404)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "metric_target", "metric": "nope"}, "metric"),
        ({"kind": "milestones_done", "milestones": ["not-a-milestone"]}, "milestones"),
        ({"kind": "milestones_done"}, "milestones"),
        ({"kind": "milestones_done", "milestones": ["m" * 64] * 20}, "milestones"),
        ({"kind": "max_risk_band", "band": "purple"}, "band"),
        ({"kind": "manual"}, "text"),
        ({"kind": "manual", "text": "x", "evidence_url": "javascript:alert(1)"}, "evidence_url"),
        ({"kind": "vibes"}, "kind"),
        ({"kind": "manual", "text": "x", "outcome": "met"}, "outcome"),
    ],
)
def test_criterion_validation(app, db, program, payload, field) -> None:
    api = api_as(app, "lead", program)
    before = _state(db)
    assert_problem(api.post(f"/programs/{program.id}/gates/1/criteria", payload), 422, field)
    assert _state(db) == before


def test_decisions(today, app, db, program) -> None:
    steering = api_as(app, "steering", program)
    url = f"/programs/{program.id}/gates/0/decisions"
    before = _state(db)
    # the gate fails today: a go needs a written justification
    assert_problem(steering.post(url, {"kind": "go", "decided_by": "Steering committee"}), 422)
    assert_problem(steering.post(url, {"kind": "conditional_go", "decided_by": "SC"}), 422, "due")
    assert_problem(steering.post(url, {"kind": "no_go", "decided_by": "SC"}), 422, "replan")
    assert_problem(
        steering.post(
            url, {"kind": "no_go", "decided_by": "SC", "replan": "r", "decided_on": "2999-01-01"}
        ),
        422,
        "decided_on",
    )
    assert_problem(
        steering.post(url, {"kind": "no_go", "decided_by": "SC", "overall_at_decision": "pass"}),
        422,
        "overall_at_decision",
    )
    assert _state(db) == before
    first = steering.post(
        url,
        {
            "kind": "no_go",
            "decided_by": "SC",
            "decided_on": "2026-02-01",
            "replan": "Two more weeks of interviews",
        },
    )
    assert first.status_code == 201, first.get_json()
    second = steering.post(
        url,
        {
            "kind": "conditional_go",
            "decided_by": "SC",
            "conditions": "Finish the report",
            "due": "2099-01-01",
        },
    )
    assert second.status_code == 201, second.get_json()
    decision = second.get_json()
    assert decision["decided_on"] == today.isoformat()
    assert decision["overall_at_decision"] in ("pass", "at_risk", "fail")
    assert decision["recorded_by"] == steering.user.email
    listed = steering.get(url).get_json()["items"]
    assert [d["id"] for d in listed] == [decision["id"], first.get_json()["id"]]
    assert steering.get(f"{url}/{decision['id']}").get_json() == decision
    gate = steering.get(f"/programs/{program.id}/gates/0").get_json()
    assert gate["latest_decision"] == decision
    assert_problem(steering.patch(f"{url}/{decision['id']}", {"kind": "go"}), 405)


@pytest.mark.parametrize(
    "role", ["viewer", "steering", "member", "lead", "admin", "outsider", "anonymous"]
)
def test_roles_on_gates(app, db, program, role) -> None:
    """The lead edits criteria; the steering committee (and the lead) decides."""
    api = api_as(app, role, program)
    base = f"/programs/{program.id}/gates/0"
    read = api.get(base).status_code
    criterion = api.post(f"{base}/criteria", {"kind": "manual", "text": "t"}).status_code
    decision = api.post(
        f"{base}/decisions", {"kind": "no_go", "decided_by": "SC", "replan": "Re-plan"}
    ).status_code
    expected = {
        "anonymous": (401, 401, 401),
        "outsider": (404, 404, 404),
        "viewer": (200, 403, 403),
        "steering": (200, 403, 201),
        "member": (200, 403, 403),
        "lead": (200, 201, 201),
        "admin": (200, 201, 201),
    }[role]
    assert (read, criterion, decision) == expected
