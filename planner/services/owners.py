"""Owners are people: whenever an owner's name is set on a work item, risk, risk action or
metric (a form, an import, the API, a playbook), the row is linked to the person of that
name in its program's directory (created as a named stakeholder when new), and when only the
link is set, the name follows it. One listener serves every path that writes an owner.

The ``owner`` text column stays as the person's name, so exports and other areas that read it
keep working; ``owner_person_id`` is the link (migration 0021 made it for existing rows).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from planner.models import Metric, Person, Risk, RiskAction, WorkItem

OWNED = (WorkItem, Risk, RiskAction, Metric)
_installed = False


def _program_id(obj: Any) -> int | None:
    if isinstance(obj, RiskAction):
        risk = obj.risk
        return risk.program_id if risk is not None else None
    if obj.program_id is not None:
        return int(obj.program_id)
    program = getattr(obj, "program", None)
    return program.id if program is not None else None


def find_person(session: Session, program_id: int, name: str) -> Person | None:
    """The person called ``name`` in the program, else the playbook role of that name."""
    for pending in session.new:
        if isinstance(pending, Person) and pending.program_id == program_id:
            if pending.name == name:
                return pending
    with session.no_autoflush:
        person = session.scalars(
            select(Person).where(Person.program_id == program_id, Person.name == name)
        ).first()
        if person is None:
            person = session.scalars(
                select(Person).where(
                    Person.program_id == program_id,
                    Person.kind == "role",
                    func.lower(Person.role) == name.lower(),
                )
            ).first()
    return person


def _link(session: Session, obj: Any) -> None:
    state = inspect(obj)
    owner_changed = state.attrs.owner.history.has_changes()
    link_changed = state.attrs.owner_person_id.history.has_changes()
    if link_changed and not owner_changed and obj.owner_person_id is not None:
        person = session.get(Person, obj.owner_person_id)
        if person is not None and person.kind != "role":  # a role to name is not a name
            obj.owner = person.name
        return
    if not owner_changed and not (state.pending and obj.owner and obj.owner_person_id is None):
        return
    name = (obj.owner or "").strip()[:120]
    if not name:
        obj.owner_person_id = None
        return
    program_id = _program_id(obj)
    if program_id is None:
        return
    person = find_person(session, program_id, name)
    if person is None:
        person = Person(
            program_id=program_id,
            name=name,
            kind="stakeholder",
            role=(getattr(obj, "owner_role", None) or "")[:120],
            team="",
            capacity_hours=40.0,
        )
        session.add(person)
    obj.owner_person = person  # the relationship: a new person has no id before the flush


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, OWNED):
            _link(session, obj)


def install() -> None:
    """Register the listener once per process (called by the app factory)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _before_flush)
        _installed = True
