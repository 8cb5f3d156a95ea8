"""Assignments (who works on an item, planned hours) and actual effort logged per week: the
light timesheet, also imported from CSV/xlsx all-or-nothing. Remaining effort follows the
item's percent complete."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from planner.domain.days import NotADay, parse_day
from planner.domain.errors import ImportFormatError, Problem, ValidationError
from planner.domain.workload import week_of
from planner.extensions import db
from planner.interop import timesheet
from planner.models import Assignment, EffortLog, Person, Program, WorkItem
from planner.services.concurrency import check_version
from planner.services.money_input import MAX_WEEK_HOURS, number
from planner.services.people import person_by_name

MAX_ITEM_HOURS = 100_000.0


def _item(program: Program, key: str, field: str = "item") -> WorkItem:
    item = db.session.scalars(
        select(WorkItem).where(WorkItem.program_id == program.id, WorkItem.key == key.strip())
    ).first()
    if item is None:
        raise ValidationError(problems=[Problem(field, "field.unknown_reference", {"value": key})])
    return item


def assignments_of(program: Program) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment).where(Assignment.program_id == program.id).order_by(Assignment.id)
        )
    )


def set_assignment(program: Program, data: Mapping[str, Any]) -> Assignment:
    """Assign a person to an item with planned hours (or change the hours of one there)."""
    problems: list[Problem] = []
    hours = number(data, "planned_hours", problems, high=MAX_ITEM_HOURS)
    if problems:
        raise ValidationError(problems=problems)
    person = person_by_name(program, str(data.get("person") or ""), "person")
    item = _item(program, str(data.get("item") or ""))
    assignment = db.session.scalars(
        select(Assignment).where(
            Assignment.work_item_id == item.id, Assignment.person_id == person.id
        )
    ).first()
    if assignment is None:
        assignment = Assignment(
            program_id=program.id, work_item_id=item.id, person_id=person.id, planned_hours=hours
        )
        db.session.add(assignment)
    else:
        if "version" in data:
            check_version(assignment, data["version"])
        assignment.planned_hours = float(hours or 0)
    db.session.flush()
    return assignment


def remove_assignment(program: Program, assignment_id: int, version: Any) -> None:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.program_id != program.id:
        raise ValidationError(problems=[Problem("assignment", "row.not_found")])
    check_version(assignment, version)
    db.session.delete(assignment)
    db.session.flush()


@dataclass(frozen=True)
class EffortEntry:
    person: Person
    item: WorkItem
    week: date
    hours: float
    note: str


def _entry(program: Program, data: Mapping[str, Any], prefix: str = "") -> EffortEntry:
    problems: list[Problem] = []
    hours = number(data, "hours", problems, high=MAX_WEEK_HOURS, code="money.week_hours_range")
    raw_week = data.get("week")
    week: date | None = None
    if isinstance(raw_week, date):
        week = raw_week
    else:
        try:
            week = parse_day(str(raw_week or ""))
        except (NotADay, ValueError):
            problems.append(Problem("week", "field.not_a_date"))
    problems = [Problem(prefix + p.field, p.code, p.params) if prefix else p for p in problems]
    person = item = None
    try:
        person = person_by_name(program, str(data.get("person") or ""), f"{prefix}person")
    except ValidationError as exc:
        problems.extend(exc.problems)
    try:
        item = _item(program, str(data.get("item") or ""), f"{prefix}item")
    except ValidationError as exc:
        problems.extend(exc.problems)
    if problems or person is None or item is None or week is None or hours is None:
        raise ValidationError(problems=problems)
    return EffortEntry(person, item, week_of(week), hours, str(data.get("note") or "")[:500])


def _store(program: Program, entry: EffortEntry) -> EffortLog:
    log = db.session.scalars(
        select(EffortLog).where(
            EffortLog.person_id == entry.person.id,
            EffortLog.work_item_id == entry.item.id,
            EffortLog.week == entry.week,
        )
    ).first()
    if log is None:
        log = EffortLog(
            program_id=program.id,
            person_id=entry.person.id,
            work_item_id=entry.item.id,
            week=entry.week,
            hours=entry.hours,
            note=entry.note,
        )
        db.session.add(log)
    else:
        log.hours = entry.hours
        log.note = entry.note or log.note
    return log


def log_effort(program: Program, data: Mapping[str, Any]) -> EffortLog:
    """Record the hours a person worked on an item in a week (replaces that week's hours)."""
    log = _store(program, _entry(program, data))
    db.session.flush()
    return log


def import_timesheet(program: Program, data: bytes, filename: str) -> int:
    """Every row of the file, or none: a single bad row refuses the file, lines named."""
    rows = timesheet.read(data, filename)
    entries: list[EffortEntry] = []
    problems: list[Problem] = []
    for row in rows:
        values = {
            "person": row.person,
            "item": row.item,
            "week": row.week,
            "hours": row.hours,
            "note": row.note,
        }
        try:
            entries.append(_entry(program, values, prefix=f"line {row.line}: "))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ImportFormatError(problems=problems)
    for entry in entries:
        _store(program, entry)
    db.session.flush()
    return len(entries)


def logged_hours(program: Program) -> dict[tuple[int, int], float]:
    """Hours logged per (person id, item id)."""
    rows = db.session.execute(
        select(EffortLog.person_id, EffortLog.work_item_id, func.sum(EffortLog.hours))
        .where(EffortLog.program_id == program.id)
        .group_by(EffortLog.person_id, EffortLog.work_item_id)
    )
    return {(p, i): float(h or 0) for p, i, h in rows}


def remaining_hours(planned: float, percent_complete: int) -> float:
    """What is left of the planned effort as the item progresses."""
    return planned * max(0, 100 - percent_complete) / 100


def recent_logs(program: Program, limit: int = 50) -> list[EffortLog]:
    return list(
        db.session.scalars(
            select(EffortLog)
            .where(EffortLog.program_id == program.id)
            .order_by(EffortLog.week.desc(), EffortLog.id.desc())
            .limit(limit)
        )
    )
