"""People, effort, workload, cost and benefits of a program (issue 23)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from flask import Response
from pydantic import BaseModel, Field

from planner.api import schemas as s
from planner.api.core import ID, created, json_response, operation
from planner.api.markers import N_
from planner.domain.explain import codes
from planner.explain_text import render
from planner.services import benefits as benefit_service
from planner.services import effort as effort_service
from planner.services import money as money_service
from planner.services import people as people_service
from planner.services import workload as workload_service
from planner.services.programs import get_program

PROGRAM = f"/programs/<{ID}:program_id>"
Amount = Annotated[float, Field(description=N_("Zero or more; a negative amount is refused."))]


class PersonCreate(s.Input):
    name: s.Text(120, 1)
    role: s.Text(120) = ""
    team: s.Text(120) = ""
    email: s.Text(254) | None = None
    capacity_hours: Annotated[float, Field(description=N_("Hours a week, 0 to 168."))] = 40.0
    hourly_rate: Amount | None = None
    currency: s.Text(3) | None = None


class PersonOut(s.Output):
    id: int
    name: str
    kind: str
    role: str
    team: str
    email: str | None
    capacity_hours: float
    hourly_rate: float | None
    currency: str | None
    version: int


class PeopleOut(s.Output):
    items: list[PersonOut]


class AssignmentIn(s.Input):
    person: s.Text(120, 1)
    item: s.Text(64, 1)
    planned_hours: Amount


class EffortIn(s.Input):
    person: s.Text(120, 1)
    item: s.Text(64, 1)
    week: date
    hours: Annotated[float, Field(description=N_("Hours worked that week, 0 to 168."))]
    note: s.Text(500) = ""


class CostIn(s.Input):
    kind: Literal["planned", "invoice"] = Field(
        description=N_("`planned`: a fixed cost of the plan; `invoice`: an actual cost.")
    )
    category: Literal["licence", "hardware", "services", "training", "other"] = "other"
    amount: Amount
    currency: s.Text(3) | None = Field(
        default=None,
        description=N_("Three letters; another than the program's needs an exchange rate."),
    )
    day: date
    phase: int | None = Field(default=None, ge=0, le=99, description=N_("A phase's ordinal."))
    item: s.Text(64) | None = Field(default=None, description=N_("A work item's key."))
    workstream: s.Text(64) | None = None
    note: s.Text(2000) = ""


class BudgetIn(s.Input):
    amount: Amount
    phase: int | None = Field(
        ge=0,
        le=99,
        default=None,
        description=N_("A phase's ordinal; neither phase nor workstream: the program."),
    )
    workstream: s.Text(64) | None = None


class ReadingIn(s.Input):
    day: date
    value: float
    note: s.Text(300) = ""


class Saved(BaseModel):
    id: int


def _person(person: Any) -> dict[str, Any]:
    return PersonOut.model_validate(person, from_attributes=True).model_dump(mode="json")


@operation("GET", f"{PROGRAM}/people", summary=N_("List the people directory"),
           tag="people", requirement="read", response=PeopleOut)  # fmt: skip
def list_people(program_id: int) -> Response:
    program = get_program(program_id)
    return json_response({"items": [_person(p) for p in people_service.list_people(program)]})


@operation("POST", f"{PROGRAM}/people", summary=N_("Add a person"), tag="people",
           requirement="edit", body=PersonCreate, response=PersonOut, status=201)  # fmt: skip
def create_person(program_id: int, body: PersonCreate) -> Response:
    program = get_program(program_id)
    person = people_service.create_person(program, body.model_dump())
    return created(_person(person), "api.list_people", program_id=program.id)


@operation("POST", f"{PROGRAM}/assignments", summary=N_("Assign a person to a work item"),
           tag="people", requirement="edit", body=AssignmentIn, response=Saved,
           status=201)  # fmt: skip
def set_assignment(program_id: int, body: AssignmentIn) -> Response:
    program = get_program(program_id)
    assignment = effort_service.set_assignment(program, body.model_dump())
    return created({"id": assignment.id}, "api.list_people", program_id=program.id)


@operation("POST", f"{PROGRAM}/effort", summary=N_("Log the hours of a week"), tag="people",
           requirement="edit", body=EffortIn, response=Saved, status=201)  # fmt: skip
def log_effort(program_id: int, body: EffortIn) -> Response:
    program = get_program(program_id)
    log = effort_service.log_effort(program, body.model_dump())
    return created({"id": log.id}, "api.get_workload", program_id=program.id)


@operation("GET", f"{PROGRAM}/workload", summary=N_("Workload: person × week"), tag="people",
           requirement="read", description=N_(
               "Hours a week against capacity for each person; over-allocated weeks with their"
               " items, and the leveling suggestion (items to delay within their free float)."
           ))  # fmt: skip
def get_workload(program_id: int) -> Response:
    """Hours a week against capacity for each person; over-allocated weeks with their items,
    and the leveling suggestion (items to delay within their free float)."""
    program = get_program(program_id)
    today = date.today()
    view = workload_service.build_workload([program], today=today)
    suggestion = workload_service.suggest_leveling(program, today=today)
    return json_response({
        "weeks": [w.isoformat() for w in view.weeks],
        "people": [{
            "name": r.name, "team": r.team, "role": r.role,
            "cells": [{"week": c.week.isoformat(), "hours": round(c.hours, 2),
                       "capacity": round(c.capacity, 2), "logged": c.actual, "over": c.over,
                       "items": [{"item": k, "hours": round(h, 2)} for k, h in c.causes]}
                      for c in r.cells],
        } for r in view.people],
        "leveling": [{"item": d.item.split(":", 1)[1], "delay_days": d.days,
                      "start": d.start.isoformat(), "finish": d.finish.isoformat(),
                      "free_float": d.free_float} for d in suggestion.delays],
    })  # fmt: skip


def _group(label: str, group: money_service.Group) -> dict[str, Any]:
    ev = group.ev
    return {
        "label": label, "budget": group.budget, "planned": round(group.planned, 2),
        "actual": round(group.actual, 2), "forecast": round(group.forecast, 2),
        "pv": ev.pv if ev else None, "ev": ev.ev if ev else None, "ac": ev.ac if ev else None,
        "spi": ev.spi if ev else None, "cpi": ev.cpi if ev else None,
        "eac": ev.eac if ev else None,
    }  # fmt: skip


@operation("GET", f"{PROGRAM}/money", summary=N_("Budget, cost and earned value"),
           tag="money", requirement="read")  # fmt: skip
def get_money(program_id: int) -> Response:
    program = get_program(program_id)
    report = money_service.cost_report(program, date.today())
    return json_response({
        "currency": report.currency, "status_date": report.status.isoformat(),
        "program": _group("program", report.program),
        "phases": [_group(p.key, g) for p, g in report.phases],
        "workstreams": [_group(k, g) for k, g in report.workstreams],
    })  # fmt: skip


@operation("GET", f"{PROGRAM}/benefits", summary=N_("The benefits case, ROI, NPV and payback"),
           tag="money", requirement="read")  # fmt: skip
def get_benefits(program_id: int) -> Response:
    program = get_program(program_id)
    case = benefit_service.benefits_case(program, date.today())
    return json_response({
        "currency": case.currency, "discount_rate": case.discount_rate,
        "horizon_months": case.horizon_months, "roi": case.roi, "npv": case.npv,
        "payback_months": case.payback_months, "total_benefit": case.total_benefit,
        "total_cost": case.total_cost, "realised_to_date": case.realised_to_date,
        "case_to_date": case.case_to_date,
        "benefits": [{"key": line.benefit.key, "name": line.benefit.name,
                      "baseline": line.benefit.baseline, "target": line.benefit.target,
                      "latest": line.latest, "achieved": line.achieved,
                      "annual_value": line.benefit.annual_value,
                      "go_live": line.go_live.isoformat() if line.go_live else None}
                     for line in case.lines],
        "sensitivity": {"rates": list(case.sensitivity.rates),
                        "multipliers": list(case.sensitivity.multipliers),
                        "npv": [list(row) for row in case.sensitivity.npv]},
        "benefit_review": _review(benefit_service.benefit_review(program, case, date.today())),
    })  # fmt: skip


def _review(review: benefit_service.Review | None) -> dict[str, Any] | None:
    """The benefit review as its gate judges it today (null: no gate has it)."""
    if review is None:
        return None
    return {
        "phase": review.phase.ordinal,
        "outcome": review.outcome,
        "reason": render(review.reason),
        "reason_codes": list(codes(review.reason)),
    }


@operation("POST", f"{PROGRAM}/costs", summary=N_("Add a fixed cost or an invoice"),
           tag="money", requirement="edit", body=CostIn, response=Saved,
           status=201)  # fmt: skip
def add_cost(program_id: int, body: CostIn) -> Response:
    program = get_program(program_id)
    entry = money_service.add_cost(program, body.model_dump())
    return created({"id": entry.id}, "api.get_money", program_id=program.id)


@operation("POST", f"{PROGRAM}/budget",
           summary=N_("Set the budget of the program, a phase or a workstream"), tag="money",
           requirement="edit", body=BudgetIn, response=Saved, status=201)  # fmt: skip
def set_budget(program_id: int, body: BudgetIn) -> Response:
    program = get_program(program_id)
    line = money_service.set_budget(program, body.model_dump())
    return created({"id": line.id}, "api.get_money", program_id=program.id)


@operation("POST", f"{PROGRAM}/benefits/<string:benefit_key>/readings",
           summary=N_("Record a reading of a benefit"), tag="money", requirement="edit",
           body=ReadingIn, response=Saved, status=201)  # fmt: skip
def add_benefit_reading(program_id: int, benefit_key: str, body: ReadingIn) -> Response:
    program = get_program(program_id)
    benefit = benefit_service.benefit_by_key(program, benefit_key)
    benefit_service.add_benefit_reading(benefit, body.day, body.value, body.note)
    return created({"id": benefit.id}, "api.get_benefits", program_id=program.id)
