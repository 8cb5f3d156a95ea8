"""What the JSON API needs beyond the services the pages use: filtered, paginated lists and
the few edits no page offers yet (program settings, deleting a program, a risk or a metric).

Everything else the API does goes through the pages' own services (plan, risks, metrics,
gates, programs, users), so the rules live in one place. Like every service, nothing here
commits: the caller commits on success and rolls back on any error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from planner.domain.errors import ConflictError, NotFoundError, Problem, ValidationError
from planner.extensions import db
from planner.models import (
    Dependency,
    GateCriterion,
    GateDecision,
    Membership,
    Metric,
    MetricReading,
    Phase,
    Program,
    Risk,
    User,
    WorkItem,
)
from planner.models.program import PROGRAM_STATUSES
from planner.services import plan as plan_service
from planner.services.concurrency import check_version
from planner.services.holiday_sets import apply_holiday_set

T = TypeVar("T")


@dataclass(frozen=True)
class Slice(Generic[T]):
    """One page of a list: its rows and how many rows the whole list has."""

    rows: list[T]
    total: int


def paginate(query: Select[Any], page: int, per_page: int) -> Slice[Any]:
    """Run ``query`` (already ordered) for one page, and count the whole list (Flask-SQLAlchemy's
    ``db.paginate``; the API checked ``page`` and ``per_page`` already)."""
    found = db.paginate(query, page=page, per_page=per_page, max_per_page=None, error_out=False)
    return Slice(list(found.items), int(found.total or 0))


def slice_list(rows: list[T], page: int, per_page: int) -> Slice[T]:
    start = (page - 1) * per_page
    return Slice(rows[start : start + per_page], len(rows))


# --------------------------------------------------------------------------- programs


def programs_query(user: User, status: str | None = None) -> Select[Any]:
    """The programs ``user`` may see (all for administrators), oldest id first."""
    query = select(Program).order_by(Program.id)
    if not user.is_admin:
        query = query.join(Membership, Membership.program_id == Program.id).where(
            Membership.user_id == user.id
        )
    if status is not None:
        query = query.where(Program.status == status)
    return query


def update_program(program: Program, changes: dict[str, Any], version: int | str | None) -> Program:
    """Change a program's name, client, status, status date or holiday set (only the keys
    given)."""
    check_version(program, version)
    errors: list[Problem] = []
    values: dict[str, Any] = {}
    for field in ("name", "client"):
        if field in changes:
            text = (changes[field] or "").strip()
            if not text:
                errors.append(Problem(field, "field.required"))
            elif len(text) > 200:
                errors.append(Problem(field, "field.too_long", {"max": "200"}))
            values[field] = text
    if "status" in changes:
        if changes["status"] not in PROGRAM_STATUSES:
            errors.append(
                Problem("status", "field.not_a_choice", {"value": str(changes["status"])})
            )
        values["status"] = changes["status"]
    if errors:
        raise ValidationError(problems=errors)
    for field, value in values.items():
        if getattr(program, field) != value:
            setattr(program, field, value)
    if "holiday_set" in changes and changes["holiday_set"] != program.holiday_set:
        apply_holiday_set(program, changes["holiday_set"])
        plan_service.reschedule(program)
    if "status_date" in changes and changes["status_date"] != program.status_date:
        # the plan's own rule: actual dates already recorded must not lie after it
        plan_service.set_status_date(program, changes["status_date"], program.version)
    db.session.flush()
    return program


def delete_program(program: Program, version: int | str | None) -> None:
    """Delete a program and everything in it (each row the ORM removes is audited)."""
    check_version(program, version)
    db.session.delete(program)
    db.session.flush()


# --------------------------------------------------------------------------- plan


def phases_query(program: Program) -> Select[Any]:
    return select(Phase).where(Phase.program_id == program.id).order_by(Phase.ordinal)


def get_phase(program: Program, phase_id: int) -> Phase:
    phase = db.session.get(Phase, phase_id)
    if phase is None or phase.program_id != program.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return phase


def work_items_query(
    program: Program,
    *,
    phase_id: int | None = None,
    workstream: str | None = None,
    critical: bool | None = None,
    kind: str | None = None,
) -> Select[Any]:
    """The program's work items in plan order (position, then id), filtered."""
    query = select(WorkItem).where(WorkItem.program_id == program.id)
    if phase_id is not None:
        query = query.where(WorkItem.phase_id == phase_id)
    if workstream is not None:
        query = query.where(WorkItem.workstream == workstream)
    if critical is not None:
        query = query.where(WorkItem.is_critical.is_(critical))
    if kind is not None:
        query = query.where(WorkItem.kind == kind)
    return query.order_by(WorkItem.position, WorkItem.id)


def dependencies_query(
    program: Program,
    *,
    predecessor_id: int | None = None,
    successor_id: int | None = None,
    work_item_id: int | None = None,
    dep_type: str | None = None,
) -> Select[Any]:
    """The program's dependencies (both ends loaded in the same query), oldest first."""
    query = (
        select(Dependency)
        .where(Dependency.program_id == program.id)
        .options(joinedload(Dependency.predecessor), joinedload(Dependency.successor))
    )
    if predecessor_id is not None:
        query = query.where(Dependency.predecessor_id == predecessor_id)
    if successor_id is not None:
        query = query.where(Dependency.successor_id == successor_id)
    if work_item_id is not None:
        query = query.where(
            (Dependency.predecessor_id == work_item_id) | (Dependency.successor_id == work_item_id)
        )
    if dep_type is not None:
        query = query.where(Dependency.type == dep_type)
    return query.order_by(Dependency.id)


# --------------------------------------------------------------------------- risks


def delete_risk(risk: Risk, version: int | str | None) -> None:
    """Delete a risk with its actions and links; steering-review snapshots keep their copy."""
    check_version(risk, version)
    db.session.delete(risk)
    db.session.flush()


# --------------------------------------------------------------------------- metrics


def metrics_query(program: Program) -> Select[Any]:
    return select(Metric).where(Metric.program_id == program.id).order_by(Metric.id)


def delete_metric(program: Program, metric: Metric, version: int | str | None) -> None:
    """Delete a metric with its targets and readings, unless a gate criterion measures it."""
    check_version(metric, version)
    used = db.session.scalars(
        select(Phase.ordinal)
        .join(GateCriterion, GateCriterion.phase_id == Phase.id)
        .where(
            Phase.program_id == program.id,
            GateCriterion.kind == "metric_target",
            GateCriterion.reference == metric.key,
        )
        .order_by(Phase.ordinal)
    ).all()
    if used:
        gates = ", ".join(str(ordinal) for ordinal in dict.fromkeys(used))
        raise ConflictError.of("", "metric.in_gate", key=metric.key, phases=gates)
    db.session.delete(metric)
    db.session.flush()


def readings_query(
    metric: Metric, since: date | None = None, until: date | None = None
) -> Select[Any]:
    query = select(MetricReading).where(MetricReading.metric_id == metric.id)
    if since is not None:
        query = query.where(MetricReading.day >= since)
    if until is not None:
        query = query.where(MetricReading.day <= until)
    return query.order_by(MetricReading.day, MetricReading.id)


# --------------------------------------------------------------------------- gates


def decisions_query(program: Program, phase: Phase) -> Select[Any]:
    """A gate's decisions, newest first (the latest one counts)."""
    return (
        select(GateDecision)
        .where(GateDecision.program_id == program.id, GateDecision.phase_id == phase.id)
        .order_by(GateDecision.decided_on.desc(), GateDecision.id.desc())
    )


def get_decision(program: Program, phase: Phase, decision_id: int) -> GateDecision:
    decision = db.session.get(GateDecision, decision_id)
    if decision is None or decision.program_id != program.id or decision.phase_id != phase.id:
        raise NotFoundError(problems=[Problem("", "row.not_found")])
    return decision
