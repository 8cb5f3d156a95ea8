"""Replanning and holiday sets through the API (and their OpenAPI description)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from planner.models import CalendarException, Phase, Program
from tests.integration.api_support import (
    api_as,
    assert_problem,
    audit_count,
    new_program,
)

pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


def _windows(db, program_id):
    db.session.expire_all()
    return [
        (p.window_start, p.window_end)
        for p in db.session.scalars(
            select(Phase).where(Phase.program_id == program_id).order_by(Phase.ordinal)
        )
    ]


def test_replan_moves_and_reports_then_undoes(app, db) -> None:
    program = new_program(start=date(2026, 1, 5))
    api = api_as(app, "lead", program)
    path = f"/programs/{program.id}/replan"
    before = _windows(db, program.id)
    version = api.get(f"/programs/{program.id}").get_json()["version"]
    moved = api.post(path, {"version": version, "start_date": "2026-01-19", "diagnosis_weeks": 6})
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert body["program"]["start_date"] == "2026-01-19" and body["diagnosis_weeks"] == 6
    assert body["moved"] and all({"key", "start_shift"} <= set(m) for m in body["moved"])
    # phase 1 opened 2 Feb (5 Jan + 28 days); now 28 days later: 2 Mar
    assert _windows(db, program.id)[1][0] == date(2026, 3, 2)
    back = api.post(
        path,
        {"version": body["program"]["version"], "start_date": "2026-01-05", "diagnosis_weeks": 4},
    )
    assert back.status_code == 200, back.get_json()
    assert _windows(db, program.id) == before


def test_replan_refusals_change_nothing(app, db) -> None:
    program = new_program()
    lead = api_as(app, "lead", program)
    path = f"/programs/{program.id}/replan"
    member = api_as(app, "member", program)
    version = db.session.get(Program, program.id).version
    before = (_windows(db, program.id), audit_count())
    assert_problem(lead.post(path, {"version": version, "diagnosis_weeks": 9}), 422)
    assert_problem(lead.post(path, {"version": version, "start_date": "2031-01-05"}), 422)
    stale = assert_problem(lead.post(path, {"version": version + 5, "diagnosis_weeks": 5}), 409)
    assert stale["current_version"] == version
    assert_problem(member.post(path, {"version": version, "diagnosis_weeks": 5}), 403)
    assert (_windows(db, program.id), audit_count()) == before


def test_create_with_diagnosis_weeks_and_holiday_set(app, db) -> None:
    api = api_as(app, "outsider")
    response = api.post(
        "/programs",
        {
            "name": "Suzhou",
            "client": "Acme",
            "start_date": "2026-09-07",
            "playbook": "crm-four-100-days",
            "diagnosis_weeks": 2,
            "holiday_set": "cn-mainland",
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["holiday_set"] == "cn-mainland"
    assert _windows(db, body["id"])[0] == (date(2026, 9, 7), date(2026, 9, 20))
    national_day = db.session.scalars(
        select(CalendarException).where(
            CalendarException.program_id == body["id"], CalendarException.day == date(2026, 10, 1)
        )
    ).one()
    assert national_day.working is False
    assert_problem(
        api.post(
            "/programs",
            {
                "name": "X",
                "client": "Y",
                "start_date": "2026-09-07",
                "playbook": "crm-four-100-days",
                "holiday_set": "mars",
            },
        ),
        422,
        "holiday_set",
    )


def test_openapi_describes_replanning(app) -> None:
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/programs/{program_id}/replan"]["post"]
    assert operation["summary"] == "Replan a program"
    schema = str(spec["components"]["schemas"])
    assert "diagnosis_weeks" in schema and "holiday_set" in schema


def test_patch_applies_a_holiday_set(app, db) -> None:
    program = new_program(start=date(2026, 9, 7))
    api = api_as(app, "lead", program)
    path = f"/programs/{program.id}"
    version = api.get(path).get_json()["version"]
    changed = api.patch(path, {"version": version, "holiday_set": "cn-mainland"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["holiday_set"] == "cn-mainland"
    days = {
        e.day: e.working
        for e in db.session.scalars(
            select(CalendarException).where(CalendarException.program_id == program.id)
        )
    }
    assert days[date(2026, 10, 7)] is False and days[date(2026, 10, 10)] is True
    # nothing before the start (7 Sep 2026): Labour Day 2026 is not listed
    assert date(2026, 5, 1) not in days
