"""The money API: people, assignments, effort, workload, cost and benefits; bad input is a
422 problem naming the field, and nothing is stored."""

from __future__ import annotations

from sqlalchemy import func, select

from planner.models import EffortLog, Person
from tests.integration.api_support import api_as, assert_problem, new_program


def test_people_effort_and_reports(app, db) -> None:  # type: ignore[no-untyped-def]
    program = new_program()
    member = api_as(app, "member", program)
    pid = program.id
    made = member.post(f"/programs/{pid}/people", {"name": "Ann", "capacity_hours": 32,
                                                   "team": "Sales"})  # fmt: skip
    assert made.status_code == 201, made.get_data(as_text=True)
    names = [p["name"] for p in member.get(f"/programs/{pid}/people").get_json()["items"]]
    assert "Ann" in names
    assigned = member.post(f"/programs/{pid}/assignments",
                           {"person": "Ann", "item": "roadmap", "planned_hours": 16})  # fmt: skip
    assert assigned.status_code == 201
    week = {"person": "Ann", "item": "roadmap", "week": "2026-02-04", "hours": 6}
    logged = member.post(f"/programs/{pid}/effort", week)
    assert logged.status_code == 201
    workload = member.get(f"/programs/{pid}/workload").get_json()
    assert "weeks" in workload and "leveling" in workload
    money = member.get(f"/programs/{pid}/money").get_json()
    assert {"currency", "program", "phases", "workstreams"} <= set(money)
    benefits = member.get(f"/programs/{pid}/benefits").get_json()
    assert benefits["benefits"] == [] and "sensitivity" in benefits


def test_bad_input_names_the_field_and_stores_nothing(app, db) -> None:  # type: ignore[no-untyped-def]
    program = new_program()
    member = api_as(app, "member", program)
    pid = program.id
    people_before = db.session.scalar(select(func.count(Person.id)))
    assert_problem(member.post(f"/programs/{pid}/people", {"name": "Bob", "capacity_hours": 200}),
                   422, "capacity_hours")  # fmt: skip
    assert_problem(member.post(f"/programs/{pid}/people", {"name": "Bob", "hourly_rate": -1}),
                   422, "hourly_rate")  # fmt: skip
    assert db.session.scalar(select(func.count(Person.id))) == people_before
    assert_problem(member.post(f"/programs/{pid}/effort", {"person": "Nobody", "item": "roadmap",
                                                          "week": "2026-02-04", "hours": 1}),
                   422, "person")  # fmt: skip
    assert db.session.scalar(select(func.count(EffortLog.id))) == 0


def test_viewers_read_but_do_not_write(app, db) -> None:  # type: ignore[no-untyped-def]
    program = new_program()
    viewer = api_as(app, "viewer", program)
    assert viewer.get(f"/programs/{program.id}/money").status_code == 200
    refused = viewer.post(f"/programs/{program.id}/people", {"name": "Eve"})
    assert refused.status_code == 403
